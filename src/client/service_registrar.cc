#include "client/service_registrar.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "client/check_restart.h"
#include "client/check_runner.h"
#include "client/task_events.h"

namespace caravan::client {

struct ServiceRegistrar::AllocEntry {
  std::vector<PlannedInstance> instances;
  std::vector<std::unique_ptr<CheckRestartTracker>> restarts;
  // Declared last, so destroyed first: every runner has stopped (and will call
  // back no more) before the trackers and instances go.
  std::vector<std::unique_ptr<CheckRunner>> runners;
};

ServiceRegistrar::ServiceRegistrar(ServiceRegistrarOptions options) : options_(std::move(options)) {
  sender_ = std::thread(&ServiceRegistrar::send_loop, this);
}

ServiceRegistrar::~ServiceRegistrar() {
  std::map<std::string, std::unique_ptr<AllocEntry>> allocs;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    allocs.swap(allocs_);
  }
  cv_.notify_all();
  allocs.clear();  // stops the checks, outside the lock their callbacks take
  sender_.join();
}

void ServiceRegistrar::add(const std::string& alloc_id, std::vector<PlannedInstance> instances) {
  auto entry = std::make_unique<AllocEntry>();
  entry->instances = std::move(instances);
  AllocEntry* added = entry.get();
  {
    std::lock_guard lock(mu_);
    if (stopping_ || allocs_.contains(alloc_id)) return;
    allocs_[alloc_id] = std::move(entry);
    to_deregister_.erase(alloc_id);
    if (!added->instances.empty()) to_upsert_.insert(alloc_id);
    // Started under the lock: their callbacks take it, so the first result
    // waits until the entry is complete.
    start_checks(alloc_id, *added);
  }
  cv_.notify_all();
}

void ServiceRegistrar::start_checks(const std::string& alloc_id, AllocEntry& entry) {
  for (size_t i = 0; i < entry.instances.size(); ++i) {
    PlannedInstance& instance = entry.instances[i];
    for (size_t c = 0; c < instance.checks.size(); ++c) {
      PlannedCheck& planned = instance.checks[c];
      if (!planned.prepared.checker) continue;  // not runnable: keeps its initial status
      CheckRunner::ProbeCallback on_probe;
      if (planned.prepared.restart && options_.restart_task) {
        std::string task = planned.task;
        auto tracker = std::make_unique<CheckRestartTracker>(
            *planned.prepared.restart, planned.name, std::chrono::steady_clock::now(),
            [this, alloc_id, task](const std::string& reason) {
              spdlog::info("client: allocation {}: restarting task {}: {}", alloc_id, task, reason);
              options_.restart_task(alloc_id, task);
            });
        CheckRestartTracker* observed = tracker.get();
        on_probe = [observed](const CheckState& state, const CheckResult&) {
          observed->observe(state.status, std::chrono::steady_clock::now());
        };
        entry.restarts.push_back(std::move(tracker));
      }
      model::ServiceCheckStatus reported = instance.registration.checks[c];
      auto runner = std::make_unique<CheckRunner>(
          std::move(planned.prepared.checker), planned.prepared.options,
          [this, alloc_id, i, c, reported](const CheckState& state) mutable {
            reported.status = check_status_name(state.status);
            reported.output = state.output;
            reported.update_time = unix_now_ns();
            on_check_result(alloc_id, i, c, reported);
          },
          std::move(on_probe));
      runner->start();
      entry.runners.push_back(std::move(runner));
    }
  }
}

void ServiceRegistrar::remove(const std::string& alloc_id, Duration timeout) {
  std::unique_ptr<AllocEntry> entry;
  {
    std::lock_guard lock(mu_);
    auto it = allocs_.find(alloc_id);
    if (it == allocs_.end()) return;
    entry = std::move(it->second);
    allocs_.erase(it);
    to_upsert_.erase(alloc_id);
    if (!entry->instances.empty()) {
      to_deregister_.insert(alloc_id);
      unconfirmed_.insert(alloc_id);
    }
  }
  cv_.notify_all();
  entry.reset();  // stops its checks
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return stopping_ || !unconfirmed_.contains(alloc_id); });
}

void ServiceRegistrar::replace(const std::string& alloc_id, std::vector<PlannedInstance> instances) {
  auto entry = std::make_unique<AllocEntry>();
  entry->instances = std::move(instances);
  std::unique_ptr<AllocEntry> old;
  {
    std::lock_guard lock(mu_);
    auto it = allocs_.find(alloc_id);
    if (stopping_ || it == allocs_.end()) return;
    old = std::move(it->second);
    // The same instance and check ids: carry what the server already knows.
    for (PlannedInstance& now : entry->instances) {
      for (const PlannedInstance& before : old->instances) {
        if (before.registration.id != now.registration.id) continue;
        now.registration.draining = before.registration.draining;
        now.registration.drain_start_time = before.registration.drain_start_time;
        for (model::ServiceCheckStatus& check : now.registration.checks) {
          for (const model::ServiceCheckStatus& last : before.registration.checks) {
            if (last.id == check.id) check = last;
          }
        }
      }
    }
    it->second = std::move(entry);
    if (!it->second->instances.empty()) to_upsert_.insert(alloc_id);
    start_checks(alloc_id, *it->second);
  }
  cv_.notify_all();
  old.reset();  // stops the old checks, outside the lock their callbacks take
}

