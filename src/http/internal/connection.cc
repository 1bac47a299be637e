#include "http/internal/connection.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/this_coro.hpp>
#include <condition_variable>
#include <mutex>

#include "core/duration.h"
#include "http/internal/async_ops.h"
#include "http/internal/http1.h"
#include "http/internal/server_shared.h"
#include "http/internal/url.h"

namespace caravan::http::internal {
namespace {

using asio::awaitable;
using Clock = std::chrono::steady_clock;
using State = Connection::State;

// Bytes of a pipelined next request buffered while a handler runs.
constexpr size_t kMaxPipelinedBytes = 256 * 1024;
// After an error response: how long and how much to keep reading before closing.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 1024 * 1024;

SteadyTime after(Duration d) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(d);
}

std::string format_endpoint(const asio::ip::tcp::endpoint& endpoint) {
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) {
    address = "[" + address + "]";
  }
  return address + ":" + std::to_string(endpoint.port());
}

// Writes an error response for a protocol failure, then closes gracefully: stop
// sending and read (and drop) what the client still sends for a moment, so
// unread input does not make the kernel reset the connection and destroy the
// response before the client has read it.
awaitable<void> reply_and_close(std::shared_ptr<Connection> c, Response response) {
  c->state_ = State::kClosing;
  response.headers.set("Connection", "close");
  response.headers.set("Content-Length", std::to_string(response.body.size()));
  std::string head = format_response_head(response.status, response.headers);
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(response.body)};
  std::error_code ec =
      co_await write_until(c->socket_, buffers, after(c->shared_.options().write_timeout));
  if (!ec) {
    std::error_code ignored;
    c->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    SteadyTime deadline = Clock::now() + kLingerTime;
    size_t drained = 0;
    while (drained < kLingerBytes) {
      auto [read_ec, n] =
          co_await read_some_until(c->socket_, asio::buffer(c->read_buffer_), deadline);
      if (read_ec) {
        break;
      }
      drained += n;
    }
  }
  c->close_socket();
}

// Builds a Request from a parsed head: splits and decodes the target.
Result<Request> make_request(RequestHead head) {
  Request request;
  request.method = std::move(head.method);
  request.target = std::move(head.target);
  request.version_minor = head.version_minor;
  request.headers = std::move(head.headers);
  std::string_view path;
  std::string_view query;
  split_target(request.target, path, query);
  request.raw_path = std::string(path);
  request.path = CARAVAN_TRY(percent_decode(path, false));
  request.query_params = CARAVAN_TRY(parse_query(query));
  return request;
}

// How reading a body ended: status 0 = complete, -1 = connection lost (close
// quietly), else the HTTP status to answer with before closing.
struct BodyOutcome {
  int status = 0;
  std::string message;
};

// Reads more request bytes into c->in_.
awaitable<BodyOutcome> read_more(std::shared_ptr<Connection> c, SteadyTime deadline) {
  auto [ec, n] = co_await read_some_until(c->socket_, asio::buffer(c->read_buffer_), deadline);
  if (ec == asio::error::timed_out) {
    co_return BodyOutcome{408, "request body not received within " +
                                   format_duration(c->shared_.options().request_timeout)};
  }
  if (ec) {
    co_return BodyOutcome{-1, ""};
  }
  c->in_.append(c->read_buffer_.data(), n);
  co_return BodyOutcome{};
}

awaitable<BodyOutcome> read_body(std::shared_ptr<Connection> c, BodyFraming framing,
                                 std::string* body, SteadyTime deadline) {
  const ServerOptions& options = c->shared_.options();
  if (framing.kind == BodyKind::kLength) {
    const size_t length = static_cast<size_t>(framing.length);
    while (c->in_.size() < length) {
      BodyOutcome outcome = co_await read_more(c, deadline);
      if (outcome.status != 0) {
        co_return outcome;
      }
    }
    body->assign(c->in_, 0, length);
    c->in_.erase(0, length);
  } else if (framing.kind == BodyKind::kChunked) {
    ChunkedDecoder decoder;
    while (true) {
      Result<size_t> consumed = decoder.feed(c->in_, *body);
      if (!consumed) {
        co_return BodyOutcome{400, "malformed chunked body: " + consumed.error().message()};
      }
      c->in_.erase(0, *consumed);
      if (body->size() > options.max_body_bytes) {
        co_return BodyOutcome{413, "request body exceeds the limit of " +
                                       std::to_string(options.max_body_bytes) + " bytes"};
      }
      if (decoder.done()) {
        break;
      }
      BodyOutcome outcome = co_await read_more(c, deadline);
      if (outcome.status != 0) {
        co_return outcome;
      }
    }
  }
  co_return BodyOutcome{};
}

