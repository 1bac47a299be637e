// Hash and identifier functions: md5, sha1, sha256, sha512 (hex),
// base64sha256, base64sha512, uuidv4 and uuidv5. Digests come from OpenSSL.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <optional>

#include "core/check.h"
#include "hcl/internal/codec.h"
#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"

namespace caravan::hcl::internal {

namespace {

using Uuid = std::array<unsigned char, 16>;

std::string format_uuid(const Uuid& u) {
  char buf[40];
  std::snprintf(buf, sizeof buf,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
                u[15]);
  return buf;
}

std::optional<Uuid> parse_uuid(std::string_view text) {
  std::string hex;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    hex += text[i];
  }
  if (text.size() != 36 || hex.size() != 32) return std::nullopt;
  Uuid u{};
  for (size_t i = 0; i < 16; ++i) {
    u[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  return u;
}

void set_version(Uuid& u, unsigned char version) {
  u[6] = static_cast<unsigned char>((u[6] & 0x0F) | (version << 4));
  u[8] = static_cast<unsigned char>((u[8] & 0x3F) | 0x80);
}

Result<Value> uuidv4(const Args&) {
  Uuid u{};
  if (RAND_bytes(u.data(), static_cast<int>(u.size())) != 1) {
    return internal_error("the system random number generator failed");
  }
  set_version(u, 4);
  return Value::string(format_uuid(u));
}

Result<Value> uuidv5(const Args& args) {
  std::string ns = CARAVAN_TRY(string_arg(args, 0));
  std::string name = CARAVAN_TRY(string_arg(args, 1));
  std::optional<Uuid> namespace_id;
  if (ns == "dns") {
    namespace_id = parse_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  } else if (ns == "url") {
    namespace_id = parse_uuid("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
  } else if (ns == "oid") {
    namespace_id = parse_uuid("6ba7b812-9dad-11d1-80b4-00c04fd430c8");
  } else if (ns == "x500") {
    namespace_id = parse_uuid("6ba7b814-9dad-11d1-80b4-00c04fd430c8");
  } else {
    namespace_id = parse_uuid(ns);
  }
  if (!namespace_id) {
    return arg_error(0,
                     "(the namespace) must be \"dns\", \"url\", \"oid\", \"x500\" or a UUID, "
                     "got \"" +
                         ns + "\"");
  }
  std::string input(reinterpret_cast<const char*>(namespace_id->data()), namespace_id->size());
  input += name;
  std::string hash = digest("sha1", input);
  Uuid u{};
  std::copy_n(hash.begin(), 16, u.begin());
  set_version(u, 5);
  return Value::string(format_uuid(u));
}

FunctionSpec hex_digest(const char* algorithm) {
  return {1, 1, [algorithm](const Args& args) -> Result<Value> {
            return Value::string(hex_encode(digest(algorithm, CARAVAN_TRY(string_arg(args, 0)))));
          }};
}

FunctionSpec base64_digest(const char* algorithm) {
  return {
      1, 1, [algorithm](const Args& args) -> Result<Value> {
        return Value::string(base64_encode(digest(algorithm, CARAVAN_TRY(string_arg(args, 0)))));
      }};
}

}  // namespace

std::string digest(std::string_view algorithm, std::string_view data) {
  const EVP_MD* md = algorithm == "md5"      ? EVP_md5()
                     : algorithm == "sha1"   ? EVP_sha1()
                     : algorithm == "sha256" ? EVP_sha256()
                                             : EVP_sha512();
  CARAVAN_CHECK(algorithm == "md5" || algorithm == "sha1" || algorithm == "sha256" ||
                algorithm == "sha512");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  CARAVAN_CHECK(EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(out), len);
}

void register_crypto_functions(FunctionTable& table) {
  table.add("base64sha256", base64_digest("sha256"));
  table.add("base64sha512", base64_digest("sha512"));
  table.add("md5", hex_digest("md5"));
  table.add("sha1", hex_digest("sha1"));
  table.add("sha256", hex_digest("sha256"));
  table.add("sha512", hex_digest("sha512"));
  table.add("uuidv4", {0, 0, uuidv4});
  table.add("uuidv5", {2, 2, uuidv5});
}

}  // namespace caravan::hcl::internal
