// The C1M shape (Nomad's "million container challenge") on this machine: N
// simulated nodes registered in the server's state (no client processes) and
// service jobs totalling A allocations, pushed through the whole server path —
// job registration, evaluation broker, scheduler workers, plan queue, plan
// applier, durable commit to the SQLite log — exactly as `caravan agent` runs it.
//
//   scheduler_bench [--nodes=5000] [--allocs=1000000] [--jobs=1000]
//                   [--schedulers=0] [--scaling] [--scaling-allocs=100000]
//
// --scaling first runs --scaling-allocs allocations on 500, 5,000 and 10,000
// nodes and prints the time per placement of each. The last line is always the
// main run: placements_per_sec=N wall_s=T peak_rss_mb=M nodes=K allocs=A
#include <sys/resource.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/temp_file.h"
#include "core/uuid.h"
#include "server/server.h"

namespace caravan {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int nodes = 5000;
  int64_t allocs = 1'000'000;
  int jobs = 1000;
  int schedulers = 0;
  bool scaling = false;
  int64_t scaling_allocs = 100'000;
};

struct RunResult {
  int64_t placed = 0;
  double wall_s = 0;
};

bool parse_flag(std::string_view arg, std::string_view name, int64_t& out) {
  std::string prefix = "--" + std::string(name) + "=";
  if (arg.substr(0, prefix.size()) != prefix) return false;
  std::string_view value = arg.substr(prefix.size());
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size() || out < 0) {
    std::fprintf(stderr, "scheduler_bench: %s wants a non-negative integer, got \"%s\"\n",
                 std::string(name).c_str(), std::string(value).c_str());
    std::exit(2);
  }
  return true;
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    int64_t value = 0;
    if (parse_flag(arg, "nodes", value)) {
      options.nodes = static_cast<int>(value);
    } else if (parse_flag(arg, "allocs", value)) {
      options.allocs = value;
    } else if (parse_flag(arg, "jobs", value)) {
      options.jobs = static_cast<int>(value);
    } else if (parse_flag(arg, "schedulers", value)) {
      options.schedulers = static_cast<int>(value);
    } else if (parse_flag(arg, "scaling-allocs", value)) {
      options.scaling_allocs = value;
    } else if (arg == "--scaling") {
      options.scaling = true;
    } else {
      std::fprintf(stderr, "scheduler_bench: unknown argument \"%s\"\n", argv[i]);
      std::exit(2);
    }
  }
  if (options.nodes < 1 || options.jobs < 1 || options.allocs < options.jobs) {
    std::fprintf(stderr, "scheduler_bench: need nodes >= 1 and allocs >= jobs >= 1\n");
    std::exit(2);
  }
  return options;
}

// A node with room for a few hundred of the jobs' allocations.
model::Node simulated_node(int i) {
  model::Node node;
  node.id = generate_uuid();
  node.secret_id = generate_uuid();
  node.name = "sim-" + std::to_string(i);
  node.datacenter = "dc1";
  node.attributes = {{"kernel.name", "linux"},
                     {"cpu.arch", "amd64"},
                     {"unique.hostname", node.name},
                     {"unique.network.ip-address", "10.0." + std::to_string(i / 250) + "." +
                                                       std::to_string(i % 250 + 1)}};
  node.node_resources.cpu.cpu_shares = 64'000;
  node.node_resources.cpu.total_cpu_cores = 32;
  node.node_resources.memory.memory_mb = 65'536;
  node.node_resources.disk.disk_mb = 500'000;
  node.node_resources.networks.push_back(
      model::NodeNetwork{"host", "eth0", node.attributes["unique.network.ip-address"], ""});
  node.drivers["raw_exec"] = model::DriverInfo{{}, true, true, "Healthy", ""};
  return node;
}

// A service job of `count` small tasks, each with one dynamic port.
model::Job bench_job(int index, int64_t count) {
  model::Job job;
  job.id = "c1m-" + std::to_string(index);
  job.name = job.id;
  job.type = model::kJobTypeService;
  job.datacenters = {"*"};
  model::TaskGroup group;
  group.name = "app";
  group.count = static_cast<int>(count);
  model::NetworkResource network;
  network.mode = "host";
  model::Port port;
  port.label = "http";
  network.dynamic_ports.push_back(port);
  group.networks.push_back(network);
  group.ephemeral_disk = model::EphemeralDisk{false, 300, false};
  model::Task task;
  task.name = "app";
  task.driver = "raw_exec";
  task.config = model::RawJson::from_canonical_text(R"({"command":"/bin/sleep","args":["3600"]})");
  task.resources.cpu = 100;
  task.resources.memory_mb = 64;
  group.tasks.push_back(task);
  job.task_groups.push_back(group);
  return job;
}

