#include "http/client.h"

#include <array>
#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include "http/internal/http1.h"
#include "http/internal/url.h"

namespace caravan::http {
namespace {

using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using SteadyTime = Clock::time_point;

SteadyTime after(Duration d) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(d);
}

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

Status unavailable(std::string message) {
  return Status(StatusCode::kUnavailable, std::move(message));
}

}  // namespace

struct Client::Impl {
  Impl(internal::HttpUrl u, ClientOptions o) : url(std::move(u)), options(std::move(o)) {}

  internal::HttpUrl url;
  ClientOptions options;
  asio::io_context io{1};
  tcp::socket socket{io};
  tcp::resolver resolver{io};
  std::string in;  // received bytes not yet consumed
  std::array<char, 16 * 1024> buffer;

  void reset() {
    std::error_code ignored;
    socket.close(ignored);
    in.clear();
  }

  // Runs the I/O started by the caller until `done` is set or `deadline` passes.
  // On the deadline it cancels everything in flight (closing the connection),
  // waits for the cancelled handlers and returns false.
  bool run_until(const bool& done, SteadyTime deadline) {
    io.restart();
    while (!done && Clock::now() < deadline) {
      io.run_one_until(deadline);
    }
    if (done) {
      return true;
    }
    resolver.cancel();
    reset();
    io.restart();
    while (!done) {
      io.run_one();
    }
    return false;
  }

