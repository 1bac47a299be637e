#include "client/check_target.h"

#include <gtest/gtest.h>

namespace caravan::client {
namespace {

model::AllocatedSharedResources ports() {
  model::AllocatedSharedResources shared;
  shared.ports = {{"http", 23456, 8080, "10.0.0.5"}, {"admin", 9000, 0, "10.0.0.5"}};
  model::NetworkResource net;
  net.ip = "10.0.0.6";
  net.dynamic_ports = {{"legacy", 31000, 0, "default"}};
  shared.networks = {net};
  return shared;
}

model::Service service(std::string port) {
  model::Service s;
  s.name = "web";
  s.port_label = std::move(port);
  return s;
}

model::ServiceCheck check(std::string type, std::string port = "") {
  model::ServiceCheck c;
  c.name = "alive";
  c.type = std::move(type);
  c.port_label = std::move(port);
  return c;
}

TEST(ResolveCheckTarget, UsesTheServicePortsHostAddress) {
  Result<CheckTarget> t = resolve_check_target(service("http"), check("http"), ports());
  ASSERT_TRUE(t.has_value()) << t.error().message();
  EXPECT_EQ(*t, (CheckTarget{"10.0.0.5", 23456}));
}

TEST(ResolveCheckTarget, CheckPortOverridesServicePort) {
  Result<CheckTarget> t = resolve_check_target(service("http"), check("tcp", "admin"), ports());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, (CheckTarget{"10.0.0.5", 9000}));
  Result<CheckTarget> legacy = resolve_check_target(service(""), check("tcp", "legacy"), ports());
  ASSERT_TRUE(legacy.has_value());
  EXPECT_EQ(*legacy, (CheckTarget{"10.0.0.6", 31000}));
}

TEST(ResolveCheckTarget, AllocAndDriverModesUseThePortInsideTheNamespace) {
  model::ServiceCheck c = check("http");
  c.address_mode = "alloc";
  Result<CheckTarget> missing = resolve_check_target(service("http"), c, ports());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("address_mode \"alloc\""), std::string::npos);
  Result<CheckTarget> t = resolve_check_target(service("http"), c, ports(), {"172.26.64.3", ""});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, (CheckTarget{"172.26.64.3", 8080}));
  c.address_mode = "driver";
  c.port_label = "5000";
  t = resolve_check_target(service("http"), c, ports(), {"", "172.17.0.2"});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, (CheckTarget{"172.17.0.2", 5000}));
}

TEST(ResolveCheckTarget, ErrorsNameTheCheckAndTheFix) {
  Result<CheckTarget> none = resolve_check_target(service(""), check("http"), ports());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().message(),
            "check \"alive\" of service \"web\": no port to check; set `port` on the check or on "
            "the service");
  Result<CheckTarget> unknown = resolve_check_target(service("grpc"), check("tcp"), ports());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("no port labelled \"grpc\""), std::string::npos);
  Result<CheckTarget> numeric = resolve_check_target(service("8080"), check("tcp"), ports());
  ASSERT_FALSE(numeric.has_value());
  EXPECT_NE(numeric.error().message().find("address_mode = \"driver\""), std::string::npos);
}

TEST(ResolveCheckTarget, ScriptChecksNeedNoTarget) {
  Result<CheckTarget> t = resolve_check_target(service(""), check("script"), ports());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, CheckTarget{});
}

}  // namespace
}  // namespace caravan::client
