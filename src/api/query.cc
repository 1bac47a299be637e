#include "api/query.h"

#include <fmt/format.h>

#include <charconv>
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

http::Response json_with_index(const nlohmann::ordered_json& body, int64_t index) {
  http::Response response =
      http::json_response(200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  response.headers.set("X-Nomad-Index", std::to_string(std::max<int64_t>(index, 1)));
  response.headers.set("X-Nomad-KnownLeader", "true");
  response.headers.set("X-Nomad-LastContact", "0");
  return response;
}

http::Response blocking_read(
    const http::Request& request, const state::StateStore& store, state::Table table,
    const std::function<Result<nlohmann::ordered_json>(const state::StateView&,
                                                       const QueryOptions&)>& read) {
  Result<QueryOptions> options = parse_query_options(request);
  if (!options) return http::error_response(options.error());
  if (options->min_index > 0) {
    auto deadline = std::chrono::steady_clock::now() + options->wait;
    // Wake up regularly to notice a client that went away.
    while (!request.stop_token.stop_requested()) {
      auto step = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
      if (store.wait_for(table, options->min_index, step) > options->min_index) break;
      if (std::chrono::steady_clock::now() >= deadline) break;
    }
  }
  state::StateViewPtr snapshot = store.snapshot();
  Result<nlohmann::ordered_json> body = read(*snapshot, *options);
  if (!body) return http::error_response(body.error());
  return json_with_index(*body, snapshot->table_index(table));
}

Result<nlohmann::json> parse_body(const http::Request& request) {
  if (request.body.empty()) return invalid_argument("the request has no body; a JSON object is required");
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return invalid_argument("the request body is not valid JSON");
  if (!body.is_object()) return invalid_argument("the request body must be a JSON object");
  return body;
}

}  // namespace caravan::api
