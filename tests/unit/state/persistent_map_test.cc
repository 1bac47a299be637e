// PersistentMap: randomised against std::map, old copies unchanged by writes
// to new ones, ordered iteration and lower_bound, in-place find_mutable.
#include "state/persistent_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace caravan::state {
namespace {

using Map = PersistentMap<int, std::string>;

template <class M>
std::vector<std::pair<int, std::string>> contents(const M& map) {
  std::vector<std::pair<int, std::string>> out;
  for (auto it = map.begin(); it != map.end(); ++it) out.emplace_back(it.key(), it.value());
  return out;
}

std::vector<std::pair<int, std::string>> contents(const std::map<int, std::string>& map) {
  return {map.begin(), map.end()};
}

TEST(PersistentMap, MatchesStdMapUnderRandomOperations) {
  std::mt19937 rng(12345);
  Map map;
  std::map<int, std::string> reference;
  // Snapshots taken along the way must never change.
  std::vector<std::pair<Map, std::map<int, std::string>>> snapshots;
  for (int step = 0; step < 20000; ++step) {
    int key = static_cast<int>(rng() % 2000);
    switch (rng() % 4) {
      case 0:
      case 1: {
        std::string value = std::to_string(step);
        EXPECT_EQ(map.set(key, value), reference.count(key) == 0);
        reference[key] = value;
        break;
      }
      case 2:
        EXPECT_EQ(map.erase(key), reference.erase(key) == 1);
        break;
      case 3: {
        const std::string* found = map.find(key);
        auto it = reference.find(key);
        ASSERT_EQ(found != nullptr, it != reference.end());
        if (found != nullptr) {
          EXPECT_EQ(*found, it->second);
        }
        break;
      }
    }
    ASSERT_EQ(map.size(), reference.size());
    if (step % 1000 == 0) {
      ASSERT_TRUE(map.check_invariants_for_test());
      ASSERT_EQ(contents(map), contents(reference));
      snapshots.emplace_back(map, reference);
    }
  }
  EXPECT_TRUE(map.check_invariants_for_test());
  EXPECT_EQ(contents(map), contents(reference));
  for (const auto& [snapshot, expected] : snapshots) {
    EXPECT_TRUE(snapshot.check_invariants_for_test());
    EXPECT_EQ(contents(snapshot), contents(expected));
  }
}

TEST(PersistentMap, CopyIsUnaffectedByWritesToTheOriginal) {
  Map map;
  for (int i = 0; i < 100; ++i) map.set(i, "v" + std::to_string(i));
  Map copy = map;
  map.set(5, "changed");
  map.erase(7);
  map.set(1000, "new");
  ASSERT_NE(copy.find(5), nullptr);
  EXPECT_EQ(*copy.find(5), "v5");
  EXPECT_NE(copy.find(7), nullptr);
  EXPECT_EQ(copy.find(1000), nullptr);
  EXPECT_EQ(copy.size(), 100u);
  EXPECT_EQ(*map.find(5), "changed");
  EXPECT_EQ(map.size(), 100u);
}

TEST(PersistentMap, FindMutableCopiesSharedPathsOnly) {
  PersistentMap<int, int> map;
  for (int i = 0; i < 50; ++i) map.set(i, i);
  PersistentMap<int, int> copy = map;
  *map.find_mutable(10) = 100;
  EXPECT_EQ(*map.find(10), 100);
  EXPECT_EQ(*copy.find(10), 10);
  EXPECT_EQ(map.find_mutable(999), nullptr);
  EXPECT_TRUE(map.check_invariants_for_test());
}

TEST(PersistentMap, LowerBoundIteratesFromTheFirstKeyNotLess) {
  Map map;
  for (int i = 0; i < 100; i += 10) map.set(i, std::to_string(i));
  std::vector<int> keys;
  for (auto it = map.lower_bound(35); it != map.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<int>{40, 50, 60, 70, 80, 90}));
  EXPECT_EQ(map.lower_bound(40).key(), 40);
  EXPECT_TRUE(map.lower_bound(91) == map.end());
  EXPECT_EQ(map.lower_bound(-5).key(), 0);
}

TEST(PersistentMap, StringViewKeysIntoValuesStayValidAcrossReplacement) {
  PersistentMap<std::string_view, std::shared_ptr<const std::string>> map;
  for (int i = 0; i < 200; ++i) {
    auto value = std::make_shared<const std::string>("key-" + std::to_string(i));
    std::string_view key = *value;
    map.set(key, value);
  }
  auto copy = map;
  for (int i = 0; i < 200; i += 2) {
    auto value = std::make_shared<const std::string>("key-" + std::to_string(i));
    std::string_view key = *value;
    map.set(key, value);  // replaces key and value: the old key's target may die
  }
  copy = {};
  EXPECT_TRUE(map.check_invariants_for_test());
  EXPECT_EQ(map.size(), 200u);
  EXPECT_NE(map.find(std::string_view("key-42")), nullptr);
}

}  // namespace
}  // namespace caravan::state