Response call_handler(const Handler& handler, const Request& request, const RouteParams& params) {
  try {
    return handler(request, params);
  } catch (const std::exception& e) {
    return error_response(500, std::string("internal error: ") + e.what());
  } catch (...) {
    return error_response(500, "internal error: unknown exception");
  }
}

// The server's side of BodyWriter: each write() is posted to the connection's
// I/O thread and the worker waits (bounded by write_timeout) for it to finish.
class StreamWriter final : public BodyWriter {
 public:
  StreamWriter(std::shared_ptr<Connection> c, bool chunked)
      : c_(std::move(c)),
        executor_(c_->socket_.get_executor()),
        chunked_(chunked),
        token_(c_->stop_.get_token()),
        timeout_(c_->shared_.options().write_timeout) {}

  bool write(std::string_view data) override {
    if (failed_ || token_.stop_requested()) {
      return false;
    }
    if (data.empty()) {
      return true;
    }
    auto pending = std::make_shared<PendingWrite>();
    pending->bytes = chunked_ ? format_chunk(data) : std::string(data);
    asio::post(executor_, [c = c_, pending] {
      asio::async_write(c->socket_, asio::buffer(pending->bytes),
                        [pending](std::error_code ec, size_t) {
                          std::lock_guard lock(pending->mutex);
                          pending->ec = ec;
                          pending->done = true;
                          pending->finished.notify_all();
                        });
    });
    std::unique_lock lock(pending->mutex);
    if (!pending->finished.wait_for(lock, timeout_, [&] { return pending->done; })) {
      // The client does not read: close, which aborts the write, and wait for it.
      lock.unlock();
      asio::post(executor_, [c = c_] { c->close_socket(); });
      lock.lock();
      pending->finished.wait(lock, [&] { return pending->done; });
      failed_ = true;
      return false;
    }
    if (pending->ec) {
      failed_ = true;
      return false;
    }
    return true;
  }

  std::stop_token stop_token() const override { return token_; }
  bool failed() const { return failed_; }

 private:
  struct PendingWrite {
    std::string bytes;
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::error_code ec;
  };

  std::shared_ptr<Connection> c_;
  asio::any_io_executor executor_;
  const bool chunked_;
  const std::stop_token token_;
  const Duration timeout_;
  bool failed_ = false;  // only the worker thread touches it while streaming
};

// Removes the framing fields a handler must not set and adds Connection: close
// when this is the connection's last response.
void prepare_headers(const Connection& c, Headers& headers) {
  headers.remove("Content-Length");
  headers.remove("Transfer-Encoding");
  headers.remove("Connection");
  if (!c.keep_alive_ || c.draining_) {
    headers.set("Connection", "close");
  }
}

awaitable<void> send_response(std::shared_ptr<Connection> c, std::string method,
                              Response response) {
  // The server may have started stopping before this connection's drain() ran
  // on its loop: the response still says it is the last one.
  if (c->shared_.draining()) c->keep_alive_ = false;
  prepare_headers(*c, response.headers);
  bool has_body = response.status != 204 && response.status != 304;
  if (has_body) {
    response.headers.set("Content-Length", std::to_string(response.body.size()));
  }
  std::string head = format_response_head(response.status, response.headers);
  std::string_view body = (has_body && method != "HEAD") ? response.body : std::string_view();
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
  std::error_code ec =
      co_await write_until(c->socket_, buffers, after(c->shared_.options().write_timeout));
  if (ec) {
    c->broken_ = true;
  }
}

