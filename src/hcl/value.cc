#include "hcl/value.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/check.h"

namespace caravan::hcl {

Value Value::unknown() {
  Value v;
  v.kind_ = ValueKind::kUnknown;
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = ValueKind::kBool;
  v.data_ = b;
  return v;
}

Value Value::number(double n) {
  Value v;
  v.kind_ = ValueKind::kNumber;
  v.data_ = n;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = ValueKind::kString;
  v.data_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::list(ValueList items) {
  Value v;
  v.kind_ = ValueKind::kList;
  v.data_ = std::make_shared<const ValueList>(std::move(items));
  return v;
}

Value Value::object(ValueMap attrs) {
  Value v;
  v.kind_ = ValueKind::kObject;
  v.data_ = std::make_shared<const ValueMap>(std::move(attrs));
  return v;
}

bool Value::is_wholly_known() const {
  switch (kind_) {
    case ValueKind::kUnknown:
      return false;
    case ValueKind::kList:
      for (const Value& v : as_list()) {
        if (!v.is_wholly_known()) return false;
      }
      return true;
    case ValueKind::kObject:
      for (const auto& [k, v] : as_object()) {
        if (!v.is_wholly_known()) return false;
      }
      return true;
    default:
      return true;
  }
}

bool Value::as_bool() const {
  CARAVAN_CHECK(kind_ == ValueKind::kBool);
  return std::get<bool>(data_);
}

double Value::as_number() const {
  CARAVAN_CHECK(kind_ == ValueKind::kNumber);
  return std::get<double>(data_);
}

const std::string& Value::as_string() const {
  CARAVAN_CHECK(kind_ == ValueKind::kString);
  return *std::get<std::shared_ptr<const std::string>>(data_);
}

const ValueList& Value::as_list() const {
  CARAVAN_CHECK(kind_ == ValueKind::kList);
  return *std::get<std::shared_ptr<const ValueList>>(data_);
}

const ValueMap& Value::as_object() const {
  CARAVAN_CHECK(kind_ == ValueKind::kObject);
  return *std::get<std::shared_ptr<const ValueMap>>(data_);
}

bool Value::is_integer() const {
  if (kind_ != ValueKind::kNumber) return false;
  double n = as_number();
  return std::isfinite(n) && std::floor(n) == n && std::fabs(n) < 9.2e18;
}

long long Value::as_integer() const { return static_cast<long long>(as_number()); }

bool Value::operator==(const Value& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case ValueKind::kNull:
      return true;
    case ValueKind::kUnknown:
      return false;
    case ValueKind::kBool:
      return as_bool() == other.as_bool();
    case ValueKind::kNumber:
      return as_number() == other.as_number();
    case ValueKind::kString:
      return as_string() == other.as_string();
    case ValueKind::kList:
      return as_list() == other.as_list();
    case ValueKind::kObject:
      return as_object() == other.as_object();
  }
  return false;
}

const char* Value::type_name() const {
  switch (kind_) {
    case ValueKind::kNull: return "null";
    case ValueKind::kUnknown: return "unknown";
    case ValueKind::kBool: return "bool";
    case ValueKind::kNumber: return "number";
    case ValueKind::kString: return "string";
    case ValueKind::kList: return "list";
    case ValueKind::kObject: return "object";
  }
  return "unknown";
}

std::string number_to_string(double n) {
  if (std::isnan(n)) return "NaN";
  if (std::isinf(n)) return n > 0 ? "+Inf" : "-Inf";
  if (std::floor(n) == n && std::fabs(n) < 1e21) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", n);
    return buf;
  }
  // Shortest representation that round-trips.
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, n);
    if (std::strtod(buf, nullptr) == n) break;
  }
  return buf;
}

namespace {

void quote_into(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  out += '"';
}

void display_into(std::string& out, const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull: out += "null"; break;
    case ValueKind::kUnknown: out += "(unknown)"; break;
    case ValueKind::kBool: out += v.as_bool() ? "true" : "false"; break;
    case ValueKind::kNumber: out += number_to_string(v.as_number()); break;
    case ValueKind::kString: quote_into(out, v.as_string()); break;
    case ValueKind::kList: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) out += ", ";
        first = false;
        display_into(out, item);
      }
      out += ']';
      break;
    }
    case ValueKind::kObject: {
      if (v.as_object().empty()) {
        out += "{}";
        break;
      }
      out += "{ ";
      bool first = true;
      for (const auto& [key, item] : v.as_object()) {
        if (!first) out += ", ";
        first = false;
        out += key;
        out += " = ";
        display_into(out, item);
      }
      out += " }";
      break;
    }
  }
}

}  // namespace

std::string to_display_string(const Value& v) {
  std::string out;
  display_into(out, v);
  return out;
}

}  // namespace caravan::hcl
