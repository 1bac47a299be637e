#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;

TEST(FileFunctions, FileReadsRelativeToBaseDir) {
  EXPECT_EQ(text("file", {str("hello.txt")}), "Hello World");
  EXPECT_EQ(text("file", {str(function_data_dir() + "/sub/a.txt")}), "a\n");
}

TEST(FileFunctions, FileErrorsNameTheResolvedPath) {
  EXPECT_EQ(text("file", {str("missing.txt")}),
            "error: no file exists at \"" + function_data_dir() + "/missing.txt\"");
  EXPECT_THAT(text("file", {str("binary.bin")}), HasSubstr("not valid UTF-8; use filebase64"));
  EXPECT_THAT(text("file", {str("sub")}), HasSubstr("is a directory, not a file"));
}

TEST(FileFunctions, FileexistsDistinguishesFilesAndDirectories) {
  EXPECT_EQ(run("fileexists", {str("hello.txt")}), "true");
  EXPECT_EQ(run("fileexists", {str("nope.txt")}), "false");
  EXPECT_THAT(run("fileexists", {str("sub")}), HasSubstr("is a directory"));
}

TEST(FileFunctions, FilesetMatchesGlobsWithDoubleStar) {
  EXPECT_EQ(run("fileset", {str("."), str("*.txt")}), "[\"hello.txt\"]");
  EXPECT_EQ(run("fileset", {str("."), str("**/*.txt")}),
            "[\"hello.txt\", \"sub/a.txt\", \"sub/deep/c.txt\"]");
  EXPECT_EQ(run("fileset", {str("sub"), str("*.{txt,conf}")}), "[\"a.txt\", \"b.conf\"]");
  EXPECT_EQ(run("fileset", {str("sub"), str("[ab].*")}), "[\"a.txt\", \"b.conf\"]");
  EXPECT_EQ(run("fileset", {str("."), str("sub/**")}),
            "[\"sub/a.txt\", \"sub/b.conf\", \"sub/deep/c.txt\"]");
  EXPECT_EQ(run("fileset", {str("."), str("s?b/?.txt")}), "[\"sub/a.txt\"]");
  EXPECT_EQ(run("fileset", {str("nonexistent"), str("*")}), "[]");
  EXPECT_THAT(run("fileset", {str("."), str("[")}), HasSubstr("is not a valid glob pattern"));
}

TEST(FileFunctions, Filebase64AndFileHashes) {
  EXPECT_EQ(text("filebase64", {str("binary.bin")}), "//4AAQ==");
  EXPECT_EQ(text("filemd5", {str("hello.txt")}), "b10a8db164e0754105b7a99be72e3fe5");
  EXPECT_EQ(text("filesha1", {str("hello.txt")}), "0a4d55a8d778e5022fab701977c5d840bbc486d0");
  EXPECT_EQ(text("filesha256", {str("hello.txt")}),
            "a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e");
  EXPECT_EQ(text("filesha512", {str("hello.txt")}),
            "2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cb"
            "da0daa8f51671064615d645ae27acb15bfb1447f459b");
  EXPECT_EQ(text("filebase64sha256", {str("hello.txt")}),
            "pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=");
  EXPECT_EQ(
      text("filebase64sha512", {str("hello.txt")}),
      "LHT9F+2v2A6ER7DUZ0HuJDt+t03SFJoKsbkkb7MDgvJ+hT2FhXGeDmfL2g2qj1FnEGRhXWRa4nrLFb+xRH9Fmw==");
  EXPECT_THAT(text("filemd5", {str("missing")}), HasSubstr("no file exists"));
}

TEST(FileFunctions, AbspathResolvesAgainstBaseDirAndCleans) {
  EXPECT_EQ(text("abspath", {str("sub/../hello.txt")}), function_data_dir() + "/hello.txt");
  EXPECT_EQ(text("abspath", {str("/a/b/../c/")}), "/a/c");
}

TEST(FileFunctions, BasenameAndDirnameFollowGoFilepath) {
  EXPECT_EQ(text("basename", {str("foo/bar/baz.txt")}), "baz.txt");
  EXPECT_EQ(text("basename", {str("foo/bar/")}), "bar");
  EXPECT_EQ(text("basename", {str("")}), ".");
  EXPECT_EQ(text("basename", {str("/")}), "/");
  EXPECT_EQ(text("dirname", {str("foo/bar/baz.txt")}), "foo/bar");
  EXPECT_EQ(text("dirname", {str("baz.txt")}), ".");
  EXPECT_EQ(text("dirname", {str("/baz")}), "/");
}

TEST(FileFunctions, PathexpandReplacesTilde) {
  const char* home = std::getenv("HOME");
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(text("pathexpand", {str("~/.ssh/id_rsa")}), std::string(home) + "/.ssh/id_rsa");
  EXPECT_EQ(text("pathexpand", {str("/etc/hosts")}), "/etc/hosts");
  EXPECT_THAT(text("pathexpand", {str("~bob/x")}), HasSubstr("only the current user's home"));
}

}  // namespace
}  // namespace caravan::hcl::testing
