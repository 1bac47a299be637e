// validate_config for every driver, the registry, signal names and the TaskHandle
// JSON form: the messages name the field and, where it helps, the fix.
#include <gtest/gtest.h>
#include <signal.h>

#include "drivers/exec/exec_driver.h"
#include "drivers/java/java_driver.h"
#include "drivers/raw_exec/raw_exec_driver.h"
#include "drivers/registry.h"
#include "drivers/signals.h"

namespace caravan::drivers {
namespace {

Status validate(const Driver& driver, const std::string& json) {
  auto config = model::RawJson::parse(json);
  EXPECT_TRUE(config.has_value()) << json;
  return driver.validate_config(config.has_value() ? *config : model::RawJson());
}

void expect_error(const Status& status, const std::string& fragment) {
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.to_string();
  EXPECT_NE(status.message().find(fragment), std::string::npos) << status.message();
}

TEST(ValidateConfig, CommandDriversAcceptCommandAndArgs) {
  EXPECT_TRUE(validate(RawExecDriver(), R"({"command":"/bin/true","args":["x"]})").is_ok());
  EXPECT_TRUE(validate(ExecDriver(), R"({"command":"sleep"})").is_ok());
}

TEST(ValidateConfig, CommandDriversNameTheBadField) {
  RawExecDriver raw;
  ExecDriver exec;
  expect_error(validate(raw, R"({"args":["x"]})"), "field \"command\" is required");
  expect_error(validate(raw, R"({"command":""})"), "field \"command\" is required");
  expect_error(validate(exec, R"({"comand":"x"})"),
               "exec driver's config: unknown field \"comand\"; did you mean \"command\"?");
  expect_error(validate(raw, R"({"command":"x","args":"-v"})"),
               "field \"args\" must be a list of strings");
  expect_error(validate(raw, R"({"command":["x"]})"), "field \"command\" must be a string");
  expect_error(validate(raw, R"(["x"])"), "`config` must be a block");
  expect_error(raw.validate_config(model::RawJson()), "no `config` block");
}

TEST(ValidateConfig, JavaNeedsExactlyOneOfJarAndClass) {
  JavaDriver java;
  EXPECT_TRUE(validate(java, R"({"jar_path":"local/a.jar","jvm_options":["-Xmx1g"]})").is_ok());
  EXPECT_TRUE(validate(java, R"({"class":"Main","class_path":"local"})").is_ok());
  expect_error(validate(java, R"({"args":["x"]})"), "set either \"jar_path\"");
  expect_error(validate(java, R"({"jar_path":"a.jar","class":"Main"})"), "only one of");
  expect_error(validate(java, R"({"jar_path":"a.jar","class_path":"lib"})"),
               "\"class_path\" applies to \"class\" only");
  expect_error(validate(java, R"({"jar_path":"a.jar","jvm_option":["-Xmx1g"]})"),
               "did you mean \"jvm_options\"?");
  expect_error(validate(java, R"({"jar_path":"a.jar","jvm_options":"-Xmx1g"})"),
               "field \"jvm_options\" must be a list of strings");
}

TEST(Registry, MakesBuiltinDriversAndSuggestsNames) {
  for (const auto& name : builtin_driver_names()) {
    auto driver = make_driver(name);
    ASSERT_TRUE(driver.has_value()) << name;
    EXPECT_EQ((*driver)->name(), name);
  }
  auto unknown = make_driver("raw_exce");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("did you mean \"raw_exec\"?"), std::string::npos);
}

TEST(Signals, ParsesNamesAndNumbers) {
  EXPECT_EQ(*parse_signal("SIGINT"), SIGINT);
  EXPECT_EQ(*parse_signal("term"), SIGTERM);
  EXPECT_EQ(*parse_signal("USR1"), SIGUSR1);
  EXPECT_EQ(*parse_signal("9"), SIGKILL);
  EXPECT_EQ(*parse_signal(""), SIGTERM);
  EXPECT_EQ(parse_signal("SIGFOO").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parse_signal("0").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(signal_name(SIGQUIT), "SIGQUIT");
}

TEST(TaskHandleJson, RoundTripsAndNamesBadFields) {
  TaskHandle h;
  h.driver = "exec";
  h.alloc_id = "a1";
  h.task_name = "web";
  h.supervisor = {100, 12345};
  h.target = {101, 12346};
  h.signal_group = true;
  h.state_dir = "/data/alloc/a1/web/.caravan";
  h.cgroups = {"/sys/fs/cgroup/memory/caravan/a1.web", "/sys/fs/cgroup/cpu/caravan/a1.web"};
  h.started_at_unix_ms = 1700000000000;
  auto back = TaskHandle::from_json(h.to_json());
  ASSERT_TRUE(back.has_value()) << back.status().to_string();
  EXPECT_EQ(*back, h);

  auto bad = TaskHandle::from_json(R"({"version":1,"driver":"exec"})");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.status().message().find("field \"alloc_id\" is missing"), std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(TaskHandle::from_json("not json").has_value());
  EXPECT_NE(TaskHandle::from_json(R"({"version":2})").status().message().find("version 2"),
            std::string::npos);
}

TEST(TaskHandleJson, RecoverRejectsAnotherDriversHandle) {
  TaskHandle h;
  h.driver = "exec";
  auto r = RawExecDriver().recover(h.to_json());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caravan::drivers
