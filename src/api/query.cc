#include "api/query.h"

#include <fmt/format.h>

#include <charconv>
#include <random>
#include <condition_variable>
#include <thread>

#include "core/duration.h"

namespace caravan::api {
namespace {

constexpr std::chrono::milliseconds kMaxWait{600'000};

}  // namespace

Result<QueryOptions> parse_query_options(const http::Request& request) {
  QueryOptions options;
  if (auto index = request.query("index")) {
    auto [end, ec] = std::from_chars(index->data(), index->data() + index->size(), options.min_index);
    if (ec != std::errc() || end != index->data() + index->size() || options.min_index < 0) {
      return invalid_argument(fmt::format("Invalid index \"{}\": not a non-negative integer", *index));
    }
  }
  if (auto wait = request.query("wait")) {
    Result<Duration> parsed = parse_duration(*wait);
    if (!parsed) {
      return invalid_argument(fmt::format("Invalid wait time \"{}\": {}", *wait, parsed.error().message()));
    }
    options.wait = std::min(kMaxWait, std::chrono::duration_cast<std::chrono::milliseconds>(*parsed));
  }
  if (auto prefix = request.query("prefix")) options.prefix = std::string(*prefix);
  if (auto ns = request.query("namespace")) options.namespace_name = std::string(*ns);
  return options;
}

void set_index_headers(http::Response& response, int64_t index) {
  std::string value = std::to_string(std::max<int64_t>(index, 1));
  for (const char* dialect : {"Nomad", "Consul"}) {
    response.headers.set(fmt::format("X-{}-Index", dialect), value);
    response.headers.set(fmt::format("X-{}-KnownLeader", dialect), "true");
    response.headers.set(fmt::format("X-{}-LastContact", dialect), "0");
  }
}

http::Response json_with_index(const nlohmann::ordered_json& body, int64_t index) {
  http::Response response =
      http::json_response(200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  set_index_headers(response, index);
  return response;
}

http::Response blocking_read(const http::Request& request, const state::StateStore& store,
                             const WatchedIndex& watched, const ReadFunction& read) {
  Result<QueryOptions> options = parse_query_options(request);
  if (!options) return http::error_response(options.error());
  auto index_of = [&](const state::StateView& view) {
    return watched.index_of ? watched.index_of(view) : view.table_index(watched.table);
  };
  if (options->min_index > 0) {
    thread_local std::minstd_rand jitter_source(std::random_device{}());
    auto jitter = std::chrono::milliseconds(
        options->wait.count() / 16 > 0 ? jitter_source() % (options->wait.count() / 16) : 0);
    auto deadline = std::chrono::steady_clock::now() + options->wait + jitter;
    // Wake up regularly to notice a client that went away.
    while (!request.stop_token.stop_requested()) {
      state::StateViewPtr seen = store.snapshot();
      if (index_of(*seen) > options->min_index) break;
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) break;
      auto step = std::min(deadline, now + std::chrono::milliseconds(500));
      store.wait_for(watched.table, seen->table_index(watched.table), step);
    }
  }
  state::StateViewPtr snapshot = store.snapshot();
  Result<nlohmann::ordered_json> body = read(*snapshot, *options);
  if (!body) {
    http::Response response = http::error_response(body.error());
    set_index_headers(response, index_of(*snapshot));
    return response;
  }
  return json_with_index(*body, index_of(*snapshot));
}

Result<nlohmann::json> parse_body(const http::Request& request) {
  if (request.body.empty()) return invalid_argument("the request has no body; a JSON object is required");
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return invalid_argument("the request body is not valid JSON");
  if (!body.is_object()) return invalid_argument("the request body must be a JSON object");
  return body;
}

}  // namespace caravan::api
