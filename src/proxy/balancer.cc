#include "proxy/balancer.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>

namespace caravan::proxy {
namespace {

// A per-thread generator, seeded once per thread from `seed` and the thread.
uint64_t next_random(uint64_t seed) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  thread_local uint64_t seeded_with = 0;
  thread_local bool seeded = false;
  if (seed != 0 && (!seeded || seeded_with != seed)) {
    rng.seed(seed);
    seeded_with = seed;
    seeded = true;
  }
  return rng();
}

std::optional<size_t> first_allowed_from(size_t start, const std::vector<bool>& allowed) {
  size_t n = allowed.size();
  for (size_t i = 0; i < n; ++i) {
    size_t index = (start + i) % n;
    if (allowed[index]) return index;
  }
  return std::nullopt;
}

// Smooth weighted round robin (the nginx algorithm), precomputed into a
// schedule at build time so picking is one atomic increment.
class RoundRobin final : public Balancer {
 public:
  explicit RoundRobin(const std::vector<BalanceTarget>& targets) {
    std::vector<int64_t> weights;
    for (const BalanceTarget& t : targets) weights.push_back(std::max(1, t.weight));
    int64_t g = 0;
    for (int64_t w : weights) g = std::gcd(g, w);
    int64_t total = 0;
    for (int64_t& w : weights) total += (w /= std::max<int64_t>(g, 1));
    constexpr int64_t kMaxSchedule = 4096;
    if (total > kMaxSchedule) {
      for (int64_t& w : weights) w = std::max<int64_t>(1, w * kMaxSchedule / total);
    }
    std::vector<int64_t> current(weights.size(), 0);
    total = std::accumulate(weights.begin(), weights.end(), int64_t{0});
    for (int64_t step = 0; step < total; ++step) {
      size_t best = 0;
      for (size_t i = 0; i < weights.size(); ++i) {
        current[i] += weights[i];
        if (current[i] > current[best]) best = i;
      }
      current[best] -= total;
      schedule_.push_back(best);
    }
  }

  std::optional<size_t> pick(const PickContext&, const std::vector<bool>& allowed) override {
    if (schedule_.empty()) return std::nullopt;
    uint64_t start = next_.fetch_add(1, std::memory_order_relaxed);
    for (size_t i = 0; i < schedule_.size(); ++i) {
      size_t index = schedule_[(start + i) % schedule_.size()];
      if (allowed[index]) return index;
    }
    return std::nullopt;
  }

  std::optional<size_t> alternative(const PickContext&, const std::vector<bool>& allowed) override {
    return first_allowed_from(alternative_next_.fetch_add(1, std::memory_order_relaxed) %
                                  std::max<size_t>(allowed.size(), 1),
                              allowed);
  }

 private:
  std::vector<size_t> schedule_;
  std::atomic<uint64_t> next_{0};
  std::atomic<uint64_t> alternative_next_{0};
};

class RandomPick final : public Balancer {
 public:
  RandomPick(std::vector<BalanceTarget> targets, uint64_t seed)
      : targets_(std::move(targets)), seed_(seed) {}

  std::optional<size_t> pick(const PickContext&, const std::vector<bool>& allowed) override {
    uint64_t total = 0;
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (allowed[i]) total += static_cast<uint64_t>(std::max(1, targets_[i].weight));
    }
    if (total == 0) return std::nullopt;
    uint64_t r = next_random(seed_) % total;
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (!allowed[i]) continue;
      uint64_t w = static_cast<uint64_t>(std::max(1, targets_[i].weight));
      if (r < w) return i;
      r -= w;
    }
    return std::nullopt;
  }

 private:
  std::vector<BalanceTarget> targets_;
  uint64_t seed_;
};

// Power of two choices: two distinct random allowed targets, the one with fewer
// in-flight requests per unit of weight wins.
class LeastRequest final : public Balancer {
 public:
  LeastRequest(std::vector<BalanceTarget> targets, uint64_t seed)
      : targets_(std::move(targets)), seed_(seed) {}

