#include "client/client_agent.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

#include "client/fingerprint.h"
#include "client/server_api.h"
#include "client/task_events.h"
#include "client/task_logs_endpoint.h"
#include "core/strings.h"
#include "drivers/registry.h"

extern char** environ;

namespace caravan::client {
namespace {

using SteadyClock = std::chrono::steady_clock;

// A blocking query that answers this fast without news is not waiting: pause.
constexpr auto kMinWatchSpacing = std::chrono::milliseconds(100);

std::set<std::string> name_list(const std::map<std::string, std::string>& options,
                                const std::string& key) {
  std::set<std::string> out;
  auto it = options.find(key);
  if (it == options.end()) return out;
  for (const std::string& part : split(it->second, ',')) {
    std::string name(trim(part));
    if (!name.empty()) out.insert(name);
  }
  return out;
}

Duration grow(Duration backoff, Duration max) { return std::min(backoff * 2, max); }

}  // namespace

// State shared with the allocation watch thread, which is detached at shutdown
// (it may sit in a blocking query for up to watch_wait) and so must not touch
// the agent itself.
struct ClientAgent::Shared {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  bool registered = false;
  std::optional<std::vector<model::Allocation>> allocs;  // newest list from the watch
  std::set<std::string> dirty;                           // allocs whose status to report
  SteadyClock::time_point flush_at;

  // Waits up to `timeout` for a stop; true when stopping.
  bool sleep(Duration timeout) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [this] { return stop; });
  }
};

Result<model::Node> fingerprint_client_node(const ClientConfig& config) {
  FingerprintConfig fc;
  fc.data_dir = config.data_dir;
  fc.node_name = config.node_name;
  fc.datacenter = config.datacenter;
  fc.node_class = config.node_class;
  fc.node_pool = config.node_pool;
  fc.meta = config.meta;
  fc.http_addr = config.http_addr;
  fc.advertise_ip = config.advertise_ip;
  fc.version = config.version;
  FingerprintResult result = CARAVAN_TRY(fingerprint_node(fc));
  for (const std::string& warning : result.warnings) spdlog::info("client: {}", warning);
  model::Node node = std::move(result.node);
  node.reserved_resources = config.reserved;
  node.node_resources.min_dynamic_port = config.min_dynamic_port;
  node.node_resources.max_dynamic_port = config.max_dynamic_port;

  std::set<std::string> allow = name_list(config.options, "driver.allowlist");
  std::set<std::string> deny = name_list(config.options, "driver.denylist");
  std::string now = format_rfc3339(unix_now_ns());
  for (const std::string& name : drivers::builtin_driver_names()) {
    if ((!allow.empty() && !allow.contains(name)) || deny.contains(name)) continue;
    Result<drivers::DriverPtr> driver = drivers::make_driver(name, config.driver_options);
    if (!driver) continue;
    drivers::Fingerprint fp = (*driver)->fingerprint();
    node.drivers[name] =
        model::DriverInfo{fp.attributes, fp.detected, fp.healthy, fp.health_description, now};
    if (fp.detected) {
      for (const auto& [key, value] : fp.attributes) node.attributes[key] = value;
    }
  }
  return node;
}

Result<std::unique_ptr<ClientAgent>> ClientAgent::start(ClientConfig config) {
  if (config.data_dir.empty()) return invalid_argument("the client needs a data_dir");
  if (config.servers.empty()) {
    return invalid_argument("the client has no server address: set client.servers");
  }
  model::Node node = CARAVAN_TRY(fingerprint_client_node(config));
  LocalState state = CARAVAN_TRY(LocalState::open(config.data_dir));
  // Fail early on a malformed address rather than in the background.
  CARAVAN_RETURN_IF_ERROR(ServerApi::create(config.servers, node.id, node.secret_id).status());
  std::unique_ptr<ClientAgent> agent(new ClientAgent(
      std::move(config), std::make_shared<const model::Node>(std::move(node)), std::move(state)));
  agent->services_ = std::make_unique<ServiceRegistrar>(agent->registrar_options());
  agent->restore();
  agent->heartbeat_thread_ = std::thread([a = agent.get()] { a->heartbeat_loop(); });
  agent->sync_thread_ = std::thread([a = agent.get()] { a->sync_loop(); });
  return agent;
}

