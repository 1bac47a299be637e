// serve_task_logs over a real allocation: plain reads with origin/offset, bad
// parameters, and following a task's output until the task ends.
#include "client/task_logs_endpoint.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stop_token>

#include "unit/client/client_test_util.h"
#include "unit/client/runner_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;
using testing::make_alloc;
using testing::shell_task;
using testing::TempDir;

class CollectingWriter : public http::BodyWriter {
 public:
  bool write(std::string_view data) override {
    body += data;
    return true;
  }
  std::stop_token stop_token() const override { return stop_.get_token(); }
  std::string body;

 private:
  std::stop_source stop_;
};

http::Request logs_request(std::multimap<std::string, std::string, std::less<>> query) {
  http::Request r;
  r.method = "GET";
  r.query_params = std::move(query);
  return r;
}

std::shared_ptr<AllocRunner> run_alloc(const TempDir& tmp, const std::string& script) {
  AllocRunnerConfig config;
  config.data_dir = tmp.path();
  config.node = std::make_shared<const model::Node>(testing::runner_node());
  auto runner = std::make_shared<AllocRunner>(std::move(config),
                                              make_alloc({shell_task("web", script)}), nullptr);
  runner->run();
  return runner;
}

TEST(TaskLogsEndpoint, ReadsFromStartOrEnd) {
  TempDir tmp;
  auto runner = run_alloc(tmp, "echo hello; echo world");
  ASSERT_TRUE(runner->wait(20s));
  EXPECT_EQ(serve_task_logs(logs_request({{"task", "web"}}), runner).body, "hello\nworld\n");
  EXPECT_EQ(serve_task_logs(logs_request({{"origin", "end"}, {"offset", "6"}}), runner).body,
            "world\n");
  EXPECT_EQ(serve_task_logs(logs_request({{"type", "stderr"}}), runner).body, "");
  EXPECT_EQ(serve_task_logs(logs_request({{"type", "stdin"}}), runner).status, 400);
  EXPECT_EQ(serve_task_logs(logs_request({{"task", "nope"}}), runner).status, 404);
}

TEST(TaskLogsEndpoint, FollowStreamsUntilTheTaskEnds) {
  TempDir tmp;
  auto runner = run_alloc(tmp, "echo one; sleep 0.5; echo two");
  http::Response response = serve_task_logs(logs_request({{"follow", "true"}}), runner);
  ASSERT_TRUE(response.stream);
  CollectingWriter writer;
  response.stream(writer);  // returns once the task is dead and all was sent
  EXPECT_EQ(writer.body, "one\ntwo\n");
  EXPECT_TRUE(runner->terminal());
}

}  // namespace
}  // namespace caravan::client
