// Query options every read endpoint accepts, as Nomad's API: blocking queries
// (`?index=N&wait=30s`: answer once the data's index passes N, or after the
// wait), `?prefix=` and `?namespace=`; and the response headers that go with
// them (X-Nomad-Index, X-Nomad-KnownLeader, X-Nomad-LastContact).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "http/message.h"
#include "state/state_store.h"

namespace caravan::api {

struct QueryOptions {
  int64_t min_index = 0;                      // ?index=
  std::chrono::milliseconds wait{300'000};    // ?wait= (default 5m, at most 10m)
  std::string prefix;                         // ?prefix=
  std::string namespace_name = "default";     // ?namespace= ("*" = all)
};

// Parses the query options; a malformed index or wait is InvalidArgument.
Result<QueryOptions> parse_query_options(const http::Request& request);

// Serves a read: waits (when ?index= is given) until `table`'s index passes it,
// the wait runs out or the client goes away, then calls `read` with a fresh
// snapshot and answers its JSON with the blocking-query headers. `read` returns
// a Status for 404s and the like.
http::Response blocking_read(
    const http::Request& request, const state::StateStore& store, state::Table table,
    const std::function<Result<nlohmann::ordered_json>(const state::StateView&,
                                                       const QueryOptions&)>& read);

// A JSON response with Content-Type and the index headers.
http::Response json_with_index(const nlohmann::ordered_json& body, int64_t index);

// Reads a request body as JSON; InvalidArgument naming the problem otherwise.
Result<nlohmann::json> parse_body(const http::Request& request);

}  // namespace caravan::api