  Status connect(SteadyTime deadline, Duration budget) {
    const std::string prefix = "cannot connect to " + url.base + ": ";
    std::error_code ec;
    bool done = false;
    std::vector<tcp::endpoint> endpoints;
    asio::ip::address address = asio::ip::make_address(url.host, ec);
    if (!ec) {
      endpoints.emplace_back(address, url.port);
    } else {
      tcp::resolver::results_type results;
      resolver.async_resolve(url.host, std::to_string(url.port),
                             [&](std::error_code e, tcp::resolver::results_type r) {
                               ec = e;
                               results = std::move(r);
                               done = true;
                             });
      if (!run_until(done, deadline)) {
        return unavailable(prefix + "resolving \"" + url.host + "\" timed out after " +
                           format_duration(budget));
      }
      if (ec) {
        return unavailable(prefix + "cannot resolve host \"" + url.host +
                           "\": " + lower_first(ec.message()));
      }
      for (const auto& entry : results) {
        endpoints.push_back(entry.endpoint());
      }
    }
    done = false;
    asio::async_connect(socket, endpoints, [&](std::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (!run_until(done, deadline)) {
      return unavailable(prefix + "timed out after " + format_duration(budget));
    }
    if (ec) {
      reset();
      return unavailable(prefix + lower_first(ec.message()));
    }
    socket.set_option(tcp::no_delay(true), ec);
    return Status::ok();
  }

  std::error_code write_all(std::string_view head, std::string_view body, SteadyTime deadline) {
    std::error_code ec;
    bool done = false;
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
    asio::async_write(socket, buffers, [&](std::error_code e, size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done, deadline)) {
      return asio::error::timed_out;
    }
    return ec;
  }

  // Appends what arrives next to `in`.
  std::error_code read_more(SteadyTime deadline) {
    std::error_code ec;
    size_t n = 0;
    bool done = false;
    socket.async_read_some(asio::buffer(buffer), [&](std::error_code e, size_t k) {
      ec = e;
      n = k;
      done = true;
    });
    if (!run_until(done, deadline)) {
      return asio::error::timed_out;
    }
    in.append(buffer.data(), n);
    return ec;
  }

  Result<Response> exchange(std::string_view method, std::string_view target,
                            const std::string& body, const RequestOptions& request_options,
                            const DataCallback* on_data);
};

Result<Response> Client::Impl::exchange(std::string_view method, std::string_view target,
                                        const std::string& body,
                                        const RequestOptions& request_options,
                                        const DataCallback* on_data) {
  const Duration timeout = request_options.timeout.value_or(options.request_timeout);
  const SteadyTime deadline = after(timeout);
  const std::string what = std::string(method) + " " + std::string(target) + " on " + url.base;
  auto transport_error = [&](std::error_code ec, std::string_view phase) {
    reset();
    if (ec == asio::error::timed_out) {
      return unavailable(what + ": timed out after " + format_duration(timeout));
    }
    if (ec == asio::error::eof) {
      return unavailable(what + ": the server closed the connection " + std::string(phase));
    }
    return unavailable(what + ": " + lower_first(ec.message()));
  };

  if (target.empty() || target.front() != '/') {
    return invalid_argument("request target \"" + std::string(target) +
                            "\" must be a path starting with '/'");
  }
  Headers headers;
  // The caller's Host and User-Agent replace the defaults (a request through a
  // proxy names the virtual host it wants).
  if (!request_options.headers.has("Host")) {
    headers.add("Host", url.base.substr(std::string_view("http://").size()));
  }
  if (!request_options.headers.has("User-Agent")) headers.add("User-Agent", "caravan");
  for (const auto& [name, value] : request_options.headers) {
    headers.add(name, value);
  }
  if (!body.empty() && !headers.has("Content-Type")) {
    headers.add("Content-Type", "application/json");
  }
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    headers.set("Content-Length", std::to_string(body.size()));
  }
  const std::string head_text = internal::format_request_head(method, target, headers);

  // Send, and wait for the response head. A kept-alive connection the server
  // closed meanwhile fails before any byte arrives: retry once on a new one.
  size_t head_end = std::string::npos;
  for (int attempt = 0;; ++attempt) {
    const bool reused = socket.is_open();
    if (!reused) {
      in.clear();
      Duration budget = std::min(options.connect_timeout, timeout);
      CARAVAN_RETURN_IF_ERROR(connect(std::min(deadline, after(budget)), budget));
    }
    std::error_code ec = write_all(head_text, body, deadline);
    while (!ec && (head_end = internal::find_head_end(in)) == std::string::npos) {
      if (in.size() > options.max_header_bytes) {
        reset();
        return unavailable(what + ": response header exceeds " +
                           std::to_string(options.max_header_bytes) + " bytes");
      }
      ec = read_more(deadline);
    }
    if (!ec) {
      break;
    }
    if (reused && attempt == 0 && in.empty() && ec != asio::error::timed_out) {
      reset();
      continue;
    }
    return transport_error(ec, "before responding");
  }

  Result<internal::ResponseHead> head =
      internal::parse_response_head(std::string_view(in).substr(0, head_end));
  in.erase(0, head_end);
  // Skip interim responses (100 Continue) up to the final one.
  while (head && head->status < 200) {
    if (head->status == 101) {
      reset();
      return unavailable(what + ": the server switched protocols, which is not supported");
    }
    while ((head_end = internal::find_head_end(in)) == std::string::npos) {
      if (std::error_code ec = read_more(deadline)) {
        return transport_error(ec, "before responding");
      }
    }
    head = internal::parse_response_head(std::string_view(in).substr(0, head_end));
    in.erase(0, head_end);
  }
  if (!head) {
    reset();
    return unavailable(what + ": malformed response: " + head.error().message());
  }
  Result<internal::BodyFraming> framing =
      internal::response_framing(method, head->status, head->headers);
  if (!framing) {
    reset();
    return unavailable(what + ": malformed response: " + framing.error().message());
  }

  Response response;
  response.status = head->status;
  response.headers = std::move(head->headers);
  const bool streaming = on_data != nullptr && response.status >= 200 && response.status < 300;
  auto next_deadline = [&] {
    if (!streaming) {
      return deadline;
    }
    return request_options.stream_idle_timeout ? after(*request_options.stream_idle_timeout)
                                                : SteadyTime::max();
  };
  bool stopped = false;
  bool too_large = false;
  auto deliver = [&](std::string_view data) {
    if (streaming) {
      return (*on_data)(data);
    }
    response.body.append(data);
    too_large = response.body.size() > options.max_body_bytes;
    return !too_large;
  };
  auto body_error = [&](std::error_code ec) {
    if (ec == asio::error::timed_out && streaming) {
      reset();
      return unavailable(what + ": no data for " +
                         format_duration(*request_options.stream_idle_timeout));
    }
    return transport_error(ec, "in the middle of the response");
  };

  switch (framing->kind) {
    case internal::BodyKind::kNone:
      break;
    case internal::BodyKind::kLength: {
      if (!streaming && framing->length > options.max_body_bytes) {
        reset();
        return unavailable(what + ": response body of " + std::to_string(framing->length) +
                           " bytes exceeds the limit of " +
                           std::to_string(options.max_body_bytes) + " bytes");
      }
      uint64_t remaining = framing->length;
      while (remaining > 0 && !stopped) {
        if (in.empty()) {
          if (std::error_code ec = read_more(next_deadline())) {
            return body_error(ec);
          }
        }
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining, in.size()));
        stopped = !deliver(std::string_view(in).substr(0, take));
        in.erase(0, take);
        remaining -= take;
      }
      break;
    }
    case internal::BodyKind::kChunked: {
      internal::ChunkedDecoder decoder;
      std::string piece;
      while (!stopped) {
        piece.clear();
        Result<size_t> consumed = decoder.feed(in, piece);
        if (!consumed) {
          reset();
          return unavailable(what + ": malformed chunked response: " +
                             consumed.error().message());
        }
        in.erase(0, *consumed);
        if (!piece.empty()) {
          stopped = !deliver(piece);
        }
        if (decoder.done() || stopped) {
          break;
        }
        if (std::error_code ec = read_more(next_deadline())) {
          return body_error(ec);
        }
      }
      break;
    }
    case internal::BodyKind::kUntilClose: {
      while (!stopped) {
        if (!in.empty()) {
          stopped = !deliver(in);
          in.clear();
        }
        std::error_code ec = read_more(next_deadline());
        if (ec == asio::error::eof) {
          if (!in.empty() && !stopped) {
            stopped = !deliver(in);
          }
          break;
        }
        if (ec) {
          return body_error(ec);
        }
      }
      break;
    }
  }
  if (too_large) {
    reset();
    return unavailable(what + ": response body exceeds the limit of " +
                       std::to_string(options.max_body_bytes) + " bytes");
  }
  const bool keep = !stopped && head->version_minor >= 1 &&
                    !response.headers.has_token("Connection", "close") &&
                    framing->kind != internal::BodyKind::kUntilClose && in.empty();
  if (!keep) {
    reset();
  }
  return response;
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Result<Client> Client::create(std::string_view address, ClientOptions options) {
  internal::HttpUrl url = CARAVAN_TRY(internal::parse_http_url(address));
  return Client(std::make_unique<Impl>(std::move(url), std::move(options)));
}

Result<Response> Client::get(std::string_view target, const RequestOptions& options) {
  return request("GET", target, "", options);
}

Result<Response> Client::post(std::string_view target, std::string body,
                              const RequestOptions& options) {
  return request("POST", target, std::move(body), options);
}

Result<Response> Client::put(std::string_view target, std::string body,
                             const RequestOptions& options) {
  return request("PUT", target, std::move(body), options);
}

Result<Response> Client::del(std::string_view target, const RequestOptions& options) {
  return request("DELETE", target, "", options);
}

Result<Response> Client::request(std::string_view method, std::string_view target,
                                 std::string body, const RequestOptions& options) {
  return impl_->exchange(method, target, body, options, nullptr);
}

Result<Response> Client::get_stream(std::string_view target, const DataCallback& on_data,
                                    const RequestOptions& options) {
  return impl_->exchange("GET", target, "", options, &on_data);
}

const std::string& Client::address() const { return impl_->url.base; }

void Client::close() { impl_->reset(); }

}  // namespace caravan::http
