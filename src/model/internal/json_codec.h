// Generic JSON encoder and decoder for the model structs, driven by the field
// lists in model/internal/job_fields.h (visit_fields). Handles bool, integers,
// double, std::string, Duration (integer ns), RawJson, std::optional, std::vector,
// std::map<std::string, T> and nested structs. Private to caravan_model's .cc
// files: it pulls in nlohmann::json, which public model headers must not.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/duration.h"
#include "core/msgpack_writer.h"
#include "core/status.h"
#include "model/raw_json.h"

namespace caravan::model::internal {

// The canonical text of `value` (see RawJson): sorted keys, compact, integral
// numbers as integers. Never throws (invalid UTF-8 is replaced with U+FFFD).
std::string canonical_json_text(const nlohmann::json& value);

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
template <class T>
inline constexpr bool kIsVector = false;
template <class T>
inline constexpr bool kIsVector<std::vector<T>> = true;
template <class T>
inline constexpr bool kIsSharedConst = false;
template <class T>
inline constexpr bool kIsSharedConst<std::shared_ptr<const T>> = true;
template <class T>
inline constexpr bool kIsStringMap = false;
template <class T>
inline constexpr bool kIsStringMap<std::map<std::string, T>> = true;

// ---------------------------------------------------------------- encoding

template <class T>
nlohmann::ordered_json to_json_value(const T& x);

// The visitor handed to visit_fields when encoding: writes every field, in order.
struct JsonObjectWriter {
  nlohmann::ordered_json* out;

