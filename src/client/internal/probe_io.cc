#include "client/internal/probe_io.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

namespace caravan::client::internal {

namespace {

// Milliseconds left until `deadline`, rounded up so we never spin at 0.
int remaining_ms(SteadyTime deadline) {
  auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<long long>(ms, 60 * 60 * 1000));
}

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};

}  // namespace

WaitOutcome wait_fd(int fd, short events, const ProbeContext& ctx) {
  while (true) {
    pollfd fds[2] = {{fd, events, 0}, {ctx.cancel_fd, POLLIN, 0}};
    nfds_t n = ctx.cancel_fd >= 0 ? 2 : 1;
    int timeout = remaining_ms(ctx.deadline);
    int rc = ::poll(fds, n, timeout);
    if (rc < 0) {
      if (errno == EINTR) continue;
      return WaitOutcome::kReady;  // let the following read/write report the error
    }
    if (n == 2 && fds[1].revents != 0) return WaitOutcome::kCancelled;
    if (fds[0].revents != 0) return WaitOutcome::kReady;
    if (rc == 0 && remaining_ms(ctx.deadline) == 0) return WaitOutcome::kTimeout;
  }
}

std::string join_host_port(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string timed_out_text(const ProbeContext& ctx, SteadyTime started) {
  auto budget = std::chrono::round<std::chrono::milliseconds>(ctx.deadline - started);
  return "timed out after " + format_duration(budget);
}

std::string errno_text(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

ConnectOutcome connect_tcp(const std::string& address, int port, const ProbeContext& ctx,
                           SteadyTime started) {
  ConnectOutcome out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* raw = nullptr;
  std::string service = std::to_string(port);
  // Numeric addresses first, so the common case never touches the resolver.
  hints.ai_flags |= AI_NUMERICHOST;
  int rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &raw);
  if (rc == EAI_NONAME) {
    hints.ai_flags &= ~AI_NUMERICHOST;
    rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &raw);
  }
  if (rc != 0) {
    out.error = "cannot resolve " + address + ": " + ::gai_strerror(rc);
    return out;
  }
  std::unique_ptr<addrinfo, AddrInfoDeleter> infos(raw);
  std::string last_error = "no address for " + address;
  for (addrinfo* ai = infos.get(); ai != nullptr; ai = ai->ai_next) {
    drivers::UniqueFd fd(
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd.valid()) {
      last_error = "socket: " + errno_text(errno);
      continue;
    }
    if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0) {
      out.fd = std::move(fd);
      return out;
    }
    if (errno != EINPROGRESS) {
      last_error = errno_text(errno);
      continue;
    }
    switch (wait_fd(fd.get(), POLLOUT, ctx)) {
      case WaitOutcome::kCancelled:
        out.cancelled = true;
        out.error = "cancelled";
        return out;
      case WaitOutcome::kTimeout:
        out.error = timed_out_text(ctx, started) + " connecting";
        return out;
      case WaitOutcome::kReady:
        break;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0) {
      out.fd = std::move(fd);
      return out;
    }
    last_error = errno_text(err);
  }
  out.error = last_error;
  return out;
}

}  // namespace caravan::client::internal
