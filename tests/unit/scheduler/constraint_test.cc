// Constraint operators and targets, evaluated against one node.
#include "scheduler/constraint.h"

#include <gtest/gtest.h>

#include "harness.h"
#include "scheduler/internal/version.h"

namespace caravan::scheduler {
namespace {

class ConstraintTest : public ::testing::Test {
 protected:
  ConstraintTest() : node_(testing::fixtures::node("n1")) {
    node_.node_class = "large";
    node_.meta = {{"rack", "r1"}, {"zone", "a"}};
    node_.attributes["cpu.numcores"] = "16";
    node_.attributes["driver.docker.version"] = "24.0.7";
    node_.attributes["features"] = "sse4, avx, avx2";
    node_.attributes["ratio"] = "1.5";
  }
  bool ok(const std::string& l, const std::string& op, const std::string& r) {
    return checker_.satisfied(model::Constraint{l, r, op}, node_);
  }
  model::Node node_;
  ConstraintChecker checker_;
};

TEST_F(ConstraintTest, ResolvesEveryTarget) {
  EXPECT_EQ(resolve_target("${node.unique.id}", node_), "n1");
  EXPECT_EQ(resolve_target("${node.unique.name}", node_), "name-n1");
  EXPECT_EQ(resolve_target("${node.datacenter}", node_), "dc1");
  EXPECT_EQ(resolve_target("${node.class}", node_), "large");
  EXPECT_EQ(resolve_target("${node.pool}", node_), "default");
  EXPECT_EQ(resolve_target("${attr.kernel.name}", node_), "linux");
  EXPECT_EQ(resolve_target("${meta.rack}", node_), "r1");
  EXPECT_EQ(resolve_target("literal", node_), "literal");
  EXPECT_EQ(resolve_target("${attr.missing}", node_), std::nullopt);
  EXPECT_EQ(resolve_target("${meta.missing}", node_), std::nullopt);
  EXPECT_EQ(resolve_target("${node.bogus}", node_), std::nullopt);
}

TEST_F(ConstraintTest, Equality) {
  for (const char* op : {"=", "==", "is", ""}) {
    EXPECT_TRUE(ok("${attr.kernel.name}", op, "linux")) << op;
    EXPECT_FALSE(ok("${attr.kernel.name}", op, "windows")) << op;
    EXPECT_FALSE(ok("${attr.missing}", op, "linux")) << op;
  }
  for (const char* op : {"!=", "not"}) {
    EXPECT_TRUE(ok("${attr.kernel.name}", op, "windows")) << op;
    EXPECT_FALSE(ok("${attr.kernel.name}", op, "linux")) << op;
    EXPECT_TRUE(ok("${attr.missing}", op, "linux")) << "an unset attribute differs";
  }
  EXPECT_TRUE(ok("${node.unique.id}", "=", "n1"));
  EXPECT_TRUE(ok("${meta.rack}", "=", "r1"));
}

TEST_F(ConstraintTest, OrderingIsNumericWhenBothAreNumbers) {
  EXPECT_TRUE(ok("${attr.cpu.numcores}", ">", "8"));  // lexically "16" < "8"
  EXPECT_TRUE(ok("${attr.cpu.numcores}", ">=", "16"));
  EXPECT_FALSE(ok("${attr.cpu.numcores}", "<", "16"));
  EXPECT_TRUE(ok("${attr.cpu.numcores}", "<=", "16"));
  EXPECT_TRUE(ok("${attr.ratio}", "<", "2.25"));
  EXPECT_TRUE(ok("${attr.kernel.name}", ">", "darwin"));  // lexical
  EXPECT_FALSE(ok("${attr.kernel.name}", "<", "darwin"));
  EXPECT_FALSE(ok("${attr.missing}", "<", "9"));
}

TEST_F(ConstraintTest, Regexp) {
  EXPECT_TRUE(ok("${attr.kernel.name}", "regexp", "^lin"));
  EXPECT_TRUE(ok("${attr.kernel.name}", "regexp", "nu"));  // unanchored
  EXPECT_FALSE(ok("${attr.kernel.name}", "regexp", "^win"));
  EXPECT_FALSE(ok("${attr.kernel.name}", "regexp", "(unclosed"));
  EXPECT_FALSE(ok("${attr.missing}", "regexp", ".*"));
}

TEST_F(ConstraintTest, VersionAndSemver) {
  EXPECT_TRUE(ok("${attr.driver.docker.version}", "version", ">= 20.10, < 25"));
  EXPECT_FALSE(ok("${attr.driver.docker.version}", "version", ">= 25"));
  EXPECT_TRUE(ok("${attr.driver.docker.version}", "version", "~> 24.0"));
  EXPECT_TRUE(ok("${attr.os.version}", "version", "= 1.2.3"));
  EXPECT_TRUE(ok("${attr.os.version}", "semver", ">= 1.2.0, < 1.3.0"));
  EXPECT_FALSE(ok("${attr.os.version}", "semver", "> 1.2.3"));
  EXPECT_FALSE(ok("${attr.os.version}", "version", "garbage"));
  EXPECT_FALSE(ok("${attr.missing}", "version", ">= 1"));
}

TEST(Version, PreReleasesDifferBetweenVersionAndSemver) {
  using internal::version_satisfies;
  using internal::VersionFlavor;
  // go-version: a pre-release only matches constraints on the same release.
  EXPECT_FALSE(version_satisfies(">= 1.0", "1.3.0-beta1", VersionFlavor::kGoVersion));
  EXPECT_TRUE(version_satisfies(">= 1.3.0-alpha", "1.3.0-beta1", VersionFlavor::kGoVersion));
  // semver: plain precedence.
  EXPECT_TRUE(version_satisfies(">= 1.0.0", "1.3.0-beta1", VersionFlavor::kSemver));
  EXPECT_TRUE(version_satisfies("< 1.3.0", "1.3.0-beta1", VersionFlavor::kSemver));
  EXPECT_TRUE(version_satisfies("> 1.0.0-alpha.1", "1.0.0-alpha.beta", VersionFlavor::kSemver));
  EXPECT_FALSE(version_satisfies(">= 1.0", "v1.2.3", VersionFlavor::kSemver)) << "no v prefix";
  EXPECT_TRUE(version_satisfies(">= 1.0", "v1.2.3", VersionFlavor::kGoVersion));
  EXPECT_TRUE(version_satisfies("~> 1.2.3", "1.2.9", VersionFlavor::kGoVersion));
  EXPECT_FALSE(version_satisfies("~> 1.2.3", "1.3.0", VersionFlavor::kGoVersion));
  EXPECT_TRUE(version_satisfies("!= 1.2.3", "1.2.4+build5", VersionFlavor::kGoVersion));
}

TEST_F(ConstraintTest, Sets) {
  EXPECT_TRUE(ok("${attr.features}", "set_contains", "avx,sse4"));
  EXPECT_TRUE(ok("${attr.features}", "set_contains_all", "avx2"));
  EXPECT_FALSE(ok("${attr.features}", "set_contains", "avx,neon"));
  EXPECT_TRUE(ok("${attr.features}", "set_contains_any", "neon, avx"));
  EXPECT_FALSE(ok("${attr.features}", "set_contains_any", "neon,sve"));
  EXPECT_FALSE(ok("${attr.missing}", "set_contains_any", "avx"));
}

TEST_F(ConstraintTest, IsSetAndIsNotSet) {
  EXPECT_TRUE(ok("${meta.zone}", "is_set", ""));
  EXPECT_FALSE(ok("${meta.nope}", "is_set", ""));
  EXPECT_TRUE(ok("${meta.nope}", "is_not_set", ""));
  EXPECT_FALSE(ok("${meta.zone}", "is_not_set", ""));
}

TEST_F(ConstraintTest, DistinctOperatorsPassHereAndUnknownOnesFail) {
  EXPECT_TRUE(ok("", "distinct_hosts", "true"));
  EXPECT_TRUE(ok("${meta.rack}", "distinct_property", "1"));
  EXPECT_FALSE(ok("${attr.kernel.name}", "~=", "linux"));
}

TEST(ConstraintKey, PrintsLikeNomad) {
  EXPECT_EQ(constraint_key({"${attr.kernel.name}", "windows", "="}),
            "${attr.kernel.name} = windows");
}

}  // namespace
}  // namespace caravan::scheduler
