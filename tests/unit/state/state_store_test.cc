// StateStore: blocking waits, group commit under many writers, snapshots with
// log truncation and restore (MemoryLog and SqliteLog), reopening a SQLite
// store, and clear errors for a damaged database.
#include "state/state_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "model/model_json.h"
#include "state/sqlite_log.h"
#include "state_test_util.h"

namespace caravan::state {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::make_alloc;
using testing::make_eval;
using testing::make_job;
using testing::make_node;
using testing::must_apply;
using testing::open_memory_store;
using testing::TempDir;

// A canonical dump of everything a StateView shows, to compare two stores.
std::string dump(const StateView& view) {
  nlohmann::ordered_json out;
  out["index"] = view.index();
  for (int t = 0; t <= static_cast<int>(Table::kServices); ++t) {
    out["tables"].push_back(view.table_index(static_cast<Table>(t)));
  }
  for (const JobPtr& job : view.jobs("")) {
    out["jobs"].push_back(model::to_json(*job));
    for (const JobPtr& version : view.job_versions(job->namespace_name, job->id)) {
      out["versions"].push_back(model::to_json(*version));
    }
  }
  for (const NodePtr& node : view.nodes()) out["nodes"].push_back(model::to_json(*node));
  for (const AllocPtr& alloc : view.allocs()) {
    out["allocs"].push_back(model::to_json(*alloc));  // with the re-linked job
  }
  for (const EvalPtr& eval : view.evals()) out["evals"].push_back(model::to_json(*eval));
  for (const ServicePtr& instance : view.services("")) {
    out["services"].push_back(model::to_json(*instance));
    out["service_indexes"].push_back(
        view.service_index(instance->namespace_name, instance->service_name));
  }
  return out.dump();
}

// A little of everything: jobs with several versions, nodes, allocs, evals.
void populate(StateStore& store, int allocs) {
  must_apply(store, NodeRegister{make_node("n1")});
  must_apply(store, NodeRegister{make_node("n2")});
  for (int v = 0; v < 8; ++v) {
    model::Job job = make_job("web");
    job.priority = 40 + v;
    must_apply(store, JobRegister{job, make_eval("e-web-" + std::to_string(v), "web")});
    if (v == 0) {
      // Allocations of version 0 outlive the six kept versions.
      JobPtr v0 = store.snapshot()->job("default", "web");
      must_apply(store, ApplyPlanResults{"e1", {}, {make_alloc("old", v0, "n1")}, {}});
    }
  }
  JobPtr web = store.snapshot()->job("default", "web");
  ApplyPlanResults plan;
  for (int i = 0; i < allocs; ++i) {
    plan.allocs_placed.push_back(
        make_alloc("alloc-" + std::to_string(i), web, i % 2 ? "n1" : "n2", i));
  }
  must_apply(store, plan);
  ServiceRegistrationUpsert services;
  for (int i = 0; i < std::min(allocs, 4); ++i) {
    services.services.push_back(testing::make_instance("alloc-" + std::to_string(i), "web"));
  }
  must_apply(store, services);
  must_apply(store, JobRegister{make_job("api"), make_eval("e-api", "api")});
  must_apply(store, JobDeregister{"default", "api", false, std::nullopt});
}

TEST(StateStore, WaitForWakesOnAChangeOfItsTable) {
  auto store = open_memory_store();
  int64_t start = store->table_index(Table::kNodes);
  std::atomic<int64_t> seen{-1};
  std::thread waiter([&] {
    seen = store->wait_for(Table::kNodes, start, steady_clock::now() + std::chrono::seconds(30));
  });
  must_apply(*store, EvalUpsert{{make_eval("e1", "web")}});  // another table: no wake-up
  int64_t index = must_apply(*store, NodeRegister{make_node("n1")});
  waiter.join();
  EXPECT_EQ(seen.load(), index);
}

TEST(StateStore, WaitForTimesOut) {
  auto store = open_memory_store();
  auto start = steady_clock::now();
  int64_t index = store->wait_for(Table::kAllocs, 0, start + milliseconds(50));
  EXPECT_EQ(index, 0);
  EXPECT_GE(steady_clock::now() - start, milliseconds(50));
}

TEST(StateStore, WaitForReturnsAtOnceWhenAlreadyPast) {
  auto store = open_memory_store();
  int64_t index = must_apply(*store, NodeRegister{make_node("n1")});
  EXPECT_EQ(store->wait_for(Table::kNodes, index - 1, steady_clock::now() + std::chrono::hours(1)),
            index);
}

void run_group_commit(StateStore& store, int threads, int per_thread) {
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        std::string id = "n" + std::to_string(t) + "-" + std::to_string(i);
        if (!store.apply(NodeRegister{make_node(id)}).has_value()) ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(StateStore, GroupCommitBatchesConcurrentWriters) {
  TempDir dir;
  auto log = SqliteLog::open_data_dir(dir.str());
  ASSERT_TRUE(log.has_value()) << log.error().to_string();
  SqliteLog* raw = log->get();
  auto store = StateStore::open(std::move(log).value(), testing::fixed_clock_options());
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  run_group_commit(**store, kThreads, kPerThread);
  StateStoreStats stats = (*store)->stats();
  EXPECT_EQ(stats.entries, kThreads * kPerThread);
  EXPECT_EQ((*store)->snapshot()->nodes().size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(raw->append_count(), stats.batches);
  EXPECT_LT(stats.batches, stats.entries);
  std::printf("group commit: %lld entries in %lld transactions\n",
              static_cast<long long>(stats.entries), static_cast<long long>(stats.batches));
}

TEST(StateStore, SnapshotTruncatesTheLogAndRestoresTheSameState) {
  auto log = std::make_unique<MemoryLog>();
  MemoryLog* raw = log.get();
  StateStoreOptions options = testing::fixed_clock_options();
  options.snapshot_every = 0;
  auto store = StateStore::open(std::move(log), options);
  ASSERT_TRUE(store.has_value());
  populate(**store, 50);
  ASSERT_TRUE((*store)->write_snapshot().is_ok());
  EXPECT_EQ(raw->size_for_test(), 0u);
  must_apply(**store, EvalUpsert{{make_eval("after", "web")}});  // replayed after the snapshot
  EXPECT_EQ(raw->size_for_test(), 1u);
  std::string before = dump(*(*store)->snapshot());

  // Reopen over the same log (the fake outlives the store through a second handle).
  struct Borrowed final : Log {
    explicit Borrowed(Log& log) : log(log) {}
    std::string name() const override { return log.name(); }
    Status append(const std::vector<LogRecord>& r) override { return log.append(r); }
    Result<int64_t> last_index() override { return log.last_index(); }
    Status read_from(int64_t f, const std::function<Status(int64_t, std::string_view)>& fn)
        override { return log.read_from(f, fn); }
    Status truncate_before(int64_t i) override { return log.truncate_before(i); }
    Result<std::unique_ptr<SnapshotSink>> create_snapshot(int64_t i) override {
      return log.create_snapshot(i);
    }
    Result<int64_t> latest_snapshot() override { return log.latest_snapshot(); }
    Status read_snapshot(int64_t i, const std::function<Status(std::string_view)>& fn)
        override { return log.read_snapshot(i, fn); }
    int64_t append_count() const override { return log.append_count(); }
    Log& log;
  };
  auto owner = std::move(store).value();
  auto reopened = StateStore::open(std::make_unique<Borrowed>(owner->log()), options);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().to_string();
  EXPECT_EQ(dump(*(*reopened)->snapshot()), before);
  AllocPtr old = (*reopened)->snapshot()->alloc("old");
  ASSERT_NE(old, nullptr);
  ASSERT_NE(old->job, nullptr);
  EXPECT_EQ(old->job->version, 0);
  EXPECT_EQ(old->job->task_groups.size(), 1u);  // the real job, not a reference
}

TEST(StateStore, SqliteStoreSurvivesReopenWithSnapshotAndLog) {
  TempDir dir;
  StateStoreOptions options = testing::fixed_clock_options();
  options.snapshot_every = 5;  // background snapshots while populating
  std::string before;
  {
    auto store = StateStore::open(*SqliteLog::open_data_dir(dir.str()), options);
    ASSERT_TRUE(store.has_value()) << store.error().to_string();
    populate(**store, 200);
    ASSERT_TRUE((*store)->write_snapshot().is_ok());
    must_apply(**store, NodeUpdateStatus{"n1", model::kNodeStatusDown, std::nullopt, {}});
    before = dump(*(*store)->snapshot());
    EXPECT_GE((*store)->stats().snapshots, 1);
  }
  auto store = StateStore::open(*SqliteLog::open_data_dir(dir.str()), options);
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  EXPECT_EQ(dump(*(*store)->snapshot()), before);
  // And it keeps going from the right index.
  int64_t index = must_apply(**store, NodeRegister{make_node("n3")});
  EXPECT_EQ(index, (*store)->snapshot()->index());
}

TEST(StateStore, ReplaysTheWholeLogWithoutSnapshot) {
  TempDir dir;
  StateStoreOptions options = testing::fixed_clock_options();
  options.snapshot_every = 0;
  std::string before;
  {
    auto store = StateStore::open(*SqliteLog::open_data_dir(dir.str()), options);
    ASSERT_TRUE(store.has_value());
    populate(**store, 20);
    before = dump(*(*store)->snapshot());
  }
  auto store = StateStore::open(*SqliteLog::open_data_dir(dir.str()), options);
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  EXPECT_EQ(dump(*(*store)->snapshot()), before);
}

TEST(StateStore, DamagedDatabaseNamesTheFile) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "server");
  std::string path = (dir.path() / "server" / "state.db").string();
  {
    std::ofstream out(path);
    out << std::string(8192, 'x');
  }
  auto log = SqliteLog::open_data_dir(dir.str());
  ASSERT_FALSE(log.has_value());
  EXPECT_NE(log.error().message().find(path), std::string::npos) << log.error().message();
  EXPECT_NE(log.error().message().find("not a database"), std::string::npos)
      << log.error().message();
}

TEST(StateStore, UnreadableLogEntryNamesTheLogAndIndex) {
  auto log = std::make_unique<MemoryLog>();
  ASSERT_TRUE(log->append({LogRecord{1, "{\"Type\":\"Bogus\",\"Request\":{}}"}}).is_ok());
  auto store = StateStore::open(std::move(log));
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().message().find("memory log: log entry 1"), std::string::npos)
      << store.error().message();
}

}  // namespace
}  // namespace caravan::state
