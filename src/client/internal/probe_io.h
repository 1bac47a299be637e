// Socket helpers for the http and tcp health checks: waits on one fd bounded by
// a probe's deadline and cancel fd, and a non-blocking TCP connect. Private to
// caravan_client.
#pragma once

#include <string>

#include "client/health_check.h"
#include "drivers/unique_fd.h"

namespace caravan::client::internal {

enum class WaitOutcome { kReady, kTimeout, kCancelled };

// Waits until `fd` reports one of `events` (POLLIN/POLLOUT; errors and hangups
// count as ready), ctx.deadline passes, or ctx.cancel_fd becomes readable.
WaitOutcome wait_fd(int fd, short events, const ProbeContext& ctx);

struct ConnectOutcome {
  drivers::UniqueFd fd;  // valid when connected (non-blocking, close-on-exec)
  std::string error;     // otherwise why not: "connection refused", "timed out after 2s"
  bool cancelled = false;
};

// Resolves `address` (numeric IPs directly, names through getaddrinfo) and
// connects to the first address that accepts within ctx's deadline.
ConnectOutcome connect_tcp(const std::string& address, int port, const ProbeContext& ctx,
                           SteadyTime started);

// "host:port", with brackets around an IPv6 address.
std::string join_host_port(const std::string& host, int port);

// "timed out after 2s" for a probe started at `started` with ctx's deadline.
std::string timed_out_text(const ProbeContext& ctx, SteadyTime started);

// strerror(err) with a lower-case first letter ("connection refused").
std::string errno_text(int err);

}  // namespace caravan::client::internal
