// Helpers for the health check tests: a loopback HTTP server that records the
// requests it gets and answers with a canned response (or never answers), a
// port nothing listens on, and waiting on a condition with a deadline.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace caravan::client::testing {

// Polls `pred` until it holds or `timeout` passes; returns its last value.
inline bool wait_for(const std::function<bool()>& pred,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// A listening socket on 127.0.0.1 with a kernel-chosen port.
inline int listen_loopback(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

// A loopback port with nothing listening: bound, then closed.
inline int closed_port() {
  int port = 0;
  int fd = listen_loopback(&port);
  ::close(fd);
  return port;
}

// One-thread HTTP/1.1 server on 127.0.0.1:<port>. Each connection: reads the
// request head and a Content-Length body, records the raw request, then writes
// `response` and closes, or (hang) keeps the connection open without answering
// until the server is destroyed.
class TestHttpServer {
 public:
  explicit TestHttpServer(std::string response) : response_(std::move(response)) {
    listen_fd_ = listen_loopback(&port_);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) == 0) {
      stop_read_ = fds[0];
      stop_write_ = fds[1];
    }
    thread_ = std::thread([this] { serve(); });
  }
  ~TestHttpServer() {
    char c = 'x';
    [[maybe_unused]] ssize_t n = ::write(stop_write_, &c, 1);
    thread_.join();
    ::close(listen_fd_);
    ::close(stop_read_);
    ::close(stop_write_);
  }

  static std::string response(int code, const std::string& reason, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(code) + " " + reason +
           "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
  }

  void set_hang(bool hang) { hang_ = hang; }
  int port() const { return port_; }
  std::vector<std::string> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  int connections() const { return connections_; }

 private:
  void serve() {
    std::vector<int> held;  // hung connections, closed at the end
    while (true) {
      pollfd p[2] = {{listen_fd_, POLLIN, 0}, {stop_read_, POLLIN, 0}};
      if (::poll(p, 2, -1) < 0) continue;
      if (p[1].revents != 0) break;
      int conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      ++connections_;
      std::string request = read_request(conn);
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
      }
      if (hang_) {
        held.push_back(conn);
        continue;
      }
      size_t off = 0;
      while (off < response_.size()) {
        ssize_t n = ::send(conn, response_.data() + off, response_.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      ::shutdown(conn, SHUT_WR);
      ::close(conn);
    }
    for (int fd : held) ::close(fd);
  }

  std::string read_request(int conn) {
    std::string data;
    char buf[4096];
    while (true) {
      pollfd p[2] = {{conn, POLLIN, 0}, {stop_read_, POLLIN, 0}};
      if (::poll(p, 2, 5000) <= 0 || p[1].revents != 0) return data;
      ssize_t n = ::recv(conn, buf, sizeof buf, 0);
      if (n <= 0) return data;
      data.append(buf, static_cast<size_t>(n));
      size_t end = data.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      size_t length = 0;
      size_t cl = data.find("Content-Length: ");
      if (cl != std::string::npos && cl < end) length = std::stoul(data.substr(cl + 16));
      if (data.size() >= end + 4 + length) return data;
    }
  }

  std::string response_;
  std::atomic<bool> hang_{false};
  int listen_fd_ = -1;
  int port_ = 0;
  int stop_read_ = -1;
  int stop_write_ = -1;
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

// Whether process `pid` has ended: gone, or a zombie nobody reaped yet.
inline bool process_ended(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] == 'Z' ||
         line[paren + 2] == 'X';
}

}  // namespace caravan::client::testing
