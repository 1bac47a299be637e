#include "core/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace caravan {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return invalid_argument("odd number");
  return n / 2;
}

Result<int> quarter(int n) {
  int h = CARAVAN_TRY(half(n));
  return CARAVAN_TRY(half(h));
}

Status check_even(int n) {
  if (n % 2 != 0) return invalid_argument("odd");
  return Status::ok();
}

Status check_both(int a, int b) {
  CARAVAN_RETURN_IF_ERROR(check_even(a));
  CARAVAN_RETURN_IF_ERROR(check_even(b));
  return Status::ok();
}

TEST(Result, HoldsValueOrError) {
  Result<int> ok = half(8);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 4);
  Result<int> bad = half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message(), "odd number");
}

TEST(Result, TryPropagatesTheFirstError) {
  EXPECT_EQ(*quarter(8), 2);
  EXPECT_EQ(quarter(6).error().message(), "odd number");
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(Status, ReturnIfErrorStopsAtTheFirstFailure) {
  EXPECT_TRUE(check_both(2, 4).is_ok());
  EXPECT_FALSE(check_both(2, 3).is_ok());
}

TEST(Status, ToStringPrefixesTheSourceLocation) {
  SourceRange where{std::make_shared<const std::string>("web.nomad.hcl"), {3, 5, 20}, {3, 9, 24}};
  Status s = invalid_argument("bad count", where);
  EXPECT_EQ(s.to_string(), "web.nomad.hcl:3:5: bad count");
  EXPECT_EQ(Status().to_string(), "ok");
}

}  // namespace
}  // namespace caravan