ClientAgent::ClientAgent(ClientConfig config, std::shared_ptr<const model::Node> node,
                         LocalState state)
    : config_(std::move(config)),
      node_(std::move(node)),
      state_(std::move(state)),
      shared_(std::make_shared<Shared>()) {
  std::vector<std::string> entries;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) entries.emplace_back(*e);
  host_env_ = filter_host_env(entries, default_env_denylist());
}

ClientAgent::~ClientAgent() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->stop = true;
  }
  shared_->cv.notify_all();
  if (heartbeat_thread_.joinable()) heartbeat_thread_.join();
  if (sync_thread_.joinable()) sync_thread_.join();
  std::vector<Stopper> stoppers;
  {
    std::lock_guard lock(runners_mu_);
    stoppers.swap(stoppers_);
  }
  for (Stopper& s : stoppers) s.thread.join();  // they see shared_->stop within one poll
  services_.reset();  // stops the checks
  std::vector<std::thread> destroyers;
  std::map<std::string, Entry> runners;
  {
    std::lock_guard lock(runners_mu_);
    destroyers.swap(destroyers_);
    runners.swap(runners_);
  }
  for (std::thread& t : destroyers) t.join();
  // Tasks keep running; a log stream may still hold a runner for a moment.
  for (auto& [id, entry] : runners) entry.runner->detach();
}

AllocRunnerConfig ClientAgent::runner_config() const {
  AllocRunnerConfig rc;
  rc.data_dir = config_.data_dir;
  rc.node = node_;
  rc.env_options.region = config_.region;
  rc.env_options.host_env = host_env_;
  rc.driver_options = config_.driver_options;
  rc.local_state = &state_;
  rc.max_kill_timeout = config_.max_kill_timeout;
  ServiceRegistrar* services = services_.get();
  rc.checks_pass = [services](const std::string& alloc_id) {
    return services != nullptr && services->checks_pass(alloc_id);
  };
  return rc;
}

void ClientAgent::restore() {
  std::vector<std::string> warnings;
  std::vector<SavedAlloc> saved = state_.load_all(warnings);
  for (const std::string& w : warnings) spdlog::warn("client: {}", w);
  for (SavedAlloc& s : saved) {
    spdlog::info("client: restoring allocation {}", s.alloc.id);
    add_runner(std::move(s.alloc), &s.tasks);
  }
}

void ClientAgent::add_runner(model::Allocation alloc,
                             const std::map<std::string, SavedTask>* saved) {
  std::string id = alloc.id;
  auto runner = std::make_shared<AllocRunner>(runner_config(), std::move(alloc),
                                              [this](const std::string& a) { mark_dirty(a); });
  if (saved != nullptr) runner->restore(*saved);
  {
    std::lock_guard lock(runners_mu_);
    runners_[id] = Entry{runner, next_seq_++};
  }
  runner->run();
}

void ClientAgent::mark_dirty(const std::string& alloc_id) {
  {
    std::lock_guard lock(shared_->mu);
    if (shared_->dirty.empty()) shared_->flush_at = SteadyClock::now() + config_.update_batch;
    shared_->dirty.insert(alloc_id);
  }
  shared_->cv.notify_all();
}

// ---- registration and heartbeats