awaitable<void> send_stream(std::shared_ptr<Connection> c, std::string method, int version_minor,
                            Response response) {
  const bool chunked = version_minor >= 1;
  if (!chunked) {
    c->keep_alive_ = false;  // an HTTP/1.0 body without length ends at close
  }
  prepare_headers(*c, response.headers);
  if (chunked) {
    response.headers.set("Transfer-Encoding", "chunked");
  }
  std::string head = format_response_head(response.status, response.headers);
  const SteadyTime write_deadline = after(c->shared_.options().write_timeout);
  std::error_code ec = co_await write_until(c->socket_, asio::buffer(head), write_deadline);
  if (ec) {
    c->broken_ = true;
    co_return;
  }
  if (method == "HEAD") {
    co_return;
  }
  StreamWriter writer(c, chunked);
  bool completed = co_await async_run_on(
      c->shared_.pool(),
      [&]() {
        try {
          response.stream(writer);
          return true;
        } catch (...) {
          return false;  // cut the body short: the client sees a truncated stream
        }
      },
      asio::use_awaitable);
  if (!completed || writer.failed() || c->peer_gone_) {
    c->broken_ = true;
    co_return;
  }
  if (chunked) {
    ec = co_await write_until(c->socket_, asio::buffer(kLastChunk),
                              after(c->shared_.options().write_timeout));
    if (ec) {
      c->broken_ = true;
    }
  }
}

// Runs the handler on the worker pool and sends what it returns.
awaitable<void> process(std::shared_ptr<Connection> c, Request request, const Handler* handler,
                        RouteParams params) {
  co_await asio::this_coro::throw_if_cancelled(false);
  Response response = co_await async_run_on(
      c->shared_.pool(), [&]() { return call_handler(*handler, request, params); },
      asio::use_awaitable);
  if (c->peer_gone_) {
    c->broken_ = true;
    co_return;
  }
  if (response.status < 200 || response.status > 599) {
    response = error_response(
        500, "internal error: handler returned HTTP status " + std::to_string(response.status));
  }
  if (response.stream) {
    co_await send_stream(c, request.method, request.version_minor, std::move(response));
  } else {
    co_await send_response(c, request.method, std::move(response));
  }
}

// Runs beside process(): reads while the handler works, to notice a client that
// disconnects (its stop token is then requested) and to buffer a pipelined next
// request. Ends when the peer is gone or when cancelled because process() ended.
// A client that half-closes its side after sending counts as gone, as in Go.
awaitable<void> watch_peer(std::shared_ptr<Connection> c) {
  co_await asio::this_coro::throw_if_cancelled(false);
  while (c->in_.size() < kMaxPipelinedBytes) {
    auto [ec, n] = co_await c->socket_.async_read_some(asio::buffer(c->watch_buffer_), kAsTuple);
    c->in_.append(c->watch_buffer_.data(), n);
    asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) {
      co_return;
    }
    if (ec) {
      c->peer_gone_ = true;
      c->stop_.request_stop();
      co_return;
    }
  }
  // Enough buffered: only wait to be cancelled.
  asio::steady_timer forever(c->socket_.get_executor(), SteadyTime::max());
  co_await forever.async_wait(kAsTuple);
}

