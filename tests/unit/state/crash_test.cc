// Crash safety: a child process applies entries from several threads and
// reports every acknowledged index through a pipe; the parent SIGKILLs it at a
// random moment, reopens the store and checks nothing acknowledged was lost.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "state/sqlite_log.h"
#include "state_test_util.h"

namespace caravan::state {
namespace {

using testing::make_node;
using testing::TempDir;

// The child: applies NodeRegister entries forever (snapshots every 8 entries,
// so kills also land during snapshot writes), writing "<index> <node id>\n"
// for each acknowledged one. Never returns.
[[noreturn]] void child_main(const std::string& data_dir, int fd) {
  StateStoreOptions options;
  options.snapshot_every = 8;
  auto log = SqliteLog::open_data_dir(data_dir);
  if (!log.has_value()) _exit(2);
  auto store = StateStore::open(std::move(log).value(), options);
  if (!store.has_value()) _exit(3);
  std::mutex write_mu;
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        std::string id = "n" + std::to_string(t) + "-" + std::to_string(i);
        Result<int64_t> index = (*store)->apply(NodeRegister{make_node(id)});
        if (!index.has_value()) _exit(4);
        std::string line = std::to_string(*index) + " " + id + "\n";
        std::lock_guard lock(write_mu);
        if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
      }
    });
  }
  for (auto& writer : writers) writer.join();
  _exit(0);
}

TEST(CrashSafety, KillDashNineLosesNothingAcknowledged) {
  std::mt19937 rng(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    TempDir dir;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      child_main(dir.str(), fds[1]);
    }
    close(fds[1]);

    // Read acknowledgements for a random while (at least a few), then kill.
    std::set<std::pair<int64_t, std::string>> acked;
    std::string buffer;
    auto kill_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(100 + rng() % 400);
    char chunk[4096];
    while (std::chrono::steady_clock::now() < kill_at || acked.size() < 20) {
      ssize_t n = read(fds[0], chunk, sizeof chunk);
      ASSERT_GT(n, 0) << "the child stopped early";
      buffer.append(chunk, static_cast<size_t>(n));
      size_t newline;
      while ((newline = buffer.find('\n')) != std::string::npos) {
        std::string line = buffer.substr(0, newline);
        buffer.erase(0, newline + 1);
        size_t space = line.find(' ');
        acked.emplace(std::stoll(line.substr(0, space)), line.substr(space + 1));
      }
    }
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status));
    close(fds[0]);

    auto log = SqliteLog::open_data_dir(dir.str());
    ASSERT_TRUE(log.has_value()) << log.error().to_string();
    auto store = StateStore::open(std::move(log).value());
    ASSERT_TRUE(store.has_value()) << store.error().to_string();
    StateViewPtr view = (*store)->snapshot();
    for (const auto& [index, id] : acked) {
      ASSERT_LE(index, view->index());
      NodePtr node = view->node(id);
      ASSERT_NE(node, nullptr) << "acknowledged node " << id << " at index " << index << " lost";
      EXPECT_EQ(node->create_index, index);
    }
    std::printf("round %d: %zu acknowledged, recovered index %lld\n", round, acked.size(),
                static_cast<long long>(view->index()));
  }
}

}  // namespace
}  // namespace caravan::state
