// A minimal HTTP/1.1 client for artifact downloads when curl is not installed:
// GET of an http:// URL into a file, with request headers, Content-Length,
// chunked or close-delimited bodies, and http:// redirects. No TLS.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "core/status.h"

namespace caravan::client::internal {

struct HttpGetOptions {
  std::map<std::string, std::string> headers;
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};  // per connect and per read
  int max_redirects = 10;
};

// Downloads `url` into `path` (created or truncated). Errors: InvalidArgument
// for a URL that is not http://host[:port]/path, Unavailable when the server
// cannot be reached or answers with a non-2xx status (the message names the URL
// and the status), Internal for local I/O failures.
Status http_get_to_file(const std::string& url, const std::string& path,
                        const HttpGetOptions& options);

}  // namespace caravan::client::internal
