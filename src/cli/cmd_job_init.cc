// `caravan job init [-short] [filename]`: writes a commented example job file,
// as `nomad job init` does (default name example.nomad.hcl). Refuses to
// overwrite an existing file.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <fmt/format.h>

#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/example_job.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kHelp =
    "Usage: caravan job init [options] [filename]\n\n"
    "  Writes an example job file to [filename] (default example.nomad.hcl):\n"
    "  a web service with a dynamic port, a health check and ingress tags,\n"
    "  commented block by block. The file is never overwritten.\n\n"
    "Init Options:\n\n"
    "  -short\n"
    "    Write the example without comments.\n\n";

int run_job_init(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  bool short_form = false;
  flags.add_bool("short", &short_form, "write the example without comments");
  int exit_code = 0;
  auto positional = parse_command_flags(flags, args, kHelp, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() > 1) {
    io.err << "This command takes at most one argument: [filename]\n\n" << kHelp;
    return 1;
  }
  std::string path = positional->empty() ? "example.nomad.hcl" : (*positional)[0];
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    io.err << fmt::format("Job '{}' already exists\n", path);
    return 1;
  }
  std::ofstream out(path, std::ios::binary);
  out << (short_form ? example_job_short() : example_job_commented());
  out.close();
  if (!out) {
    io.err << fmt::format("Failed to write '{}'\n", path);
    return 1;
  }
  io.out << fmt::format("Example job file written to {}\n", path);
  return 0;
}

}  // namespace

const Command kJobInitCommand{
    "job init",
    "Create an example job file",
    kHelp,
    run_job_init,
};

}  // namespace caravan::cli
