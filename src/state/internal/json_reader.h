// ObjectReader: reads the fields of one JSON object for the state library's
// codecs (log entries, snapshots), remembering the first error with the path of
// the field that caused it ("ApplyPlanResults.AllocsPlaced[3].ID: ...").
// Private to caravan_state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "model/model_json.h"

namespace caravan::state::internal {

class ObjectReader {
 public:
  // `json` must outlive the reader; `path` names it in errors.
  ObjectReader(const nlohmann::json& json, std::string path);

  // OK, or the first error met.
  const Status& status() const { return status_; }
  bool ok() const { return status_.is_ok(); }

  // The field, or nullptr when it is absent or null (not an error).
  const nlohmann::json* get(const char* key) const;

  // Each returns the zero value when absent and on error (recorded in status()).
  std::string string(const char* key);
  bool boolean(const char* key);
  int64_t integer(const char* key);
  std::vector<std::string> strings(const char* key);

  // Decodes with `decode` (default: model::from_json<T>); absent = nullopt.
  template <class T>
  using Decoder = std::function<Result<T>(const nlohmann::json&, const std::string& path)>;

  template <class T>
  std::optional<T> optional(const char* key, const Decoder<T>& decode = default_decoder<T>()) {
    const nlohmann::json* field = get(key);
    if (field == nullptr || !ok()) return std::nullopt;
    Result<T> value = decode(*field, path_ + "." + key);
    if (!value) {
      fail(value.error());
      return std::nullopt;
    }
    return std::move(value).value();
  }

  template <class T>
  std::vector<T> list(const char* key, const Decoder<T>& decode = default_decoder<T>()) {
    std::vector<T> out;
    const nlohmann::json* field = get(key);
    if (field == nullptr || !ok()) return out;
    if (!field->is_array()) {
      fail_type(key, "an array", *field);
      return out;
    }
    out.reserve(field->size());
    for (size_t i = 0; i < field->size(); ++i) {
      Result<T> value = decode((*field)[i], path_ + "." + key + "[" + std::to_string(i) + "]");
      if (!value) {
        fail(value.error());
        return {};
      }
      out.push_back(std::move(value).value());
    }
    return out;
  }

  void fail(Status status);
  void fail_type(const char* key, const char* expected, const nlohmann::json& got);

 private:
  template <class T>
  static Decoder<T> default_decoder() {
    return [](const nlohmann::json& json, const std::string& path) {
      return model::from_json<T>(json, path);
    };
  }

  const nlohmann::json& json_;
  std::string path_;
  Status status_;
};

}  // namespace caravan::state::internal
