// Test helpers for the ingress engine: a loopback HTTP/1.1 backend with
// scripted answers (thread per connection, blocking sockets), a raw client,
// and a fake Director that forwards to given endpoints and records attempts.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "proxy/director.h"

namespace caravan::proxy::testing {

using namespace std::chrono_literals;

inline std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Waits until `cond` holds or `timeout` passes; returns the last value.
inline bool wait_for(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return cond();
}

inline int connect_loopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

// A port nobody listens on (bound then closed).
inline uint16_t refused_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Buffered blocking reads with a deadline over an fd.
class Reader {
 public:
  explicit Reader(int fd) : fd_(fd) {}
  // Reads more bytes; false on EOF, error or timeout.
  bool fill(std::chrono::milliseconds timeout = 5s) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    buf_.append(buf, static_cast<size_t>(n));
    return true;
  }
  bool read_until(const std::string& delim, std::string* out) {
    while (true) {
      size_t pos = buf_.find(delim);
      if (pos != std::string::npos) {
        *out = buf_.substr(0, pos + delim.size());
        buf_.erase(0, pos + delim.size());
        return true;
      }
      if (!fill()) return false;
    }
  }
  bool read_exact(size_t n, std::string* out) {
    while (buf_.size() < n) {
      if (!fill()) return false;
    }
    *out = buf_.substr(0, n);
    buf_.erase(0, n);
    return true;
  }
  std::string read_to_eof() {
    while (fill()) {
    }
    std::string out = std::move(buf_);
    buf_.clear();
    return out;
  }
  std::string& pending() { return buf_; }

 private:
  int fd_;
  std::string buf_;
};

struct Message {
  std::string start_line;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string raw_head;
  bool ok = false;

  std::string header(const std::string& name) const {
    auto it = headers.find(lower(name));
    return it == headers.end() ? "" : it->second;
  }
  size_t count(const std::string& name) const { return headers.count(lower(name)); }
  int status() const { return start_line.size() >= 12 ? std::stoi(start_line.substr(9, 3)) : 0; }
};

// Reads one message head and its body (Content-Length, chunked, or until EOF
// when `until_eof_ok`). `no_body` for HEAD responses / 1xx / 204 / 304.
inline Message read_message(Reader& r, bool is_response, bool no_body = false) {
  Message m;
  std::string head;
  if (!r.read_until("\r\n\r\n", &head)) return m;
  m.raw_head = head;
  size_t eol = head.find("\r\n");
  m.start_line = head.substr(0, eol);
  size_t pos = eol + 2;
  while (pos < head.size() - 2) {
    size_t end = head.find("\r\n", pos);
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    m.headers.emplace(lower(line.substr(0, colon)), value);
    pos = end + 2;
  }
  int status = is_response ? m.status() : 0;
  if (no_body || (status >= 100 && status < 200) || status == 204 || status == 304) {
    m.ok = true;
    return m;
  }
  if (lower(m.header("transfer-encoding")).find("chunked") != std::string::npos) {
    while (true) {
      std::string line;
      if (!r.read_until("\r\n", &line)) return m;
      size_t size = std::stoul(line, nullptr, 16);
      if (size == 0) {
        std::string trailer;
        do {
          if (!r.read_until("\r\n", &trailer)) return m;
        } while (trailer != "\r\n");
        break;
      }
      std::string data, crlf;
      if (!r.read_exact(size, &data) || !r.read_exact(2, &crlf)) return m;
      m.body += data;
    }
  } else if (!m.header("content-length").empty()) {
    if (!r.read_exact(std::stoul(m.header("content-length")), &m.body)) return m;
  } else if (is_response) {
    m.body = r.read_to_eof();
  }
  m.ok = true;
  return m;
}

inline void send_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

