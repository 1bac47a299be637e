// `caravan alloc logs [options] <alloc> [task]`: prints a task's stdout (or
// stderr) from GET /v1/client/fs/logs/:alloc?plain=true; -tail/-n/-c print
// only the end, -f keeps streaming until interrupted.
#include <fmt/format.h>

#include <ostream>

#include "cli/alloc_support.h"
#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan alloc logs [options] <allocation> [<task>]\n\n"
    "  Prints the standard output (or, with -stderr, the standard error) of a task\n"
    "  of an allocation. <task> may be left out when the allocation runs a single\n"
    "  task.\n\n";

constexpr std::string_view kOptions =
    "\nLogs Options:\n\n"
    "  -stderr\n"
    "    Print the task's standard error instead of its standard output.\n\n"
    "  -f\n"
    "    Keep printing new output as it is written, until interrupted (ctrl+c).\n\n"
    "  -tail\n"
    "    Print only the end of the log: the last 10 lines unless -n or -c say\n"
    "    otherwise.\n\n"
    "  -n=<lines>\n"
    "    With -tail, the number of lines to print.\n\n"
    "  -c=<bytes>\n"
    "    With -tail, the number of bytes to print.\n\n"
    "  -task=<task>\n"
    "    The task (the same as the <task> argument).\n\n";

constexpr int kDefaultTailLines = 10;
// A first guess at the bytes that hold N lines; doubled until enough arrive.
constexpr int64_t kBytesPerLineGuess = 120;
constexpr int64_t kMaxTailBytes = 64LL * 1024 * 1024;

struct LogRequest {
  std::string base;  // "/v1/client/fs/logs/<alloc>?task=..&type=..&plain=true"
  std::string at_end(int64_t offset) const {
    return fmt::format("{}&origin=end&offset={}", base, offset);
  }
};

// The tail holding the last `lines` lines: fetches growing windows from the end
// until it has enough lines or the whole log. Returns the window and, in
// *start, where the last lines begin in it.
Result<std::string> fetch_tail(ApiClient& api, const LogRequest& request, int lines,
                               size_t* start) {
  int64_t window = std::max<int64_t>(lines, 1) * kBytesPerLineGuess;
  while (true) {
    Result<std::string> text = api.get_text(request.at_end(window));
    if (!text) return text;
    last_lines(*text, lines, start);
    bool whole_log = static_cast<int64_t>(text->size()) < window;
    if (*start > 0 || whole_log || window >= kMaxTailBytes) return text;
    window *= 2;
  }
}

int run_alloc_logs(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool use_stderr = false, follow = false, tail = false, verbose = false;
  int lines = -1, bytes = -1;
  std::string task;
  flags.add_bool("stderr", &use_stderr, "print stderr");
  flags.add_bool("f", &follow, "follow");
  flags.add_bool("tail", &tail, "print the end");
  flags.add_int("n", &lines, "lines");
  flags.add_int("c", &bytes, "bytes");
  flags.add_string("task", &task, "the task");
  flags.add_bool("verbose", &verbose, "full IDs");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->empty() || positional->size() > 2) {
    io.err << "This command takes one or two arguments: <allocation> [<task>]\n\n" << help;
    return 1;
  }
  if (positional->size() == 2) task = (*positional)[1];
  if (lines >= 0 && bytes >= 0) {
    io.err << "Error: -n and -c cannot be combined\n\n" << help;
    return 1;
  }
  if (lines >= 0 || bytes >= 0) tail = true;  // -n/-c only make sense at the end
  if (tail && lines < 0 && bytes < 0) lines = kDefaultTailLines;

  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;
  std::optional<nlohmann::json> alloc = fetch_allocation(*api, (*positional)[0], io);
  if (!alloc) return 1;
  Result<std::string> chosen = select_task(*alloc, task);
  if (!chosen) {
    io.err << chosen.error().message() << (chosen.error().message().ends_with("\n") ? "" : "\n");
    return 1;
  }
  api = connect_alloc_node(*api, api_flags, *alloc, io);
  if (!api) return 1;
  LogRequest request{fmt::format("/v1/client/fs/logs/{}?task={}&type={}&plain=true",
                                 url_escape(json_string(*alloc, "ID")), url_escape(*chosen),
                                 use_stderr ? "stderr" : "stdout")};

  // Where a follow stream starts, and how much of its beginning to skip.
  std::string follow_from = request.base + "&origin=start&offset=0";
  size_t skip = 0;
  if (tail && bytes >= 0) {
    if (!follow) {
      Result<std::string> text = api->get_text(request.at_end(bytes));
      if (!text) {
        print_api_error(io, "reading file", text.error());
        return 1;
      }
      io.out << *text << std::flush;
      return 0;
    }
    follow_from = request.at_end(bytes);
  } else if (tail) {
    size_t start = 0;
    Result<std::string> text = fetch_tail(*api, request, lines, &start);
    if (!text) {
      print_api_error(io, "reading file", text.error());
      return 1;
    }
    if (!follow) {
      io.out << std::string_view(*text).substr(start) << std::flush;
      return 0;
    }
    // Stream from the same window and drop the part before the last lines, so
    // nothing written in between is lost.
    follow_from = request.at_end(static_cast<int64_t>(text->size()));
    skip = start;
  }
  if (!follow) {
    Result<std::string> text = api->get_text(follow_from);
    if (!text) {
      print_api_error(io, "reading file", text.error());
      return 1;
    }
    io.out << *text << std::flush;
    return 0;
  }
  Status streamed = api->get_stream(follow_from + "&follow=true", [&](std::string_view data) {
    size_t drop = std::min(skip, data.size());
    skip -= drop;
    io.out << data.substr(drop) << std::flush;
    return io.out.good();
  });
  if (!streamed.is_ok()) {
    print_api_error(io, "reading file", streamed);
    return 1;
  }
  return 0;
}

}  // namespace

const Command kAllocLogsCommand{
    "alloc logs",
    "Stream the logs of a task",
    kUsage,
    run_alloc_logs,
};

}  // namespace caravan::cli