void ClientAgent::heartbeat_loop() {
  Result<ServerApi> api = ServerApi::create(config_.servers, node_->id, node_->secret_id);
  if (!api) return;  // checked in start()
  Duration backoff = config_.retry_initial;
  Duration ttl{0};
  SteadyClock::time_point next{};
  std::shared_ptr<Shared> shared = shared_;
  auto set_registered = [&](bool value) {
    {
      std::lock_guard lock(shared->mu);
      shared->registered = value;
    }
    shared->cv.notify_all();
  };
  bool registered = false;
  while (true) {
    if (!registered) {
      Result<Duration> r = api->register_node(*node_);
      if (!r) {
        spdlog::warn("client: cannot register with {}: {}; retrying in {}", api->current_server(),
                     r.error().message(), format_duration(backoff));
        if (shared->sleep(backoff)) return;
        backoff = grow(backoff, config_.retry_max);
        continue;
      }
      spdlog::info("client: node {} registered with {}", node_->id, api->current_server());
      services_->resync();  // the server drops a down node's instances
      registered = true;
      set_registered(true);
      backoff = config_.retry_initial;
      ttl = *r;
      next = SteadyClock::now() + ttl / 2;
      continue;
    }
    {
      std::unique_lock lock(shared->mu);
      if (shared->cv.wait_until(lock, next, [&] { return shared->stop; })) return;
    }
    Result<Duration> r = api->heartbeat();
    if (r) {
      ttl = *r;
      next = SteadyClock::now() + ttl / 2;
      backoff = config_.retry_initial;
    } else if (r.error().code() == StatusCode::kNotFound) {
      spdlog::warn("client: the server does not know node {}; registering again", node_->id);
      registered = false;
      set_registered(false);
    } else {
      spdlog::warn("client: heartbeat failed: {}", r.error().message());
      next = SteadyClock::now() + std::min(backoff, ttl / 4);
      backoff = grow(backoff, config_.retry_max);
    }
  }
}

// ---- watching allocations (detached thread; touches only `shared`)

// ---- status updates and allocation changes

// How long a stopping allocation waits for the catalog to drop its instances
// before its tasks are signalled.
constexpr Duration kDeregisterWait = std::chrono::seconds(2);

void ClientAgent::sync_loop() {
  Result<ServerApi> api = ServerApi::create(config_.servers, node_->id, node_->secret_id);
  if (!api) return;
  Result<ServerApi> watch_api = ServerApi::create(config_.servers, node_->id, node_->secret_id);
  std::thread(&ClientAgent::watch_loop, shared_, std::move(*watch_api), config_.watch_wait,
              config_.retry_initial, config_.retry_max)
      .detach();
  Duration backoff = config_.retry_initial;
  std::shared_ptr<Shared> shared = shared_;
  std::optional<SteadyClock::time_point> health_at;  // next deployment health check
  while (true) {
    std::optional<std::vector<model::Allocation>> allocs;
    std::set<std::string> dirty;
    {
      std::unique_lock lock(shared->mu);
      auto flush_due = [&] {
        return shared->registered && !shared->dirty.empty() &&
               SteadyClock::now() >= shared->flush_at;
      };
      auto wake = [&] { return shared->stop || shared->allocs.has_value() || flush_due(); };
      // Re-decided after every wake-up: a report may become due meanwhile.
      while (!wake()) {
        std::optional<SteadyClock::time_point> until = health_at;
        if (shared->registered && !shared->dirty.empty()) {
          until = std::min(until.value_or(shared->flush_at), shared->flush_at);
        }
        if (until && SteadyClock::now() >= *until) break;
        if (until) {
          shared->cv.wait_until(lock, *until);
        } else {
          shared->cv.wait(lock);
        }
      }
      if (shared->stop) return;
      allocs = std::exchange(shared->allocs, std::nullopt);
      if (flush_due()) dirty.swap(shared->dirty);
    }
    if (allocs) apply_allocs(*allocs);
    if (!dirty.empty()) flush_updates(*api, std::move(dirty), backoff);
    reconcile_services();
    health_at = check_health();
    collect_garbage();
  }
}

