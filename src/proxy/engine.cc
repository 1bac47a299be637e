#include "proxy/engine.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <thread>
#include <unordered_map>

#include "proxy/access_log.h"
#include "proxy/http1_codec.h"
#include "proxy/internal/buffer.h"
#include "proxy/metrics.h"

namespace caravan::proxy {

using internal::Buffer;

namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kMaxClientOut = 256 * 1024;    // stop reading upstream above this
constexpr size_t kRequestWindow = 64 * 1024;    // unsent request bytes held for upstream
constexpr size_t kReplayLimit = 64 * 1024;      // request bytes kept to retry on a fresh connection
constexpr size_t kMaxBodyPrefetch = 64 * 1024;  // client bytes read ahead while forwarding
constexpr int64_t kSweepIntervalNs = 50'000'000;
constexpr int64_t kClosingGraceNs = 5'000'000'000;

int64_t mono_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int64_t to_ns(std::chrono::milliseconds ms) { return static_cast<int64_t>(ms.count()) * 1'000'000; }

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

// An address:port for messages, IPv6 in brackets.
std::string host_port(const std::string& address, uint16_t port) {
  if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

bool parse_ip(const std::string& address, uint16_t port, sockaddr_storage* out, socklen_t* len) {
  std::memset(out, 0, sizeof(*out));
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *len = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  std::string a = address;
  if (a.size() > 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
  if (inet_pton(AF_INET6, a.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    *len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// A Forwarded parameter value: a token as is, anything else quoted.
void append_forwarded_value(Buffer& out, std::string_view v) {
  bool token = !v.empty();
  for (char c : v) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c))) {
      token = false;
      break;
    }
  }
  if (token) {
    out.append(v);
    return;
  }
  out.append('"');
  for (char c : v) {
    if (c == '"' || c == '\\') out.append('\\');
    out.append(c);
  }
  out.append('"');
}

struct Handler {
  virtual ~Handler() = default;
  virtual void on_event(uint32_t events) = 0;
  bool closed = false;
};

}  // namespace

class Loop;
class ClientConn;

// A connection to an upstream endpoint: owned by a ClientConn while a request
// uses it, else idle in its loop's pool.
class UpstreamConn final : public Handler {
 public:
  UpstreamConn(Loop& loop, int fd, std::string key, std::string instance_id)
      : loop_(loop), fd(fd), key(std::move(key)), instance_id(std::move(instance_id)) {}
  void on_event(uint32_t events) override;
  void close();

  Loop& loop_;
  int fd;
  std::string key;
  std::string instance_id;  // whom the director counts it for
  Buffer in;
  ClientConn* owner = nullptr;
  bool connecting = false;
  bool readable = false;
  bool writable = false;
  bool eof = false;
  bool rdhup = false;  // the peer shut its side: read until 0, short reads prove nothing
  bool failed = false;
  bool reused = false;
  int64_t idle_since = 0;
};

struct EndpointEntry {
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  int64_t resolved_at = 0;
  bool literal = false;
  std::vector<UpstreamConn*> idle;
};

class ListenSocket final : public Handler {
 public:
  ListenSocket(Loop& loop, int fd, uint16_t port, const TlsServerContext* tls)
      : loop_(loop), fd(fd), port(port), tls(tls) {}
  void on_event(uint32_t events) override;
  Loop& loop_;
  int fd;
  uint16_t port;
  const TlsServerContext* tls;
};

class Waker final : public Handler {
 public:
  explicit Waker(Loop& loop) : loop_(loop) {}
  void on_event(uint32_t events) override;
  Loop& loop_;
};

class Engine::Impl {
 public:
  Impl(EngineOptions options, std::shared_ptr<Director> director)
      : options(std::move(options)), director(std::move(director)) {}
  ~Impl();

  EngineOptions options;
  std::shared_ptr<Director> director;
  std::vector<std::unique_ptr<TlsServerContext>> tls;  // per listener, null when plain
  std::vector<uint16_t> ports;
  std::vector<std::unique_ptr<Loop>> loops;
  int access_log_fd = -1;
  bool started = false;
  bool stopped = false;
};

// One event-loop thread.
class Loop {
 public:
  Loop(Engine::Impl& engine, int access_log_fd);
  ~Loop();

  void run();
  void request_stop(int64_t deadline_mono) {
    stop_deadline_.store(deadline_mono);
    stop_requested_.store(true);
    uint64_t one = 1;
    ssize_t n = ::write(wake_fd_, &one, sizeof(one));
    (void)n;
  }
  void on_wake();
  void accept_from(ListenSocket& listener);

  // Upstream pool.
  EndpointEntry* endpoint(const Endpoint& ep, std::string& error);
  UpstreamConn* take_idle(EndpointEntry& entry);
  // Starts a connection; nullptr with `error` set when it failed at once.
  UpstreamConn* connect_to(EndpointEntry& entry, const std::string& key, const Endpoint& endpoint,
                           std::string& error);
  void release(UpstreamConn* up, bool reusable);
  void remove_idle(UpstreamConn* up);

  void add_fd(int fd, Handler* h, uint32_t events);
  void retire(Handler* h) { dead_.push_back(h); }
  void link(ClientConn* c);
  void unlink(ClientConn* c);
  void sweep();

  Engine::Impl& engine;
  const EngineOptions& options;
  Director& director;
  int epfd = -1;
  int64_t now = 0;
  bool draining = false;
  ThreadMetrics metrics;
  AccessLogWriter access_log;
  std::vector<std::unique_ptr<ListenSocket>> listeners;
  std::thread thread;
  std::string key_scratch;

 private:
  int wake_fd_ = -1;
  Waker waker_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<int64_t> stop_deadline_{0};
  ClientConn* clients_ = nullptr;
  size_t client_count_ = 0;
  std::vector<Handler*> dead_;
  std::unordered_map<std::string, EndpointEntry> endpoints_;
  int64_t next_sweep_ = 0;
  friend class ClientConn;
};

// One client connection and the request it is serving.
class ClientConn final : public Handler {
 public:
  ClientConn(Loop& loop, int fd, ClientInfo info, SSL* ssl);
  ~ClientConn() override;
  void on_event(uint32_t events) override;
  void on_upstream_event(UpstreamConn& up, uint32_t events);
  void on_timer();
  void start_drain();
  void close();
  // Gives the buffers back while the connection idles between requests, so
  // many idle keep-alive clients cost little memory. Called by the sweep.
  void trim_if_idle(int64_t now);

  ClientConn* prev = nullptr;
  ClientConn* next = nullptr;
  int64_t deadline = 0;

 private:
  // kClosing: flush what is left, then kLinger: our side is shut, the
  // client's last bytes are read and dropped so that closing does not reset
  // the connection before the client has read our answer.
  enum class State { kHandshake, kHead, kForward, kTunnel, kClosing, kLinger };

  void run();
  bool do_head();
  bool do_forward();
  bool do_tunnel();
  bool read_client(size_t limit);
  bool flush_client();
  ssize_t io_read(char* p, size_t n);
  ssize_t io_write(const char* p, size_t n);
  bool handshake();
  void linger();

