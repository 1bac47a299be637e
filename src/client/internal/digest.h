// File digests for artifact checksums (`options { checksum = "sha256:..." }`),
// computed with OpenSSL's EVP interface.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan::client::internal {

// Lowercase hex digest of the file at `path`. `algorithm` is one of md5, sha1,
// sha256, sha512. Errors: InvalidArgument for another algorithm, Internal/NotFound
// when the file cannot be read.
Result<std::string> file_digest_hex(const std::string& path, std::string_view algorithm);

}  // namespace caravan::client::internal
