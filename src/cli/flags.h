// Command-line flags as the nomad CLI (Go's flag package) reads them: `-name`,
// `--name`, `-name=value`, `-name value`; booleans as `-name` or `-name=false`;
// flags end at the first positional argument or `--`. `-h`, `-help` and
// `--help` ask for help.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace caravan::cli {

class FlagSet {
 public:
  void add_bool(std::string name, bool* target, std::string help);
  void add_string(std::string name, std::string* target, std::string help);
  void add_int(std::string name, int* target, std::string help);
  // Repeatable: every occurrence appends (`-var a=1 -var b=2`).
  void add_string_list(std::string name, std::vector<std::string>* target, std::string help);

  // Parses `args`; returns the positional arguments. Unknown flags and missing
  // or malformed values are errors that name the flag.
  Result<std::vector<std::string>> parse(const std::vector<std::string>& args);

  bool help_requested() const { return help_requested_; }
  // "  -name\n    help text\n" for every flag, for the command's help output.
  std::string describe() const;

 private:
  enum class Kind { kBool, kString, kInt, kStringList };
  struct Flag {
    std::string name;
    Kind kind;
    void* target;
    std::string help;
  };
  const Flag* find(std::string_view name) const;

  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

}  // namespace caravan::cli