  void handle_request();
  void build_upstream_head();
  void start_attempt(bool fresh_only);
  void end_attempt(Outcome::Kind kind, int status);
  void attempt_failed(Outcome::Kind kind);
  bool pump_request_body();
  bool write_upstream();
  bool read_upstream();
  bool process_response();
  void build_client_head();
  void finish_request();
  void drop_upstream(bool reusable);
  void write_local(int status, const std::vector<HeaderField>* headers, std::string_view body,
                   bool close_after);
  void fail_request(int status, std::string_view body);
  void record(int status, bool forwarded);
  void set_deadline_for_state();

  Loop& loop_;
  int fd_;
  SSL* ssl_;
  ClientInfo info_;
  State state_;
  Buffer in_;
  Buffer out_;
  bool readable_ = false;
  bool writable_ = false;
  bool peer_closed_ = false;
  bool rdhup_ = false;  // the client shut its side: read until 0
  bool io_error_ = false;
  bool drain_ = false;

  // The request in progress.
  http1::HeadParser req_parser_;
  http1::Head req_;
  RequestHead rh_;
  std::string method_;  // copies that outlive the receive buffer
  std::string target_;
  int version_minor_ = 1;
  bool client_keep_alive_ = true;
  bool upgrade_request_ = false;
  bool expect_continue_ = false;
  int64_t head_started_ = 0;
  int64_t last_active_ = 0;
  int64_t request_start_ = 0;
  uint64_t bytes_sent_ = 0;
  Forward fwd_;
  size_t candidate_ = 0;
  UpstreamStats* stats_ = nullptr;
  bool attempt_open_ = false;
  int64_t attempt_start_ = 0;
  bool fresh_retry_done_ = false;
  UpstreamConn* up_ = nullptr;
  std::string upstream_addr_;

  http1::BodyKind req_body_ = http1::BodyKind::kNone;
  uint64_t req_remaining_ = 0;
  http1::ChunkedDecoder req_chunk_;
  bool req_body_done_ = true;
  Buffer req_buf_;
  size_t req_sent_ = 0;
  bool replayable_ = true;

  http1::HeadParser resp_parser_;
  http1::Head resp_;
  bool resp_head_done_ = false;
  bool got_response_bytes_ = false;
  int resp_status_ = 0;
  http1::BodyKind resp_body_ = http1::BodyKind::kNone;
  uint64_t resp_remaining_ = 0;
  http1::ChunkedDecoder resp_chunk_;
  bool dechunk_ = false;
  bool upstream_keep_alive_ = false;
};

// ---------------------------------------------------------------------------
// UpstreamConn

void UpstreamConn::on_event(uint32_t events) {
  if (closed) return;
  if (owner != nullptr) {
    owner->on_upstream_event(*this, events);
    return;
  }
  // Idle in the pool: any readiness to read means the peer closed or sent
  // something unsolicited; either way the connection is no longer usable.
  if (events & EPOLLOUT) writable = true;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    // The edge may be stale (bytes its last request already read): look first.
    char byte;
    ssize_t r = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !(events & (EPOLLHUP | EPOLLERR))) {
      readable = false;
      return;
    }
    loop_.remove_idle(this);
    close();
  }
}

void UpstreamConn::close() {
  if (closed) return;
  closed = true;
  ::close(fd);
  loop_.metrics.upstream_connections.sub();
  loop_.director.on_upstream_connection(instance_id, false);
  loop_.retire(this);
}

// ---------------------------------------------------------------------------
// Loop

Loop::Loop(Engine::Impl& e, int access_log_fd)
    : engine(e),
      options(e.options),
      director(*e.director),
      access_log(access_log_fd),
      waker_(*this) {
  epfd = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  add_fd(wake_fd_, &waker_, EPOLLIN);
}

Loop::~Loop() {
  for (auto& l : listeners) {
    if (l->fd >= 0) ::close(l->fd);
  }
  while (clients_ != nullptr) clients_->close();
  for (auto& [key, entry] : endpoints_) {
    for (UpstreamConn* up : entry.idle) up->close();
    entry.idle.clear();
  }
  for (Handler* h : dead_) delete h;
  dead_.clear();
  access_log.flush();
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (epfd >= 0) ::close(epfd);
}

void Loop::add_fd(int fd, Handler* h, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

void Loop::link(ClientConn* c) {
  c->next = clients_;
  if (clients_ != nullptr) clients_->prev = c;
  clients_ = c;
  ++client_count_;
}

void Loop::unlink(ClientConn* c) {
  if (c->prev != nullptr) c->prev->next = c->next;
  else clients_ = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  --client_count_;
}

void Loop::on_wake() {
  uint64_t v;
  while (::read(wake_fd_, &v, sizeof(v)) > 0) {
  }
  if (stop_requested_.load() && !draining) {
    draining = true;
    for (auto& l : listeners) {
      if (l->fd >= 0) {
        ::close(l->fd);
        l->fd = -1;
        l->closed = true;
      }
    }
    for (ClientConn* c = clients_; c != nullptr;) {
      ClientConn* next = c->next;
      c->start_drain();
      c = next;
    }
  }
}

void Waker::on_event(uint32_t) { loop_.on_wake(); }

void ListenSocket::on_event(uint32_t) {
  if (!closed) loop_.accept_from(*this);
}

void Loop::accept_from(ListenSocket& l) {
  while (!draining) {
    sockaddr_storage peer{};
    socklen_t len = sizeof(peer);
    int fd = accept4(l.fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN, or EMFILE: try again on the next edge
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ClientInfo info;
    char ip[INET6_ADDRSTRLEN] = {0};
    if (peer.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&peer);
      if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
        inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], ip, sizeof(ip));
      } else {
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
      }
      info.port = ntohs(a->sin6_port);
    } else {
      auto* a = reinterpret_cast<sockaddr_in*>(&peer);
      inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
      info.port = ntohs(a->sin_port);
    }
    info.ip = ip;
    info.listener_port = l.port;
    info.tls = l.tls != nullptr;
    SSL* ssl = nullptr;
    if (l.tls != nullptr) {
      ssl = l.tls->new_ssl();
      SSL_set_fd(ssl, fd);
      SSL_set_accept_state(ssl);
    }
    auto* c = new ClientConn(*this, fd, std::move(info), ssl);
    link(c);
    metrics.client_connections.add();
    metrics.accepted_connections.add();
    add_fd(fd, c, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
  }
}

