#include "http/server.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "core/check.h"
#include "http/internal/async_ops.h"
#include "http/internal/connection.h"
#include "http/internal/server_shared.h"

namespace caravan::http {
namespace {

using asio::ip::tcp;
using internal::Connection;
using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

}  // namespace

struct Server::Impl {
  Impl(Router router, ServerOptions options)
      : shared(std::make_unique<internal::ServerShared>(std::move(router), std::move(options))) {}

  std::unique_ptr<internal::ServerShared> shared;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<WorkGuard> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> acceptor;  // used on loops[0] only once started
  uint16_t port = 0;
  std::string url_host;
  std::mutex lifecycle_mutex;
  bool started = false;
  bool stopped = false;
};

namespace {

// Accepts connections on the acceptor's loop and spreads them over every loop in
// turn. The pointees belong to Server::Impl and outlive the loops' threads.
asio::awaitable<void> accept_loop(tcp::acceptor* acceptor,
                                  const std::vector<std::unique_ptr<asio::io_context>>* loops,
                                  internal::ServerShared* shared) {
  size_t next = 0;
  while (acceptor->is_open()) {
    asio::io_context& target = *(*loops)[next++ % loops->size()];
    auto [ec, socket] = co_await acceptor->async_accept(target, internal::kAsTuple);
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
      co_return;
    }
    if (ec) {
      // Out of descriptors or similar: back off instead of spinning.
      asio::steady_timer backoff(acceptor->get_executor(), std::chrono::milliseconds(50));
      co_await backoff.async_wait(internal::kAsTuple);
      continue;
    }
    std::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    Connection::start(std::make_shared<Connection>(tcp::socket(std::move(socket)), *shared));
  }
}

}  // namespace

Server::Server(Router router, ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(router), std::move(options))) {}

Server::~Server() { stop(); }

Status Server::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  CARAVAN_CHECK(!impl_->started);
  const ServerOptions& options = impl_->shared->options();
  const std::string where = options.address + ":" + std::to_string(options.port);
  auto fail = [&](const std::error_code& ec) {
    impl_->acceptor.reset();
    impl_->loops.clear();
    return Status(StatusCode::kUnavailable,
                  "cannot listen on " + where + ": " + lower_first(ec.message()));
  };

  std::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.address, ec);
  if (ec) {
    if (options.address != "localhost") {
      return invalid_argument("cannot listen on " + where + ": \"" + options.address +
                              "\" is not an IP address (use e.g. 127.0.0.1 or 0.0.0.0)");
    }
    address = asio::ip::address_v4::loopback();
  }
  tcp::endpoint endpoint(address, options.port);

  size_t loop_count = std::max<size_t>(1, options.io_threads);
  for (size_t i = 0; i < loop_count; ++i) {
    impl_->loops.push_back(std::make_unique<asio::io_context>(1));
  }
  impl_->acceptor = std::make_unique<tcp::acceptor>(*impl_->loops[0]);
  tcp::acceptor& acceptor = *impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return fail(ec);
  }
  impl_->port = acceptor.local_endpoint(ec).port();
  if (ec) {
    return fail(ec);
  }
  std::string host = address.is_unspecified() ? (address.is_v6() ? "::1" : "127.0.0.1")
                                              : address.to_string();
  impl_->url_host = address.is_v6() ? "[" + host + "]" : host;

  asio::co_spawn(*impl_->loops[0],
                 accept_loop(impl_->acceptor.get(), &impl_->loops, impl_->shared.get()),
                 asio::detached);
  for (auto& loop : impl_->loops) {
    impl_->guards.push_back(asio::make_work_guard(*loop));
  }
  for (auto& loop : impl_->loops) {
    impl_->threads.emplace_back([ctx = loop.get()] { ctx->run(); });
  }
  impl_->started = true;
  return Status::ok();
}

uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  return "http://" + impl_->url_host + ":" + std::to_string(impl_->port);
}

size_t Server::open_connections() const { return impl_->shared->open_count(); }

void Server::stop(Duration deadline) {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (!impl_->started || impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  internal::ServerShared& shared = *impl_->shared;
  const auto until =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(deadline);

  // Draining first: a response written once new connections are refused
  // already says Connection: close.
  std::vector<std::shared_ptr<Connection>> open = shared.drain();
  asio::post(*impl_->loops[0], [impl = impl_.get()] {
    std::error_code ignored;
    impl->acceptor->close(ignored);
  });
  // Each connection is handed to its own loop; moving the reference into the
  // posted function makes the loop, not this thread, drop it.
  for (std::shared_ptr<Connection>& c : open) {
    auto executor = c->socket_.get_executor();
    asio::post(executor, [c = std::move(c)] { c->drain(); });
  }
  if (!shared.wait_until_closed(until)) {
    for (std::shared_ptr<Connection>& c : shared.open_connections()) {
      auto executor = c->socket_.get_executor();
      asio::post(executor, [c = std::move(c)] { c->force_close(); });
    }
    // Handlers still running hold their connection until they return.
    while (!shared.wait_until_closed(std::chrono::steady_clock::now() + std::chrono::hours(1))) {
    }
  }
  for (WorkGuard& guard : impl_->guards) {
    guard.reset();
  }
  for (auto& loop : impl_->loops) {
    loop->stop();
  }
  for (std::thread& thread : impl_->threads) {
    thread.join();
  }
  shared.pool().shutdown();
  impl_->acceptor.reset();
}

}  // namespace caravan::http