void ClientAgent::flush_updates(ServerApi& api, std::set<std::string> ids, Duration& backoff) {
  std::vector<model::Allocation> updates;
  {
    std::lock_guard lock(runners_mu_);
    for (const std::string& id : ids) {
      auto it = runners_.find(id);
      if (it != runners_.end()) updates.push_back(it->second.runner->client_update());
    }
  }
  if (updates.empty()) return;
  Status sent = api.update_allocs(updates);
  if (sent.is_ok()) {
    backoff = config_.retry_initial;
    return;
  }
  spdlog::warn("client: cannot report {} allocation(s): {}; retrying in {}", updates.size(),
               sent.message(), format_duration(backoff));
  {
    std::lock_guard lock(shared_->mu);
    shared_->dirty.insert(ids.begin(), ids.end());
    shared_->flush_at = SteadyClock::now() + backoff;
  }
  backoff = grow(backoff, config_.retry_max);
}

void ClientAgent::apply_allocs(const std::vector<model::Allocation>& allocs) {
  std::set<std::string> listed;
  for (const model::Allocation& alloc : allocs) {
    listed.insert(alloc.id);
    std::shared_ptr<AllocRunner> runner;
    {
      std::lock_guard lock(runners_mu_);
      if (auto it = runners_.find(alloc.id); it != runners_.end()) runner = it->second.runner;
    }
    if (runner) {
      {
        // Draining: the stop waits; the newest version is applied after it.
        std::lock_guard lock(runners_mu_);
        if (auto it = pending_stops_.find(alloc.id); it != pending_stops_.end()) {
          it->second = alloc;
          continue;
        }
      }
      std::shared_ptr<const model::Allocation> current = runner->alloc();
      if (current->desired_status != alloc.desired_status ||
          current->alloc_modify_index != alloc.alloc_modify_index) {
        // Out of the catalog before the tasks are signalled, so nothing routes
        // to an instance that is shutting down.
        if (alloc.desired_status != model::kAllocDesiredRun) {
          if (stop_after_drain(runner, alloc)) continue;
          services_->remove(alloc.id, kDeregisterWait);
        }
        runner->update(alloc);
      }
      continue;
    }
    // Nothing to run for an allocation that is already over.
    if (alloc.terminal()) continue;
    spdlog::info("client: starting allocation {} ({})", alloc.id, alloc.name);
    add_runner(alloc, nullptr);
  }
  // Allocations the server no longer lists were garbage collected there.
  std::vector<std::shared_ptr<AllocRunner>> gone;
  {
    std::lock_guard lock(runners_mu_);
    for (auto it = runners_.begin(); it != runners_.end();) {
      if (listed.contains(it->first)) {
        ++it;
        continue;
      }
      gone.push_back(it->second.runner);
      it = runners_.erase(it);
    }
  }
  for (auto& runner : gone) destroy_later(std::move(runner));
}

bool ClientAgent::stop_after_drain(const std::shared_ptr<AllocRunner>& runner,
                                   const model::Allocation& alloc) {
  std::shared_ptr<const model::Allocation> current = runner->alloc();
  const model::Job* job = alloc.job ? alloc.job.get() : current->job.get();
  Duration delay{0};
  if (job != nullptr) {
    for (const model::TaskGroup& group : job->task_groups) {
      if (group.name == alloc.task_group) delay = group.shutdown_delay.value_or(Duration(0));
    }
  }
  if (delay <= Duration::zero() || !services_->drain(alloc.id)) return false;
  spdlog::info("client: allocation {}: draining its service instances for up to {} before "
               "stopping it",
               alloc.id, format_duration(delay));
  auto deadline = SteadyClock::now() + delay;
  std::lock_guard lock(runners_mu_);
  // Join the stoppers that have finished, so threads do not pile up.
  std::erase_if(stoppers_, [](Stopper& s) {
    if (!s.done->load()) return false;
    s.thread.join();
    return true;
  });
  pending_stops_[alloc.id] = alloc;
  auto done = std::make_shared<std::atomic<bool>>(false);
  stoppers_.push_back(
      {std::thread(&ClientAgent::finish_drain, this, runner, alloc.id, deadline, done), done});
  return true;
}

