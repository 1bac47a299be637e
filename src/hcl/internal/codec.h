// Byte encodings shared by the HCL function library: standard Base64 (with
// padding, as Go's base64.StdEncoding), lowercase hex, and a gzip container
// around stored (uncompressed) deflate blocks for base64gzip.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caravan::hcl::internal {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not canonical padded Base64.
std::optional<std::string> base64_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);
// A valid gzip stream (RFC 1952) holding `bytes` in stored deflate blocks: any
// gunzip reads it back, though it is not smaller than the input.
std::string gzip_stored(std::string_view bytes);

}  // namespace caravan::hcl::internal