  std::optional<size_t> pick(const PickContext&, const std::vector<bool>& allowed) override {
    std::vector<size_t> live;
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (allowed[i]) live.push_back(i);
    }
    if (live.empty()) return std::nullopt;
    if (live.size() == 1) return live.front();
    size_t a = next_random(seed_) % live.size();
    size_t b = next_random(seed_) % (live.size() - 1);
    if (b >= a) ++b;
    size_t ia = live[a];
    size_t ib = live[b];
    // Compare (in_flight + 1) / weight without division.
    auto load = [&](size_t i) {
      const BalanceTarget& t = targets_[i];
      return t.health ? t.health->in_flight() : 0;
    };
    int64_t score_a = static_cast<int64_t>(load(ia) + 1) * std::max(1, targets_[ib].weight);
    int64_t score_b = static_cast<int64_t>(load(ib) + 1) * std::max(1, targets_[ia].weight);
    if (score_a == score_b) return std::min(ia, ib);
    return score_a < score_b ? ia : ib;
  }

 private:
  std::vector<BalanceTarget> targets_;
  uint64_t seed_;
};

// Consistent hashing on a ring of virtual nodes: each target owns
// kVirtualNodes × weight points hashed from its id, a key goes to the first
// point at or after its hash. Removing a target moves only the keys it owned.
class RingHash final : public Balancer {
 public:
  static constexpr int kVirtualNodes = 100;

  explicit RingHash(const std::vector<BalanceTarget>& targets) : fallback_(targets) {
    for (size_t i = 0; i < targets.size(); ++i) {
      int points = kVirtualNodes * std::clamp(targets[i].weight, 1, 100);
      for (int p = 0; p < points; ++p) {
        ring_.push_back({hash_key(targets[i].id + "#" + std::to_string(p)), i});
      }
    }
    std::sort(ring_.begin(), ring_.end());
  }

  std::optional<size_t> pick(const PickContext& context,
                             const std::vector<bool>& allowed) override {
    if (!context.hash) return fallback_.pick(context, allowed);
    if (ring_.empty()) return std::nullopt;
    auto it =
        std::lower_bound(ring_.begin(), ring_.end(), std::make_pair(*context.hash, size_t{0}));
    size_t start = static_cast<size_t>(it - ring_.begin());
    for (size_t i = 0; i < ring_.size(); ++i) {
      size_t index = ring_[(start + i) % ring_.size()].second;
      if (allowed[index]) return index;
    }
    return std::nullopt;
  }

  std::optional<size_t> alternative(const PickContext& context,
                                    const std::vector<bool>& allowed) override {
    return context.hash ? pick(context, allowed) : fallback_.alternative(context, allowed);
  }

 private:
  std::vector<std::pair<uint64_t, size_t>> ring_;
  RoundRobin fallback_;
};

// Maglev (Eisenbud et al., NSDI 2016): a lookup table of prime size filled from
// per-target permutations, so each target owns an almost equal share and a
// change of the set moves little more than the changed target's share. Weights
// give a target that many turns per round. The table has at least ~500 slots
// per target (at most 65521), so small pools do not cost 256 KiB per route.
class Maglev final : public Balancer {
 public:
  explicit Maglev(const std::vector<BalanceTarget>& targets) : fallback_(targets) {
    if (targets.empty()) return;
    size_t n = targets.size();
    static constexpr uint64_t kPrimes[] = {509, 1021, 2039, 4093, 8191, 16381, 32749, 65521};
    table_size_ = kPrimes[std::size(kPrimes) - 1];
    for (uint64_t p : kPrimes) {
      if (p >= 500 * n) {
        table_size_ = p;
        break;
      }
    }
    std::vector<uint64_t> offset(n), skip(n), next(n, 0);
    for (size_t i = 0; i < n; ++i) {
      uint64_t h = hash_key(targets[i].id);
      offset[i] = h % table_size_;
      skip[i] = XXH3_64bits_withSeed(targets[i].id.data(), targets[i].id.size(), 0x9e3779b9) %
                    (table_size_ - 1) +
                1;
    }
    table_.assign(table_size_, kEmpty);
    uint64_t filled = 0;
    while (filled < table_size_) {
      for (size_t i = 0; i < n && filled < table_size_; ++i) {
        for (int turn = 0; turn < std::clamp(targets[i].weight, 1, 100) && filled < table_size_;
             ++turn) {
          uint64_t slot = (offset[i] + next[i] * skip[i]) % table_size_;
          while (table_[slot] != kEmpty) {
            ++next[i];
            slot = (offset[i] + next[i] * skip[i]) % table_size_;
          }
          table_[slot] = static_cast<uint32_t>(i);
          ++next[i];
          ++filled;
        }
      }
    }
  }