  template <class T>
  void operator()(const char* key, const T& field) {
    (*out)[key] = to_json_value(field);
  }
  void skip(const char* /*key*/) {}
  // A JSON object under `key` whose members `fields(visitor)` lists, for structs
  // kept flatter than Nomad's JSON (AllocatedTaskResources: Cpu {CpuShares}).
  template <class Fields>
  void nested(const char* key, const Fields& fields) {
    nlohmann::ordered_json inner = nlohmann::ordered_json::object();
    JsonObjectWriter writer{&inner};
    fields(writer);
    (*out)[key] = std::move(inner);
  }
};

// Empty lists and maps and nullopt become null (Nomad's nil); the decoder reads
// null back as empty/nullopt, so encoding round-trips.
template <class T>
nlohmann::ordered_json to_json_value(const T& x) {
  using Json = nlohmann::ordered_json;
  if constexpr (std::is_same_v<T, bool> || std::is_arithmetic_v<T> ||
                std::is_same_v<T, std::string>) {
    return Json(x);
  } else if constexpr (std::is_same_v<T, Duration>) {
    return Json(static_cast<int64_t>(x.count()));
  } else if constexpr (std::is_same_v<T, RawJson>) {
    if (!x.has_value()) return Json(nullptr);
    Json parsed = Json::parse(x.text(), nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? Json(nullptr) : parsed;
  } else if constexpr (kIsOptional<T> || kIsSharedConst<T>) {
    return x ? to_json_value(*x) : Json(nullptr);
  } else if constexpr (kIsVector<T>) {
    if (x.empty()) return Json(nullptr);
    Json out = Json::array();
    for (const auto& item : x) out.push_back(to_json_value(item));
    return out;
  } else if constexpr (kIsStringMap<T>) {
    if (x.empty()) return Json(nullptr);
    Json out = Json::object();
    for (const auto& [key, item] : x) out[key] = to_json_value(item);
    return out;
  } else {
    Json out = Json::object();
    JsonObjectWriter writer{&out};
    visit_fields(writer, x);
    return out;
  }
}

// ---------------------------------------------------------------- MessagePack

// Counts the keys visit_fields writes (what a MessagePack map header needs).
struct FieldCounter {
  std::string_view omit;
  size_t count = 0;

  template <class T>
  void operator()(const char* key, const T& /*field*/) {
    if (omit != key) ++count;
  }
  void skip(const char* /*key*/) {}
  template <class Fields>
  void nested(const char* key, const Fields& /*fields*/) {
    if (omit != key) ++count;
  }
};

template <class T>
void write_msgpack_value(MsgpackWriter& w, const T& x);

// The visitor handed to visit_fields when writing MessagePack: the same keys
// and values as JsonObjectWriter, straight into the output.
struct MsgpackObjectWriter {
  MsgpackWriter* w;
  std::string_view omit;

  template <class T>
  void operator()(const char* key, const T& field) {
    if (omit == key) return;
    w->string(key);
    write_msgpack_value(*w, field);
  }
  void skip(const char* /*key*/) {}
  template <class Fields>
  void nested(const char* key, const Fields& fields) {
    if (omit == key) return;
    FieldCounter counter;
    fields(counter);
    w->string(key);
    w->map_header(counter.count);
    MsgpackObjectWriter inner{w, {}};
    fields(inner);
  }
};

// The fields of struct `x` as map entries, after a header for them plus
// `extra` entries the caller writes next.
template <class T>
void write_msgpack_object(MsgpackWriter& w, const T& x, std::string_view omit, size_t extra) {
  FieldCounter counter{omit};
  visit_fields(counter, x);
  w.map_header(counter.count + extra);
  MsgpackObjectWriter writer{&w, omit};
  visit_fields(writer, x);
}

// MessagePack of exactly the document to_json_value(x) builds.
template <class T>
void write_msgpack_value(MsgpackWriter& w, const T& x) {
  if constexpr (std::is_same_v<T, bool>) {
    w.boolean(x);
  } else if constexpr (std::is_floating_point_v<T>) {
    w.number(static_cast<double>(x));
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    w.unsigned_integer(static_cast<uint64_t>(x));
  } else if constexpr (std::is_integral_v<T>) {
    w.integer(static_cast<int64_t>(x));
  } else if constexpr (std::is_same_v<T, std::string>) {
    w.string(x);
  } else if constexpr (std::is_same_v<T, Duration>) {
    w.integer(static_cast<int64_t>(x.count()));
  } else if constexpr (std::is_same_v<T, RawJson>) {
    std::vector<uint8_t> bytes;
    nlohmann::ordered_json::to_msgpack(to_json_value(x), bytes);
    w.raw(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  } else if constexpr (kIsOptional<T> || kIsSharedConst<T>) {
    if (x) {
      write_msgpack_value(w, *x);
    } else {
      w.nil();
    }
  } else if constexpr (kIsVector<T>) {
    if (x.empty()) return w.nil();
    w.array_header(x.size());
    for (const auto& item : x) write_msgpack_value(w, item);
  } else if constexpr (kIsStringMap<T>) {
    if (x.empty()) return w.nil();
    w.map_header(x.size());
    for (const auto& [key, item] : x) {
      w.string(key);
      write_msgpack_value(w, item);
    }
  } else {
    write_msgpack_object(w, x, {}, 0);
  }
}

// Serialises without throwing: indent < 0 is compact.
std::string dump_json(const nlohmann::ordered_json& value, int indent);

// ---------------------------------------------------------------- decoding

// Parses `text`; malformed JSON gives InvalidArgument "invalid JSON: <what>"
// with where() at the 1-based line and column (in characters) of the problem.
Result<nlohmann::json> parse_json(std::string_view text);

// Reads JSON into model structs. Stops at the first type error (later reads are
// no-ops) and remembers it with its JSON path. Null anywhere means "unset": the
// target keeps its value (optionals and RawJson are reset).
class JsonDecoder {
 public:
  // `root` names the top of the path in messages ("Job"); `unknown_fields`
  // (may be null) collects the paths of unknown, non-null keys.
  JsonDecoder(std::string root, std::vector<std::string>* unknown_fields)
      : path_(std::move(root)), unknown_fields_(unknown_fields) {}

  template <class T>
  void read(const nlohmann::json& j, T& out);

  bool ok() const { return !error_.has_value(); }
  // The first error; OK when there was none.
  Status status() const { return error_ ? *error_ : Status(); }

  // Path bookkeeping for the object reader.
  size_t push_path(std::string_view segment);
  void pop_path(size_t old_size) { path_.resize(old_size); }
  void report_unknown(std::string_view key);
  // Fails with "expected an object" unless `j` is one.
  void expect_object(const nlohmann::json& j) {
    if (!j.is_object()) mismatch("an object", j);
  }

 private:
  void fail(std::string_view what);
  void mismatch(std::string_view expected, const nlohmann::json& got);
  // Integer in [lo, hi]; fails (and returns nullopt) otherwise.
  std::optional<int64_t> read_integer(const nlohmann::json& j, int64_t lo, int64_t hi);
  std::optional<Duration> read_duration(const nlohmann::json& j);

  std::string path_;
  std::vector<std::string>* unknown_fields_;
  std::optional<Status> error_;
};

// Exact key match first, then ASCII case-insensitive (as Go's encoding/json).
// Returns the matched member or null; `matched_key` gets its actual spelling.
const nlohmann::json* find_member(const nlohmann::json& object, std::string_view key,
                                  std::string* matched_key);

// The visitor handed to visit_fields when decoding one JSON object.
class JsonObjectReader {
 public:
  JsonObjectReader(JsonDecoder& decoder, const nlohmann::json& object)
      : decoder_(decoder), object_(object) {}

  // In claim-only mode the reader only records which keys are fields (so
  // unknown keys can be reported before the object's children are read).
  void set_claim_only(bool claim_only) { claim_only_ = claim_only; }

  template <class T>
  void operator()(const char* key, T& field) {
    std::string matched;
    const nlohmann::json* value = find_member(object_, key, &matched);
    if (value == nullptr) return;
    used_.insert(std::move(matched));
    if (claim_only_) return;
    size_t old = decoder_.push_path(std::string(".") + key);
    decoder_.read(*value, field);
    decoder_.pop_path(old);
  }
  void skip(const char* key) {
    std::string matched;
    if (find_member(object_, key, &matched) != nullptr) used_.insert(std::move(matched));
  }
  // Reads the members of the object under `key` (see JsonObjectWriter::nested).
  template <class Fields>
  void nested(const char* key, const Fields& fields) {
    std::string matched;
    const nlohmann::json* value = find_member(object_, key, &matched);
    if (value == nullptr) return;
    used_.insert(std::move(matched));
    if (claim_only_ || value->is_null()) return;
    size_t old = decoder_.push_path(std::string(".") + key);
    if (!value->is_object()) {
      decoder_.expect_object(*value);
    } else {
      JsonObjectReader inner(decoder_, *value);
      inner.set_claim_only(true);
      fields(inner);
      inner.report_unused();
      inner.set_claim_only(false);
      fields(inner);
    }
    decoder_.pop_path(old);
  }
  // Reports the object's keys that no field claimed (null-valued ones are ignored).
  void report_unused();

 private:
  JsonDecoder& decoder_;
  const nlohmann::json& object_;
  std::set<std::string> used_;
  bool claim_only_ = false;
};

template <class T>
void JsonDecoder::read(const nlohmann::json& j, T& out) {
  if (error_) return;
  if (j.is_null()) {
    if constexpr (kIsOptional<T> || kIsSharedConst<T> || std::is_same_v<T, RawJson>) out = T();
    return;
  }
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) return mismatch("a boolean", j);
    out = j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    static_assert(std::is_signed_v<T>, "model integers are signed");
    auto v = read_integer(j, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
    if (v) out = static_cast<T>(*v);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!j.is_number()) return mismatch("a number", j);
    out = j.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j.is_string()) return mismatch("a string", j);
    out = j.get_ref<const std::string&>();
  } else if constexpr (std::is_same_v<T, Duration>) {
    auto v = read_duration(j);
    if (v) out = *v;
  } else if constexpr (std::is_same_v<T, RawJson>) {
    out = RawJson::from_canonical_text(canonical_json_text(j));
  } else if constexpr (kIsOptional<T>) {
    typename T::value_type value{};
    read(j, value);
    if (!error_) out = std::move(value);
  } else if constexpr (kIsSharedConst<T>) {
    auto value = std::make_shared<std::remove_const_t<typename T::element_type>>();
    read(j, *value);
    if (!error_) out = std::move(value);
  } else if constexpr (kIsVector<T>) {
    if (!j.is_array()) return mismatch("an array", j);
    out.clear();
    for (size_t i = 0; i < j.size() && !error_; ++i) {
      size_t old = push_path("[" + std::to_string(i) + "]");
      typename T::value_type item{};
      read(j[i], item);
      out.push_back(std::move(item));
      pop_path(old);
    }
  } else if constexpr (kIsStringMap<T>) {
    if (!j.is_object()) return mismatch("an object", j);
    out.clear();
    for (const auto& [key, value] : j.items()) {
      if (error_) break;
      size_t old = push_path("[\"" + key + "\"]");
      read(value, out[key]);
      pop_path(old);
    }
  } else {
    if (!j.is_object()) return mismatch("an object", j);
    JsonObjectReader reader(*this, j);
    reader.set_claim_only(true);  // first report this object's unknown keys, then its children's
    visit_fields(reader, out);
    reader.report_unused();
    reader.set_claim_only(false);
    visit_fields(reader, out);
  }
}

}  // namespace caravan::model::internal