EndpointEntry* Loop::endpoint(const Endpoint& ep, std::string& error) {
  key_scratch.assign(ep.address);
  key_scratch.push_back(':');
  char port[8];
  int n = std::snprintf(port, sizeof(port), "%u", static_cast<unsigned>(ep.port));
  key_scratch.append(port, static_cast<size_t>(n));
  auto it = endpoints_.find(key_scratch);
  if (it != endpoints_.end()) {
    EndpointEntry& e = it->second;
    if (e.literal || now - e.resolved_at < 30'000'000'000) return &e;
  } else {
    it = endpoints_.emplace(key_scratch, EndpointEntry{}).first;
  }
  EndpointEntry& e = it->second;
  if (parse_ip(ep.address, ep.port, &e.addr, &e.addr_len)) {
    e.literal = true;
    return &e;
  }
  // A host name: resolved here (blocking, cached 30 s per loop).
  // TODO(engine): resolve off the loop when host-name endpoints become common.
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(ep.address.c_str(), port, &hints, &res);
  if (rc != 0 || res == nullptr) {
    error = "cannot resolve " + ep.address + ": " + gai_strerror(rc);
    return nullptr;
  }
  std::memcpy(&e.addr, res->ai_addr, res->ai_addrlen);
  e.addr_len = res->ai_addrlen;
  e.resolved_at = now;
  freeaddrinfo(res);
  return &e;
}

UpstreamConn* Loop::take_idle(EndpointEntry& entry) {
  while (!entry.idle.empty()) {
    UpstreamConn* up = entry.idle.back();
    entry.idle.pop_back();
    if (!up->closed) return up;
  }
  return nullptr;
}

UpstreamConn* Loop::connect_to(EndpointEntry& entry, const std::string& key,
                               const Endpoint& endpoint, std::string& error) {
  int fd = socket(entry.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&entry.addr), entry.addr_len);
  if (rc < 0 && errno != EINPROGRESS) {
    error = std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  auto* up = new UpstreamConn(*this, fd, key, endpoint.instance_id);
  up->connecting = rc < 0;
  up->writable = rc == 0;
  metrics.upstream_connections.add();
  director.on_upstream_connection(endpoint.instance_id, true);
  add_fd(fd, up, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
  return up;
}

void Loop::release(UpstreamConn* up, bool reusable) {
  up->owner = nullptr;
  if (!reusable || draining) {
    up->close();
    return;
  }
  auto it = endpoints_.find(up->key);
  if (it == endpoints_.end() || it->second.idle.size() >= options.max_idle_upstream_per_endpoint) {
    up->close();
    return;
  }
  up->reused = true;
  up->idle_since = now;
  up->in.shrink_if_idle(64 * 1024);
  it->second.idle.push_back(up);
}

void Loop::remove_idle(UpstreamConn* up) {
  auto it = endpoints_.find(up->key);
  if (it == endpoints_.end()) return;
  auto& idle = it->second.idle;
  auto pos = std::find(idle.begin(), idle.end(), up);
  if (pos != idle.end()) idle.erase(pos);
}

void Loop::sweep() {
  for (ClientConn* c = clients_; c != nullptr;) {
    ClientConn* next = c->next;
    if (c->deadline != 0 && now >= c->deadline) c->on_timer();
    else c->trim_if_idle(now);
    c = next;
  }
  int64_t idle_limit = to_ns(options.upstream_idle_timeout);
  for (auto& [key, entry] : endpoints_) {
    auto& idle = entry.idle;
    for (size_t i = 0; i < idle.size();) {
      if (now - idle[i]->idle_since >= idle_limit) {
        idle[i]->close();
        idle.erase(idle.begin() + static_cast<long>(i));
      } else {
        if (now - idle[i]->idle_since > 1'000'000'000) idle[i]->in.shrink_if_idle(0);
        ++i;
      }
    }
  }
  access_log.flush();
}

void Loop::run() {
  epoll_event events[256];
  now = mono_ns();
  next_sweep_ = now + kSweepIntervalNs;
  while (true) {
    if (draining) {
      if (client_count_ == 0 || now >= stop_deadline_.load()) break;
    }
    int timeout_ms = static_cast<int>(std::max<int64_t>(0, (next_sweep_ - now) / 1'000'000) + 1);
    int n = epoll_wait(epfd, events, 256, timeout_ms);
    now = mono_ns();
    for (int i = 0; i < n; ++i) {
      static_cast<Handler*>(events[i].data.ptr)->on_event(events[i].events);
    }
    if (now >= next_sweep_) {
      sweep();
      next_sweep_ = now + kSweepIntervalNs;
    }
    for (Handler* h : dead_) delete h;
    dead_.clear();
  }
  // Whatever is left after the deadline is cut.
  while (clients_ != nullptr) clients_->close();
  for (auto& [key, entry] : endpoints_) {
    for (UpstreamConn* up : entry.idle) up->close();
    entry.idle.clear();
  }
  for (Handler* h : dead_) delete h;
  dead_.clear();
  access_log.flush();
}

// ---------------------------------------------------------------------------
// ClientConn

ClientConn::ClientConn(Loop& loop, int fd, ClientInfo info, SSL* ssl)
    : loop_(loop),
      fd_(fd),
      ssl_(ssl),
      info_(std::move(info)),
      state_(ssl != nullptr ? State::kHandshake : State::kHead),
      req_parser_(http1::Limits{loop.options.max_header_bytes, loop.options.max_header_count}),
      resp_parser_(http1::Limits{loop.options.max_header_bytes, loop.options.max_header_count}) {
  deadline = loop_.now + to_ns(loop_.options.request_header_timeout);
}

ClientConn::~ClientConn() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

void ClientConn::close() {
  if (closed) return;
  // Closing with an attempt open means the client went away (or broke the
  // protocol): not the upstream's failure, so reported as nginx's 499.
  if (attempt_open_) end_attempt(Outcome::Kind::kResponse, 499);
  if (up_ != nullptr) drop_upstream(false);
  closed = true;
  ::close(fd_);
  loop_.unlink(this);
  loop_.metrics.client_connections.sub();
  loop_.retire(this);
}

void ClientConn::trim_if_idle(int64_t now) {
  if (state_ != State::kHead || !in_.empty() || !out_.empty() || now - last_active_ < 1'000'000'000) {
    return;
  }
  in_.shrink_if_idle(0);
  out_.shrink_if_idle(0);
  req_buf_.shrink_if_idle(0);
}

void ClientConn::start_drain() {
  drain_ = true;
  if (state_ == State::kHead && in_.empty() && out_.empty()) {
    close();
  }
}

void ClientConn::on_event(uint32_t events) {
  if (closed) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readable_ = true;
  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) rdhup_ = true;
  if (events & EPOLLOUT) writable_ = true;
  if (ssl_ != nullptr) {
    // TLS reads may need writes and vice versa: retry both.
    readable_ = true;
    writable_ = true;
  }
  run();
}

void ClientConn::on_upstream_event(UpstreamConn& up, uint32_t events) {
  if (closed || &up != up_) return;
  if (up.connecting) {
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
      int err = 0;
      socklen_t len = sizeof(err);
      getsockopt(up.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0 || (events & EPOLLERR)) {
        attempt_failed(Outcome::Kind::kConnectFailed);
        run();
        return;
      }
      up.connecting = false;
      up.writable = true;
      deadline = attempt_start_ + to_ns(loop_.options.upstream_response_timeout);
    }
  } else if (events & EPOLLOUT) {
    up.writable = true;
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) up.readable = true;
  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) up.rdhup = true;
  run();
}

