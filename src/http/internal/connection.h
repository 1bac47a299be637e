// One accepted server connection: a coroutine on its socket's I/O thread that
// reads requests (keep-alive, pipelining), hands them to the worker pool and
// writes the responses, plus a watcher that notices when the peer goes away
// while a handler runs. All members are touched only on that I/O thread, except
// where noted.
#pragma once

#include <array>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <stop_token>
#include <string>

namespace caravan::http::internal {

class ServerShared;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, ServerShared& shared);
  ~Connection();  // unregisters from `shared`
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Registers the connection and starts serving it on its socket's executor;
  // closes it at once when the server is already draining. Any thread.
  static void start(std::shared_ptr<Connection> connection);

  // Graceful stop: finish the request in progress (its stop token is
  // requested), then close; close now if waiting for a request. I/O thread only.
  void drain();
  // Close now; a handler still running keeps the connection object alive until it
  // returns. I/O thread only.
  void force_close();

  // What the serving coroutines in connection.cc use.
  enum class State { kIdle, kReading, kProcessing, kClosing };
  asio::ip::tcp::socket socket_;
  ServerShared& shared_;
  std::string remote_;
  std::string in_;  // received, not yet consumed bytes
  std::array<char, 16 * 1024> read_buffer_;
  std::array<char, 4 * 1024> watch_buffer_;
  std::stop_source stop_;  // of the request being processed
  State state_ = State::kIdle;
  bool draining_ = false;
  bool keep_alive_ = true;
  bool peer_gone_ = false;  // the watcher saw EOF or an error
  bool broken_ = false;     // a write failed: close without another response

  void close_socket();
};

}  // namespace caravan::http::internal