void ClientAgent::finish_drain(std::shared_ptr<AllocRunner> runner, std::string alloc_id,
                               SteadyClock::time_point deadline,
                               std::shared_ptr<std::atomic<bool>> done) {
  struct MarkDone {
    std::atomic<bool>& done;
    ~MarkDone() { done = true; }
  } mark_done{*done};
  constexpr Duration kPoll = std::chrono::milliseconds(250);
  // After the deregistration, how long to wait for the ingresses to apply it.
  constexpr Duration kIngressCatchUp = std::chrono::seconds(3);
  Result<ServerApi> api = ServerApi::create(config_.servers, node_->id, node_->secret_id);
  auto poll_until = [&](SteadyClock::time_point until, auto done) {
    while (api && SteadyClock::now() < until) {
      Result<ServerApi::IngressTraffic> answer = api->ingress_traffic(alloc_id);
      if (answer && done(*answer)) return true;
      if (shared_->sleep(std::min<Duration>(kPoll, until - SteadyClock::now()))) return false;
    }
    return false;
  };
  bool idle = poll_until(deadline, [](const ServerApi::IngressTraffic& t) { return t.idle; });
  if (shared_->sleep(Duration(0))) return;  // the agent stops
  spdlog::info("client: allocation {}: {}; stopping it", alloc_id,
               idle ? "its instances are idle" : "its shutdown_delay ran out");
  services_->remove(alloc_id, kDeregisterWait);
  // Requests an ingress decided before it saw the deregistration finish
  // before the tasks are signalled: wait until every live ingress applied it.
  std::optional<int64_t> deregistered;
  poll_until(SteadyClock::now() + kIngressCatchUp, [&](const ServerApi::IngressTraffic& t) {
    if (!deregistered) deregistered = t.catalog_index;
    return t.ingress_index < 0 || t.ingress_index >= *deregistered;
  });
  model::Allocation alloc;
  {
    std::lock_guard lock(runners_mu_);
    auto it = pending_stops_.find(alloc_id);
    if (it == pending_stops_.end()) return;
    alloc = std::move(it->second);
    pending_stops_.erase(it);
  }
  runner->update(std::move(alloc));
}

ServiceRegistrarOptions ClientAgent::registrar_options() {
  ServiceRegistrarOptions options;
  options.servers = config_.servers;
  options.node_id = node_->id;
  options.secret_id = node_->secret_id;
  options.retry_initial = config_.retry_initial;
  options.retry_max = config_.retry_max;
  options.restart_task = [this](const std::string& alloc_id, const std::string& task) {
    Status restarted = restart_alloc(alloc_id, task);
    if (!restarted.is_ok()) {
      spdlog::warn("client: check_restart of {} in {}: {}", task, alloc_id, restarted.message());
    }
  };
  return options;
}