  std::optional<size_t> pick(const PickContext& context,
                             const std::vector<bool>& allowed) override {
    if (!context.hash) return fallback_.pick(context, allowed);
    if (table_.empty()) return std::nullopt;
    // A key whose slot's target is not allowed rehashes to other slots, so the
    // keys of available targets never move.
    uint64_t h = *context.hash;
    for (int attempt = 0; attempt < 64; ++attempt) {
      uint32_t index = table_[h % table_size_];
      if (allowed[index]) return index;
      h = XXH3_64bits_withSeed(&h, sizeof h, static_cast<uint64_t>(attempt) + 1);
    }
    return first_allowed_from(*context.hash % allowed.size(), allowed);
  }

  std::optional<size_t> alternative(const PickContext& context,
                                    const std::vector<bool>& allowed) override {
    return context.hash ? pick(context, allowed) : fallback_.alternative(context, allowed);
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  uint64_t table_size_ = 0;  // prime; fixed at construction
  std::vector<uint32_t> table_;
  RoundRobin fallback_;
};

}  // namespace

uint64_t hash_key(std::string_view key) { return XXH3_64bits(key.data(), key.size()); }

uint64_t hash_key(std::string_view key, uint64_t seed) {
  return XXH3_64bits_withSeed(key.data(), key.size(), seed);
}

std::optional<BalanceAlgorithm> parse_balance_algorithm(std::string_view name) {
  if (name == "round_robin") return BalanceAlgorithm::kRoundRobin;
  if (name == "least_request") return BalanceAlgorithm::kLeastRequest;
  if (name == "random") return BalanceAlgorithm::kRandom;
  if (name == "ring_hash") return BalanceAlgorithm::kRingHash;
  if (name == "maglev") return BalanceAlgorithm::kMaglev;
  return std::nullopt;
}

const char* balance_algorithm_name(BalanceAlgorithm algorithm) {
  switch (algorithm) {
    case BalanceAlgorithm::kRoundRobin:
      return "round_robin";
    case BalanceAlgorithm::kLeastRequest:
      return "least_request";
    case BalanceAlgorithm::kRandom:
      return "random";
    case BalanceAlgorithm::kRingHash:
      return "ring_hash";
    case BalanceAlgorithm::kMaglev:
      return "maglev";
  }
  return "round_robin";
}

std::unique_ptr<Balancer> make_balancer(BalanceAlgorithm algorithm,
                                        std::vector<BalanceTarget> targets, uint64_t seed) {
  switch (algorithm) {
    case BalanceAlgorithm::kRoundRobin:
      return std::make_unique<RoundRobin>(targets);
    case BalanceAlgorithm::kLeastRequest:
      return std::make_unique<LeastRequest>(std::move(targets), seed);
    case BalanceAlgorithm::kRandom:
      return std::make_unique<RandomPick>(std::move(targets), seed);
    case BalanceAlgorithm::kRingHash:
      return std::make_unique<RingHash>(targets);
    case BalanceAlgorithm::kMaglev:
      return std::make_unique<Maglev>(targets);
  }
  return std::make_unique<RoundRobin>(targets);
}

}  // namespace caravan::proxy
