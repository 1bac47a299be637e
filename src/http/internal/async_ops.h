// Asio building blocks for the server's coroutines: completion tokens that
// report errors as values, I/O with a deadline, and handing a function to the
// worker pool and resuming on the I/O thread with its result.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "http/internal/worker_pool.h"

namespace caravan::http::internal {

// Completion token: `auto [ec, n] = co_await op(..., kAsTuple);`, no exceptions.
inline constexpr auto kAsTuple = asio::experimental::as_tuple(asio::use_awaitable);

using SteadyTime = std::chrono::steady_clock::time_point;

// Reads some bytes into `buffer`; asio::error::timed_out once `deadline` passes.
inline asio::awaitable<std::pair<std::error_code, size_t>> read_some_until(
    asio::ip::tcp::socket& socket, asio::mutable_buffer buffer, SteadyTime deadline) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(socket.get_executor(), deadline);
  auto result = co_await (socket.async_read_some(buffer, kAsTuple) || timer.async_wait(kAsTuple));
  if (result.index() == 1) {
    co_return std::pair<std::error_code, size_t>(asio::error::timed_out, 0);
  }
  auto [ec, n] = std::get<0>(result);
  co_return std::pair<std::error_code, size_t>(ec, n);
}

// Writes all of `buffers`; asio::error::timed_out once `deadline` passes.
template <class ConstBuffers>
asio::awaitable<std::error_code> write_until(asio::ip::tcp::socket& socket, ConstBuffers buffers,
                                             SteadyTime deadline) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(socket.get_executor(), deadline);
  auto result = co_await (asio::async_write(socket, buffers, kAsTuple) || timer.async_wait(kAsTuple));
  if (result.index() == 1) {
    co_return asio::error::timed_out;
  }
  co_return std::get<0>(std::get<0>(result));
}

// Runs `fn()` on `pool` and completes with its result on the initiating
// coroutine's executor. Not cancellable: the caller waits for `fn` to return, so
// `fn` may safely refer to the caller's locals.
template <class Fn, class Token>
auto async_run_on(WorkerPool& pool, Fn fn, Token&& token) {
  using R = std::invoke_result_t<Fn&>;
  return asio::async_initiate<Token, void(R)>(
      [&pool](auto handler, Fn f) {
        auto work = asio::make_work_guard(asio::get_associated_executor(handler));
        pool.submit(Task([handler = std::move(handler), f = std::move(f),
                          work = std::move(work)]() mutable {
          R result = f();
          auto executor = work.get_executor();
          asio::post(executor, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
          work.reset();
        }));
      },
      token, std::move(fn));
}

}  // namespace caravan::http::internal
