#include "client/task_env.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

namespace caravan::client {

namespace {

using Vars = std::map<std::string, std::string>;

constexpr std::string_view kCleanedPrefixes[] = {
    "NOMAD_ADDR_",       "NOMAD_IP_",        "NOMAD_PORT_",       "NOMAD_HOST_PORT_",
    "NOMAD_HOST_IP_",    "NOMAD_HOST_ADDR_", "NOMAD_ALLOC_PORT_", "NOMAD_ALLOC_IP_",
    "NOMAD_ALLOC_ADDR_", "NOMAD_META_"};

// Port labels and meta keys may hold characters a shell cannot name; Nomad
// cleans the variable names that embed them.
void set_var(Vars& vars, const std::string& name, std::string value) {
  for (std::string_view prefix : kCleanedPrefixes) {
    if (name.starts_with(prefix)) {
      vars[clean_env_var_name(name)] = std::move(value);
      return;
    }
  }
  vars[name] = std::move(value);
}

std::string join_host_port(const std::string& ip, int port) {
  if (ip.find(':') != std::string::npos) return "[" + ip + "]:" + std::to_string(port);
  return ip + ":" + std::to_string(port);
}

// "0-2,5" for {0, 1, 2, 5}: the cpuset notation of NOMAD_CPU_CORES.
std::string format_cpuset(std::vector<int> cores) {
  std::sort(cores.begin(), cores.end());
  cores.erase(std::unique(cores.begin(), cores.end()), cores.end());
  std::string out;
  for (size_t i = 0; i < cores.size();) {
    size_t j = i;
    while (j + 1 < cores.size() && cores[j + 1] == cores[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cores[i]);
    if (j > i) out += "-" + std::to_string(cores[j]);
    i = j + 1;
  }
  return out;
}

void set_dir_vars(Vars& vars, const TaskDirs& dirs) {
  vars["NOMAD_ALLOC_DIR"] = dirs.alloc_dir;
  vars["NOMAD_TASK_DIR"] = dirs.task_dir;
  vars["NOMAD_SECRETS_DIR"] = dirs.secrets_dir;
}

void set_identity_vars(Vars& vars, const model::Node& node, const model::Allocation& alloc,
                       const model::Job& job, const model::TaskGroup& group,
                       const model::Task& task, const std::string& region) {
  vars["NOMAD_ALLOC_ID"] = alloc.id;
  vars["NOMAD_SHORT_ALLOC_ID"] = alloc.id.substr(0, 8);
  vars["NOMAD_ALLOC_NAME"] = alloc.name;
  vars["NOMAD_ALLOC_INDEX"] = std::to_string(std::max(alloc.index(), 0));
  vars["NOMAD_TASK_NAME"] = task.name;
  vars["NOMAD_GROUP_NAME"] = group.name;
  vars["NOMAD_JOB_ID"] = job.id.empty() ? alloc.job_id : job.id;
  vars["NOMAD_JOB_NAME"] = job.name.empty() ? vars["NOMAD_JOB_ID"] : job.name;
  if (!job.parent_id.empty()) vars["NOMAD_JOB_PARENT_ID"] = job.parent_id;
  vars["NOMAD_NAMESPACE"] = alloc.namespace_name.empty() ? "default" : alloc.namespace_name;
  vars["NOMAD_REGION"] = region;
  vars["NOMAD_DC"] = node.datacenter;
}

void set_resource_vars(Vars& vars, const model::Allocation& alloc, const model::Task& task) {
  model::AllocatedTaskResources res;
  auto it = alloc.allocated_resources.tasks.find(task.name);
  if (it != alloc.allocated_resources.tasks.end()) {
    res = it->second;
  } else {  // an allocation without per-task resources: use what the task asked for
    res.cpu_shares = task.resources.cpu;
    res.memory_mb = task.resources.memory_mb;
    res.memory_max_mb = task.resources.memory_max_mb;
  }
  vars["NOMAD_CPU_LIMIT"] = std::to_string(res.cpu_shares);
  if (!res.reserved_cores.empty()) vars["NOMAD_CPU_CORES"] = format_cpuset(res.reserved_cores);
  vars["NOMAD_MEMORY_LIMIT"] = std::to_string(res.memory_mb);
  if (res.memory_max_mb > 0) vars["NOMAD_MEMORY_MAX_LIMIT"] = std::to_string(res.memory_max_mb);
}

void set_port_vars(Vars& vars, const model::AllocatedSharedResources& shared,
                   const std::string& alloc_network_ip) {
  // Ports of group networks first (no address known there), then the allocated
  // ports, which carry the host IP — the order Nomad applies them in.
  for (const model::NetworkResource& net : shared.networks) {
    for (const auto* ports : {&net.reserved_ports, &net.dynamic_ports}) {
      for (const model::Port& p : *ports) {
        set_var(vars, "NOMAD_HOST_PORT_" + p.label, std::to_string(p.value));
        set_var(vars, "NOMAD_PORT_" + p.label, std::to_string(p.to > 0 ? p.to : p.value));
      }
    }
  }
  for (const model::AllocatedPort& p : shared.ports) {
    std::string host_addr = join_host_port(p.host_ip, p.value);
    int task_port = p.to > 0 ? p.to : p.value;
    set_var(vars, "NOMAD_IP_" + p.label, p.host_ip);
    set_var(vars, "NOMAD_HOST_IP_" + p.label, p.host_ip);
    set_var(vars, "NOMAD_ADDR_" + p.label, host_addr);
    set_var(vars, "NOMAD_HOST_ADDR_" + p.label, host_addr);
    set_var(vars, "NOMAD_PORT_" + p.label, std::to_string(task_port));
    set_var(vars, "NOMAD_HOST_PORT_" + p.label, std::to_string(p.value));
    if (!alloc_network_ip.empty()) {
      set_var(vars, "NOMAD_ALLOC_IP_" + p.label, alloc_network_ip);
      set_var(vars, "NOMAD_ALLOC_PORT_" + p.label, std::to_string(task_port));
      set_var(vars, "NOMAD_ALLOC_ADDR_" + p.label, join_host_port(alloc_network_ip, task_port));
    }
  }
}

void set_meta_vars(Vars& vars, const model::Job& job, const model::TaskGroup& group,
                   const model::Task& task) {
  Vars combined = job.meta;  // job → group → task; the task wins
  for (const auto& [k, v] : group.meta) combined[k] = v;
  for (const auto& [k, v] : task.meta) combined[k] = v;
  for (const auto& [k, v] : combined) {
    std::string upper = k;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    set_var(vars, "NOMAD_META_" + upper, v);
    set_var(vars, "NOMAD_META_" + k, v);
  }
}

Vars node_values_of(const model::Node& node, const std::string& region) {
  Vars out;
  for (const auto& [k, v] : node.attributes) out["attr." + k] = v;
  for (const auto& [k, v] : node.meta) out["meta." + k] = v;
  out["node.unique.id"] = node.id;
  out["node.unique.name"] = node.name;
  out["node.datacenter"] = node.datacenter;
  out["node.class"] = node.node_class;
  out["node.region"] = region;
  out["node.pool"] = node.node_pool;
  return out;
}

// `env["X"]` or `env['X']` → X; "" when `ref` has another shape.
std::string_view env_index_name(std::string_view ref) {
  if (!ref.starts_with("env[") || !ref.ends_with("]") || ref.size() < 7) return {};
  std::string_view quoted = ref.substr(4, ref.size() - 5);
  char q = quoted.front();
  if ((q != '"' && q != '\'') || quoted.back() != q) return {};
  return quoted.substr(1, quoted.size() - 2);
}

void interpolate_json_strings(nlohmann::json& value, const TaskEnv& env) {
  if (value.is_string()) {
    value = env.interpolate(value.get_ref<const std::string&>());
  } else if (value.is_array() || value.is_object()) {
    for (auto& item : value) interpolate_json_strings(item, env);
  }
}

}  // namespace

std::string clean_env_var_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  return out;
}

TaskDirs host_task_dirs(const AllocDir& dir, std::string_view task) {
  return {dir.shared_dir(), dir.task_local_dir(task), dir.task_secrets_dir(task)};
}

TaskDirs sandbox_task_dirs() { return {"/alloc", "/local", "/secrets"}; }

TaskEnv::TaskEnv(AllocDir alloc_dir, std::string task, Vars vars, Vars node_values)
    : alloc_dir_(std::move(alloc_dir)),
      task_(std::move(task)),
      vars_(std::move(vars)),
      node_values_(std::move(node_values)) {
  set_dir_vars(host_dir_vars_, host_task_dirs(alloc_dir_, task_));
}

std::vector<std::string> TaskEnv::to_environ() const {
  std::vector<std::string> out;
  out.reserve(vars_.size());
  for (const auto& [k, v] : vars_) out.push_back(k + "=" + v);
  return out;
}

const std::string* TaskEnv::lookup(std::string_view name, bool host_view) const {
  std::string_view env_name = env_index_name(name);
  std::string key(env_name.empty() ? name : env_name);
  if (host_view) {
    if (auto it = host_dir_vars_.find(key); it != host_dir_vars_.end()) return &it->second;
  }
  if (auto it = vars_.find(key); it != vars_.end()) return &it->second;
  if (env_name.empty()) {
    if (auto it = node_values_.find(key); it != node_values_.end()) return &it->second;
  }
  if (auto it = vars_.find(clean_env_var_name(key)); it != vars_.end()) return &it->second;
  return nullptr;
}

namespace {

template <class Lookup>
std::string replace_refs(std::string_view text, const Lookup& lookup) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("${", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    std::string_view name = text.substr(open + 2, close - open - 2);
    const std::string* value = lookup(name);
    if (value != nullptr) {
      out += *value;
    } else {
      out.append(text.substr(open, close - open + 1));  // unknown: verbatim
    }
    pos = close + 1;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

std::string TaskEnv::interpolate(std::string_view text) const {
  return replace_refs(text, [&](std::string_view name) { return lookup(name, false); });
}

Result<model::RawJson> TaskEnv::interpolate_json(const model::RawJson& value) const {
  if (!value.has_value()) return value;
  nlohmann::json doc = nlohmann::json::parse(value.text(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return invalid_argument("task config is not valid JSON");
  interpolate_json_strings(doc, *this);
  return model::RawJson::parse(doc.dump());
}

Result<std::string> TaskEnv::client_path(std::string_view path) const {
  std::string resolved =
      replace_refs(path, [&](std::string_view name) { return lookup(name, true); });
  return alloc_dir_.resolve_inside(alloc_dir_.task_dir(task_), resolved);
}

void TaskEnv::override_vars(const Vars& vars) {
  for (const auto& [k, v] : vars) vars_[k] = v;
}

Result<TaskEnv> build_task_env(const model::Node& node, const model::Allocation& alloc,
                               std::string_view task_name, const AllocDir& dir,
                               const TaskEnvOptions& options) {
  if (!alloc.job) {
    return failed_precondition("allocation " + alloc.id +
                               " carries no job; cannot build the "
                               "environment of task \"" +
                               std::string(task_name) + "\"");
  }
  const model::Job& job = *alloc.job;
  auto group = std::find_if(job.task_groups.begin(), job.task_groups.end(),
                            [&](const model::TaskGroup& g) { return g.name == alloc.task_group; });
  if (group == job.task_groups.end()) {
    return failed_precondition("job \"" + job.id + "\" of allocation " + alloc.id +
                               " has no group \"" + alloc.task_group + "\"");
  }
  auto task = std::find_if(group->tasks.begin(), group->tasks.end(),
                           [&](const model::Task& t) { return t.name == task_name; });
  if (task == group->tasks.end()) {
    return failed_precondition("group \"" + group->name + "\" of job \"" + job.id +
                               "\" has no task \"" + std::string(task_name) + "\"");
  }
  std::string region = !options.region.empty() ? options.region
                       : !job.region.empty()   ? job.region
                                               : "global";

  Vars vars = options.host_env;
  set_dir_vars(vars, options.dir_view == DirView::kHost ? host_task_dirs(dir, task_name)
                                                        : sandbox_task_dirs());
  set_identity_vars(vars, node, alloc, job, *group, *task, region);
  set_resource_vars(vars, alloc, *task);
  set_port_vars(vars, alloc.allocated_resources.shared, options.alloc_network_ip);
  set_meta_vars(vars, job, *group, *task);

  // The `env` block: keys and values may reference everything above (not each
  // other: Nomad gives no order among them) and override it.
  TaskEnv base(dir, std::string(task_name), vars, node_values_of(node, region));
  Vars user;
  for (const auto& [k, v] : task->env) user[base.interpolate(k)] = base.interpolate(v);
  base.override_vars(user);
  return base;
}

const std::vector<std::string>& default_env_denylist() {
  static const std::vector<std::string> kDenylist = {"CONSUL_TOKEN",
                                                     "CONSUL_HTTP_TOKEN",
                                                     "CONSUL_HTTP_TOKEN_FILE",
                                                     "NOMAD_TOKEN",
                                                     "VAULT_TOKEN",
                                                     "CARAVAN_TOKEN",
                                                     "CONSUL_LICENSE",
                                                     "NOMAD_LICENSE",
                                                     "VAULT_LICENSE",
                                                     "AWS_ACCESS_KEY_ID",
                                                     "AWS_SECRET_ACCESS_KEY",
                                                     "AWS_SESSION_TOKEN",
                                                     "GOOGLE_APPLICATION_CREDENTIALS"};
  return kDenylist;
}

std::map<std::string, std::string> filter_host_env(const std::vector<std::string>& entries,
                                                   const std::vector<std::string>& denylist) {
  Vars out;
  for (const std::string& entry : entries) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string key = entry.substr(0, eq);
    if (std::find(denylist.begin(), denylist.end(), key) != denylist.end()) continue;
    out[key] = entry.substr(eq + 1);
  }
  return out;
}

}  // namespace caravan::client
