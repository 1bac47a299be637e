// Benchmarks of the state store on the C1M path (plan → apply of allocations):
// BM_ApplyPlanDurable: ApplyPlanResults of 1,000 allocations each, committed to a
//   SqliteLog (WAL, synchronous=FULL) and applied; allocs/s (items_per_second),
//   with 1 and 4 writer threads (group commit).
// BM_Snapshot1M: taking a snapshot with 1,000,000 allocations on 5,000 nodes.
// BM_AllocsByNode1M: reading one node's allocations from that snapshot.
// BM_ApplyPlanInto1M: applying a further 1,000-alloc plan to that state (memory log).
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "state/memory_log.h"
#include "state/sqlite_log.h"
#include "state/state_store.h"

namespace caravan::state {
namespace {

constexpr int kAllocsPerPlan = 1000;
constexpr int kNodes = 5000;

model::Job bench_job() {
  model::Job job;
  job.id = "c1m";
  job.name = "c1m";
  job.namespace_name = "default";
  job.type = model::kJobTypeService;
  job.priority = 50;
  job.datacenters = {"dc1"};
  model::TaskGroup group;
  group.name = "web";
  group.count = 1'000'000;
  model::Task task;
  task.name = "web";
  task.driver = "raw_exec";
  group.tasks.push_back(task);
  job.task_groups.push_back(std::move(group));
  return job;
}

std::string node_id(int i) { return "node-" + std::to_string(100000 + i); }

// Allocations [first, first + count) of the job, spread over the nodes.
ApplyPlanResults plan_of(const JobPtr& job, int64_t first, int count) {
  ApplyPlanResults plan;
  plan.eval_id = "eval-" + std::to_string(first);
  plan.allocs_placed.reserve(static_cast<size_t>(count));
  for (int64_t i = first; i < first + count; ++i) {
    model::Allocation alloc;
    char id[40];
    std::snprintf(id, sizeof id, "%08llx-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(i * 2654435761ULL % 0xffffffffULL),
                  static_cast<unsigned long long>(i));
    alloc.id = id;
    alloc.eval_id = plan.eval_id;
    alloc.namespace_name = "default";
    alloc.job_id = job->id;
    alloc.job = job;
    alloc.task_group = "web";
    alloc.name = model::allocation_name(job->id, "web", static_cast<int>(i));
    alloc.node_id = node_id(static_cast<int>(i % kNodes));
    alloc.allocated_resources.tasks["web"].cpu_shares = 100;
    alloc.allocated_resources.tasks["web"].memory_mb = 64;
    plan.allocs_placed.push_back(std::move(alloc));
  }
  return plan;
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "state_bench: %s failed\n", what);
    std::abort();
  }
}

JobPtr register_job(StateStore& store) {
  check(store.apply(JobRegister{bench_job(), std::nullopt}).has_value(), "JobRegister");
  return store.snapshot()->job("default", "c1m");
}

// ------------------------------------------------------------ durable apply

struct DurableFixture {
  std::filesystem::path dir;
  std::unique_ptr<StateStore> store;
  JobPtr job;
  std::atomic<int64_t> next{0};
};
std::mutex durable_mu;
std::unique_ptr<DurableFixture> durable;

void BM_ApplyPlanDurable(benchmark::State& state) {
  if (state.thread_index() == 0) {
    std::lock_guard lock(durable_mu);
    if (durable != nullptr) {
      durable->store.reset();
      std::error_code ec;
      std::filesystem::remove_all(durable->dir, ec);
    }
    durable = std::make_unique<DurableFixture>();
    durable->dir = std::filesystem::temp_directory_path() /
                   ("caravan-state-bench-" + std::to_string(std::random_device{}()));
    StateStoreOptions options;
    options.snapshot_every = 0;
    durable->store = std::move(
        StateStore::open(std::move(SqliteLog::open_data_dir(durable->dir.string())).value(),
                         options)
            .value());
    durable->job = register_job(*durable->store);
  }
  // Google Benchmark starts the threads' loops together after this point.
  // Building the plan (~1 ms of the figure) stays in the loop: pausing timers is
  // not reliable with several threads.
  for (auto _ : state) {
    ApplyPlanResults plan =
        plan_of(durable->job, durable->next.fetch_add(kAllocsPerPlan), kAllocsPerPlan);
    check(durable->store->apply(std::move(plan)).has_value(), "ApplyPlanResults");
  }
  state.SetItemsProcessed(state.iterations() * kAllocsPerPlan);
  if (state.thread_index() == 0) {
    std::lock_guard lock(durable_mu);
    StateStoreStats stats = durable->store->stats();
    state.counters["entries_per_txn"] =
        static_cast<double>(stats.entries) / static_cast<double>(std::max<int64_t>(stats.batches, 1));
  }
}
BENCHMARK(BM_ApplyPlanDurable)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(1);
BENCHMARK(BM_ApplyPlanDurable)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(4);

// ------------------------------------------------------------ 1M allocations

struct MillionFixture {
  std::unique_ptr<StateStore> store;
  JobPtr job;
  int64_t next = 0;
};

MillionFixture& million() {
  static MillionFixture* fixture = [] {
    auto* f = new MillionFixture;
    StateStoreOptions options;
    options.snapshot_every = 0;
    f->store = std::move(StateStore::open(std::make_unique<MemoryLog>(), options).value());
    f->job = register_job(*f->store);
    auto start = std::chrono::steady_clock::now();
    for (; f->next < 1'000'000; f->next += kAllocsPerPlan) {
      check(f->store->apply(plan_of(f->job, f->next, kAllocsPerPlan)).has_value(), "fill");
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("filled 1,000,000 allocations on %d nodes in %.1f s (%.0f allocs/s, memory log)\n",
                kNodes, seconds, 1e6 / seconds);
    return f;
  }();
  return *fixture;
}

void BM_Snapshot1M(benchmark::State& state) {
  StateStore& store = *million().store;
  for (auto _ : state) {
    StateViewPtr view = store.snapshot();
    benchmark::DoNotOptimize(view);
  }
}
BENCHMARK(BM_Snapshot1M)->Unit(benchmark::kNanosecond);

void BM_AllocsByNode1M(benchmark::State& state) {
  StateViewPtr view = million().store->snapshot();
  int i = 0;
  for (auto _ : state) {
    auto allocs = view->allocs_by_node(node_id(i++ % kNodes));
    benchmark::DoNotOptimize(allocs);
  }
}
BENCHMARK(BM_AllocsByNode1M)->Unit(benchmark::kMicrosecond);

void BM_ApplyPlanInto1M(benchmark::State& state) {
  MillionFixture& f = million();
  for (auto _ : state) {
    state.PauseTiming();
    ApplyPlanResults plan = plan_of(f.job, f.next, kAllocsPerPlan);
    f.next += kAllocsPerPlan;
    StateViewPtr held = f.store->snapshot();  // a scheduler holding a snapshot meanwhile
    state.ResumeTiming();
    check(f.store->apply(std::move(plan)).has_value(), "ApplyPlanResults");
  }
  state.SetItemsProcessed(state.iterations() * kAllocsPerPlan);
}
BENCHMARK(BM_ApplyPlanInto1M)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace caravan::state

int main(int argc, char** argv) {
  std::string command;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) command += ' ';
    command += argv[i];
  }
  std::printf("command: %s\n", command.c_str());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (caravan::state::durable != nullptr) {
    caravan::state::durable->store.reset();
    std::error_code ec;
    std::filesystem::remove_all(caravan::state::durable->dir, ec);
  }
  return 0;
}
