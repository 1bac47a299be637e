// Steady HTTP load through an ingress for the scenario tests: many clients,
// each on its own kept-alive connection and thread, pacing its requests; half
// of them sticky (they send the session cookie of their application, and the
// ingress's sticky cookie once given). Every answer is recorded with its wall
// time and the instance that sent it (the backend's "instance=<name>" line),
// every failure (connection error, timeout, non-200) with its text.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace caravan::testing {

using WallClock = std::chrono::system_clock;

struct LoadOptions {
  int port = 0;                     // the ingress listener on 127.0.0.1
  std::string host;                 // the Host header
  int clients = 32;
  std::chrono::milliseconds pause{100};  // between one client's requests
  // The ingress's sticky cookie; sticky clients send it back once given.
  // Empty when the route hashes on the application's cookie instead.
  std::string sticky_cookie;
  // The application's session cookie every sticky client sends ("<name>=client<n>").
  std::string session_cookie = "sid";
};

// What one client saw, in order.
struct ClientRecord {
  int n = 0;
  bool sticky = false;
  struct Answer {
    WallClock::time_point at;  // when the answer arrived
    std::string instance;
  };
  std::vector<Answer> answers;
  int sent = 0;
  std::vector<std::string> failures;
};

class LoadGenerator {
 public:
  // Starts the clients at once; client n is sticky when n is even.
  explicit LoadGenerator(LoadOptions options);
  // Stops and joins the clients (as stop()).
  ~LoadGenerator();
  LoadGenerator(const LoadGenerator&) = delete;
  LoadGenerator& operator=(const LoadGenerator&) = delete;

  // Answers received so far (all clients; safe while running).
  size_t answered() const;
  // Waits until `more` answers arrived after the call, or `timeout` passed.
  bool wait_for_answers(size_t more, std::chrono::milliseconds timeout);
  // Stops the clients and returns their records (once; later calls return the same).
  const std::vector<ClientRecord>& stop();

 private:
  struct Client;
  void run(Client& client);

  LoadOptions options_;
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<Client>> clients_;
  std::vector<std::thread> threads_;
  std::vector<ClientRecord> records_;
};

// The instance named by a backend's answer ("instance=<name> path=..."), or "".
std::string answering_instance(const std::string& body);

}  // namespace caravan::testing
