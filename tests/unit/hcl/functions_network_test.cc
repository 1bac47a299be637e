#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;

TEST(NetworkFunctions, CidrhostCountsFromStartOrEnd) {
  EXPECT_EQ(text("cidrhost", {str("10.12.112.0/20"), num(16)}), "10.12.112.16");
  EXPECT_EQ(text("cidrhost", {str("10.12.112.0/20"), num(268)}), "10.12.113.12");
  EXPECT_EQ(text("cidrhost", {str("fd00:fd12:3456:7890:00a2::/72"), num(34)}),
            "fd00:fd12:3456:7890::22");
  EXPECT_EQ(text("cidrhost", {str("10.0.0.0/24"), num(-1)}), "10.0.0.255");
  EXPECT_EQ(text("cidrhost", {str("10.0.0.0/24"), num(-256)}), "10.0.0.0");
  EXPECT_EQ(text("cidrhost", {str("10.0.0.0/24"), num(256)}),
            "error: prefix of 24 does not accommodate a host numbered 256");
  EXPECT_THAT(text("cidrhost", {str("10.0.0.0/24"), num(-257)}), HasSubstr("does not accommodate"));
}

TEST(NetworkFunctions, CidrnetmaskIsIpv4Only) {
  EXPECT_EQ(text("cidrnetmask", {str("172.16.0.0/12")}), "255.240.0.0");
  EXPECT_EQ(text("cidrnetmask", {str("10.0.0.0/32")}), "255.255.255.255");
  EXPECT_THAT(text("cidrnetmask", {str("fd00::/8")}), HasSubstr("IPv6 prefixes have no netmask"));
}

TEST(NetworkFunctions, CidrsubnetExtendsThePrefix) {
  EXPECT_EQ(text("cidrsubnet", {str("172.16.0.0/12"), num(4), num(2)}), "172.18.0.0/16");
  EXPECT_EQ(text("cidrsubnet", {str("10.1.2.0/24"), num(4), num(15)}), "10.1.2.240/28");
  EXPECT_EQ(text("cidrsubnet", {str("fd00:fd12:3456:7890::/56"), num(16), num(162)}),
            "fd00:fd12:3456:7800:a200::/72");
  EXPECT_EQ(text("cidrsubnet", {str("10.0.0.0/30"), num(4), num(0)}),
            "error: insufficient address space to extend prefix of 30 by 4");
  EXPECT_EQ(text("cidrsubnet", {str("10.0.0.0/24"), num(2), num(4)}),
            "error: prefix extension of 2 does not accommodate a subnet numbered 4");
}

TEST(NetworkFunctions, CidrsubnetsAllocatesConsecutiveBlocks) {
  EXPECT_EQ(run("cidrsubnets", {str("10.1.0.0/16"), num(4), num(4), num(8), num(4)}),
            "[\"10.1.0.0/20\", \"10.1.16.0/20\", \"10.1.32.0/24\", \"10.1.48.0/20\"]");
  EXPECT_EQ(
      run("cidrsubnets", {str("fd00:fd12:3456:7890::/56"), num(16), num(16), num(16), num(32)}),
      "[\"fd00:fd12:3456:7800::/72\", \"fd00:fd12:3456:7800:100::/72\", "
      "\"fd00:fd12:3456:7800:200::/72\", \"fd00:fd12:3456:7800:300::/88\"]");
  EXPECT_THAT(run("cidrsubnets", {str("10.0.0.0/30"), num(1), num(1), num(1)}),
              HasSubstr("not enough remaining address space for a subnet with a prefix of 31 "
                        "bits after 10.0.0.2/31"));
  EXPECT_THAT(run("cidrsubnets", {str("garbage"), num(1)}),
              HasSubstr("argument 1 is not a valid CIDR prefix (\"garbage\")"));
}

}  // namespace
}  // namespace caravan::hcl::testing
