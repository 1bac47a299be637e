#include "hcl/functions.h"

#include "hcl/internal/function_registry.h"

namespace caravan::hcl {

void FunctionTable::add(std::string name, FunctionSpec spec) {
  functions_.insert_or_assign(std::move(name), std::move(spec));
}

const FunctionSpec* FunctionTable::find(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<std::string> FunctionTable::names() const {
  std::vector<std::string> out;
  out.reserve(functions_.size());
  for (const auto& [name, spec] : functions_) out.push_back(name);
  return out;
}

FunctionTable standard_functions(const std::filesystem::path& base_dir) {
  FunctionTable table;
  internal::register_string_functions(table);
  internal::register_format_functions(table);
  internal::register_regex_functions(table);
  internal::register_collection_functions(table);
  internal::register_conversion_functions(table);
  internal::register_numeric_functions(table);
  internal::register_encoding_functions(table);
  internal::register_crypto_functions(table);
  internal::register_file_functions(table, base_dir);
  internal::register_datetime_functions(table);
  internal::register_network_functions(table);
  return table;
}

}  // namespace caravan::hcl
