// Load balancers: given the fixed backend list of one route (in a route-table
// snapshot) and which of them may take this request, pick one. Round robin
// (smooth weighted when weights differ), least request (power of two choices
// over in-flight counts), random (weighted), consistent hashing on a ring
// (xxHash, virtual nodes) and Maglev. Built with the route table; called
// concurrently from every event-loop thread (lock-free).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/ejection.h"

namespace caravan::proxy {

enum class BalanceAlgorithm { kRoundRobin, kLeastRequest, kRandom, kRingHash, kMaglev };

// "round_robin", "least_request", "random", "ring_hash", "maglev" (the names of
// Consul's service-resolver LoadBalancer.Policy).
std::optional<BalanceAlgorithm> parse_balance_algorithm(std::string_view name);
const char* balance_algorithm_name(BalanceAlgorithm algorithm);

// What consistent hashing keys on; kNone hashes nothing (ring and Maglev then
// fall back to round robin).
struct HashOn {
  enum class Kind { kNone, kCookie, kHeader, kSourceIp };
  Kind kind = Kind::kNone;
  std::string name;  // cookie or header name
};

// Traefik-style sticky cookie: the value names the instance by a stable hash of
// its id (never its address).
struct StickyCookie {
  std::string name;  // empty: derived from the route name
  bool secure = false;
  bool http_only = false;
  std::string same_site;  // "", "none", "lax", "strict"
  int max_age = 0;        // seconds; 0 = session cookie
  std::string path = "/";
};

struct BalanceConfig {
  BalanceAlgorithm algorithm = BalanceAlgorithm::kRoundRobin;
  HashOn hash_on;
  std::optional<StickyCookie> sticky;
};

// One backend as a balancer sees it.
struct BalanceTarget {
  std::string id;                                // instance id: what hashes place on the ring
  int weight = 1;                                // >= 1
  std::shared_ptr<const EndpointHealth> health;  // may be null (no in-flight data)
};

// Per-request input.
struct PickContext {
  std::optional<uint64_t> hash;  // the hash of the HashOn key, when present
};

class Balancer {
 public:
  virtual ~Balancer() = default;

  // Picks the index of a target with allowed[index] true (allowed has one entry
  // per target), or nullopt when none is allowed. Thread-safe, never blocks.
  // For hashing balancers the same hash and allowed set give the same index.
  virtual std::optional<size_t> pick(const PickContext& context,
                                     const std::vector<bool>& allowed) = 0;

  // Like pick(), for a retry alternative after the first choice (the caller
  // clears the targets already chosen in `allowed`). Does not advance the
  // round-robin sequence, so alternatives do not skew the primary choice.
  virtual std::optional<size_t> alternative(const PickContext& context,
                                            const std::vector<bool>& allowed) {
    return pick(context, allowed);
  }
};

// Builds the balancer for `algorithm` over `targets` (in route order). `seed`
// seeds random choices (tests pass a fixed one).
std::unique_ptr<Balancer> make_balancer(BalanceAlgorithm algorithm,
                                        std::vector<BalanceTarget> targets, uint64_t seed = 0);

// The 64-bit hash balancers use for keys and ids (xxHash XXH3).
uint64_t hash_key(std::string_view key);
// The same, seeded: hash_key(b, hash_key(a)) keys a pair without building it.
uint64_t hash_key(std::string_view key, uint64_t seed);

}  // namespace caravan::proxy
