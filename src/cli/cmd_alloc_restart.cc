// `caravan alloc restart [options] <alloc> [task]`: restarts the tasks of an
// allocation in place on its node (POST /v1/client/allocation/:id/restart).
#include <ostream>

#include "cli/alloc_support.h"
#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan alloc restart [options] <allocation> [<task>]\n\n"
    "  Restarts the running tasks of an allocation in place, or only <task>.\n"
    "  The allocation keeps its node, resources and ports.\n\n";

constexpr std::string_view kOptions =
    "\nRestart Options:\n\n"
    "  -task=<task>\n"
    "    The task to restart (the same as the <task> argument).\n\n"
    "  -all-tasks\n"
    "    Restart every task, including ones that already finished (prestart and\n"
    "    poststart tasks).\n\n";

int run_alloc_restart(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  std::string task;
  bool all_tasks = false;
  flags.add_string("task", &task, "the task to restart");
  flags.add_bool("all-tasks", &all_tasks, "restart every task");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->empty() || positional->size() > 2) {
    io.err << "This command takes one or two arguments: <allocation> [<task>]\n\n" << help;
    return 1;
  }
  if (positional->size() == 2) {
    if (!task.empty() && task != (*positional)[1]) {
      io.err << "Error: the task is given twice (-task and argument) with different values\n";
      return 1;
    }
    task = (*positional)[1];
  }
  if (all_tasks && !task.empty()) {
    io.err << "Error: -all-tasks cannot be combined with a task name\n";
    return 1;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;
  std::optional<nlohmann::json> alloc = fetch_allocation(*api, (*positional)[0], io);
  if (!alloc) return 1;
  if (!task.empty()) {
    Result<std::string> chosen = select_task(*alloc, task);
    if (!chosen) {
      io.err << chosen.error().message();
      return 1;
    }
  }
  api = connect_alloc_node(*api, api_flags, *alloc, io);
  if (!api) return 1;
  nlohmann::json body{{"TaskName", task}, {"AllTasks", all_tasks}};
  Result<nlohmann::json> response = api->post(
      "/v1/client/allocation/" + url_escape(json_string(*alloc, "ID")) + "/restart", body);
  if (!response) {
    io.err << api_error_text("restarting allocation", response.error()) << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

const Command kAllocRestartCommand{
    "alloc restart",
    "Restart a running allocation or task",
    kUsage,
    run_alloc_restart,
};

}  // namespace caravan::cli