std::optional<bool> ServiceRegistrar::canary(const std::string& alloc_id) const {
  std::lock_guard lock(mu_);
  auto it = allocs_.find(alloc_id);
  if (it == allocs_.end() || it->second->instances.empty()) return std::nullopt;
  return it->second->instances.front().registration.canary;
}

bool ServiceRegistrar::drain(const std::string& alloc_id) {
  {
    std::lock_guard lock(mu_);
    auto it = allocs_.find(alloc_id);
    if (stopping_ || it == allocs_.end() || it->second->instances.empty()) return false;
    int64_t now = unix_now_ns();
    for (PlannedInstance& instance : it->second->instances) {
      if (instance.registration.draining) continue;
      instance.registration.draining = true;
      instance.registration.drain_start_time = now;
    }
    to_upsert_.insert(alloc_id);
  }
  cv_.notify_all();
  return true;
}

bool ServiceRegistrar::has(const std::string& alloc_id) const {
  std::lock_guard lock(mu_);
  return allocs_.contains(alloc_id);
}

void ServiceRegistrar::resync() {
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, entry] : allocs_) {
      if (!entry->instances.empty()) to_upsert_.insert(id);
    }
  }
  cv_.notify_all();
}

std::vector<model::ServiceRegistration> ServiceRegistrar::instances(const std::string& alloc_id) const {
  std::lock_guard lock(mu_);
  std::vector<model::ServiceRegistration> out;
  auto it = allocs_.find(alloc_id);
  if (it == allocs_.end()) return out;
  for (const PlannedInstance& instance : it->second->instances) out.push_back(instance.registration);
  return out;
}

bool ServiceRegistrar::checks_pass(const std::string& alloc_id) const {
  std::lock_guard lock(mu_);
  auto it = allocs_.find(alloc_id);
  if (it == allocs_.end()) return false;
  for (const PlannedInstance& instance : it->second->instances) {
    for (const model::ServiceCheckStatus& check : instance.registration.checks) {
      if (check.status != check_status_name(CheckStatus::kPassing)) return false;
    }
  }
  return true;
}

void ServiceRegistrar::on_check_result(const std::string& alloc_id, size_t instance, size_t check,
                                       const model::ServiceCheckStatus& status) {
  {
    std::lock_guard lock(mu_);
    auto it = allocs_.find(alloc_id);
    if (it == allocs_.end() || instance >= it->second->instances.size()) return;
    std::vector<model::ServiceCheckStatus>& checks =
        it->second->instances[instance].registration.checks;
    if (check >= checks.size() || checks[check] == status) return;
    checks[check] = status;
    to_upsert_.insert(alloc_id);
  }
  cv_.notify_all();
}

void ServiceRegistrar::send_loop() {
  Result<ServerApi> api = ServerApi::create(options_.servers, options_.node_id, options_.secret_id);
  if (!api) {
    spdlog::error("client: service registrar: {}", api.error().message());
    return;
  }
  Duration backoff = options_.retry_initial;
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !to_upsert_.empty() || !to_deregister_.empty(); });
    if (stopping_) return;
    std::vector<std::string> deregister(to_deregister_.begin(), to_deregister_.end());
    std::vector<model::ServiceRegistration> upsert;
    std::set<std::string> upserted = to_upsert_;
    for (const std::string& id : upserted) {
      for (const PlannedInstance& instance : allocs_.at(id)->instances) {
        upsert.push_back(instance.registration);
      }
    }
    to_deregister_.clear();
    to_upsert_.clear();
    lock.unlock();
    Status sent = Status::ok();
    if (!deregister.empty()) sent = api->deregister_services(deregister);
    if (sent.is_ok() && !upsert.empty()) sent = api->upsert_services(upsert);
    lock.lock();
    if (sent.is_ok()) {
      backoff = options_.retry_initial;
      for (const std::string& id : deregister) unconfirmed_.erase(id);
      cv_.notify_all();
      continue;
    }
    spdlog::warn("client: cannot update the catalog ({} registration(s), {} deregistration(s)): "
                 "{}; retrying in {}",
                 upsert.size(), deregister.size(), sent.message(), format_duration(backoff));
    for (const std::string& id : deregister) {
      if (!allocs_.contains(id)) to_deregister_.insert(id);
    }
    for (const std::string& id : upserted) {
      if (allocs_.contains(id)) to_upsert_.insert(id);
    }
    cv_.wait_for(lock, backoff, [&] { return stopping_; });
    backoff = std::min<Duration>(backoff * 2, options_.retry_max);
  }
}

}  // namespace caravan::client