void ClientConn::on_timer() {
  if (closed) return;
  switch (state_) {
    case State::kHandshake:
      close();
      return;
    case State::kHead:
      if (!in_.empty() && out_.empty()) {
        write_local(408, nullptr, "request header timeout\n", true);
        state_ = State::kClosing;
        deadline = loop_.now + kClosingGraceNs;
        run();
      } else {
        close();
      }
      return;
    case State::kForward:
      if (up_ != nullptr && up_->connecting) {
        attempt_failed(Outcome::Kind::kConnectFailed);
        run();
        return;
      }
      if (!resp_head_done_ && !req_body_done_ && req_sent_ >= req_buf_.size() &&
          out_.empty()) {
        // Everything the client sent went upstream and the client stalls in
        // its body: the client's fault, not the upstream's.
        end_attempt(Outcome::Kind::kResponse, 408);
        drop_upstream(false);
        fail_request(408, "request body timeout\n");
        run();
        return;
      }
      if (!resp_head_done_) {
        end_attempt(Outcome::Kind::kTimeout, 0);
        drop_upstream(false);
        fail_request(504, "upstream of route " + fwd_.route + " did not answer in time\n");
        run();
        return;
      }
      // The upstream stalled in the middle of its body.
      end_attempt(Outcome::Kind::kTimeout, resp_status_);
      record(resp_status_, true);
      close();
      return;
    case State::kTunnel:
    case State::kClosing:
    case State::kLinger:
      close();
      return;
  }
}

void ClientConn::linger() {
  char scratch[4096];
  while (true) {
    ssize_t r = ::recv(fd_, scratch, sizeof(scratch), 0);
    if (r > 0) continue;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    close();  // EOF or error: the client is done
    return;
  }
}

ssize_t ClientConn::io_read(char* p, size_t n) {
  if (ssl_ != nullptr) {
    ERR_clear_error();
    int r = SSL_read(ssl_, p, static_cast<int>(n));
    if (r > 0) return r;
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return -1;
    if (err == SSL_ERROR_ZERO_RETURN) return 0;
    if (err == SSL_ERROR_SYSCALL && errno == 0) return 0;
    return -2;
  }
  while (true) {
    ssize_t r = ::recv(fd_, p, n, 0);
    if (r >= 0) return r;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return -1;
    return -2;
  }
}

ssize_t ClientConn::io_write(const char* p, size_t n) {
  if (ssl_ != nullptr) {
    ERR_clear_error();
    int r = SSL_write(ssl_, p, static_cast<int>(std::min<size_t>(n, 1 << 20)));
    if (r > 0) return r;
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return -1;
    return -2;
  }
  while (true) {
    ssize_t r = ::send(fd_, p, n, MSG_NOSIGNAL);
    if (r >= 0) return r;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return -1;
    return -2;
  }
}

bool ClientConn::handshake() {
  ERR_clear_error();
  int r = SSL_do_handshake(ssl_);
  if (r == 1) {
    const char* sni = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name);
    if (sni != nullptr) info_.sni = sni;
    state_ = State::kHead;
    deadline = loop_.now + to_ns(loop_.options.request_header_timeout);
    return true;
  }
  int err = SSL_get_error(ssl_, r);
  if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) io_error_ = true;
  return false;
}

bool ClientConn::read_client(size_t limit) {
  bool got = false;
  while (readable_ && !peer_closed_ && in_.size() < limit) {
    char* p = in_.prepare(kReadChunk);
    size_t room = std::min(in_.tail_room(), limit - in_.size() + kReadChunk);
    ssize_t r = io_read(p, room);
    if (r > 0) {
      in_.commit(static_cast<size_t>(r));
      got = true;
      // A short read drained the socket; edge triggering reports new data.
      // (Unless the peer's FIN is queued behind the data: its edge is spent.)
      if (ssl_ == nullptr && !rdhup_ && static_cast<size_t>(r) < room) readable_ = false;
    } else if (r == 0) {
      peer_closed_ = true;
      readable_ = false;
    } else if (r == -1) {
      readable_ = false;
    } else {
      io_error_ = true;
      peer_closed_ = true;
      readable_ = false;
    }
  }
  return got;
}

bool ClientConn::flush_client() {
  bool wrote = false;
  while (writable_ && !out_.empty()) {
    ssize_t r = io_write(out_.data(), out_.size());
    if (r > 0) {
      bool all = static_cast<size_t>(r) == out_.size();
      out_.consume(static_cast<size_t>(r));
      wrote = true;
      if (!all && ssl_ == nullptr) writable_ = false;
    } else if (r == -1) {
      writable_ = false;
    } else {
      io_error_ = true;
      out_.clear();
      break;
    }
  }
  return wrote;
}

void ClientConn::run() {
  last_active_ = loop_.now;
  for (int iter = 0; iter < 256 && !closed; ++iter) {
    bool progress = false;
    switch (state_) {
      case State::kHandshake:
        progress = handshake();
        break;
      case State::kHead:
        progress = do_head();
        break;
      case State::kForward:
        progress = do_forward();
        break;
      case State::kTunnel:
        progress = do_tunnel();
        break;
      case State::kClosing:
        break;
      case State::kLinger:
        linger();
        return;
    }
    if (closed) return;
    if (flush_client()) progress = true;
    if (io_error_) {
      close();
      return;
    }
    if (!progress) break;
  }
  if (closed) return;
  if (state_ == State::kClosing && out_.empty()) {
    if (peer_closed_) {
      close();
      return;
    }
    if (ssl_ != nullptr) SSL_shutdown(ssl_);
    ::shutdown(fd_, SHUT_WR);
    state_ = State::kLinger;
    deadline = loop_.now + 1'000'000'000;
    linger();
  } else if (state_ == State::kHead && peer_closed_ && out_.empty()) {
    close();
  }
}

bool ClientConn::do_head() {
  if (out_.size() > kMaxClientOut) return false;  // let pipelined answers drain first
  http1::ParseResult r = http1::ParseResult::kNeedMore;
  if (!in_.empty()) r = req_parser_.parse_request(in_.view(), req_);
  if (r == http1::ParseResult::kNeedMore) {
    if (!read_client(loop_.options.max_header_bytes + kReadChunk)) return false;
    if (head_started_ == 0) {
      head_started_ = loop_.now;
      deadline = loop_.now + to_ns(loop_.options.request_header_timeout);
    }
    r = req_parser_.parse_request(in_.view(), req_);
    if (r == http1::ParseResult::kNeedMore) return true;
  }
  switch (r) {
    case http1::ParseResult::kNeedMore:
      return false;
    case http1::ParseResult::kBad:
      method_.clear();
      target_.clear();
      request_start_ = loop_.now;
      in_.clear();
      write_local(400, nullptr, "bad request\n", true);
      readable_ = false;
      return true;
    case http1::ParseResult::kTooLarge:
      method_.clear();
      target_.clear();
      request_start_ = loop_.now;
      in_.clear();
      write_local(431, nullptr, "request header fields too large\n", true);
      readable_ = false;
      return true;
    case http1::ParseResult::kDone:
      // RFC 9112 3.2: an HTTP/1.1 request has exactly one Host; 1.0 at most one.
      if (req_.host_count > 1 || (req_.version_minor >= 1 && req_.host_count == 0)) {
        method_.clear();
        target_.clear();
        request_start_ = loop_.now;
        in_.clear();
        write_local(400, nullptr, "bad request: missing or repeated Host\n", true);
        readable_ = false;
        return true;
      }
      handle_request();
      return true;
  }
  return false;
}

