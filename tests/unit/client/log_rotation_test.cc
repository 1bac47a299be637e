#include "client/log_rotation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "client_test_util.h"

namespace caravan::client {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::TempDir;

LogRotationConfig small_config(const std::string& dir, int files = 3, int64_t size = 10) {
  LogRotationConfig c;
  c.dir = dir;
  c.base_name = "web.stdout";
  c.max_files = files;
  c.max_file_size = size;
  return c;
}

std::string read_all(const LogReader& reader) {
  LogChunk chunk = *reader.read({0, 0}, 1 << 20);
  return chunk.data;
}

TEST(LogRotationConfig, TakesNomadDefaultsForUnsetFields) {
  LogRotationConfig c = log_rotation_config("/d", log_base_name("web", "stderr"), std::nullopt);
  EXPECT_EQ(c.base_name, "web.stderr");
  EXPECT_EQ(c.max_files, 10);
  EXPECT_EQ(c.max_file_size, 10 * 1024 * 1024);
  model::LogConfig logs;
  logs.max_files = 2;
  logs.max_file_size_mb = 1;
  c = log_rotation_config("/d", "x", logs);
  EXPECT_EQ(c.max_files, 2);
  EXPECT_EQ(c.max_file_size, 1024 * 1024);
}

TEST(RotatingLogWriter, SplitsIntoFullFilesAndKeepsMaxFiles) {
  TempDir tmp;
  auto writer = *RotatingLogWriter::open(small_config(tmp.path()), nullptr);
  ASSERT_TRUE(writer->write("0123456789abcdefghij").is_ok());  // exactly two files
  ASSERT_TRUE(writer->write("KLMNOPQRSTuvwxy").is_ok());
  EXPECT_EQ(writer->current_index(), 3);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() + "/web.stdout.0"));  // 3 files kept
  EXPECT_EQ(testing::read_file(tmp.path() + "/web.stdout.1"), "abcdefghij");
  EXPECT_EQ(testing::read_file(tmp.path() + "/web.stdout.2"), "KLMNOPQRST");
  EXPECT_EQ(testing::read_file(tmp.path() + "/web.stdout.3"), "uvwxy");
}

TEST(RotatingLogWriter, ReopeningContinuesTheLastFile) {
  TempDir tmp;
  {
    auto writer = *RotatingLogWriter::open(small_config(tmp.path()), nullptr);
    ASSERT_TRUE(writer->write("0123456789abc").is_ok());
  }
  auto writer = *RotatingLogWriter::open(small_config(tmp.path()), nullptr);
  EXPECT_EQ(writer->current_index(), 1);
  ASSERT_TRUE(writer->write("def").is_ok());
  EXPECT_EQ(testing::read_file(tmp.path() + "/web.stdout.1"), "abcdef");
}

TEST(RotatingLogWriter, RejectsNonPositiveLimits) {
  TempDir tmp;
  EXPECT_EQ(RotatingLogWriter::open(small_config(tmp.path(), 0), nullptr).error().code(),
            StatusCode::kInvalidArgument);
}

TEST(LogReader, ReadsAcrossFilesFromPositions) {
  TempDir tmp;
  auto writer = *RotatingLogWriter::open(small_config(tmp.path(), 10), nullptr);
  ASSERT_TRUE(writer->write("0123456789abcdefghijKLM").is_ok());
  LogReader reader(tmp.path(), "web.stdout");
  EXPECT_EQ(read_all(reader), "0123456789abcdefghijKLM");
  EXPECT_EQ(*reader.position_from_start(12), (LogPosition{1, 2}));
  EXPECT_EQ(*reader.position_from_end(3), (LogPosition{2, 0}));
  EXPECT_EQ(*reader.position_from_end(100), (LogPosition{0, 0}));
  EXPECT_EQ(*reader.position_from_start(100), (LogPosition{2, 3}));
  LogChunk part = *reader.read({0, 8}, 5);
  EXPECT_EQ(part.data, "89abc");
  EXPECT_EQ(part.next, (LogPosition{1, 3}));
  LogChunk rest = *reader.read(part.next, 100);
  EXPECT_EQ(rest.data, "defghijKLM");
  EXPECT_EQ(rest.next, (LogPosition{2, 3}));
  EXPECT_TRUE(reader.read(rest.next, 100)->data.empty());
}

TEST(LogReader, SkipsFilesRotatedAway) {
  TempDir tmp;
  auto writer = *RotatingLogWriter::open(small_config(tmp.path(), 2), nullptr);
  ASSERT_TRUE(writer->write("0123456789abcdefghijKLM").is_ok());
  LogReader reader(tmp.path(), "web.stdout");
  LogChunk chunk = *reader.read({0, 4}, 100);  // file 0 is gone
  EXPECT_EQ(chunk.data, "abcdefghijKLM");
}

TEST(LogReader, TailReturnsTheLastLines) {
  TempDir tmp;
  auto writer = *RotatingLogWriter::open(small_config(tmp.path(), 10, 4), nullptr);
  ASSERT_TRUE(writer->write("one\ntwo\nthree\nfour\n").is_ok());
  LogReader reader(tmp.path(), "web.stdout");
  EXPECT_EQ(*reader.tail_lines(2), "three\nfour\n");
  EXPECT_EQ(*reader.tail_lines(10), "one\ntwo\nthree\nfour\n");
  EXPECT_EQ(*reader.tail_lines(0), "");
  ASSERT_TRUE(writer->write("partial").is_ok());
  EXPECT_EQ(*reader.tail_lines(2), "four\npartial");
  EXPECT_EQ(*LogReader(tmp.path(), "none.stdout").tail_lines(3), "");
}

TEST(LogPump, CopiesAPipeAndFollowersSeeNewDataAndTheEnd) {
  TempDir tmp;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto activity = std::make_shared<LogActivity>();
  auto pump = *LogPump::start(fds[0], small_config(tmp.path(), 100, 8), activity);
  LogReader reader(tmp.path(), "web.stdout");

  // Nothing yet: follow times out with no data.
  LogChunk empty = *reader.follow({0, 0}, 1024, *activity, milliseconds(20));
  EXPECT_TRUE(empty.data.empty());
  EXPECT_FALSE(empty.writer_closed);

  std::thread producer([&] { ASSERT_EQ(::write(fds[1], "hello, rotating world\n", 22), 22); });
  std::string seen;
  LogPosition pos{0, 0};
  while (seen.size() < 22) {
    LogChunk chunk = *reader.follow(pos, 1024, *activity, seconds(10));
    ASSERT_FALSE(chunk.writer_closed);
    seen += chunk.data;
    pos = chunk.next;
  }
  producer.join();
  EXPECT_EQ(seen, "hello, rotating world\n");

  ::close(fds[1]);  // the task exits
  LogChunk end = *reader.follow(pos, 1024, *activity, seconds(10));
  EXPECT_TRUE(end.data.empty());
  EXPECT_TRUE(end.writer_closed);
  EXPECT_TRUE(pump->wait().is_ok());
  EXPECT_EQ(*reader.tail_lines(1), "hello, rotating world\n");
}

TEST(LogPump, StopEndsThePumpWithoutEof) {
  TempDir tmp;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto activity = std::make_shared<LogActivity>();
  auto pump = *LogPump::start(fds[0], small_config(tmp.path()), activity);
  pump->stop();
  EXPECT_TRUE(pump->wait().is_ok());
  EXPECT_TRUE(activity->closed());
  ::close(fds[1]);
}

}  // namespace
}  // namespace caravan::client
