// ClientAgent: the client half of `caravan agent`. Fingerprints the node (with
// its drivers), registers with a server and heartbeats, watches the node's
// allocations with blocking queries, runs them with AllocRunners, reports their
// status in batches, and keeps local state under <data_dir>/client so a
// restarted agent re-attaches to its running tasks. Serves task logs/restarts.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/alloc_runner.h"
#include "client/local_state.h"
#include "client/service_registrar.h"
#include "core/duration.h"
#include "core/status.h"
#include "drivers/driver_options.h"
#include "http/message.h"
#include "model/allocation.h"
#include "model/node.h"

namespace caravan::client {

class ServerApi;

struct ClientConfig {
  std::vector<std::string> servers;  // "http://127.0.0.1:4646"; at least one
  std::string data_dir;              // required
  std::string node_name;             // default: the host name
  std::string datacenter = "dc1";
  std::string region = "global";
  std::string node_pool = "default";
  std::string node_class;
  std::map<std::string, std::string> meta;
  model::NodeReservedResources reserved;
  int min_dynamic_port = 20000;
  int max_dynamic_port = 32000;
  // Nomad's client `options`: "driver.allowlist" / "driver.denylist" (comma
  // separated driver names) are honoured; the rest is kept for drivers.
  std::map<std::string, std::string> options;
  std::string http_addr;     // Node.HTTPAddr, "ip:port" of this agent's API
  std::string advertise_ip;  // default: detected
  std::string version;
  drivers::DriverOptions driver_options;

  Duration watch_wait = std::chrono::seconds(30);          // blocking query wait
  Duration update_batch = std::chrono::milliseconds(100);  // status updates coalesce this long
  Duration retry_initial = std::chrono::milliseconds(500);
  Duration retry_max = std::chrono::seconds(15);
  Duration max_kill_timeout = std::chrono::seconds(30);
  size_t max_terminal_allocs = 50;  // alloc dirs kept beyond that are destroyed, oldest first
};

// Thread-safe. Runs three threads (heartbeat, sync, allocation watch) plus
// one per running task.
class ClientAgent {
 public:
  // Fingerprints, loads local state and re-attaches to saved allocations, then
  // starts talking to the servers in the background (retrying until one
  // answers). Errors: InvalidArgument for a bad config, or the fingerprint or
  // local-state error (naming the data dir).
  static Result<std::unique_ptr<ClientAgent>> start(ClientConfig config);
  // Stops the threads; tasks keep running for the next agent with this data dir.
  ~ClientAgent();
  // Stops every allocation's tasks (kill_signal, then SIGKILL after their
  // kill_timeout) and waits up to `timeout` for them: for a `-dev` agent, whose
  // data dir — and with it any way to re-attach — goes away at exit.
  void stop_all_allocs(Duration timeout);
  ClientAgent(const ClientAgent&) = delete;
  ClientAgent& operator=(const ClientAgent&) = delete;

  // GET /v1/client/fs/logs/:alloc (see task_logs_endpoint.h); 404 for an
  // allocation not on this node.
  http::Response task_logs(const http::Request& request, const std::string& alloc_id);
  // `alloc restart`: one task, or every running task when `task` is empty.
  // Errors: NotFound (alloc or task), FailedPrecondition (not running).
  Status restart_alloc(const std::string& alloc_id, const std::string& task);

  const model::Node& node() const { return *node_; }
  bool registered() const;
  std::vector<std::string> alloc_ids() const;
  // What the client would report for the allocation; nullopt if not here.
  std::optional<model::Allocation> alloc_status(const std::string& alloc_id) const;
  std::shared_ptr<const AllocRunner> alloc_runner(const std::string& alloc_id) const;

 private:
  struct Shared;
  struct Entry {
    std::shared_ptr<AllocRunner> runner;
    uint64_t seq = 0;  // creation order, for GC
  };
  ClientAgent(ClientConfig config, std::shared_ptr<const model::Node> node, LocalState state);

  void restore();
  std::shared_ptr<AllocRunner> find_runner(const std::string& alloc_id) const;
  // Runs detached: it may sit in a blocking query after the agent is gone, so
  // it touches only `shared` and its own ServerApi.
  static void watch_loop(std::shared_ptr<Shared> shared, ServerApi api, Duration wait,
                         Duration retry_initial, Duration retry_max);
  void heartbeat_loop();
  void sync_loop();
  void apply_allocs(const std::vector<model::Allocation>& allocs);
  void flush_updates(ServerApi& api, std::set<std::string> ids, Duration& backoff);
  void add_runner(model::Allocation alloc, const std::map<std::string, SavedTask>* saved);
  void destroy_later(std::shared_ptr<AllocRunner> runner);
  // Drains the allocation's instances (its group has a shutdown_delay), then
  // deregisters them and hands `alloc` (the stop) to the runner: on its own
  // thread, when every live ingress reports them idle or the delay runs out.
  // False when there is nothing to drain (stop at once).
  bool stop_after_drain(const std::shared_ptr<AllocRunner>& runner, const model::Allocation& alloc);
  void finish_drain(std::shared_ptr<AllocRunner> runner, std::string alloc_id,
                    std::chrono::steady_clock::time_point deadline,
                    std::shared_ptr<std::atomic<bool>> done);
  void collect_garbage();
  // Runs the allocations' deployment health checks; when to run them next.
  std::optional<std::chrono::steady_clock::time_point> check_health();
  void mark_dirty(const std::string& alloc_id);
  AllocRunnerConfig runner_config() const;
  // Registers the services of allocations that now run and deregisters those
  // of allocations that stopped (service_registrar.h).
  void reconcile_services();
  // The instances an allocation offers, each check prepared in its task's
  // environment.
  std::vector<PlannedInstance> plan_services(const AllocRunner& runner,
                                             const model::Allocation& alloc) const;
  ServiceRegistrarOptions registrar_options();

  const ClientConfig config_;
  const std::shared_ptr<const model::Node> node_;
  const LocalState state_;
  std::map<std::string, std::string> host_env_;
  std::shared_ptr<Shared> shared_;

  mutable std::mutex runners_mu_;
  std::map<std::string, Entry> runners_;
  uint64_t next_seq_ = 0;
  std::vector<std::thread> destroyers_;  // guarded by runners_mu_
  // Allocations whose instances drain before their tasks are signalled: the
  // newest allocation the server sent for each (applied when the drain ends),
  // and the threads that wait. Guarded by runners_mu_.
  std::map<std::string, model::Allocation> pending_stops_;
  struct Stopper {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;  // set by the thread as it ends
  };
  std::vector<Stopper> stoppers_;

  std::unique_ptr<ServiceRegistrar> services_;

  std::thread heartbeat_thread_;
  std::thread sync_thread_;
};

// The node as this client registers it: fingerprinted attributes and resources,
// identity from the data dir, and every allowed driver's fingerprint.
Result<model::Node> fingerprint_client_node(const ClientConfig& config);

}  // namespace caravan::client