awaitable<void> serve(std::shared_ptr<Connection> c) {
  using namespace asio::experimental::awaitable_operators;
  const ServerOptions& options = c->shared_.options();
  auto fail = [&](int status, std::string message) {
    return reply_and_close(c, error_response(status, message));
  };
  while (!c->draining_ && c->socket_.is_open()) {
    // The head.
    c->state_ = c->in_.empty() ? State::kIdle : State::kReading;
    SteadyTime deadline =
        after(c->in_.empty() ? options.idle_timeout : options.request_timeout);
    size_t head_end = find_head_end(c->in_);
    while (head_end == std::string::npos) {
      if (c->in_.size() > options.max_header_bytes) {
        break;
      }
      const bool was_idle = c->in_.empty();
      auto [ec, n] = co_await read_some_until(c->socket_, asio::buffer(c->read_buffer_), deadline);
      if (ec) {
        if (ec == asio::error::timed_out && !c->in_.empty()) {
          co_await fail(408, "request not received within " +
                                 format_duration(options.request_timeout));
        }
        c->close_socket();
        co_return;
      }
      c->in_.append(c->read_buffer_.data(), n);
      if (!could_start_request(c->in_)) {
        co_await fail(400, "malformed request: not HTTP/1.x (https sent to a plain-HTTP port?)");
        co_return;
      }
      if (was_idle) {
        c->state_ = State::kReading;
        deadline = after(options.request_timeout);
      }
      head_end = find_head_end(c->in_);
    }
    if (head_end == std::string::npos || head_end > options.max_header_bytes) {
      co_await fail(431, "request header fields exceed the limit of " +
                             std::to_string(options.max_header_bytes) + " bytes");
      co_return;
    }
    Result<RequestHead> head = parse_request_head(std::string_view(c->in_).substr(0, head_end));
    if (!head) {
      co_await fail(400, "malformed request: " + head.error().message());
      co_return;
    }
    if (head->version_major != 1) {
      co_await fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
      co_return;
    }
    Result<Request> request = make_request(std::move(*head));
    c->in_.erase(0, head_end);
    if (!request) {
      co_await fail(400, "malformed request target: " + request.error().message());
      co_return;
    }
    Result<BodyFraming> framing = request_framing(request->headers);
    if (!framing) {
      co_await fail(400, "malformed request: " + framing.error().message());
      co_return;
    }
    if (framing->kind == BodyKind::kLength && framing->length > options.max_body_bytes) {
      co_await fail(413, "request body of " + std::to_string(framing->length) +
                             " bytes exceeds the limit of " +
                             std::to_string(options.max_body_bytes) + " bytes");
      co_return;
    }
    c->keep_alive_ = request->version_minor >= 1
                         ? !request->headers.has_token("Connection", "close")
                         : request->headers.has_token("Connection", "keep-alive");

    // The body.
    if (framing->kind != BodyKind::kNone && request->version_minor >= 1 && c->in_.empty() &&
        request->headers.has_token("Expect", "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      std::error_code ec =
          co_await write_until(c->socket_, asio::buffer(kContinue), after(options.write_timeout));
      if (ec) {
        c->close_socket();
        co_return;
      }
    }
    BodyOutcome body = co_await read_body(c, *framing, &request->body, deadline);
    if (body.status < 0) {
      c->close_socket();
      co_return;
    }
    if (body.status > 0) {
      co_await fail(body.status, body.message);
      co_return;
    }

    // The response.
    request->remote_address = c->remote_;
    c->stop_ = std::stop_source();
    request->stop_token = c->stop_.get_token();
    c->state_ = State::kProcessing;
    Router::Match match = c->shared_.router().match(request->method, request->raw_path);
    if (match.kind != Router::Match::Kind::kFound) {
      co_await send_response(c, request->method,
                             Router::no_route_response(match, request->method, request->path));
    } else {
      co_await (process(c, std::move(*request), match.handler, std::move(match.params)) ||
                watch_peer(c));
    }
    if (c->broken_ || c->peer_gone_ || !c->keep_alive_) {
      break;
    }
  }
  c->close_socket();
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, ServerShared& shared)
    : socket_(std::move(socket)), shared_(shared) {
  std::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) {
    remote_ = format_endpoint(endpoint);
  }
}

Connection::~Connection() { shared_.remove(this); }

void Connection::start(std::shared_ptr<Connection> connection) {
  if (!connection->shared_.add(connection)) {
    connection->close_socket();
    return;
  }
  auto executor = connection->socket_.get_executor();
  asio::co_spawn(executor, serve(std::move(connection)), asio::detached);
}

void Connection::drain() {
  draining_ = true;
  stop_.request_stop();
  if (state_ == State::kIdle || state_ == State::kClosing) {
    close_socket();
  }
}

void Connection::force_close() {
  draining_ = true;
  stop_.request_stop();
  close_socket();
}

void Connection::close_socket() {
  if (socket_.is_open()) {
    std::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
}

}  // namespace caravan::http::internal
