// The runtime environment of one task, as Nomad builds it on the client: the
// NOMAD_* variables (dirs, alloc/job identity, resources, ports, meta), the
// task's `env` block, and later variables rendered by `template { env = true }`.
// It also resolves runtime interpolation (`${NOMAD_PORT_http}`, `${attr.kernel.name}`,
// `${meta.x}`, `${env["X"]}`) in strings and in the driver `config` JSON.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "client/alloc_dir.h"
#include "core/status.h"
#include "model/allocation.h"
#include "model/node.h"
#include "model/raw_json.h"

namespace caravan::client {

// The three directories a task is told about (NOMAD_ALLOC_DIR, NOMAD_TASK_DIR,
// NOMAD_SECRETS_DIR).
struct TaskDirs {
  std::string alloc_dir;
  std::string task_dir;
  std::string secrets_dir;

  bool operator==(const TaskDirs&) const = default;
};

// Which paths the task sees: raw_exec runs on the host filesystem (host paths);
// exec and java run chrooted in the task dir, where the alloc dir is /alloc, the
// task's local dir /local and the secrets dir /secrets.
enum class DirView { kHost, kTask };

TaskDirs host_task_dirs(const AllocDir& dir, std::string_view task);
TaskDirs sandbox_task_dirs();  // {"/alloc", "/local", "/secrets"}

// Inputs that come from the client agent rather than from the allocation.
struct TaskEnvOptions {
  std::string region;  // NOMAD_REGION and ${node.region}; default: the job's region
  DirView dir_view = DirView::kHost;
  // The agent's own environment, already filtered (filter_host_env): Nomad passes
  // it to exec, raw_exec and java tasks. Everything else overrides it.
  std::map<std::string, std::string> host_env;
  // The allocation's address inside its own network namespace (bridge/CNI
  // networking); empty for host networking. Enables NOMAD_ALLOC_{IP,PORT,ADDR}_*.
  std::string alloc_network_ip;
};

// The environment variables of a task plus the node values interpolation can
// reference. A value: cheap to copy, safe to read from any thread.
class TaskEnv {
 public:
  // `vars` are the task's variables; `node_values` the keys "attr.<k>", "meta.<k>"
  // and "node.<k>" as ${...} names them. `alloc_dir` and `task` anchor client_path.
  TaskEnv(AllocDir alloc_dir, std::string task, std::map<std::string, std::string> vars,
          std::map<std::string, std::string> node_values);

  // The variables to start the task with.
  const std::map<std::string, std::string>& vars() const { return vars_; }
  // The same as "KEY=VALUE" strings (for execve).
  std::vector<std::string> to_environ() const;
  const std::map<std::string, std::string>& node_values() const { return node_values_; }

  // Replaces each `${name}` whose name is known: a task variable (`${NOMAD_PORT_http}`,
  // `${env["X"]}`), `${attr.<k>}`, `${meta.<k>}` (node meta) or `${node.unique.id}`,
  // `${node.unique.name}`, `${node.datacenter}`, `${node.class}`, `${node.region}`,
  // `${node.pool}`. Unknown references stay verbatim, as in Nomad.
  std::string interpolate(std::string_view text) const;

  // interpolate() applied to every string value (not object keys) inside a JSON
  // value, e.g. a driver's `config` (command, args, jar_path, jvm_options, ...).
  // Errors: InvalidArgument if `value` is not valid JSON.
  Result<model::RawJson> interpolate_json(const model::RawJson& value) const;

  // Nomad's ClientPath: interpolates `path` with the *host* view of the task
  // dirs, makes it absolute against the task's working dir, and requires it to
  // stay inside the allocation dir (templates and artifacts write through this).
  // Errors: InvalidArgument naming the path when it escapes.
  Result<std::string> client_path(std::string_view path) const;

  // Sets `vars`, overriding existing ones: the task's `env` block over NOMAD_*,
  // then variables rendered by `template { env = true }` over both, as in Nomad.
  void override_vars(const std::map<std::string, std::string>& vars);

  const AllocDir& alloc_dir() const { return alloc_dir_; }
  const std::string& task() const { return task_; }

 private:
  // The value of the reference `${name}`, or nullptr when unknown.
  const std::string* lookup(std::string_view name, bool host_view) const;

  AllocDir alloc_dir_;
  std::string task_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, std::string> node_values_;
  std::map<std::string, std::string> host_dir_vars_;  // NOMAD_*_DIR as host paths
};

// Builds the environment of `task_name` in `alloc` placed on `node`. Errors:
// FailedPrecondition when the allocation carries no job or the job has no such
// group or task.
Result<TaskEnv> build_task_env(const model::Node& node, const model::Allocation& alloc,
                               std::string_view task_name, const AllocDir& dir,
                               const TaskEnvOptions& options);

// The variable names Nomad keeps from tasks by default (client `env.denylist`):
// tokens and cloud credentials of the agent.
const std::vector<std::string>& default_env_denylist();

// "KEY=VALUE" entries (e.g. from `environ`) minus the names in `denylist`.
std::map<std::string, std::string> filter_host_env(const std::vector<std::string>& entries,
                                                   const std::vector<std::string>& denylist);

// Replaces characters not valid in an environment variable name ([A-Za-z0-9_])
// with '_', as Nomad does for port labels and meta keys ("my-port" → "my_port").
std::string clean_env_var_name(std::string_view name);

}  // namespace caravan::client
