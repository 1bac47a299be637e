// ServiceRegistrar: keeps the server's catalog in step with this client's
// allocations. An allocation that runs gets its service instances registered
// (service_instances.h) and their checks started; each check result that
// changes an instance is sent as an update; an allocation about to stop has its
// instances marked draining (when its group has a shutdown_delay) and then
// deregistered, so the ingress stops routing to it before its tasks are
// signalled. One sender thread batches what the server must learn
// and retries until it has; after the node registers again (the server may have
// dropped its instances while it was down) everything is sent afresh.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/server_api.h"
#include "client/service_instances.h"
#include "core/duration.h"

namespace caravan::client {

struct ServiceRegistrarOptions {
  std::vector<std::string> servers;
  std::string node_id;
  std::string secret_id;
  Duration retry_initial = std::chrono::milliseconds(500);
  Duration retry_max = std::chrono::seconds(15);
  // check_restart asks for a task of an allocation to restart.
  std::function<void(const std::string& alloc_id, const std::string& task)> restart_task;
  // A script check's environment: the task's variables and working directory.
  std::function<std::map<std::string, std::string>(const std::string& alloc_id,
                                                   const std::string& task)>
      task_env;
  std::function<std::string(const std::string& alloc_id, const std::string& task)> task_dir;
};

// Thread-safe.
class ServiceRegistrar {
 public:
  explicit ServiceRegistrar(ServiceRegistrarOptions options);
  ~ServiceRegistrar();  // stops the checks and the sender (nothing more is sent)
  ServiceRegistrar(const ServiceRegistrar&) = delete;
  ServiceRegistrar& operator=(const ServiceRegistrar&) = delete;

  // The allocation runs: registers `instances` and starts their checks. A call
  // for an allocation already registered changes nothing.
  void add(const std::string& alloc_id, std::vector<PlannedInstance> instances);
  // The allocation stops (or is over): its checks stop and its instances leave
  // the catalog. Waits up to `timeout` for the server to confirm (0 = do not
  // wait), so that its tasks are signalled only once the catalog dropped them.
  void remove(const std::string& alloc_id, Duration timeout);
  bool has(const std::string& alloc_id) const;
  // Replaces the instances of a registered allocation (its canary flag
  // changed: promotion registers the normal tags and meta), keeping each
  // check's last status and a drain in progress. No-op when not registered.
  void replace(const std::string& alloc_id, std::vector<PlannedInstance> instances);
  // Whether the allocation's instances are registered as canaries; nullopt
  // when it is not registered or has no instance.
  std::optional<bool> canary(const std::string& alloc_id) const;
  // The allocation is about to stop: its instances turn draining (the ingress
  // sends them no new sessions). False when it has no instance to drain.
  bool drain(const std::string& alloc_id);
  // The node registered again: send every instance afresh.
  void resync();

  // Whether every check of the allocation's instances passes: false while the
  // allocation is not registered here (its checks have not run yet), true for
  // registered instances without checks. The allocation's health asks this.
  bool checks_pass(const std::string& alloc_id) const;

  // What this client holds for an allocation (tests, `alloc checks`).
  std::vector<model::ServiceRegistration> instances(const std::string& alloc_id) const;

 private:
  struct AllocEntry;
  // Starts a CheckRunner (and a check_restart tracker) per prepared check.
  // Caller holds mu_.
  void start_checks(const std::string& alloc_id, AllocEntry& entry);
  void on_check_result(const std::string& alloc_id, size_t instance, size_t check,
                       const model::ServiceCheckStatus& status);
  void send_loop();

  ServiceRegistrarOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::unique_ptr<AllocEntry>> allocs_;
  std::set<std::string> to_upsert_;      // allocs whose instances the server must learn
  std::set<std::string> to_deregister_;  // allocs the server must drop
  std::set<std::string> unconfirmed_;    // deregistrations not yet confirmed
  bool stopping_ = false;
  std::thread sender_;
};

}  // namespace caravan::client
