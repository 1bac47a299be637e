// Balancers: distribution, weights, least request, and consistent hashing
// stability (removing a target moves only its own keys).
#include "proxy/balancer.h"

#include <gtest/gtest.h>

#include <map>

namespace caravan::proxy {
namespace {

std::vector<BalanceTarget> targets(int n) {
  std::vector<BalanceTarget> out;
  for (int i = 0; i < n; ++i) out.push_back({"instance-" + std::to_string(i), 1, nullptr});
  return out;
}

std::vector<size_t> counts(Balancer& b, size_t n, int picks, const std::vector<bool>& allowed) {
  std::vector<size_t> c(n, 0);
  for (int i = 0; i < picks; ++i) {
    std::optional<size_t> p = b.pick({}, allowed);
    EXPECT_TRUE(p.has_value());
    if (p) ++c[*p];
  }
  return c;
}

TEST(Balancer, RoundRobinCyclesEvenly) {
  auto b = make_balancer(BalanceAlgorithm::kRoundRobin, targets(3));
  std::vector<bool> all(3, true);
  std::vector<size_t> seq;
  for (int i = 0; i < 6; ++i) seq.push_back(*b->pick({}, all));
  EXPECT_EQ(seq, (std::vector<size_t>{0, 1, 2, 0, 1, 2}));
}

TEST(Balancer, SmoothWeightedRoundRobinInterleaves) {
  std::vector<BalanceTarget> t = {{"a", 5, nullptr}, {"b", 1, nullptr}, {"c", 1, nullptr}};
  auto b = make_balancer(BalanceAlgorithm::kRoundRobin, t);
  std::vector<bool> all(3, true);
  std::string seq;
  for (int i = 0; i < 7; ++i) seq += static_cast<char>('a' + *b->pick({}, all));
  EXPECT_EQ(seq, "aabacaa");  // nginx's smooth WRR order for 5:1:1
}

TEST(Balancer, RoundRobinSkipsDisallowedTargets) {
  auto b = make_balancer(BalanceAlgorithm::kRoundRobin, targets(3));
  std::vector<size_t> c = counts(*b, 3, 300, {true, false, true});
  EXPECT_EQ(c[1], 0u);
  EXPECT_EQ(c[0] + c[2], 300u);
  EXPECT_FALSE(b->pick({}, {false, false, false}).has_value());
}

TEST(Balancer, RandomFollowsWeights) {
  std::vector<BalanceTarget> t = {{"a", 3, nullptr}, {"b", 1, nullptr}};
  auto b = make_balancer(BalanceAlgorithm::kRandom, t, 42);
  std::vector<size_t> c = counts(*b, 2, 40000, {true, true});
  double share = static_cast<double>(c[0]) / 40000;
  EXPECT_NEAR(share, 0.75, 0.02);
}

TEST(Balancer, LeastRequestAvoidsTheBusyInstance) {
  auto busy = std::make_shared<EndpointHealth>();
  for (int i = 0; i < 10; ++i) busy->attempt_started();
  std::vector<BalanceTarget> t = {{"busy", 1, busy},
                                  {"idle1", 1, std::make_shared<EndpointHealth>()},
                                  {"idle2", 1, std::make_shared<EndpointHealth>()}};
  auto b = make_balancer(BalanceAlgorithm::kLeastRequest, t, 7);
  std::vector<size_t> c = counts(*b, 3, 3000, {true, true, true});
  // With two choices out of three, the busy one wins only when both draws are
  // itself, which cannot happen (distinct draws): it never gets picked.
  EXPECT_EQ(c[0], 0u);
  EXPECT_GT(c[1], 1000u);
  EXPECT_GT(c[2], 1000u);
}

// Maps keys to targets for the hashing balancers.
std::vector<size_t> placement(Balancer& b, int keys, const std::vector<bool>& allowed) {
  std::vector<size_t> out;
  for (int k = 0; k < keys; ++k) {
    PickContext ctx;
    ctx.hash = hash_key("user-" + std::to_string(k));
    out.push_back(*b.pick(ctx, allowed));
  }
  return out;
}

class HashBalancerTest : public ::testing::TestWithParam<BalanceAlgorithm> {};

TEST_P(HashBalancerTest, SameKeyGoesToSameTargetAndLoadIsSpread) {
  auto b = make_balancer(GetParam(), targets(5));
  std::vector<bool> all(5, true);
  std::vector<size_t> first = placement(*b, 10000, all);
  EXPECT_EQ(first, placement(*b, 10000, all));
  std::vector<size_t> c(5, 0);
  for (size_t t : first) ++c[t];
  for (size_t n : c) {
    EXPECT_GT(n, 1300u);  // 2000 each when perfectly even
    EXPECT_LT(n, 2700u);
  }
}

TEST_P(HashBalancerTest, RemovingATargetMovesOnlyItsKeys) {
  constexpr int kTargets = 8;
  constexpr int kKeys = 20000;
  std::vector<BalanceTarget> all = targets(kTargets);
  auto before = make_balancer(GetParam(), all);
  std::vector<size_t> old_place = placement(*before, kKeys, std::vector<bool>(kTargets, true));

  // Instance 3 leaves the catalog: the table is rebuilt without it.
  std::vector<BalanceTarget> rest = all;
  rest.erase(rest.begin() + 3);
  auto after = make_balancer(GetParam(), rest);
  std::vector<size_t> new_place = placement(*after, kKeys, std::vector<bool>(kTargets - 1, true));

  int moved = 0;
  int moved_elsewhere = 0;
  for (int k = 0; k < kKeys; ++k) {
    const std::string& old_id = all[old_place[k]].id;
    const std::string& new_id = rest[new_place[k]].id;
    if (old_id == new_id) continue;
    ++moved;
    if (old_id != "instance-3") ++moved_elsewhere;
  }
  double fraction = static_cast<double>(moved) / kKeys;
  EXPECT_NEAR(fraction, 1.0 / kTargets, 0.05);
  if (GetParam() == BalanceAlgorithm::kRingHash) {
    EXPECT_EQ(moved_elsewhere, 0);  // the ring moves nothing else at all
  } else {
    // Maglev rebuilds its table: a small extra disruption is the design.
    EXPECT_LT(static_cast<double>(moved_elsewhere) / kKeys, 0.02);
  }
}

TEST_P(HashBalancerTest, EjectingATargetMovesOnlyItsKeys) {
  auto b = make_balancer(GetParam(), targets(6));
  std::vector<bool> all(6, true);
  std::vector<size_t> before = placement(*b, 5000, all);
  std::vector<bool> without_2 = all;
  without_2[2] = false;
  std::vector<size_t> after = placement(*b, 5000, without_2);
  for (size_t k = 0; k < before.size(); ++k) {
    if (before[k] != 2) {
      EXPECT_EQ(after[k], before[k]) << "key " << k;
    } else {
      EXPECT_NE(after[k], 2u);
    }
  }
}

TEST_P(HashBalancerTest, NoKeyFallsBackToRoundRobin) {
  auto b = make_balancer(GetParam(), targets(3));
  std::vector<size_t> c = counts(*b, 3, 300, {true, true, true});
  EXPECT_EQ(c, (std::vector<size_t>{100, 100, 100}));
}

INSTANTIATE_TEST_SUITE_P(Hashing, HashBalancerTest,
                         ::testing::Values(BalanceAlgorithm::kRingHash, BalanceAlgorithm::kMaglev),
                         [](const auto& info) {
                           return std::string(balance_algorithm_name(info.param));
                         });

TEST(Balancer, AlgorithmNamesRoundTrip) {
  for (auto a :
       {BalanceAlgorithm::kRoundRobin, BalanceAlgorithm::kLeastRequest, BalanceAlgorithm::kRandom,
        BalanceAlgorithm::kRingHash, BalanceAlgorithm::kMaglev}) {
    EXPECT_EQ(parse_balance_algorithm(balance_algorithm_name(a)), a);
  }
  EXPECT_FALSE(parse_balance_algorithm("fastest").has_value());
}

}  // namespace
}  // namespace caravan::proxy
