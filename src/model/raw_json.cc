#include "model/raw_json.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "model/internal/json_codec.h"

namespace caravan::model {
namespace internal {
namespace {

// Rewrites integral doubles that fit int64 as integers, so 1.0 and 1 canonicalise
// alike (and -0.0 becomes 0).
void normalise_numbers(nlohmann::json& j) {
  if (j.is_number_float()) {
    double d = j.get<double>();
    constexpr double kTwo63 = 9223372036854775808.0;
    if (std::isfinite(d) && d == std::floor(d) && d >= -kTwo63 && d < kTwo63) {
      j = static_cast<int64_t>(d);
    }
  } else if (j.is_array() || j.is_object()) {
    for (auto& item : j) normalise_numbers(item);
  }
}

}  // namespace

std::string canonical_json_text(const nlohmann::json& value) {
  nlohmann::json copy = value;  // nlohmann::json objects are std::maps: keys sorted
  normalise_numbers(copy);
  return copy.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace internal

namespace {

// The parsed value; null when absent (text is canonical, so parsing cannot fail).
nlohmann::json parse_canonical(const std::string& text) {
  if (text.empty()) return nullptr;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

RawJson from_json(const nlohmann::json& j) {
  if (j.is_null()) return RawJson();
  return RawJson::from_canonical_text(internal::canonical_json_text(j));
}

nlohmann::json to_json(const RawJson& raw) { return parse_canonical(raw.text()); }

}  // namespace

Result<RawJson> RawJson::parse(std::string_view json_text) {
  Result<nlohmann::json> j = internal::parse_json(json_text);
  if (!j) return j.error();
  return from_json(*j);
}

RawJson RawJson::from_canonical_text(std::string text) {
  RawJson raw;
  raw.text_ = text == "null" ? std::string() : std::move(text);
  return raw;
}

RawJson RawJson::string(std::string_view s) { return from_json(nlohmann::json(std::string(s))); }
RawJson RawJson::boolean(bool b) { return from_json(nlohmann::json(b)); }
RawJson RawJson::number(double n) { return from_json(nlohmann::json(n)); }
RawJson RawJson::integer(int64_t n) { return from_json(nlohmann::json(n)); }

RawJson RawJson::array(const std::vector<RawJson>& items) {
  nlohmann::json j = nlohmann::json::array();
  for (const RawJson& item : items) j.push_back(to_json(item));
  return from_json(j);
}

RawJson RawJson::object(const std::map<std::string, RawJson>& members) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, value] : members) j[key] = to_json(value);
  return from_json(j);
}

std::optional<std::string> RawJson::as_string() const {
  nlohmann::json j = parse_canonical(text_);
  if (!j.is_string()) return std::nullopt;
  return j.get<std::string>();
}

std::optional<bool> RawJson::as_bool() const {
  nlohmann::json j = parse_canonical(text_);
  if (!j.is_boolean()) return std::nullopt;
  return j.get<bool>();
}

std::optional<double> RawJson::as_number() const {
  nlohmann::json j = parse_canonical(text_);
  if (!j.is_number()) return std::nullopt;
  return j.get<double>();
}

std::optional<int64_t> RawJson::as_integer() const {
  nlohmann::json j = parse_canonical(text_);
  if (j.is_number_integer() && !j.is_number_unsigned()) return j.get<int64_t>();
  if (j.is_number_unsigned()) {
    uint64_t u = j.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(u);
    }
  }
  return std::nullopt;
}

std::optional<std::vector<RawJson>> RawJson::as_array() const {
  nlohmann::json j = parse_canonical(text_);
  if (!j.is_array()) return std::nullopt;
  std::vector<RawJson> out;
  out.reserve(j.size());
  for (const auto& item : j) out.push_back(from_json(item));
  return out;
}

std::optional<std::map<std::string, RawJson>> RawJson::as_object() const {
  nlohmann::json j = parse_canonical(text_);
  if (!j.is_object()) return std::nullopt;
  std::map<std::string, RawJson> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.emplace(it.key(), from_json(it.value()));
  return out;
}

std::optional<std::vector<std::string>> RawJson::as_string_list() const {
  nlohmann::json j = parse_canonical(text_);
  if (!j.is_array()) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(j.size());
  for (const auto& item : j) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

RawJson RawJson::get(std::string_view key) const {
  if (!is_object()) return RawJson();
  nlohmann::json j = parse_canonical(text_);
  auto it = j.find(key);
  if (it == j.end()) return RawJson();
  return from_json(*it);
}

}  // namespace caravan::model
