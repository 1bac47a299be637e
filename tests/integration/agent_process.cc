#include "agent_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace caravan::testing {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

namespace {

std::vector<std::string> agent_argv(std::vector<std::string> args, int port) {
  args.insert(args.begin(), {CARAVAN_BINARY, "agent"});
  args.push_back("-http-port");
  args.push_back(std::to_string(port));
  // Tests run side by side: the ingress (8080 in -dev) takes a free port.
  args.push_back("-ingress-port");
  args.push_back("0");
  return args;
}

}  // namespace

AgentProcess::AgentProcess(std::vector<std::string> args)
    : port_(free_port()), process_("agent", agent_argv(std::move(args), port_)) {
  ready_ = wait_until([this] {
    Result<http::Client> client = http::Client::create(address());
    if (!client) return false;
    Result<http::Response> r = client->get("/v1/agent/self");
    return r && r->status == 200;
  });
  if (!ready_) ADD_FAILURE() << "the agent did not answer on " << address() << "\n" << output();
}

http::Response AgentProcess::raw(const std::string& method, const std::string& target,
                                 const std::string& body) {
  Result<http::Client> client = http::Client::create(address());
  if (!client) {
    ADD_FAILURE() << client.error().message();
    return {};
  }
  Result<http::Response> r = client->request(method, target, body);
  if (!r) {
    ADD_FAILURE() << method << " " << target << ": " << r.error().message();
    return {};
  }
  return std::move(r).value();
}

nlohmann::json AgentProcess::get(const std::string& target) {
  http::Response r = raw("GET", target, "");
  if (r.status != 200) {
    ADD_FAILURE() << "GET " << target << " → " << r.status << " " << r.body;
    return nullptr;
  }
  return nlohmann::json::parse(r.body, nullptr, false);
}

nlohmann::json AgentProcess::post(const std::string& target, const nlohmann::json& body) {
  http::Response r = raw("POST", target, body.dump());
  if (r.status != 200) {
    ADD_FAILURE() << "POST " << target << " → " << r.status << " " << r.body;
    return nullptr;
  }
  return nlohmann::json::parse(r.body, nullptr, false);
}

}  // namespace caravan::testing
