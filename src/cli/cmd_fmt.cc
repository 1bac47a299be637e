// `caravan fmt` / `caravan job fmt`: rewrites HCL files in the canonical style
// (as `nomad fmt`): indentation, spacing, aligned `=`. With no path, formats the
// .hcl/.nomad files of the current directory; "-" formats stdin to stdout.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <fmt/format.h>

#include "cli/command_support.h"
#include "cli/commands.h"
#include "hcl/format.h"

namespace caravan::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHelp =
    "Usage: caravan fmt [options] [path ...]\n"
    "       caravan job fmt [options] [path ...]\n\n"
    "  Rewrites HCL files (job files, agent configuration) in the canonical\n"
    "  format. Paths may be files or directories (their *.hcl and *.nomad files);\n"
    "  with none, the current directory. \"-\" reads standard input and writes the\n"
    "  result to standard output. Files with syntax errors are reported, not changed.\n\n"
    "Fmt Options:\n\n"
    "  -check\n"
    "    Change nothing; exit 1 when any file is not formatted (or has errors).\n\n"
    "  -list=true\n"
    "    Print the name of each file whose formatting changed or would change.\n\n"
    "  -write=true\n"
    "    Overwrite the files with the result (otherwise print it to stdout).\n\n"
    "  -recursive\n"
    "    Also process subdirectories.\n\n";

struct FmtOptions {
  bool check = false;
  bool list = true;
  bool write = true;
  bool recursive = false;
};

bool is_hcl_file(const fs::path& p) {
  std::string name = p.filename().string();
  return name.ends_with(".hcl") || name.ends_with(".nomad");
}

// Formats one source; returns false on syntax errors (already printed).
bool format_text(const std::string& text, const std::string& name, std::string* formatted,
                 CommandIo& io) {
  hcl::Diagnostics diags;
  *formatted = hcl::format_source(text, name, diags);
  if (diags.has_errors()) {
    io.err << diags.format(&text);
    return false;
  }
  return true;
}

// Returns 0 when the file is (now) formatted, 1 on errors or (with -check) when
// it is not formatted.
int format_file(const fs::path& path, const FmtOptions& options, CommandIo& io) {
  Result<std::string> text = read_input(path.string(), io);
  if (!text) {
    io.err << "Error: " << text.error().message() << "\n";
    return 1;
  }
  std::string formatted;
  if (!format_text(*text, path.string(), &formatted, io)) return 1;
  bool changed = formatted != *text;
  if (changed && options.list) io.out << path.string() << "\n";
  if (options.check) return changed ? 1 : 0;
  if (!options.write) {
    io.out << formatted;
    return 0;
  }
  if (changed) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << formatted;
    if (!out) {
      io.err << fmt::format("Error: cannot write {}\n", path.string());
      return 1;
    }
  }
  return 0;
}

int format_directory(const fs::path& dir, const FmtOptions& options, CommandIo& io) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (options.recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
      if (e.is_regular_file() && is_hcl_file(e.path())) files.push_back(e.path());
    }
  } else {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.is_regular_file() && is_hcl_file(e.path())) files.push_back(e.path());
    }
  }
  if (ec) {
    io.err << fmt::format("Error: cannot read directory {}: {}\n", dir.string(), ec.message());
    return 1;
  }
  std::sort(files.begin(), files.end());
  int result = 0;
  for (const fs::path& f : files) result |= format_file(f, options, io);
  return result;
}

int run_fmt(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  FmtOptions options;
  flags.add_bool("check", &options.check, "exit 1 if any file is not formatted");
  flags.add_bool("list", &options.list, "list files whose formatting differs");
  flags.add_bool("write", &options.write, "overwrite files with the result");
  flags.add_bool("recursive", &options.recursive, "process subdirectories");
  int exit_code = 0;
  auto positional = parse_command_flags(flags, args, kHelp, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->empty()) positional->push_back(".");

  int result = 0;
  for (const std::string& arg : *positional) {
    if (arg == "-") {
      Result<std::string> text = read_input(arg, io);
      std::string formatted;
      if (!text || !format_text(*text, "<stdin>", &formatted, io)) {
        result = 1;
        continue;
      }
      if (options.check) {
        result |= formatted != *text ? 1 : 0;
      } else {
        io.out << formatted;
      }
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      result |= format_directory(arg, options, io);
    } else {
      result |= format_file(arg, options, io);
    }
  }
  return result;
}

}  // namespace

const Command kFmtCommand{
    "fmt",
    "Rewrite HCL files in the canonical format",
    kHelp,
    run_fmt,
};

const Command kJobFmtCommand{
    "job fmt",
    "Rewrite job files in the canonical format",
    kHelp,
    run_fmt,
};

}  // namespace caravan::cli
