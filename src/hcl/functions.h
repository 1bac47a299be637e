// The function library available in job files: the HCL/Terraform standard
// functions Nomad offers (strings, collections, numeric, encoding, hashing,
// regular expressions, type conversion, dates, `file()` relative to the job file).
// `try` and `can` need unevaluated arguments and live in the evaluator instead.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "hcl/value.h"

namespace caravan::hcl {

struct FunctionSpec {
  int min_args = 0;
  int max_args = 0;  // -1 for variadic
  // Arguments arrive evaluated and wholly known. An error's message is shown as
  // `Call to function "name" failed: <message>` at the call site.
  std::function<Result<Value>(const std::vector<Value>& args)> impl;
};

class FunctionTable {
 public:
  void add(std::string name, FunctionSpec spec);
  const FunctionSpec* find(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted; for "did you mean" suggestions

 private:
  std::map<std::string, FunctionSpec, std::less<>> functions_;
};

// Every standard function. File functions (file, fileexists, fileset,
// filebase64, ...) resolve relative paths against `base_dir`, the directory of
// the job file. templatefile is not provided (Nomad's job files lack it too).
FunctionTable standard_functions(const std::filesystem::path& base_dir);

}  // namespace caravan::hcl
