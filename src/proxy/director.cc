#include "proxy/director.h"

#include <cctype>

#include "core/strings.h"

namespace caravan::proxy {
std::string_view RequestHead::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view RequestHead::query() const {
  std::string_view t = target;
  size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

std::string_view RequestHead::header(std::string_view name) const {
  for (const HeaderField& field : headers) {
    if (iequals(field.name, name)) return field.value;
  }
  return {};
}

bool RequestHead::has_header(std::string_view name) const {
  for (const HeaderField& field : headers) {
    if (iequals(field.name, name)) return true;
  }
  return false;
}

std::string RequestHead::host() const {
  std::string_view value = header("Host");
  // "[::1]:8080" keeps the brackets; "a.example.com:8080" loses the port.
  size_t end = value.size();
  if (!value.empty() && value.front() == '[') {
    size_t close = value.find(']');
    end = close == std::string_view::npos ? value.size() : close + 1;
  } else if (size_t colon = value.rfind(':'); colon != std::string_view::npos) {
    end = colon;
  }
  std::string host(value.substr(0, end));
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

}  // namespace caravan::proxy