void ClientConn::handle_request() {
  request_start_ = loop_.now;
  head_started_ = 0;
  bytes_sent_ = 0;
  method_.assign(req_.method);
  target_.assign(req_.target);
  version_minor_ = req_.version_minor;
  client_keep_alive_ = req_.keep_alive() && !drain_;
  upgrade_request_ = req_.connection_upgrade && !req_.upgrade.empty();
  expect_continue_ = req_.expect_continue;

  rh_.method.assign(req_.method);
  rh_.target.assign(req_.target);
  rh_.version_minor = req_.version_minor;
  rh_.headers.resize(req_.fields.size());
  for (size_t i = 0; i < req_.fields.size(); ++i) {
    rh_.headers[i].name.assign(req_.fields[i].name);
    rh_.headers[i].value.assign(req_.fields[i].value);
  }

  Decision decision = loop_.director.decide(rh_, info_);
  if (auto* local = std::get_if<LocalResponse>(&decision)) {
    bool has_body = req_.body != http1::BodyKind::kNone;
    in_.consume(req_.head_size);
    req_parser_.reset();
    write_local(local->status, &local->headers, local->body, !client_keep_alive_ || has_body);
    return;
  }
  fwd_ = std::move(std::get<Forward>(decision));
  if (fwd_.candidates.empty()) {
    in_.consume(req_.head_size);
    req_parser_.reset();
    write_local(503, nullptr, "no instance available for route " + fwd_.route + "\n", true);
    return;
  }
  build_upstream_head();
  in_.consume(req_.head_size);
  req_parser_.reset();

  req_body_ = req_.body;
  req_remaining_ = req_.content_length;
  req_chunk_.reset();
  req_body_done_ = req_body_ == http1::BodyKind::kNone;
  req_sent_ = 0;
  replayable_ = true;
  resp_head_done_ = false;
  got_response_bytes_ = false;
  resp_status_ = 0;
  resp_parser_.reset();
  candidate_ = 0;
  fresh_retry_done_ = false;
  state_ = State::kForward;
  start_attempt(false);
}

void ClientConn::build_upstream_head() {
  Buffer& b = req_buf_;
  b.clear();
  b.append(req_.method);
  b.append(' ');
  b.append(fwd_.target.empty() ? req_.target : std::string_view(fwd_.target));
  b.append(" HTTP/1.1\r\n");
  std::string_view xff, forwarded;
  std::string xff_joined, forwarded_joined;  // only when a field repeats
  for (const http1::Field& f : req_.fields) {
    if (req_.is_hop_by_hop(f.name)) {
      if (!(upgrade_request_ && http1::iequals(f.name, "upgrade"))) continue;
    }
    bool skip = false;
    for (const std::string& name : fwd_.remove_request_headers) {
      if (http1::iequals(name, f.name)) skip = true;
    }
    for (const HeaderField& set : fwd_.set_request_headers) {
      if (http1::iequals(set.name, f.name)) skip = true;
    }
    if (skip) continue;
    switch (f.name.size()) {
      case 9:
        if (http1::iequals(f.name, "forwarded")) {
          if (!forwarded.empty()) {
            forwarded_joined = std::string(forwarded) + ", " + std::string(f.value);
            forwarded = forwarded_joined;
          } else {
            forwarded = f.value;
          }
          continue;
        }
        break;
      case 15:
        if (http1::iequals(f.name, "x-forwarded-for")) {
          if (!xff.empty()) {
            xff_joined = std::string(xff) + ", " + std::string(f.value);
            xff = xff_joined;
          } else {
            xff = f.value;
          }
          continue;
        }
        break;
      case 16:
        if (http1::iequals(f.name, "x-forwarded-host")) continue;
        break;
      case 17:
        if (http1::iequals(f.name, "x-forwarded-proto")) continue;
        break;
      default:
        break;
    }
    b.append(f.name);
    b.append(": ");
    b.append(f.value);
    b.append("\r\n");
  }
  for (const HeaderField& set : fwd_.set_request_headers) {
    b.append(set.name);
    b.append(": ");
    b.append(set.value);
    b.append("\r\n");
  }
  std::string_view proto = info_.tls ? "https" : "http";
  b.append("X-Forwarded-For: ");
  if (!xff.empty()) {
    b.append(xff);
    b.append(", ");
  }
  b.append(info_.ip);
  b.append("\r\nX-Forwarded-Proto: ");
  b.append(proto);
  b.append("\r\n");
  std::string_view original_host = rh_.header("host");
  if (!original_host.empty()) {
    b.append("X-Forwarded-Host: ");
    b.append(original_host);
    b.append("\r\n");
  }
  b.append("Forwarded: ");
  if (!forwarded.empty()) {
    b.append(forwarded);
    b.append(", ");
  }
  b.append("for=");
  if (info_.ip.find(':') != std::string::npos) {
    b.append("\"[");
    b.append(info_.ip);
    b.append("]\"");
  } else {
    b.append(info_.ip);
  }
  b.append(";proto=");
  b.append(proto);
  if (!original_host.empty()) {
    b.append(";host=");
    append_forwarded_value(b, original_host);
  }
  b.append("\r\n");
  if (upgrade_request_) b.append("Connection: Upgrade\r\n");
  b.append("\r\n");
}

void ClientConn::start_attempt(bool fresh_only) {
  const Endpoint& ep = fwd_.candidates[candidate_];
  stats_ = &loop_.metrics.upstream(fwd_.route, fwd_.service, ep.instance_id);
  if (!fresh_only) {
    attempt_start_ = loop_.now;
    loop_.director.on_attempt_start(ep);
    attempt_open_ = true;
    stats_->active_requests.add();
  }
  std::string error;
  EndpointEntry* entry = loop_.endpoint(ep, error);
  if (entry == nullptr) {
    attempt_failed(Outcome::Kind::kConnectFailed);
    return;
  }
  UpstreamConn* up = fresh_only ? nullptr : loop_.take_idle(*entry);
  if (up == nullptr) {
    up = loop_.connect_to(*entry, loop_.key_scratch, ep, error);
    if (up == nullptr) {
      attempt_failed(Outcome::Kind::kConnectFailed);
      return;
    }
  }
  up->owner = this;
  up_ = up;
  req_sent_ = 0;
  deadline = loop_.now + (up->connecting ? to_ns(loop_.options.upstream_connect_timeout)
                                         : to_ns(loop_.options.upstream_response_timeout));
}

void ClientConn::end_attempt(Outcome::Kind kind, int status) {
  if (!attempt_open_) return;
  attempt_open_ = false;
  Outcome outcome;
  outcome.kind = kind;
  outcome.status = status;
  outcome.latency = std::chrono::nanoseconds(loop_.now - attempt_start_);
  if (stats_ != nullptr) {
    stats_->active_requests.sub();
    if (kind == Outcome::Kind::kConnectFailed) stats_->connect_failures.add();
  }
  loop_.director.on_attempt_end(fwd_.candidates[candidate_], outcome);
}

