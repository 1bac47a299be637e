#include "cli/eval_monitor.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <thread>

#include "cli/plan_format.h"
#include "cli/text_format.h"
#include "model/model_json.h"

namespace caravan::cli {

std::string EvalMonitorPrinter::id(std::string_view full) const {
  return short_id(full, id_length_);
}

std::string EvalMonitorPrinter::start(std::string_view eval_id, std::string_view now) {
  seen_ = false;
  status_.clear();
  job_.clear();
  node_.clear();
  deployment_.clear();
  allocs_.clear();
  return fmt::format("==> {}: Monitoring evaluation \"{}\"\n", now, id(eval_id));
}

std::string EvalMonitorPrinter::update(const EvalObservation& observation, std::string_view now) {
  const model::Evaluation& eval = observation.eval;
  std::string out;
  if (node_.empty() && !eval.node_id.empty()) {
    out += fmt::format("    {}: Evaluation triggered by node \"{}\"\n", now, id(eval.node_id));
  }
  if (job_.empty() && !eval.job_id.empty()) {
    out += fmt::format("    {}: Evaluation triggered by job \"{}\"\n", now, eval.job_id);
  }
  if (deployment_.empty() && !eval.deployment_id.empty()) {
    out +=
        fmt::format("    {}: Evaluation within deployment: \"{}\"\n", now, id(eval.deployment_id));
  }
  node_ = eval.node_id;
  job_ = eval.job_id;
  deployment_ = eval.deployment_id;

  if (observation.allocs.is_array()) {
    for (const auto& alloc : observation.allocs) {
      std::string alloc_id = json_string(alloc, "ID");
      std::string client = json_string(alloc, "ClientStatus");
      auto it = allocs_.find(alloc_id);
      if (it == allocs_.end()) {
        std::string where =
            fmt::format("node \"{}\", group \"{}\"", id(json_string(alloc, "NodeID")),
                        json_string(alloc, "TaskGroup"));
        if (json_int(alloc, "CreateIndex") < eval.create_index) {
          // Older than the evaluation: this evaluation changed an existing allocation.
          out += fmt::format("    {}: Allocation \"{}\" modified: {}\n", now, id(alloc_id), where);
        } else if (json_string(alloc, "DesiredStatus") == "run") {
          out += fmt::format("    {}: Allocation \"{}\" created: {}\n", now, id(alloc_id), where);
        }
        allocs_[alloc_id] = AllocSeen{client};
      } else if (it->second.client_status != client) {
        std::string description = json_string(alloc, "ClientDescription");
        out += fmt::format("    {}: Allocation \"{}\" status changed: \"{}\" -> \"{}\"{}\n", now,
                           id(alloc_id), it->second.client_status, client,
                           description.empty() ? "" : " (" + description + ")");
        it->second.client_status = client;
      }
    }
  }

  if (seen_ && eval.status != model::kEvalStatusPending && status_ != eval.status) {
    out += fmt::format("    {}: Evaluation status changed: \"{}\" -> \"{}\"\n", now, status_,
                       eval.status);
  }
  seen_ = true;
  status_ = eval.status;
  return out;
}

std::string EvalMonitorPrinter::finish(const model::Evaluation& eval, std::string_view now) {
  if (eval.status == model::kEvalStatusFailed) failed_ = true;
  if (eval.failed_tg_allocs.empty()) {
    return fmt::format("==> {}: Evaluation \"{}\" finished with status \"{}\"\n", now, id(eval.id),
                       eval.status);
  }
  failed_ = true;
  std::string out = fmt::format(
      "==> {}: Evaluation \"{}\" finished with status \"{}\" but failed to place all "
      "allocations:\n",
      now, id(eval.id), eval.status);
  for (const auto& [group, metric] : eval.failed_tg_allocs) {
    int count = metric.coalesced_failures + 1;
    out += fmt::format("    {}: Task Group \"{}\" (failed to place {} allocation{}):\n", now, group,
                       count, count == 1 ? "" : "s");
    const std::string reasons = format_alloc_metric_reasons(metric, 2);
    for (std::string_view rest = reasons; !rest.empty();) {
      size_t end = rest.find('\n');
      out += "    " + std::string(rest.substr(0, end)) + "\n";
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  if (!eval.blocked_eval.empty()) {
    out += fmt::format(
        "    {}: Evaluation \"{}\" waiting for additional capacity to place remainder\n", now,
        id(eval.blocked_eval));
  }
  return out;
}

int monitor_evaluation(ApiClient& api, std::string eval_id, CommandIo& io,
                       const MonitorOptions& options) {
  EvalMonitorPrinter printer(options.id_length);
  auto now = [] { return format_time(now_unix_nanos()); };
  io.out << printer.start(eval_id, now()) << std::flush;
  int64_t index = 0;
  while (true) {
    QueryMeta meta;
    std::string path = "/v1/evaluation/" + url_escape(eval_id);
    Result<nlohmann::json> doc = api.get_blocking(path, BlockingQuery{index, options.wait}, &meta);
    if (!doc) {
      if (doc.error().code() == StatusCode::kNotFound) {
        io.err << fmt::format("No evaluation with id \"{}\" found\n", eval_id);
      } else {
        print_api_error(io, "reading evaluation", doc.error());
      }
      return 1;
    }
    Result<model::Evaluation> eval = model::from_json<model::Evaluation>(*doc, "Evaluation");
    if (!eval) {
      io.err << "Error reading evaluation: " << eval.error().message() << "\n";
      return 1;
    }
    Result<nlohmann::json> allocs = api.get(path + "/allocations");
    if (!allocs) {
      print_api_error(io, "reading allocations", allocs.error());
      return 1;
    }
    io.out << printer.update(EvalObservation{*eval, std::move(allocs).value()}, now())
           << std::flush;
    if (!eval->terminal()) {
      int64_t next = meta.index > 0 ? meta.index : eval->modify_index;
      // An agent that answers at once (no blocking support, or an index that
      // did not move) must not be hammered.
      if (next <= index) std::this_thread::sleep_for(std::chrono::milliseconds(500));
      index = std::max(index, next);
      continue;
    }
    io.out << printer.finish(*eval, now()) << std::flush;
    if (eval->next_eval.empty()) break;
    if (eval->wait.count() > 0) {
      io.out << fmt::format("    {}: Monitoring next evaluation \"{}\" in {}\n", now(),
                            short_id(eval->next_eval, options.id_length),
                            format_duration(eval->wait))
             << std::flush;
      std::this_thread::sleep_for(eval->wait);
    }
    eval_id = eval->next_eval;
    index = 0;
    io.out << printer.start(eval_id, now()) << std::flush;
  }
  return printer.failed() ? 2 : 0;
}

}  // namespace caravan::cli
