#include "client/internal/digest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>

#include "client/internal/files.h"

namespace caravan::client::internal {

Result<std::string> file_digest_hex(const std::string& path, std::string_view algorithm) {
  if (algorithm != "md5" && algorithm != "sha1" && algorithm != "sha256" && algorithm != "sha512") {
    return invalid_argument("checksum type \"" + std::string(algorithm) +
                            "\" is not supported; use md5, sha1, sha256 or sha512");
  }
  const EVP_MD* md = EVP_get_digestbyname(std::string(algorithm).c_str());
  if (md == nullptr) return internal_error("OpenSSL has no " + std::string(algorithm) + " digest");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    return internal_error("cannot initialise the " + std::string(algorithm) + " digest");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open", path);
  std::array<char, 64 * 1024> buf;
  while (true) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = errno_status("cannot read", path);
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

}  // namespace caravan::client::internal