void ClientConn::drop_upstream(bool reusable) {
  if (up_ == nullptr) return;
  UpstreamConn* up = up_;
  up_ = nullptr;
  loop_.release(up, reusable);
}

void ClientConn::attempt_failed(Outcome::Kind kind) {
  bool was_reused = up_ != nullptr && up_->reused;
  drop_upstream(false);
  // A pooled connection the upstream had closed: the same attempt goes on over
  // a fresh connection (once), as long as everything sent can be sent again.
  if (kind == Outcome::Kind::kReset && was_reused && !got_response_bytes_ && replayable_ &&
      !fresh_retry_done_) {
    fresh_retry_done_ = true;
    start_attempt(true);
    return;
  }
  end_attempt(kind, 0);
  if (kind == Outcome::Kind::kConnectFailed && replayable_ &&
      (req_sent_ == 0 || http1::is_idempotent(method_)) &&
      candidate_ + 1 < fwd_.candidates.size()) {
    ++candidate_;
    fresh_retry_done_ = false;
    start_attempt(false);
    return;
  }
  if (kind == Outcome::Kind::kConnectFailed) {
    fail_request(502, "no upstream of route " + fwd_.route + " could be reached\n");
  } else {
    fail_request(502, "upstream of route " + fwd_.route + " failed\n");
  }
}

void ClientConn::fail_request(int status, std::string_view body) {
  if (resp_head_done_) {
    record(status, true);
    close();
    return;
  }
  // Unread request body bytes stay unread: the connection closes after this.
  record(status, true);
  state_ = State::kHead;
  write_local(status, nullptr, body, !req_body_done_);
  stats_ = nullptr;
}

void ClientConn::write_local(int status, const std::vector<HeaderField>* headers,
                             std::string_view body, bool close_after) {
  bool forwarded_failure = state_ == State::kHead && stats_ != nullptr;
  close_after = close_after || drain_ || !client_keep_alive_;
  size_t before = out_.size();
  out_.append("HTTP/1.1 ");
  out_.append_uint(static_cast<unsigned>(status));
  out_.append(' ');
  out_.append(http_reason_phrase(status));
  out_.append("\r\n");
  bool has_type = false;
  if (headers != nullptr) {
    for (const HeaderField& h : *headers) {
      if (http1::iequals(h.name, "content-length") || http1::iequals(h.name, "connection")) continue;
      if (http1::iequals(h.name, "content-type")) has_type = true;
      out_.append(h.name);
      out_.append(": ");
      out_.append(h.value);
      out_.append("\r\n");
    }
  }
  // 1xx, 204 and 304 carry no body and no Content-Length (RFC 9110 8.6).
  bool bodiless = status < 200 || status == 204 || status == 304;
  if (bodiless) body = {};
  if (!has_type && !body.empty()) out_.append("Content-Type: text/plain; charset=utf-8\r\n");
  if (!bodiless) {
    out_.append("Content-Length: ");
    out_.append_uint(body.size());
    out_.append("\r\n");
  }
  if (close_after) out_.append("Connection: close\r\n");
  else if (version_minor_ == 0) out_.append("Connection: keep-alive\r\n");
  out_.append("\r\n");
  if (method_ != "HEAD") out_.append(body);
  bytes_sent_ = out_.size() - before;
  if (!forwarded_failure) {
    int cls = status / 100;
    if (cls >= 1 && cls <= 5) loop_.metrics.local_responses[cls].add();
    record(status, false);
  }
  if (close_after) {
    state_ = State::kClosing;
    deadline = loop_.now + kClosingGraceNs;
  } else {
    state_ = State::kHead;
    deadline = loop_.now + to_ns(loop_.options.idle_timeout);
  }
}

void ClientConn::record(int status, bool forwarded) {
  int64_t latency = loop_.now - request_start_;
  if (forwarded && stats_ != nullptr) stats_->observe(status, static_cast<uint64_t>(latency));
  if (loop_.access_log.enabled()) {
    AccessLogEntry e;
    e.client_ip = info_.ip;
    e.method = method_;
    e.target = target_;
    e.status = status;
    e.bytes_sent = bytes_sent_;
    e.duration_ms = static_cast<double>(latency) / 1e6;
    if (forwarded) {
      e.route = fwd_.route;
      e.service = fwd_.service;
      upstream_addr_ = host_port(fwd_.candidates[candidate_].address,
                                 fwd_.candidates[candidate_].port);
      e.upstream = upstream_addr_;
    }
    loop_.access_log.log(e);
  }
}

bool ClientConn::do_forward() {
  bool progress = false;
  if (!req_body_done_ && pump_request_body()) progress = true;
  if (state_ != State::kForward || closed) return progress;
  if (up_ != nullptr && !up_->connecting && write_upstream()) progress = true;
  if (state_ != State::kForward || closed) return progress;
  if (up_ != nullptr && !up_->connecting && read_upstream()) progress = true;
  if (state_ != State::kForward || closed) return progress;
  if (up_ != nullptr && process_response()) progress = true;
  if (state_ == State::kForward && !closed && peer_closed_ && !req_body_done_) {
    // The client went away in the middle of its request body.
    end_attempt(Outcome::Kind::kResponse, 499);
    close();
    return false;
  }
  return progress;
}

bool ClientConn::pump_request_body() {
  bool moved = false;
  while (!req_body_done_ && req_buf_.size() - req_sent_ < kRequestWindow) {
    if (resp_head_done_) break;  // the upstream answered early; the rest is not sent
    if (in_.empty()) {
      read_client(kMaxBodyPrefetch);
      if (in_.empty()) break;
    }
    if (req_body_ == http1::BodyKind::kContentLength) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(in_.size(), req_remaining_));
      req_buf_.append(in_.data(), n);
      in_.consume(n);
      req_remaining_ -= n;
      if (req_remaining_ == 0) req_body_done_ = true;
      moved = true;
    } else {  // chunked, passed through as is
      size_t off = 0;
      while (off < in_.size() && req_chunk_.state() == http1::ChunkedDecoder::State::kRunning) {
        bool is_data;
        size_t n = req_chunk_.feed(in_.data() + off, in_.size() - off, &is_data);
        if (n == 0) break;
        off += n;
      }
      req_buf_.append(in_.data(), off);
      in_.consume(off);
      moved = moved || off > 0;
      if (req_chunk_.state() == http1::ChunkedDecoder::State::kError) {
        end_attempt(Outcome::Kind::kResponse, 400);
        drop_upstream(false);
        client_keep_alive_ = false;
        write_local(400, nullptr, "bad chunked request body\n", true);
        return true;
      }
      if (req_chunk_.done()) req_body_done_ = true;
    }
  }
  return moved;
}

