#include "scheduler/task_updates.h"

#include <map>
#include <string>

namespace caravan::scheduler {
namespace {

// Job, group and task meta merged, the task's winning (what NOMAD_META_* shows).
std::map<std::string, std::string> combined_meta(const model::Job& job,
                                                 const model::TaskGroup& group,
                                                 const model::Task& task) {
  std::map<std::string, std::string> meta = job.meta;
  for (const auto& [k, v] : group.meta) meta[k] = v;
  for (const auto& [k, v] : task.meta) meta[k] = v;
  return meta;
}

const model::Task* find_task(const model::TaskGroup& group, const std::string& name) {
  for (const model::Task& task : group.tasks) {
    if (task.name == name) return &task;
  }
  return nullptr;
}

// Consul Connect blocks (sidecars are tasks of their own); other service
// changes (tags, checks, ...) are applied in place.
std::vector<model::RawJson> connect_blocks(const std::vector<model::Service>& services) {
  std::vector<model::RawJson> out;
  for (const model::Service& s : services) {
    if (s.connect != model::RawJson()) out.push_back(s.connect);
  }
  return out;
}

bool connect_changed(const std::vector<model::Service>& a, const std::vector<model::Service>& b) {
  return connect_blocks(a) != connect_blocks(b);
}

bool render_templates(const model::TaskGroup& group) {
  return group.restart_policy && group.restart_policy->render_templates.value_or(false);
}

bool task_updated(const model::Job& old_job, const model::TaskGroup& old_group,
                  const model::Task& a, const model::Job& new_job,
                  const model::TaskGroup& new_group, const model::Task& b) {
  bool logs_disabled_a = a.log_config && a.log_config->disabled;
  bool logs_disabled_b = b.log_config && b.log_config->disabled;
  return a.driver != b.driver || a.user != b.user || a.config != b.config || a.env != b.env ||
         a.artifacts != b.artifacts || a.templates != b.templates || a.vault != b.vault ||
         a.identity != b.identity || a.identities != b.identities ||
         a.volume_mounts != b.volume_mounts || a.resources != b.resources || a.consul != b.consul ||
         logs_disabled_a != logs_disabled_b || connect_changed(a.services, b.services) ||
         combined_meta(old_job, old_group, a) != combined_meta(new_job, new_group, b);
}

}  // namespace

const model::TaskGroup* find_group(const model::Job& job, const std::string& name) {
  for (const model::TaskGroup& group : job.task_groups) {
    if (group.name == name) return &group;
  }
  return nullptr;
}

bool tasks_updated(const model::Job& old_job, const model::TaskGroup& old_group,
                   const model::Job& new_job, const model::TaskGroup& new_group) {
  if (old_group.tasks.size() != new_group.tasks.size()) return true;
  if (old_group.ephemeral_disk != new_group.ephemeral_disk ||
      old_group.networks != new_group.networks || old_group.volumes != new_group.volumes ||
      old_group.consul != new_group.consul ||
      connect_changed(old_group.services, new_group.services) ||
      render_templates(old_group) != render_templates(new_group)) {
    return true;
  }
  for (const model::Task& a : old_group.tasks) {
    const model::Task* b = find_task(new_group, a.name);
    if (!b || task_updated(old_job, old_group, a, new_job, new_group, *b)) return true;
  }
  return false;
}

}  // namespace caravan::scheduler
