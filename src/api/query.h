// Query options every read endpoint accepts, as Nomad's and Consul's APIs:
// blocking queries (`?index=N&wait=30s`: answer once the data's index passes N,
// or after the wait), `?prefix=` and `?namespace=`; and the response headers
// that go with them, in both dialects (X-Nomad-Index / X-Consul-Index,
// -KnownLeader, -LastContact: the Go clients of both fail without them).
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

using ReadFunction = std::function<Result<nlohmann::ordered_json>(const state::StateView&,
                                                                  const QueryOptions&)>;

// What a blocking query watches: the index of its data in a snapshot (a
// table's index, or a finer one such as one service's), and the table whose
// changes may move it (the store wakes waiters per table).
struct WatchedIndex {
  state::Table table;
  std::function<int64_t(const state::StateView&)> index_of;  // empty = the table's index
};

// Serves a read: waits (when ?index= is given) until the watched index passes
// it, the wait (plus up to wait/16 of jitter, as Consul) runs out or the client
// goes away, then calls `read` with a fresh snapshot and answers its JSON with
// the blocking-query headers. `read` returns a Status for 404s and the like;
// those answers carry the index headers too.
http::Response blocking_read(const http::Request& request, const state::StateStore& store,
                             const WatchedIndex& watched, const ReadFunction& read);
inline http::Response blocking_read(const http::Request& request,
                                    const state::StateStore& store, state::Table table,
                                    const ReadFunction& read) {
  return blocking_read(request, store, WatchedIndex{table, {}}, read);
}

// A JSON response with Content-Type and the index headers.
http::Response json_with_index(const nlohmann::ordered_json& body, int64_t index);
// Sets the index headers of both dialects on `response` (index at least 1).
void set_index_headers(http::Response& response, int64_t index);

// Reads a request body as JSON; InvalidArgument naming the problem otherwise.
Result<nlohmann::json> parse_body(const http::Request& request);

}  // namespace caravan::api
