#include "core/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace caravan {
namespace {

TEST(GenerateUuid, ProducesVersion4TextInCanonicalForm) {
  std::string id = generate_uuid();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_TRUE(is_uuid(id));
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  for (char c : id) EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}

TEST(GenerateUuid, NeverRepeatsInPractice) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(generate_uuid());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IsUuid, RejectsMalformedText) {
  EXPECT_TRUE(is_uuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(is_uuid("ABCDEF01-2345-6789-abcd-ef0123456789"));
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("00000000-0000-0000-0000-00000000000"));
  EXPECT_FALSE(is_uuid("00000000x0000-0000-0000-000000000000"));
  EXPECT_FALSE(is_uuid("g0000000-0000-0000-0000-000000000000"));
}

}  // namespace
}  // namespace caravan
