#include "client/alloc_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "client_test_util.h"

namespace caravan::client {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(AllocDir, PathsFollowNomadsLayout) {
  AllocDir dir = *AllocDir::under("/var/lib/caravan", "abc");
  EXPECT_EQ(dir.root(), "/var/lib/caravan/alloc/abc");
  EXPECT_EQ(dir.shared_dir(), "/var/lib/caravan/alloc/abc/alloc");
  EXPECT_EQ(dir.logs_dir(), "/var/lib/caravan/alloc/abc/alloc/logs");
  EXPECT_EQ(dir.shared_tmp_dir(), "/var/lib/caravan/alloc/abc/alloc/tmp");
  EXPECT_EQ(dir.shared_data_dir(), "/var/lib/caravan/alloc/abc/alloc/data");
  EXPECT_EQ(dir.task_dir("web"), "/var/lib/caravan/alloc/abc/web");
  EXPECT_EQ(dir.task_local_dir("web"), "/var/lib/caravan/alloc/abc/web/local");
  EXPECT_EQ(dir.task_secrets_dir("web"), "/var/lib/caravan/alloc/abc/web/secrets");
  EXPECT_EQ(dir.task_tmp_dir("web"), "/var/lib/caravan/alloc/abc/web/tmp");
}

TEST(AllocDir, RejectsIdsAndTaskNamesThatAreNotOneComponent) {
  EXPECT_FALSE(AllocDir::under("/data", "").has_value());
  EXPECT_FALSE(AllocDir::under("/data", "..").has_value());
  EXPECT_FALSE(AllocDir::under("/data", "a/b").has_value());
  EXPECT_FALSE(AllocDir::under("", "abc").has_value());
  EXPECT_FALSE(check_task_name("../etc").is_ok());
  EXPECT_FALSE(check_task_name("").is_ok());
  EXPECT_TRUE(check_task_name("web-1").is_ok());
}

TEST(AllocDir, CreateBuildsTheTreeWithNomadsModes) {
  TempDir tmp;
  AllocDir dir = *AllocDir::under(tmp.path(), "a1");
  ASSERT_TRUE(create_alloc_dir(dir, {"web", "sidecar"}).is_ok());
  for (const std::string& d : {dir.logs_dir(), dir.shared_tmp_dir(), dir.shared_data_dir()}) {
    EXPECT_TRUE(fs::is_directory(d)) << d;
    EXPECT_EQ(mode_of(d), 0777u) << d;
  }
  for (const char* task : {"web", "sidecar"}) {
    EXPECT_TRUE(fs::is_directory(dir.task_local_dir(task)));
    EXPECT_TRUE(fs::is_directory(dir.task_tmp_dir(task)));
    EXPECT_EQ(mode_of(dir.task_secrets_dir(task)), 0700u);
  }
  // Creating again is harmless.
  EXPECT_TRUE(create_alloc_dir(dir, {"web"}).is_ok());
}

TEST(AllocDir, CreateRejectsABadTaskName) {
  TempDir tmp;
  AllocDir dir = *AllocDir::under(tmp.path(), "a1");
  Status st = create_alloc_dir(dir, {"../../escape"});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("../../escape"), std::string::npos);
}

TEST(AllocDir, DestroyRemovesEverythingAndToleratesAMissingTree) {
  TempDir tmp;
  AllocDir dir = *AllocDir::under(tmp.path(), "a1");
  ASSERT_TRUE(create_alloc_dir(dir, {"web"}).is_ok());
  testing::write_file(dir.task_local_dir("web") + "/file", "x");
  ASSERT_TRUE(destroy_alloc_dir(dir).is_ok());
  EXPECT_FALSE(fs::exists(dir.root()));
  EXPECT_TRUE(destroy_alloc_dir(dir).is_ok());
}

TEST(AllocDir, ResolveInsideKeepsPathsInTheAllocation) {
  AllocDir dir = *AllocDir::under("/d", "a");
  EXPECT_EQ(*dir.resolve_inside("/d/alloc/a/web", "local/x.conf"), "/d/alloc/a/web/local/x.conf");
  EXPECT_EQ(*dir.resolve_inside("/d/alloc/a/web", "../alloc/data/f"), "/d/alloc/a/alloc/data/f");
  EXPECT_EQ(*dir.resolve_inside("/d/alloc/a/web", "/d/alloc/a/web/local/"), "/d/alloc/a/web/local");
  Result<std::string> escaped = dir.resolve_inside("/d/alloc/a/web", "../../b/web/x");
  ASSERT_FALSE(escaped.has_value());
  EXPECT_NE(escaped.error().message().find("escapes the allocation directory"), std::string::npos);
  EXPECT_FALSE(dir.resolve_inside("/d/alloc/a/web", "/etc/passwd").has_value());
  EXPECT_FALSE(dir.resolve_inside("/d/alloc/a/web", "../../ab/x").has_value());
}

}  // namespace
}  // namespace caravan::client