// A client connection to the engine.
class Client {
 public:
  explicit Client(uint16_t port) : fd_(connect_loopback(port)), reader_(fd_) {}
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return fd_ >= 0; }
  void send(const std::string& data) { send_all(fd_, data); }
  Message response(bool no_body = false) { return read_message(reader_, true, no_body); }
  Message request(const std::string& raw, bool no_body = false) {
    send(raw);
    return response(no_body);
  }
  // True when the engine closed the connection (EOF within the timeout).
  bool closed_by_peer() {
    return !reader_.fill(3s) && reader_.pending().empty();
  }
  Reader& reader() { return reader_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  Reader reader_;
};

// A loopback backend: answers each request with what `handler` returns (raw
// response bytes; "" = say nothing and keep the connection; "\x01close" = close).
class Backend {
 public:
  using Handler = std::function<std::string(const Message&, int conn_fd, Reader&)>;

  explicit Backend(Handler handler) : handler_(std::move(handler)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    listen(fd_, 128);
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~Backend() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    acceptor_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : conns_) ::shutdown(fd, SHUT_RDWR);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

  uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  std::vector<Message> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  size_t request_count() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }

  static std::string ok(const std::string& body, const std::string& extra = "") {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra +
           "\r\n" + body;
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) {
        if (stopping_) return;
        continue;
      }
      accepted_++;
      std::lock_guard<std::mutex> lock(mu_);
      conns_.push_back(c);
      threads_.emplace_back([this, c] { serve(c); });
    }
  }
  void serve(int c) {
    Reader r(c);
    while (true) {
      Message m = read_message(r, false);
      if (!m.ok) break;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(m);
      }
      std::string reply = handler_(m, c, r);
      if (reply == "\x01close") break;
      if (reply == "\x01hold") {
        r.read_to_eof();
        break;
      }
      send_all(c, reply);
    }
    std::lock_guard<std::mutex> lock(mu_);
    conns_.erase(std::find(conns_.begin(), conns_.end(), c));
    ::close(c);  // under the lock: the destructor never shuts down a reused fd
  }

  Handler handler_;
  int fd_;
  uint16_t port_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> conns_;
  std::vector<std::thread> threads_;
  std::vector<Message> requests_;
};

// Forwards every request to `endpoints` (in order as candidates), except
// paths starting with /local which it answers itself with 404.
class FakeDirector : public Director {
 public:
  explicit FakeDirector(std::vector<Endpoint> endpoints) : endpoints_(std::move(endpoints)) {}

  Decision decide(const RequestHead& head, const ClientInfo& client) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_client_ = client;
      decisions_++;
    }
    if (head.path().substr(0, 6) == "/local") {
      LocalResponse r;
      r.status = 404;
      r.body = "no route\n";
      return r;
    }
    Forward f;
    f.route = "test-route";
    f.service = "web";
    f.target = head.target;
    f.candidates = endpoints_;
    f.set_request_headers.push_back({"X-Route", "test-route"});
    f.remove_request_headers.push_back("X-Secret");
    f.add_response_headers.push_back({"X-Served-By", "caravan"});
    f.remove_response_headers.push_back("X-Internal");
    return f;
  }
  void on_attempt_start(const Endpoint&) override { starts_++; }
  void on_attempt_end(const Endpoint& ep, const Outcome& outcome) override {
    std::lock_guard<std::mutex> lock(mu_);
    outcomes_.push_back({ep, outcome});
  }

  std::vector<std::pair<Endpoint, Outcome>> outcomes() {
    std::lock_guard<std::mutex> lock(mu_);
    return outcomes_;
  }
  ClientInfo last_client() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_client_;
  }
  int starts() const { return starts_.load(); }

 private:
  std::vector<Endpoint> endpoints_;
  std::mutex mu_;
  ClientInfo last_client_;
  int decisions_ = 0;
  std::atomic<int> starts_{0};
  std::vector<std::pair<Endpoint, Outcome>> outcomes_;
};

inline Endpoint endpoint(uint16_t port, const std::string& id = "") {
  Endpoint e;
  e.instance_id = id.empty() ? "static:127.0.0.1:" + std::to_string(port) : id;
  e.service = "web";
  e.address = "127.0.0.1";
  e.port = port;
  return e;
}

}  // namespace caravan::proxy::testing