bool ClientConn::write_upstream() {
  bool wrote = false;
  while (up_->writable && req_sent_ < req_buf_.size()) {
    ssize_t r = ::send(up_->fd, req_buf_.data() + req_sent_, req_buf_.size() - req_sent_,
                       MSG_NOSIGNAL);
    if (r > 0) {
      size_t want = req_buf_.size() - req_sent_;
      req_sent_ += static_cast<size_t>(r);
      wrote = true;
      if (static_cast<size_t>(r) < want) up_->writable = false;
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      up_->writable = false;
    } else if (resp_head_done_) {
      // The upstream answered early and stopped reading: its answer stands.
      req_sent_ = req_buf_.size();
      upstream_keep_alive_ = false;
      break;
    } else {
      attempt_failed(Outcome::Kind::kReset);
      return true;
    }
  }
  // Keep what was sent for a retry over a fresh connection, within limits.
  if (req_sent_ > 0 && req_buf_.size() > kReplayLimit) {
    req_buf_.consume(req_sent_);
    req_sent_ = 0;
    replayable_ = false;
  }
  if (wrote) deadline = loop_.now + to_ns(loop_.options.upstream_response_timeout);
  return wrote;
}

bool ClientConn::read_upstream() {
  bool got = false;
  while (up_->readable && !up_->eof && out_.size() < kMaxClientOut) {
    char* p = up_->in.prepare(kReadChunk);
    size_t room = up_->in.tail_room();
    ssize_t r = ::recv(up_->fd, p, room, 0);
    if (r > 0) {
      up_->in.commit(static_cast<size_t>(r));
      got = true;
      got_response_bytes_ = true;
      if (!up_->rdhup && static_cast<size_t>(r) < room) up_->readable = false;
    } else if (r == 0) {
      up_->eof = true;
      got = true;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      up_->readable = false;
    } else {
      up_->eof = true;
      up_->failed = true;
      got = true;
    }
    if (up_->in.size() > loop_.options.max_header_bytes + kReadChunk && !resp_head_done_) break;
  }
  return got;
}

bool ClientConn::process_response() {
  bool progress = false;
  while (!resp_head_done_) {
    if (up_->in.empty()) {
      if (up_->eof) {
        attempt_failed(Outcome::Kind::kReset);
        return true;
      }
      return progress;
    }
    http1::ParseResult r = resp_parser_.parse_response(up_->in.view(), method_, resp_);
    if (r == http1::ParseResult::kNeedMore) {
      if (up_->eof) {
        attempt_failed(Outcome::Kind::kReset);
        return true;
      }
      return progress;
    }
    if (r != http1::ParseResult::kDone) {
      got_response_bytes_ = true;
      attempt_failed(Outcome::Kind::kReset);
      return true;
    }
    int status = resp_.status;
    if (status >= 100 && status < 200 && status != 101) {
      // Interim responses (100 Continue, 103) go to HTTP/1.1 clients as is.
      if (version_minor_ >= 1) {
        out_.append("HTTP/1.1 ");
        out_.append_uint(static_cast<unsigned>(status));
        out_.append(' ');
        out_.append(resp_.reason);
        out_.append("\r\n");
        if (status != 100) {
          for (const http1::Field& f : resp_.fields) {
            if (resp_.is_hop_by_hop(f.name)) continue;
            out_.append(f.name);
            out_.append(": ");
            out_.append(f.value);
            out_.append("\r\n");
          }
        }
        out_.append("\r\n");
      }
      up_->in.consume(resp_.head_size);
      resp_parser_.reset();
      progress = true;
      continue;
    }
    if (status == 101 && !upgrade_request_) {
      attempt_failed(Outcome::Kind::kReset);
      return true;
    }
    resp_status_ = status;
    resp_head_done_ = true;
    build_client_head();
    up_->in.consume(resp_.head_size);
    resp_parser_.reset();
    progress = true;
    deadline = loop_.now + to_ns(loop_.options.upstream_response_timeout);
    if (status == 101) {
      // The upstream switched protocols: from now on bytes flow both ways.
      end_attempt(Outcome::Kind::kResponse, 101);
      record(101, true);
      if (!up_->in.empty()) {
        out_.append(up_->in.data(), up_->in.size());
        up_->in.clear();
      }
      state_ = State::kTunnel;
      deadline = loop_.now + to_ns(loop_.options.idle_timeout);
      return true;
    }
  }

  // Body bytes to the client.
  bool done = false;
  Buffer& in = up_->in;
  switch (resp_body_) {
    case http1::BodyKind::kNone:
      done = true;
      break;
    case http1::BodyKind::kContentLength: {
      size_t n = static_cast<size_t>(std::min<uint64_t>(in.size(), resp_remaining_));
      if (n > 0) {
        out_.append(in.data(), n);
        in.consume(n);
        resp_remaining_ -= n;
        bytes_sent_ += n;
        progress = true;
      }
      done = resp_remaining_ == 0;
      break;
    }
    case http1::BodyKind::kChunked: {
      size_t off = 0;
      while (off < in.size() && resp_chunk_.state() == http1::ChunkedDecoder::State::kRunning) {
        bool is_data;
        size_t n = resp_chunk_.feed(in.data() + off, in.size() - off, &is_data);
        if (n == 0) break;
        if (dechunk_) {
          if (is_data) out_.append(in.data() + off, n);
        }
        off += n;
      }
      if (!dechunk_) out_.append(in.data(), off);
      bytes_sent_ += off;
      in.consume(off);
      progress = progress || off > 0;
      if (resp_chunk_.state() == http1::ChunkedDecoder::State::kError) {
        end_attempt(Outcome::Kind::kReset, resp_status_);
        record(resp_status_, true);
        drop_upstream(false);
        state_ = State::kClosing;
        deadline = loop_.now + kClosingGraceNs;
        return true;
      }
      done = resp_chunk_.done();
      break;
    }
    case http1::BodyKind::kUntilClose:
      if (!in.empty()) {
        out_.append(in.data(), in.size());
        bytes_sent_ += in.size();
        in.clear();
        progress = true;
      }
      done = up_->eof;
      break;
  }
  if (progress) deadline = loop_.now + to_ns(loop_.options.upstream_response_timeout);
  if (done) {
    finish_request();
    return true;
  }
  if (up_->eof) {
    // The upstream closed in the middle of the body: the client cannot be told
    // other than by closing after what it got.
    end_attempt(Outcome::Kind::kReset, resp_status_);
    record(resp_status_, true);
    drop_upstream(false);
    state_ = State::kClosing;
    deadline = loop_.now + kClosingGraceNs;
    return true;
  }
  return progress;
}

