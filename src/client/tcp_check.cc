// The tcp health check: passing when a TCP connection opens within the timeout.
#include "client/health_check.h"
#include "client/internal/probe_io.h"

namespace caravan::client {

namespace {

class TcpChecker final : public HealthChecker {
 public:
  TcpChecker(std::string address, int port)
      : address_(std::move(address)),
        port_(port),
        target_(internal::join_host_port(address_, port_)) {}

  CheckResult probe(const ProbeContext& ctx) override {
    SteadyTime started = std::chrono::steady_clock::now();
    internal::ConnectOutcome conn = internal::connect_tcp(address_, port_, ctx, started);
    if (conn.fd.valid()) return {CheckStatus::kPassing, "TCP connect " + target_ + ": Success"};
    return {CheckStatus::kCritical, "TCP connect " + target_ + ": " + conn.error};
  }

  std::string describe() const override { return "tcp " + target_; }

 private:
  std::string address_;
  int port_;
  std::string target_;
};

}  // namespace

Result<HealthCheckerPtr> make_tcp_checker(std::string address, int port) {
  if (port < 1 || port > 65535) {
    return invalid_argument("tcp check: port " + std::to_string(port) + " of " + address +
                            " is not in 1..65535; set the check's or the service's port");
  }
  if (address.empty()) return invalid_argument("tcp check: no address to connect to");
  return HealthCheckerPtr(std::make_unique<TcpChecker>(std::move(address), port));
}

}  // namespace caravan::client
