#include "hcl/internal/json_value.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "hcl/internal/utf8.h"

namespace caravan::hcl::internal {

namespace {

void append_hex4(std::string& out, unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", v);
  out += buf;
}

void encode_string(std::string& out, std::string_view s) {
  out += '"';
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t c = next_code_point(s, pos);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&':
      case 0x2028:
      case 0x2029:
        append_hex4(out, static_cast<unsigned>(c));
        break;
      default:
        if (c < 0x20) {
          append_hex4(out, static_cast<unsigned>(c));
        } else {
          append_utf8(out, c);
        }
    }
  }
  out += '"';
}

Status encode_into(std::string& out, const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull:
      out += "null";
      return Status::ok();
    case ValueKind::kUnknown:
      return invalid_argument("cannot encode an unknown value as JSON");
    case ValueKind::kBool:
      out += v.as_bool() ? "true" : "false";
      return Status::ok();
    case ValueKind::kNumber:
      if (!std::isfinite(v.as_number())) {
        return invalid_argument("cannot encode " + number_to_string(v.as_number()) + " as JSON");
      }
      out += decimal_string(v.as_number());
      return Status::ok();
    case ValueKind::kString:
      encode_string(out, v.as_string());
      return Status::ok();
    case ValueKind::kList: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) out += ',';
        first = false;
        CARAVAN_RETURN_IF_ERROR(encode_into(out, item));
      }
      out += ']';
      return Status::ok();
    }
    case ValueKind::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        encode_string(out, key);
        out += ':';
        CARAVAN_RETURN_IF_ERROR(encode_into(out, item));
      }
      out += '}';
      return Status::ok();
    }
  }
  return Status::ok();
}

Value from_json(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value::null();
    case nlohmann::json::value_t::boolean:
      return Value::boolean(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::number(static_cast<double>(j.get<long long>()));
    case nlohmann::json::value_t::number_unsigned:
      return Value::number(static_cast<double>(j.get<unsigned long long>()));
    case nlohmann::json::value_t::number_float:
      return Value::number(j.get<double>());
    case nlohmann::json::value_t::string:
      return Value::string(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      ValueList items;
      items.reserve(j.size());
      for (const auto& item : j) items.push_back(from_json(item));
      return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      ValueMap attrs;
      for (const auto& [key, item] : j.items()) attrs.insert_or_assign(key, from_json(item));
      return Value::object(std::move(attrs));
    }
    default:
      return Value::null();
  }
}

}  // namespace

std::string decimal_string(double n) {
  if (!std::isfinite(n)) return number_to_string(n);
  if (n == 0) return "0";
  // Shortest round-tripping digits in scientific form, then laid out in plain decimal.
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, n);
    if (std::strtod(buf, nullptr) == n) break;
  }
  std::string text(buf);
  bool negative = text[0] == '-';
  if (negative) text.erase(0, 1);
  size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (text[i] != '.') digits += text[i];
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  // The value is 0.<digits> * 10^(exponent+1).
  int point = exponent + 1;
  std::string out;
  if (point <= 0) {
    out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(point)) + "." +
          digits.substr(static_cast<size_t>(point));
  }
  return negative ? "-" + out : out;
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  size_t pos = 0;
  while (pos < s.size()) {
    size_t start = pos;
    char32_t c = next_code_point(s, pos);
    if (c == 0xFFFD && pos - start == 1) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[start]));
      out += buf;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
          out += buf;
        } else {
          append_utf8(out, c);
        }
    }
  }
  out += '"';
  return out;
}

Result<std::string> json_encode(const Value& v) {
  std::string out;
  CARAVAN_RETURN_IF_ERROR(encode_into(out, v));
  return out;
}

Result<Value> json_decode(std::string_view text) {
  try {
    return from_json(nlohmann::json::parse(text));
  } catch (const nlohmann::json::parse_error& e) {
    std::string message = e.what();
    // nlohmann's messages start with "[json.exception.parse_error.101] parse error at ...".
    size_t bracket = message.find("] ");
    if (bracket != std::string::npos) message = message.substr(bracket + 2);
    return invalid_argument("the given string is not valid JSON: " + message);
  } catch (const std::exception& e) {
    return invalid_argument(std::string("the given string is not valid JSON: ") + e.what());
  }
}

}  // namespace caravan::hcl::internal