void ClientConn::build_client_head() {
  resp_body_ = resp_.body;
  resp_remaining_ = resp_.content_length;
  resp_chunk_.reset();
  dechunk_ = resp_body_ == http1::BodyKind::kChunked && version_minor_ == 0;
  upstream_keep_alive_ = resp_.keep_alive() && resp_body_ != http1::BodyKind::kUntilClose;
  bool is_101 = resp_.status == 101;
  if (resp_body_ == http1::BodyKind::kUntilClose || dechunk_ || !req_body_done_ || drain_) {
    client_keep_alive_ = false;
  }
  size_t before = out_.size();
  out_.append("HTTP/1.1 ");
  out_.append_uint(static_cast<unsigned>(resp_.status));
  out_.append(' ');
  out_.append(resp_.reason);
  out_.append("\r\n");
  for (const http1::Field& f : resp_.fields) {
    if (resp_.is_hop_by_hop(f.name)) {
      if (!(is_101 && http1::iequals(f.name, "upgrade"))) continue;
    }
    if (dechunk_ && http1::iequals(f.name, "transfer-encoding")) continue;
    if (resp_body_ == http1::BodyKind::kChunked && http1::iequals(f.name, "content-length")) continue;
    bool skip = false;
    for (const std::string& name : fwd_.remove_response_headers) {
      if (http1::iequals(name, f.name)) skip = true;
    }
    if (skip) continue;
    out_.append(f.name);
    out_.append(": ");
    out_.append(f.value);
    out_.append("\r\n");
  }
  for (const HeaderField& h : fwd_.add_response_headers) {
    out_.append(h.name);
    out_.append(": ");
    out_.append(h.value);
    out_.append("\r\n");
  }
  if (is_101) {
    out_.append("Connection: Upgrade\r\n");
  } else if (!client_keep_alive_) {
    out_.append("Connection: close\r\n");
  } else if (version_minor_ == 0) {
    out_.append("Connection: keep-alive\r\n");
  }
  out_.append("\r\n");
  bytes_sent_ = out_.size() - before;
}

void ClientConn::finish_request() {
  bool reusable = upstream_keep_alive_ && req_body_done_ && req_sent_ == req_buf_.size() &&
                  up_->in.empty() && !up_->eof && !up_->rdhup;
  end_attempt(Outcome::Kind::kResponse, resp_status_);
  drop_upstream(reusable);
  record(resp_status_, true);
  stats_ = nullptr;
  req_buf_.clear();
  req_buf_.shrink_if_idle(256 * 1024);
  if (!client_keep_alive_) {
    state_ = State::kClosing;
    deadline = loop_.now + kClosingGraceNs;
  } else {
    state_ = State::kHead;
    deadline = loop_.now + to_ns(loop_.options.idle_timeout);
  }
}

bool ClientConn::do_tunnel() {
  bool progress = false;
  // Client → upstream.
  read_client(kMaxBodyPrefetch);
  while (!in_.empty() && up_->writable) {
    ssize_t r = ::send(up_->fd, in_.data(), in_.size(), MSG_NOSIGNAL);
    if (r > 0) {
      in_.consume(static_cast<size_t>(r));
      progress = true;
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      up_->writable = false;
    } else {
      drop_upstream(false);
      close();
      return false;
    }
  }
  // Upstream → client.
  if (read_upstream()) progress = true;
  if (!up_->in.empty()) {
    out_.append(up_->in.data(), up_->in.size());
    up_->in.clear();
    progress = true;
  }
  if (progress) deadline = loop_.now + to_ns(loop_.options.idle_timeout);
  if (peer_closed_ && in_.empty()) {
    drop_upstream(false);
    close();
    return false;
  }
  if (up_->eof) {
    drop_upstream(false);
    state_ = State::kClosing;
    deadline = loop_.now + kClosingGraceNs;
    return true;
  }
  return progress;
}

// ---------------------------------------------------------------------------
// Engine

Engine::Impl::~Impl() {
  if (access_log_fd > STDERR_FILENO) ::close(access_log_fd);
}

Engine::Engine(EngineOptions options, std::shared_ptr<Director> director)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(director))) {}

Engine::~Engine() { stop(std::chrono::steady_clock::now()); }

Status Engine::start() {
  Impl& e = *impl_;
  if (e.started) return failed_precondition("the ingress engine was started already");
  if (e.options.listeners.empty()) {
    return invalid_argument("the ingress engine has no listener; add one (address and port)");
  }
  // OpenSSL writes to sockets with write(2): a peer gone mid-write must be an
  // EPIPE, not a SIGPIPE that ends the process.
  std::signal(SIGPIPE, SIG_IGN);
  unsigned threads = e.options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());

  auto log_fd = open_access_log(e.options.access_log_path);
  if (!log_fd) return log_fd.error();
  e.access_log_fd = *log_fd;

  for (const ListenerOptions& l : e.options.listeners) {
    if (l.certificates.empty()) {
      e.tls.push_back(nullptr);
    } else {
      auto ctx = TlsServerContext::create(l.certificates);
      if (!ctx) {
        return Status(ctx.error().code(), "listener " + host_port(l.address, l.port) + ": " +
                                              ctx.error().message());
      }
      e.tls.push_back(std::move(*ctx));
    }
  }

  for (unsigned t = 0; t < threads; ++t) {
    e.loops.push_back(std::make_unique<Loop>(e, e.access_log_fd));
  }
  e.ports.assign(e.options.listeners.size(), 0);
  for (size_t li = 0; li < e.options.listeners.size(); ++li) {
    const ListenerOptions& l = e.options.listeners[li];
    for (unsigned t = 0; t < threads; ++t) {
      uint16_t port = t == 0 ? l.port : e.ports[li];
      sockaddr_storage addr;
      socklen_t len;
      std::string where = host_port(l.address, l.port);
      if (!parse_ip(l.address, port, &addr, &len)) {
        e.loops.clear();
        return invalid_argument("cannot listen on " + where + ": \"" + l.address +
                                "\" is not an IP address (use e.g. 0.0.0.0 or ::)");
      }
      int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      int one = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
      if (addr.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
      if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, 4096) != 0) {
        std::string reason = lower_first(std::strerror(errno));
        ::close(fd);
        e.loops.clear();
        return unavailable("cannot listen on " + where + ": " + reason);
      }
      if (t == 0) {
        sockaddr_storage bound{};
        socklen_t blen = sizeof(bound);
        getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &blen);
        e.ports[li] = ntohs(bound.ss_family == AF_INET6
                                ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
      }
      Loop& loop = *e.loops[t];
      auto ls = std::make_unique<ListenSocket>(loop, fd, e.ports[li], e.tls[li].get());
      loop.add_fd(fd, ls.get(), EPOLLIN | EPOLLET);
      loop.listeners.push_back(std::move(ls));
    }
  }
  e.started = true;
  for (auto& loop : e.loops) {
    Loop* l = loop.get();
    l->thread = std::thread([l] { l->run(); });
  }
  return Status::ok();
}

std::vector<uint16_t> Engine::bound_ports() const { return impl_->ports; }

void Engine::stop(std::chrono::steady_clock::time_point deadline) {
  Impl& e = *impl_;
  if (!e.started || e.stopped) return;
  e.stopped = true;
  auto remaining = deadline - std::chrono::steady_clock::now();
  int64_t deadline_mono =
      mono_ns() + std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(remaining).count());
  for (auto& loop : e.loops) loop->request_stop(deadline_mono);
  for (auto& loop : e.loops) {
    if (loop->thread.joinable()) loop->thread.join();
  }
}

std::string Engine::metrics_text() const {
  std::vector<const ThreadMetrics*> all;
  for (const auto& loop : impl_->loops) all.push_back(&loop->metrics);
  return render_metrics(all);
}

}  // namespace caravan::proxy