// Runs `count` calls of `fn(i)` on `threads` threads (concurrent writers share
// group commits, as concurrent API requests do).
template <class Fn>
void parallel_for(int count, int threads, Fn fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < count; i = next++) fn(i);
    });
  }
  for (std::thread& thread : pool) thread.join();
}

void fail(const std::string& what) {
  std::fprintf(stderr, "scheduler_bench: %s\n", what.c_str());
  std::exit(1);
}

// Waits until every evaluation has left pending; fails on a failed or blocked
// one. Prints progress to stderr every 10 s (evaluations done, placement rate).
void wait_for_evals(server::Server& server, const std::vector<std::string>& eval_ids,
                    int64_t allocs_per_eval) {
  size_t done = 0;  // evals before this one are finished
  Clock::time_point start = Clock::now();
  Clock::time_point next_report = start + std::chrono::seconds(10);
  size_t reported = 0;
  while (done < eval_ids.size()) {
    if (Clock::now() >= next_report) {
      double rate = static_cast<double>((done - reported) * allocs_per_eval) / 10.0;
      std::fprintf(stderr, "  %5.0fs: %zu/%zu evaluations, ~%.0f placements/s in the last 10 s\n",
                   std::chrono::duration<double>(Clock::now() - start).count(), done,
                   eval_ids.size(), rate);
      reported = done;
      next_report += std::chrono::seconds(10);
    }
    state::StateViewPtr view = server.state().snapshot();
    while (done < eval_ids.size()) {
      state::EvalPtr eval = view->eval(eval_ids[done]);
      if (!eval || eval->status == model::kEvalStatusPending) break;
      if (eval->status != model::kEvalStatusComplete) {
        fail("evaluation " + eval->id + " ended " + eval->status + ": " + eval->status_description);
      }
      ++done;
    }
    if (done < eval_ids.size()) {
      server.state().wait_for(state::Table::kEvals, view->index(),
                              Clock::now() + std::chrono::milliseconds(200));
    }
  }
}

// One run in a fresh data dir: nodes registered first (not timed), then the
// jobs registered and scheduled (timed until the last evaluation completes).
RunResult run(int nodes, int64_t allocs, int jobs, int schedulers) {
  Result<TempDir> data_dir = TempDir::create("caravan-c1m");
  if (!data_dir) fail(data_dir.error().message());
  server::ServerConfig config;
  config.data_dir = data_dir->path();
  config.num_schedulers = schedulers;
  config.heartbeat_ttl = std::chrono::hours(1);  // simulated nodes never heartbeat
  Result<std::unique_ptr<server::Server>> started = server::Server::start(config);
  if (!started) fail(started.error().message());
  server::Server& server = **started;

  parallel_for(nodes, 16, [&](int i) {
    Result<std::chrono::milliseconds> registered = server.register_node(simulated_node(i));
    if (!registered) fail(registered.error().message());
  });

  std::vector<std::string> eval_ids(static_cast<size_t>(jobs));
  Clock::time_point start = Clock::now();
  parallel_for(jobs, 16, [&](int i) {
    int64_t count = allocs / jobs + (i < allocs % jobs ? 1 : 0);
    Result<server::RegisterJobResult> registered = server.register_job(bench_job(i, count), std::nullopt);
    if (!registered) fail(registered.error().message());
    eval_ids[static_cast<size_t>(i)] = registered->eval_id;
  });
  wait_for_evals(server, eval_ids, allocs / jobs);
  RunResult result;
  result.wall_s = std::chrono::duration<double>(Clock::now() - start).count();

  state::StateViewPtr view = server.state().snapshot();
  for (int i = 0; i < jobs; ++i) {
    result.placed += static_cast<int64_t>(view->allocs_by_job("default", "c1m-" + std::to_string(i)).size());
  }
  if (result.placed != allocs) {
    fail("placed " + std::to_string(result.placed) + " allocations, wanted " + std::to_string(allocs));
  }
  return result;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
}

}  // namespace
}  // namespace caravan

int main(int argc, char** argv) {
  using namespace caravan;
  Options options = parse_options(argc, argv);
  if (options.scaling) {
    for (int nodes : {500, 5000, 10000}) {
      RunResult result = run(nodes, options.scaling_allocs, 100, options.schedulers);
      std::printf("scaling nodes=%d allocs=%lld wall_s=%.2f us_per_placement=%.2f\n", nodes,
                  static_cast<long long>(result.placed), result.wall_s,
                  result.wall_s * 1e6 / static_cast<double>(result.placed));
      std::fflush(stdout);
    }
  }
  RunResult result = run(options.nodes, options.allocs, options.jobs, options.schedulers);
  std::printf("placements_per_sec=%.0f wall_s=%.2f peak_rss_mb=%.0f nodes=%d allocs=%lld\n",
              static_cast<double>(result.placed) / result.wall_s, result.wall_s, peak_rss_mb(),
              options.nodes, static_cast<long long>(result.placed));
  return 0;
}
