// Helpers for the http tests: a server on a random loopback port, a raw socket
// for bytes the Client would never send, and waiting on conditions with deadlines.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "http/client.h"
#include "http/server.h"

namespace caravan::http::testing {

using namespace std::chrono_literals;

// A one-shot event that threads wait on with a deadline.
class Signal {
 public:
  void set() {
    std::lock_guard lock(mutex_);
    set_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return set_; });
  }
  // Waits for the signal or for `token`; true when signalled.
  bool wait(std::stop_token token, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, token, timeout, [&] { return set_; });
  }
  bool is_set() {
    std::lock_guard lock(mutex_);
    return set_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool set_ = false;
};

// For states only observable by polling (connection counts): checks `condition`
// every few milliseconds until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// A Server on 127.0.0.1 and a free port, stopped on destruction.
class LoopbackServer {
 public:
  explicit LoopbackServer(Router router, ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    if (options.io_threads == 1) {
      options.io_threads = 2;
    }
    server_ = std::make_unique<Server>(std::move(router), options);
    Status status = server_->start();
    EXPECT_TRUE(status.is_ok()) << status.to_string();
  }
  Server& server() { return *server_; }
  std::string url() const { return server_->url(); }
  uint16_t port() const { return server_->port(); }
  Client client(ClientOptions options = {}) {
    Result<Client> client = Client::create(url(), options);
    EXPECT_TRUE(client.has_value());
    return std::move(client).value();
  }

 private:
  std::unique_ptr<Server> server_;
};

// A plain blocking TCP connection with a receive timeout, for raw HTTP bytes.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawConnection() { close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  // Everything until the peer closes (or the 10 s receive timeout).
  std::string read_all() {
    std::string out;
    char buf[4096];
    while (true) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        eof_ = n == 0;
        return out;
      }
      out.append(buf, static_cast<size_t>(n));
    }
  }
  // One response with a Content-Length body (or none), leaving the rest buffered.
  std::string read_response() {
    while (true) {
      size_t head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t length = 0;
        std::string head = pending_.substr(0, head_end);
        for (std::string_view key : {"Content-Length: ", "content-length: "}) {
          size_t pos = head.find(key);
          if (pos != std::string::npos) {
            length = std::stoul(head.substr(pos + key.size()));
          }
        }
        size_t total = head_end + 4 + length;
        if (pending_.size() >= total) {
          std::string out = pending_.substr(0, total);
          pending_.erase(0, total);
          return out;
        }
      }
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        eof_ = n == 0;
        std::string out = std::move(pending_);
        pending_.clear();
        return out;
      }
      pending_.append(buf, static_cast<size_t>(n));
    }
  }
  // True once a read saw the peer close the connection.
  bool saw_eof() const { return eof_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string pending_;
};

}  // namespace caravan::http::testing
