// java with a real JVM: the fingerprint reads `java -version`, and a jar built at
// test time (javac + jar from the JDK that scripts/deps.sh installs) runs in the
// exec isolation, printing a system property set through jvm_options.
#include "drivers/java/java_driver.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "drivers/internal/exec_search.h"
#include "drivers/internal/run_command.h"
#include "unit/drivers/driver_test_util.h"

namespace caravan::drivers {
namespace {

using testing::HandleGuard;
using testing::TempAlloc;
using testing::wait_exit;

std::string find_tool(const std::string& name) {
  for (const auto& path : internal::exec_candidates(name, DriverOptions().default_path)) {
    if (std::filesystem::exists(path)) {
      return path;
    }
  }
  return "";
}

// Compiles Hello.java into <dir>/Hello.class and <dir>/hello.jar.
void build_hello_jar(const std::string& dir) {
  std::string javac = find_tool("javac");
  std::string jar = find_tool("jar");
  ASSERT_FALSE(javac.empty() || jar.empty())
      << "javac and jar are needed to build the test jar: apt-get install "
         "openjdk-17-jdk-headless (scripts/deps.sh installs it)";
  std::ofstream(dir + "/Hello.java") << R"(public class Hello {
  public static void main(String[] args) {
    System.out.println("greeting=" + System.getProperty("greeting") + " args=" + String.join(",", args));
  }
})";
  auto compiled =
      internal::run_command({javac, "-d", dir, dir + "/Hello.java"}, std::chrono::seconds(120));
  ASSERT_TRUE(compiled.has_value() && compiled->exit_code == 0)
      << (compiled.has_value() ? compiled->output : compiled.status().to_string());
  auto packed =
      internal::run_command({jar, "cfe", dir + "/hello.jar", "Hello", "-C", dir, "Hello.class"},
                            std::chrono::seconds(120));
  ASSERT_TRUE(packed.has_value() && packed->exit_code == 0)
      << (packed.has_value() ? packed->output : packed.status().to_string());
}

TEST(JavaDriver, ParsesJavaVersionOutput) {
  auto attributes = parse_java_version(
      "Picked up JAVA_TOOL_OPTIONS: -Xss1m\n"
      "openjdk version \"17.0.15\" 2025-04-15\n"
      "OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n"
      "OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)\n");
  EXPECT_EQ(attributes["driver.java"], "1");
  EXPECT_EQ(attributes["driver.java.version"], "17.0.15");
  EXPECT_EQ(attributes["driver.java.runtime"],
            "OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)");
  EXPECT_TRUE(parse_java_version("bash: java: command not found\n").empty());
}

TEST(JavaDriver, FingerprintReportsJavaVersion) {
  Fingerprint f = JavaDriver().fingerprint();
  ASSERT_TRUE(f.detected) << "java driver undetected: " << f.health_description
                          << " (scripts/deps.sh installs default-jre-headless)";
  EXPECT_EQ(f.attributes["driver.java"], "1");
  EXPECT_FALSE(f.attributes["driver.java.version"].empty());
  EXPECT_NE(f.health_description.find("cgroup"), std::string::npos) << f.health_description;
}

TEST(JavaDriver, FingerprintWithoutJavaIsUndetected) {
  DriverOptions options;
  options.default_path = "/nonexistent";
  Fingerprint f = JavaDriver(options).fingerprint();
  EXPECT_FALSE(f.detected);
  EXPECT_NE(f.health_description.find("default-jre-headless"), std::string::npos);
}

class JavaTaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Fingerprint f = driver_.fingerprint();
    ASSERT_TRUE(f.detected) << "java driver undetected: " << f.health_description;
    ASSERT_NO_FATAL_FAILURE(build_hello_jar(alloc_.task_dir() + "/local"));
  }
  JavaDriver driver_;
  TempAlloc alloc_{"hello"};
};

TEST_F(JavaTaskTest, RunsJarWithJvmOptionsAndArgs) {
  TaskSpec spec = alloc_.spec(R"({"jar_path":"local/hello.jar",
      "jvm_options":["-Dgreeting=hola","-Xmx64m","-Xshare:off"],"args":["a","b"]})");
  spec.memory_mb = 512;
  auto handle = driver_.start(spec);
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver_, *handle);
  ExitResult exit = wait_exit(driver_, *handle, std::chrono::seconds(60));
  EXPECT_TRUE(exit.successful()) << exit.exit_code << " " << alloc_.err();
  EXPECT_EQ(alloc_.out(), "greeting=hola args=a,b\n") << alloc_.err();
}

TEST_F(JavaTaskTest, RunsMainClassFromClassPath) {
  TaskSpec spec =
      alloc_.spec(R"({"class":"Hello","class_path":"/local","jvm_options":["-Dgreeting=hi"]})");
  spec.memory_mb = 512;
  auto handle = driver_.start(spec);
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver_, *handle);
  ExitResult exit = wait_exit(driver_, *handle, std::chrono::seconds(60));
  EXPECT_TRUE(exit.successful()) << exit.exit_code << " " << alloc_.err();
  EXPECT_EQ(alloc_.out(), "greeting=hi args=\n") << alloc_.err();
}

}  // namespace
}  // namespace caravan::drivers
