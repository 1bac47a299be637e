// How the standard function library is assembled: each functions_<area>.cc
// registers its functions into a FunctionTable, and standard_functions()
// (functions.cc) calls every registrar. Also the helpers the file and crypto
// areas share (path resolution against the job file's directory, digests).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.h"
#include "hcl/functions.h"

namespace caravan::hcl::internal {

void register_string_functions(FunctionTable& table);
void register_format_functions(FunctionTable& table);
void register_regex_functions(FunctionTable& table);
void register_collection_functions(FunctionTable& table);
void register_conversion_functions(FunctionTable& table);
void register_numeric_functions(FunctionTable& table);
void register_encoding_functions(FunctionTable& table);
void register_crypto_functions(FunctionTable& table);
void register_file_functions(FunctionTable& table, const std::filesystem::path& base_dir);
void register_datetime_functions(FunctionTable& table);
void register_network_functions(FunctionTable& table);

// Expands a leading "~" and makes a relative path relative to `base_dir`.
Result<std::filesystem::path> resolve_function_path(const std::filesystem::path& base_dir,
                                                    const std::string& path);
// Reads a whole file; errors name the resolved path.
Result<std::string> read_function_file(const std::filesystem::path& base_dir,
                                       const std::string& path);

// Raw digest of `data` with "md5", "sha1", "sha256" or "sha512".
std::string digest(std::string_view algorithm, std::string_view data);

}  // namespace caravan::hcl::internal
