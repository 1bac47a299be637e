// The rules follow Nomad's job validation (what `nomad job validate` and the
// register endpoint reject), with messages that name the HCL argument and say
// how to fix it. Paths use Nomad's JSON field names.
#include "jobspec/validate.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <set>

#include "jobspec/internal/cron.h"
#include "jobspec/source_map.h"

namespace caravan::jobspec {
namespace {

using std::chrono::seconds;

bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (value == a) return true;
  }
  return false;
}

std::string quoted_list(std::initializer_list<std::string_view> items) {
  std::string out;
  size_t i = 0;
  for (std::string_view item : items) {
    if (i > 0) out += (i + 1 == items.size()) ? " or " : ", ";
    out += fmt::format("\"{}\"", item);
    ++i;
  }
  return out;
}

bool is_number(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class Validator {
 public:
  explicit Validator(const model::Job& job) : job_(job) {}

  std::vector<FieldError> run() {
    check_job();
    return std::move(errors_);
  }

 private:
  void error(std::string path, std::string summary, std::string detail,
             std::string duplicate_of = "") {
    errors_.push_back(
        {std::move(path), std::move(summary), std::move(detail), std::move(duplicate_of)});
  }

  // ---- job -------------------------------------------------------------------

  void check_job() {
    if (job_.id.empty()) {
      error("ID", "Missing job ID",
            "The job has no ID; give the job block a name: job \"web\" { … }.");
    } else if (job_.id.find(' ') != std::string::npos) {
      error("ID", "Invalid job ID",
            fmt::format("The job ID \"{}\" contains a space; use letters, digits, '-' or '_'.",
                        job_.id));
    }
    if (!one_of(job_.type, {"service", "batch", "system", "sysbatch"})) {
      error("Type", "Invalid job type",
            fmt::format("The job type \"{}\" is not valid: type must be one of {}.", job_.type,
                        quoted_list({"service", "batch", "system", "sysbatch"})));
    }
    if (job_.priority < 1 || job_.priority > 100) {
      error("Priority", "Invalid priority",
            fmt::format("priority must be between 1 and 100; got {}.", job_.priority));
    }
    for (size_t i = 0; i < job_.datacenters.size(); ++i) {
      if (job_.datacenters[i].empty()) {
        error(index_path("Datacenters", i), "Invalid datacenter",
              "datacenters must not contain empty names.");
      }
    }
    check_constraints(job_.constraints, "Constraints");
    check_affinities(job_.affinities, "Affinities");
    check_spreads(job_.spreads, "Spreads");
    if (job_.update) check_update(*job_.update, "Update");
    if (job_.periodic) check_periodic(*job_.periodic);
    if (job_.parameterized_job) check_parameterized(*job_.parameterized_job);

    if (job_.task_groups.empty()) {
      error("", "Missing task group",
            fmt::format("The job \"{}\" has no group blocks; add at least one "
                        "group \"name\" {{ task \"name\" {{ … }} }} block.",
                        job_.id));
    }
    std::map<std::string, size_t> names;
    for (size_t i = 0; i < job_.task_groups.size(); ++i) {
      const model::TaskGroup& g = job_.task_groups[i];
      std::string path = index_path("TaskGroups", i);
      if (g.name.empty()) {
        error(path, "Missing group name", fmt::format("Task group {} has no name.", i + 1));
      } else if (auto [it, inserted] = names.emplace(g.name, i); !inserted) {
        error(path, "Duplicate task group",
              fmt::format("A group named \"{}\" is already defined (group {}); this duplicate "
                          "needs another name, as group names must be unique within a job.",
                          g.name, it->second + 1));
      }
      check_group(g, path);
    }
  }

  void check_periodic(const model::PeriodicConfig& p) {
    if (job_.type != model::kJobTypeBatch && job_.type != model::kJobTypeSysBatch) {
      error("Periodic", "Invalid periodic block",
            fmt::format("A periodic block needs a batch or sysbatch job; this job's type is "
                        "\"{}\". Set type = \"batch\".",
                        job_.type));
    }
    if (!p.spec.empty() && !p.specs.empty()) {
      error("Periodic", "Invalid periodic block", "Set either cron or crons, not both.");
    }
    if (p.enabled.value_or(true) && p.spec.empty() && p.specs.empty()) {
      error("Periodic", "Invalid periodic block",
            "The periodic block needs a cron expression: set cron (or crons).");
    }
    if (!p.spec_type.empty() && p.spec_type != "cron") {
      error("Periodic.SpecType", "Invalid periodic block",
            fmt::format("Unknown periodic specification type \"{}\"; only \"cron\" is supported.",
                        p.spec_type));
    }
    auto check_spec = [&](const std::string& spec, const std::string& path) {
      std::string why = internal::check_cron(spec);
      if (!why.empty()) {
        error(path, "Invalid cron expression",
              fmt::format("The cron expression \"{}\" is not valid: {}.", spec, why));
      }
    };
    if (!p.spec.empty()) check_spec(p.spec, "Periodic.Spec");
    for (size_t i = 0; i < p.specs.size(); ++i) check_spec(p.specs[i], "Periodic.Specs");
  }

  void check_parameterized(const model::ParameterizedJobConfig& p) {
    if (job_.type != model::kJobTypeBatch && job_.type != model::kJobTypeSysBatch) {
      error("ParameterizedJob", "Invalid parameterized block",
            fmt::format("A parameterized block needs a batch or sysbatch job; this job's type "
                        "is \"{}\".",
                        job_.type));
    }
    if (!one_of(p.payload, {"optional", "required", "forbidden"})) {
      error("ParameterizedJob.Payload", "Invalid payload requirement",
            fmt::format("payload must be {}; got \"{}\".",
                        quoted_list({"optional", "required", "forbidden"}), p.payload));
    }
  }

  // ---- placement ---------------------------------------------------------------

  void check_constraints(const std::vector<model::Constraint>& list, const std::string& base) {
    for (size_t i = 0; i < list.size(); ++i) {
      const model::Constraint& c = list[i];
      std::string path = index_path(base, i);
      if (!one_of(c.operand,
                  {"=", "==", "is", "!=", "not", ">", ">=", "<", "<=", "regexp", "version",
                   "semver", "set_contains", "set_contains_all", "set_contains_any",
                   "distinct_hosts", "distinct_property", "is_set", "is_not_set"})) {
        error(join_path(path, "Operand"), "Invalid constraint operator",
              fmt::format("The constraint operator \"{}\" is not known; operator must be one of "
                          "=, !=, >, >=, <, <=, regexp, version, semver, set_contains, "
                          "set_contains_all, set_contains_any, distinct_hosts, "
                          "distinct_property, is_set or is_not_set.",
                          c.operand));
        continue;
      }
      bool needs_l = c.operand != "distinct_hosts";
      bool needs_r =
          !one_of(c.operand, {"distinct_hosts", "distinct_property", "is_set", "is_not_set"});
      if (needs_l && c.l_target.empty()) {
        error(path, "Invalid constraint",
              fmt::format("The \"{}\" constraint needs an attribute.", c.operand));
      }
      if (needs_r && c.r_target.empty()) {
        error(path, "Invalid constraint",
              fmt::format("The \"{}\" constraint needs a value.", c.operand));
      }
    }
  }

  void check_affinities(const std::vector<model::Affinity>& list, const std::string& base) {
    for (size_t i = 0; i < list.size(); ++i) {
      const model::Affinity& a = list[i];
      std::string path = index_path(base, i);
      if (!one_of(a.operand,
                  {"=", "==", "is", "!=", "not", ">", ">=", "<", "<=", "regexp", "version",
                   "semver", "set_contains", "set_contains_all", "set_contains_any"})) {
        error(join_path(path, "Operand"), "Invalid affinity operator",
              fmt::format("The affinity operator \"{}\" is not known.", a.operand));
      }
      if (a.l_target.empty()) error(path, "Invalid affinity", "The affinity needs an attribute.");
      if (a.weight < -100 || a.weight > 100 || a.weight == 0) {
        error(join_path(path, "Weight"), "Invalid affinity weight",
              fmt::format("weight must be between -100 and 100 and not 0; got {}.", a.weight));
      }
    }
  }

  void check_spreads(const std::vector<model::Spread>& list, const std::string& base) {
    for (size_t i = 0; i < list.size(); ++i) {
      const model::Spread& s = list[i];
      std::string path = index_path(base, i);
      if (s.attribute.empty()) error(path, "Invalid spread", "The spread needs an attribute.");
      if (s.weight <= 0 || s.weight > 100) {
        error(join_path(path, "Weight"), "Invalid spread weight",
              fmt::format("weight must be between 1 and 100; got {}.", s.weight));
      }
      int sum = 0;
      std::set<std::string> values;
      for (size_t t = 0; t < s.spread_target.size(); ++t) {
        const model::SpreadTarget& target = s.spread_target[t];
        std::string tpath = index_path(join_path(path, "SpreadTarget"), t);
        if (target.percent < 0 || target.percent > 100) {
          error(join_path(tpath, "Percent"), "Invalid spread target",
                fmt::format("percent for target \"{}\" must be between 0 and 100; got {}.",
                            target.value, target.percent));
        }
        if (!values.insert(target.value).second) {
          error(
              tpath, "Duplicate spread target",
              fmt::format("The spread target \"{}\" is defined twice (duplicate).", target.value));
        }
        sum += target.percent;
      }
      if (sum > 100) {
        error(path, "Invalid spread targets",
              fmt::format("The target percentages add up to {}%; they must not exceed 100%.", sum));
      }
    }
  }

  // ---- policies ----------------------------------------------------------------

  void check_update(const model::UpdateStrategy& u, const std::string& path) {
    auto at = [&](const char* field) { return join_path(path, field); };
    if (u.health_check && !one_of(*u.health_check, {"checks", "task_states", "manual"})) {
      error(at("HealthCheck"), "Invalid update block",
            fmt::format("health_check must be {}; got \"{}\".",
                        quoted_list({"checks", "task_states", "manual"}), *u.health_check));
    }
    if (u.max_parallel.value_or(0) < 0) {
      error(at("MaxParallel"), "Invalid update block",
            fmt::format("max_parallel can not be less than zero; got {}.", *u.max_parallel));
    }
    if (u.canary.value_or(0) < 0) {
      error(at("Canary"), "Invalid update block",
            fmt::format("canary can not be less than zero; got {}.", *u.canary));
    }
    if (u.canary.value_or(0) == 0 && u.auto_promote.value_or(false)) {
      error(at("AutoPromote"), "Invalid update block",
            "auto_promote requires a canary count greater than zero; set canary.");
    }
    Duration min_healthy = u.min_healthy_time.value_or(Duration(0));
    Duration healthy = u.healthy_deadline.value_or(Duration(0));
    Duration progress = u.progress_deadline.value_or(Duration(0));
    if (min_healthy < Duration(0)) {
      error(at("MinHealthyTime"), "Invalid update block",
            "min_healthy_time may not be less than zero.");
    }
    if (healthy <= Duration(0)) {
      error(at("HealthyDeadline"), "Invalid update block",
            "healthy_deadline must be greater than zero.");
    }
    if (progress < Duration(0)) {
      error(at("ProgressDeadline"), "Invalid update block",
            "progress_deadline must be zero or greater.");
    }
    if (healthy > Duration(0) && min_healthy >= healthy) {
      error(at("MinHealthyTime"), "Invalid update block",
            fmt::format("min_healthy_time ({}) must be less than healthy_deadline ({}).",
                        format_duration(min_healthy), format_duration(healthy)));
    }
    if (progress != Duration(0) && healthy >= progress) {
      error(at("HealthyDeadline"), "Invalid update block",
            fmt::format("healthy_deadline ({}) must be less than progress_deadline ({}).",
                        format_duration(healthy), format_duration(progress)));
    }
    if (u.stagger.value_or(Duration(1)) <= Duration(0)) {
      error(at("Stagger"), "Invalid update block", "stagger must be greater than zero.");
    }
  }

  void check_restart(const model::RestartPolicy& r, const std::string& path) {
    std::string mode = r.mode.value_or("fail");
    if (!one_of(mode, {"fail", "delay"})) {
      error(join_path(path, "Mode"), "Invalid restart mode",
            fmt::format("The restart mode \"{}\" is not valid: mode must be \"fail\" or "
                        "\"delay\".",
                        mode));
    }
    int attempts = r.attempts.value_or(0);
    if (attempts < 0) {
      error(join_path(path, "Attempts"), "Invalid restart block",
            fmt::format("attempts can not be negative; got {}.", attempts));
    }
    Duration delay = r.delay.value_or(Duration(0));
    Duration interval = r.interval.value_or(Duration(0));
    if (delay < Duration(0)) {
      error(join_path(path, "Delay"), "Invalid restart block", "delay can not be negative.");
    }
    if (interval != Duration(0) && attempts > 0 && delay * attempts > interval) {
      error(join_path(path, "Interval"), "Invalid restart block",
            fmt::format("Nomad can't restart {} times in an interval of {} with a delay of {}; "
                        "make the interval longer or the delay shorter.",
                        attempts, format_duration(interval), format_duration(delay)));
    }
  }

  void check_reschedule(const model::ReschedulePolicy& r, const std::string& path) {
    int attempts = r.attempts.value_or(0);
    bool unlimited = r.unlimited.value_or(false);
    if (attempts <= 0 && !unlimited) return;  // rescheduling disabled: nothing to check
    std::string fn = r.delay_function.value_or("");
    if (!one_of(fn, {"constant", "exponential", "fibonacci"})) {
      error(join_path(path, "DelayFunction"), "Invalid reschedule block",
            fmt::format("delay_function must be {}; got \"{}\".",
                        quoted_list({"constant", "exponential", "fibonacci"}), fn));
    }
    if (attempts > 0 && unlimited) {
      error(join_path(path, "Unlimited"), "Invalid reschedule block",
            "attempts and unlimited = true are ambiguous; set attempts = 0 or unlimited = false.");
    }
    if (attempts > 0 && r.interval.value_or(Duration(0)) <= Duration(0)) {
      error(join_path(path, "Interval"), "Invalid reschedule block",
            "interval must be set when attempts is greater than zero.");
    }
    Duration delay = r.delay.value_or(Duration(0));
    if (delay < Duration(seconds(5))) {
      error(join_path(path, "Delay"), "Invalid reschedule block",
            fmt::format("delay cannot be less than 5s; got {}.", format_duration(delay)));
    }
    if (fn != "constant" && r.max_delay.value_or(Duration(0)) < delay) {
      error(join_path(path, "MaxDelay"), "Invalid reschedule block",
            fmt::format("max_delay cannot be less than delay ({}).", format_duration(delay)));
    }
  }

  void check_migrate(const model::MigrateStrategy& m, const std::string& path) {
    if (m.max_parallel.value_or(0) < 0) {
      error(join_path(path, "MaxParallel"), "Invalid migrate block",
            "max_parallel must be zero or more.");
    }
    if (m.health_check && !one_of(*m.health_check, {"checks", "task_states"})) {
      error(join_path(path, "HealthCheck"), "Invalid migrate block",
            fmt::format("health_check must be \"checks\" or \"task_states\"; got \"{}\".",
                        *m.health_check));
    }
    if (m.min_healthy_time.value_or(Duration(0)) > m.healthy_deadline.value_or(Duration(0))) {
      error(join_path(path, "MinHealthyTime"), "Invalid migrate block",
            "min_healthy_time must be less than healthy_deadline.");
    }
  }

  // ---- group -------------------------------------------------------------------

  struct PortInfo {
    std::set<std::string> labels;
  };

  // `labels` maps each port label seen in the group to its path.
  void check_network_ports(const model::NetworkResource& n, const std::string& path,
                           std::map<std::string, std::string>& labels,
                           std::map<int, std::string>& statics) {
    auto check_list = [&](const std::vector<model::Port>& ports, const char* field) {
      for (size_t k = 0; k < ports.size(); ++k) {
        const model::Port& p = ports[k];
        std::string ppath = index_path(join_path(path, field), k);
        if (auto [it, inserted] = labels.emplace(p.label, ppath); !inserted) {
          error(ppath, "Duplicate port label",
                fmt::format("A port labelled \"{}\" is already defined in this group "
                            "(duplicate); port labels must be unique within a group.",
                            p.label),
                it->second);
        }
        if (p.value < 0 || p.value > 65535) {
          error(join_path(ppath, "Value"), "Invalid port",
                fmt::format("The static port {} of \"{}\" is out of range: it must be between 0 "
                            "and 65535.",
                            p.value, p.label));
        } else if (p.value > 0) {
          if (auto [it, inserted] = statics.emplace(p.value, ppath); !inserted) {
            error(join_path(ppath, "Value"), "Duplicate static port",
                  fmt::format("The static port {} of \"{}\" is already reserved by another "
                              "port (duplicate).",
                              p.value, p.label),
                  join_path(it->second, "Value"));
          }
        }
        if (p.to < -1 || p.to > 65535) {
          error(join_path(ppath, "To"), "Invalid port",
                fmt::format("The `to` port {} of \"{}\" is out of range: it must be between -1 "
                            "and 65535.",
                            p.to, p.label));
        }
      }
    };
    check_list(n.reserved_ports, "ReservedPorts");
    check_list(n.dynamic_ports, "DynamicPorts");
  }

  void check_group(const model::TaskGroup& g, const std::string& path) {
    int count = g.count.value_or(1);
    if (count < 0) {
      error(join_path(path, "Count"), "Invalid count",
            fmt::format("count can't be negative; got {}.", count));
    }
    if (job_.type == model::kJobTypeSystem && count > 1) {
      error(join_path(path, "Count"), "Invalid count",
            fmt::format("A system job runs one allocation per node: count cannot exceed 1; got "
                        "{}.",
                        count));
    }
    if (g.tasks.empty()) {
      error(path, "Missing task",
            fmt::format("The group \"{}\" has no task blocks; add at least one task "
                        "\"name\" {{ driver = … }} block.",
                        g.name));
    }
    check_constraints(g.constraints, join_path(path, "Constraints"));
    check_affinities(g.affinities, join_path(path, "Affinities"));
    check_spreads(g.spreads, join_path(path, "Spreads"));
    if (g.restart_policy) check_restart(*g.restart_policy, join_path(path, "RestartPolicy"));
    if (g.reschedule_policy) {
      check_reschedule(*g.reschedule_policy, join_path(path, "ReschedulePolicy"));
    }
    if (g.update) {
      if (job_.type != model::kJobTypeService && job_.type != model::kJobTypeSystem) {
        error(join_path(path, "Update"), "Invalid update block",
              fmt::format("Job type \"{}\" does not allow an update block.", job_.type));
      }
      check_update(*g.update, join_path(path, "Update"));
    }
    if (g.migrate) {
      if (job_.type != model::kJobTypeService) {
        error(join_path(path, "Migrate"), "Invalid migrate block",
              fmt::format("Job type \"{}\" does not allow a migrate block.", job_.type));
      }
      check_migrate(*g.migrate, join_path(path, "Migrate"));
    }
    if (g.scaling) {
      const model::ScalingPolicy& s = *g.scaling;
      int64_t min = s.min.value_or(0);
      if (min < 0) {
        error(join_path(path, "Scaling.Min"), "Invalid scaling block", "min must be zero or more.");
      }
      if (s.max < min) {
        error(join_path(path, "Scaling.Max"), "Invalid scaling block",
              fmt::format("max ({}) must not be less than min ({}).", s.max, min));
      } else if (count < min || count > s.max) {
        error(join_path(path, "Count"), "Invalid scaling block",
              fmt::format("The group count ({}) must be between the scaling min ({}) and max "
                          "({}).",
                          count, min, s.max));
      }
    }

    // Networks and ports (group level and legacy task level share one label space).
    if (g.networks.size() > 1) {
      error(index_path(join_path(path, "Networks"), 1), "Too many network blocks",
            "Only one network block is supported per group.");
    }
    std::map<std::string, std::string> labels;
    std::map<int, std::string> statics;
    for (size_t n = 0; n < g.networks.size(); ++n) {
      check_network_ports(g.networks[n], index_path(join_path(path, "Networks"), n), labels,
                          statics);
    }
    std::set<std::string> group_labels;
    for (const auto& [label, port_path] : labels) group_labels.insert(label);

    std::set<std::string> volumes;
    for (const auto& [name, v] : g.volumes) {
      volumes.insert(name);
      std::string vpath = key_path(join_path(path, "Volumes"), name);
      if (!one_of(v.type, {"host", "csi"})) {
        error(join_path(vpath, "Type"), "Invalid volume",
              fmt::format("The volume \"{}\" has type \"{}\"; type must be \"host\" or \"csi\".",
                          name, v.type));
      }
      if (v.source.empty()) {
        error(vpath, "Invalid volume",
              fmt::format("The volume \"{}\" has no source; set source.", name));
      }
    }

    std::map<std::string, size_t> task_names;
    int leaders = 0;
    for (size_t t = 0; t < g.tasks.size(); ++t) {
      const model::Task& task = g.tasks[t];
      std::string tpath = index_path(join_path(path, "Tasks"), t);
      if (auto [it, inserted] = task_names.emplace(task.name, t); !inserted) {
        error(tpath, "Duplicate task",
              fmt::format("A task named \"{}\" is already defined in this group (task {}); "
                          "this duplicate needs another name.",
                          task.name, it->second + 1));
      }
      if (task.leader) ++leaders;
      std::set<std::string> task_labels = group_labels;
      for (size_t n = 0; n < task.resources.networks.size(); ++n) {
        check_network_ports(task.resources.networks[n],
                            index_path(join_path(tpath, "Resources.Networks"), n), labels, statics);
        for (const auto* ports : {&task.resources.networks[n].reserved_ports,
                                  &task.resources.networks[n].dynamic_ports}) {
          for (const model::Port& p : *ports) task_labels.insert(p.label);
        }
      }
      check_task(task, tpath, g, task_labels, volumes);
    }
    if (leaders > 1) {
      error(path, "Too many leader tasks", "Only one task of a group may be marked as leader.");
    }

    check_services(g.services, join_path(path, "Services"), group_labels, /*task_level=*/false);
  }

  // ---- services ------------------------------------------------------------------

  void check_port_label(const std::string& label, const std::string& path, const char* what,
                        const std::set<std::string>& labels) {
    if (label.empty() || is_number(label) || label.find("${") != std::string::npos) return;
    if (labels.contains(label)) return;
    std::string known;
    for (const std::string& l : labels) known += (known.empty() ? "\"" : ", \"") + l + "\"";
    error(path, "Unknown port label",
          fmt::format("The {} uses port \"{}\", but no network block of this group defines a "
                      "port labelled \"{}\". {}",
                      what, label, label,
                      known.empty() ? std::string("Add a network { port \"" + label +
                                                  "\" {} } "
                                                  "block to the group.")
                                    : "Known ports: " + known + "."));
  }

  void check_services(const std::vector<model::Service>& services, const std::string& base,
                      const std::set<std::string>& labels, bool task_level) {
    std::set<std::string> seen;
    for (size_t i = 0; i < services.size(); ++i) {
      const model::Service& s = services[i];
      std::string path = index_path(base, i);
      if (!seen.insert(s.name + "\n" + s.port_label).second) {
        error(path, "Duplicate service",
              fmt::format("The service \"{}\" on port \"{}\" is defined twice (duplicate).", s.name,
                          s.port_label));
      }
      if (!one_of(s.provider, {"consul", "nomad"})) {
        error(join_path(path, "Provider"), "Invalid service provider",
              fmt::format("provider must be \"consul\" or \"nomad\"; got \"{}\".", s.provider));
      }
      if (!one_of(s.address_mode, {"auto", "host", "driver", "alloc"})) {
        error(join_path(path, "AddressMode"), "Invalid service address_mode",
              fmt::format("address_mode must be {}; got \"{}\".",
                          quoted_list({"auto", "host", "driver", "alloc"}), s.address_mode));
      }
      if (!one_of(s.on_update, {"require_healthy", "ignore_warnings", "ignore"})) {
        error(join_path(path, "OnUpdate"), "Invalid service on_update",
              fmt::format("on_update must be {}; got \"{}\".",
                          quoted_list({"require_healthy", "ignore_warnings", "ignore"}),
                          s.on_update));
      }
      // A task-level service addressed by the driver may name a driver port map.
      if (!(task_level && s.address_mode == "driver")) {
        check_port_label(s.port_label, join_path(path, "PortLabel"),
                         fmt::format("service \"{}\"", s.name).c_str(), labels);
      }
      if (s.check_restart) check_check_restart(*s.check_restart, join_path(path, "CheckRestart"));
      for (size_t c = 0; c < s.checks.size(); ++c) {
        check_check(s, s.checks[c], index_path(join_path(path, "Checks"), c), labels, task_level);
      }
    }
  }

  void check_check_restart(const model::CheckRestart& c, const std::string& path) {
    if (c.limit < 0) {
      error(join_path(path, "Limit"), "Invalid check_restart block",
            fmt::format("limit must be zero or more; got {}.", c.limit));
    }
    if (c.grace < Duration(0)) {
      error(join_path(path, "Grace"), "Invalid check_restart block", "grace must not be negative.");
    }
  }

  void check_check(const model::Service& s, const model::ServiceCheck& c, const std::string& path,
                   const std::set<std::string>& labels, bool task_level) {
    bool nomad = s.provider == "nomad";
    std::initializer_list<std::string_view> consul_types = {"http", "tcp", "script", "grpc"};
    std::initializer_list<std::string_view> nomad_types = {"http", "tcp"};
    if (!one_of(c.type, nomad ? nomad_types : consul_types)) {
      error(join_path(path, "Type"), "Invalid check type",
            fmt::format("The check type \"{}\" is not supported by the {} provider: type must be "
                        "{}.",
                        c.type, s.provider,
                        nomad ? quoted_list(nomad_types) : quoted_list(consul_types)));
      return;
    }
    if (c.interval < Duration(seconds(1))) {
      error(join_path(path, "Interval"), "Invalid check interval",
            c.interval == Duration(0)
                ? std::string("The check has no interval; set interval (at least 1s), e.g. "
                              "interval = \"10s\".")
                : fmt::format("The check interval {} is too short: interval must be at least 1s.",
                              format_duration(c.interval)));
    }
    if (c.timeout <= Duration(0)) {
      error(join_path(path, "Timeout"), "Missing check timeout",
            "The check has no timeout; set timeout, e.g. timeout = \"2s\".");
    }
    if (c.type == "script" && c.command.empty()) {
      error(join_path(path, "Command"), "Missing check command",
            "A script check needs a command to run; set command.");
    }
    if (c.type == "http" && c.path.empty()) {
      error(join_path(path, "Path"), "Missing check path",
            "An http check needs a path, e.g. path = \"/health\".");
    }
    if (!one_of(c.initial_status, {"", "passing", "warning", "critical"})) {
      error(join_path(path, "InitialStatus"), "Invalid check initial_status",
            fmt::format("initial_status must be {}; got \"{}\".",
                        quoted_list({"passing", "warning", "critical"}), c.initial_status));
    }
    if (!one_of(c.protocol, {"", "http", "https"})) {
      error(join_path(path, "Protocol"), "Invalid check protocol",
            fmt::format("protocol must be \"http\" or \"https\"; got \"{}\".", c.protocol));
    }
    if (!one_of(c.on_update, {"require_healthy", "ignore_warnings", "ignore"})) {
      error(
          join_path(path, "OnUpdate"), "Invalid check on_update",
          fmt::format("on_update must be {}; got \"{}\".",
                      quoted_list({"require_healthy", "ignore_warnings", "ignore"}), c.on_update));
    }
    if (!(task_level && c.address_mode == "driver") && !c.expose) {
      check_port_label(c.port_label, join_path(path, "PortLabel"), "check", labels);
    }
    if (c.check_restart) check_check_restart(*c.check_restart, join_path(path, "CheckRestart"));
  }

  // ---- task --------------------------------------------------------------------

  void check_task(const model::Task& t, const std::string& path, const model::TaskGroup& g,
                  const std::set<std::string>& labels, const std::set<std::string>& volumes) {
    if (t.name.empty()) error(path, "Missing task name", "The task has no name.");
    if (t.driver.empty()) {
      error(join_path(path, "Driver"), "Missing driver",
            fmt::format("The task \"{}\" has no driver; set driver, e.g. driver = \"docker\".",
                        t.name));
    }
    const model::Resources& r = t.resources;
    std::string rpath = join_path(path, "Resources");
    if (r.cores == 0 && r.cpu < 1) {
      error(join_path(rpath, "CPU"), "Invalid resources",
            fmt::format("cpu must be at least 1 MHz; got {}.", r.cpu));
    }
    if (r.cores != 0 && r.cpu != 0) {
      error(join_path(rpath, "Cores"), "Invalid resources",
            "A task can ask for either cpu or cores, not both.");
    }
    if (r.memory_mb < 10) {
      error(join_path(rpath, "MemoryMB"), "Invalid resources",
            fmt::format("memory must be at least 10 MB; got {}.", r.memory_mb));
    }
    if (r.memory_max_mb != 0 && r.memory_max_mb < r.memory_mb) {
      error(join_path(rpath, "MemoryMaxMB"), "Invalid resources",
            fmt::format("memory_max ({}) must not be less than memory ({}).", r.memory_max_mb,
                        r.memory_mb));
    }
    for (size_t d = 0; d < r.devices.size(); ++d) {
      const model::RequestedDevice& dev = r.devices[d];
      std::string dpath = index_path(join_path(rpath, "Devices"), d);
      if (dev.count < 0) {
        error(join_path(dpath, "Count"), "Invalid device", "count must be zero or more.");
      }
      check_constraints(dev.constraints, join_path(dpath, "Constraints"));
      check_affinities(dev.affinities, join_path(dpath, "Affinities"));
    }
    if (t.kill_timeout && *t.kill_timeout < Duration(0)) {
      error(join_path(path, "KillTimeout"), "Invalid kill_timeout",
            "kill_timeout must not be negative.");
    }
    if (t.restart_policy && (!g.restart_policy || *t.restart_policy != *g.restart_policy)) {
      check_restart(*t.restart_policy, join_path(path, "RestartPolicy"));
    }
    if (t.lifecycle && !one_of(t.lifecycle->hook, {"prestart", "poststart", "poststop"})) {
      error(join_path(path, "Lifecycle.Hook"), "Invalid lifecycle hook",
            fmt::format("hook must be {}; got \"{}\".",
                        quoted_list({"prestart", "poststart", "poststop"}), t.lifecycle->hook));
    }
    if (t.log_config) {
      const model::LogConfig& l = *t.log_config;
      std::string lpath = join_path(path, "LogConfig");
      if (l.max_files < 1) {
        error(join_path(lpath, "MaxFiles"), "Invalid logs block",
              fmt::format("max_files must be at least 1; got {}.", l.max_files));
      }
      if (l.max_file_size_mb < 1) {
        error(join_path(lpath, "MaxFileSizeMB"), "Invalid logs block",
              fmt::format("max_file_size must be at least 1 (MB); got {}.", l.max_file_size_mb));
      }
      int disk = g.ephemeral_disk ? g.ephemeral_disk->size_mb : 300;
      if (!l.disabled && l.max_files * l.max_file_size_mb >= disk) {
        error(lpath, "Invalid logs block",
              fmt::format("Log storage ({} files × {} MB) must be less than the group's "
                          "ephemeral_disk size ({} MB); lower max_files or max_file_size, or "
                          "raise ephemeral_disk.size.",
                          l.max_files, l.max_file_size_mb, disk));
      }
    }
    for (size_t a = 0; a < t.artifacts.size(); ++a) {
      if (t.artifacts[a].getter_source.empty()) {
        error(index_path(join_path(path, "Artifacts"), a), "Invalid artifact",
              "The artifact has no source; set source.");
      }
    }
    for (size_t k = 0; k < t.templates.size(); ++k)
      check_template(t.templates[k], index_path(join_path(path, "Templates"), k));
    for (size_t m = 0; m < t.volume_mounts.size(); ++m) {
      const model::VolumeMount& vm = t.volume_mounts[m];
      std::string mpath = index_path(join_path(path, "VolumeMounts"), m);
      if (!volumes.contains(vm.volume)) {
        error(join_path(mpath, "Volume"), "Unknown volume",
              fmt::format("The volume_mount refers to volume \"{}\", which the group does not "
                          "define; add a volume \"{}\" block to the group.",
                          vm.volume, vm.volume));
      }
      if (vm.destination.empty()) {
        error(mpath, "Invalid volume_mount", "The volume_mount has no destination.");
      }
    }
    check_constraints(t.constraints, join_path(path, "Constraints"));
    check_affinities(t.affinities, join_path(path, "Affinities"));
    check_services(t.services, join_path(path, "Services"), labels, /*task_level=*/true);
  }

  void check_template(const model::Template& t, const std::string& path) {
    if (t.source_path.empty() && t.embedded_tmpl.empty()) {
      error(path, "Invalid template", "The template needs a source or data.");
    }
    if (t.dest_path.empty()) {
      error(path, "Invalid template", "The template needs a destination.");
    }
    if (!one_of(t.change_mode, {"noop", "restart", "signal", "script"})) {
      error(join_path(path, "ChangeMode"), "Invalid template change_mode",
            fmt::format("change_mode must be {}; got \"{}\".",
                        quoted_list({"noop", "restart", "signal", "script"}), t.change_mode));
    }
    if (t.change_mode == "signal" && t.change_signal.empty()) {
      error(join_path(path, "ChangeSignal"), "Invalid template",
            "change_mode \"signal\" needs change_signal.");
    }
    if (t.change_mode == "script" && !t.change_script) {
      error(join_path(path, "ChangeMode"), "Invalid template",
            "change_mode \"script\" needs a change_script block.");
    }
    bool octal = !t.perms.empty() && t.perms.size() <= 4;
    for (char c : t.perms) octal = octal && c >= '0' && c <= '7';
    if (!octal) {
      error(join_path(path, "Perms"), "Invalid template perms",
            fmt::format("perms must be an octal mode such as \"0644\"; got \"{}\".", t.perms));
    }
  }

  const model::Job& job_;
  std::vector<FieldError> errors_;
};

}  // namespace

std::vector<FieldError> validate_job(const model::Job& job) { return Validator(job).run(); }

}  // namespace caravan::jobspec