std::vector<PlannedInstance> ClientAgent::plan_services(const AllocRunner& runner,
                                                        const model::Allocation& alloc) const {
  const AllocDir* dir = runner.dir();
  TaskEnvOptions env_options = runner_config().env_options;
  std::map<std::string, std::optional<TaskEnv>> envs;  // by task
  auto env_of = [&](std::string_view task) -> const TaskEnv* {
    auto [it, added] = envs.try_emplace(std::string(task));
    if (added && dir != nullptr) {
      Result<TaskEnv> env = build_task_env(*node_, alloc, task, *dir, env_options);
      if (env) it->second = std::move(*env);
    }
    return it->second ? &*it->second : nullptr;
  };
  Interpolate interpolate = [&](std::string_view task, std::string_view text) {
    if (text.find("${") == std::string_view::npos) return std::string(text);
    const TaskEnv* env = env_of(task);
    return env ? env->interpolate(text) : std::string(text);
  };
  Result<std::vector<PlannedInstance>> instances = plan_service_instances(alloc, *node_, interpolate);
  if (!instances) {
    spdlog::warn("client: allocation {}: its services cannot be registered: {}", alloc.id,
                 instances.error().message());
    return {};  // remembered as registered-with-nothing, so not retried on every pass
  }
  CheckAddressContext addresses;
  addresses.alloc_network_ip = env_options.alloc_network_ip;
  for (PlannedInstance& instance : *instances) {
    for (size_t c = 0; c < instance.checks.size(); ++c) {
      PlannedCheck& planned = instance.checks[c];
      const TaskEnv* env = env_of(planned.task);
      ScriptEnvironment script;
      if (env != nullptr) {
        planned.check = interpolate_check(planned.check, *env);
        script.env = env->vars();
        script.work_dir = dir->task_dir(planned.task);
      }
      Result<PreparedCheck> prepared = prepare_check(instance.service, planned.check,
                                                     alloc.allocated_resources.shared, addresses, script);
      if (!prepared) {
        // Registered, but critical with the reason, so nothing routes to it.
        instance.registration.checks[c].output = prepared.error().message();
        spdlog::warn("client: allocation {}: {}", alloc.id, prepared.error().message());
        continue;
      }
      planned.prepared = std::move(*prepared);
    }
  }
  return std::move(*instances);
}

void ClientAgent::reconcile_services() {
  std::vector<std::shared_ptr<AllocRunner>> runners;
  {
    std::lock_guard lock(runners_mu_);
    for (const auto& [id, entry] : runners_) runners.push_back(entry.runner);
  }
  for (const auto& runner : runners) {
    std::shared_ptr<const model::Allocation> alloc = runner->alloc();
    bool wanted = alloc->desired_status == model::kAllocDesiredRun &&
                  runner->client_status().status == model::kAllocClientRunning;
    if (wanted && services_->has(alloc->id)) {
      // A canary promoted (or a new canary flag): register the tags and meta it now has.
      bool canary = alloc->deployment_status && alloc->deployment_status->canary;
      std::optional<bool> registered = services_->canary(alloc->id);
      if (registered && *registered != canary) {
        services_->replace(alloc->id, plan_services(*runner, *alloc));
      }
      continue;
    }
    if (wanted == services_->has(alloc->id)) continue;
    if (!wanted) {
      services_->remove(alloc->id, Duration(0));
      continue;
    }
    services_->add(alloc->id, plan_services(*runner, *alloc));
  }
}

void ClientAgent::destroy_later(std::shared_ptr<AllocRunner> runner) {
  spdlog::info("client: destroying allocation {}", runner->id());
  Duration timeout = config_.max_kill_timeout + std::chrono::seconds(5);
  std::lock_guard lock(runners_mu_);
  destroyers_.emplace_back([runner, timeout] { runner->destroy(timeout); });
}

std::optional<std::chrono::steady_clock::time_point> ClientAgent::check_health() {
  std::vector<std::shared_ptr<AllocRunner>> runners;
  {
    std::lock_guard lock(runners_mu_);
    for (const auto& [id, entry] : runners_) runners.push_back(entry.runner);
  }
  std::optional<SteadyClock::time_point> next;
  for (const auto& runner : runners) {
    AllocRunner::HealthCheck check = runner->check_health(SteadyClock::now());
    if (check.changed) mark_dirty(runner->id());
    if (check.recheck_at) next = std::min(next.value_or(*check.recheck_at), *check.recheck_at);
  }
  return next;
}

void ClientAgent::collect_garbage() {
  std::vector<std::shared_ptr<AllocRunner>> victims;
  {
    std::lock_guard lock(runners_mu_);
    std::vector<std::pair<uint64_t, std::string>> terminal;
    for (const auto& [id, entry] : runners_) {
      if (entry.runner->terminal()) terminal.emplace_back(entry.seq, id);
    }
    if (terminal.size() <= config_.max_terminal_allocs) return;
    std::sort(terminal.begin(), terminal.end());
    size_t excess = terminal.size() - config_.max_terminal_allocs;
    for (size_t i = 0; i < excess; ++i) {
      victims.push_back(runners_.at(terminal[i].second).runner);
      runners_.erase(terminal[i].second);
    }
  }
  for (auto& runner : victims) destroy_later(std::move(runner));
}

void ClientAgent::watch_loop(std::shared_ptr<Shared> shared, ServerApi api, Duration wait,
                             Duration retry_initial, Duration retry_max) {
  int64_t index = 0;
  bool have_list = false;
  Duration backoff = retry_initial;
  while (true) {
    {
      std::unique_lock lock(shared->mu);
      shared->cv.wait(lock, [&] { return shared->stop || shared->registered; });
      if (shared->stop) return;
    }
    auto began = SteadyClock::now();
    Result<NodeAllocations> r = api.allocations(index, wait);
    if (!r) {
      spdlog::warn("client: watching allocations failed: {}; retrying in {}", r.error().message(),
                   format_duration(backoff));
      if (shared->sleep(backoff)) return;
      backoff = grow(backoff, retry_max);
      continue;
    }
    backoff = retry_initial;
    bool changed = !have_list || r->index != index;
    if (!changed && SteadyClock::now() - began < kMinWatchSpacing) {
      if (shared->sleep(retry_initial)) return;
    }
    index = r->index;
    if (!changed) continue;
    have_list = true;
    {
      std::lock_guard lock(shared->mu);
      if (shared->stop) return;
      shared->allocs = std::move(r->allocs);
    }
    shared->cv.notify_all();
  }
}

// ---- services for the HTTP API

http::Response ClientAgent::task_logs(const http::Request& request, const std::string& alloc_id) {
  std::shared_ptr<const AllocRunner> runner = alloc_runner(alloc_id);
  if (!runner) return http::error_response(404, "unknown allocation " + alloc_id + " on this node");
  return serve_task_logs(request, std::move(runner));
}

Status ClientAgent::restart_alloc(const std::string& alloc_id, const std::string& task) {
  std::shared_ptr<AllocRunner> runner = find_runner(alloc_id);
  if (!runner) return not_found("unknown allocation " + alloc_id + " on this node");
  return runner->restart_task(task);
}

bool ClientAgent::registered() const {
  std::lock_guard lock(shared_->mu);
  return shared_->registered;
}

std::vector<std::string> ClientAgent::alloc_ids() const {
  std::lock_guard lock(runners_mu_);
  std::vector<std::string> out;
  for (const auto& [id, entry] : runners_) out.push_back(id);
  return out;
}

std::optional<model::Allocation> ClientAgent::alloc_status(const std::string& alloc_id) const {
  std::shared_ptr<const AllocRunner> runner = alloc_runner(alloc_id);
  if (!runner) return std::nullopt;
  return runner->client_update();
}

std::shared_ptr<const AllocRunner> ClientAgent::alloc_runner(const std::string& alloc_id) const {
  return find_runner(alloc_id);
}

std::shared_ptr<AllocRunner> ClientAgent::find_runner(const std::string& alloc_id) const {
  std::lock_guard lock(runners_mu_);
  auto it = runners_.find(alloc_id);
  return it == runners_.end() ? nullptr : it->second.runner;
}

void ClientAgent::stop_all_allocs(Duration timeout) {
  std::vector<std::shared_ptr<AllocRunner>> runners;
  {
    std::lock_guard lock(runners_mu_);
    for (const auto& [id, entry] : runners_) runners.push_back(entry.runner);
  }
  for (const auto& runner : runners) services_->remove(runner->id(), Duration(0));
  for (const auto& runner : runners) runner->kill();
  for (const auto& runner : runners) runner->wait(timeout);
}

}  // namespace caravan::client
