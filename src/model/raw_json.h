// RawJson: a free-form JSON value kept inside the job model (a task's driver
// `config`, a service's `connect`, `vault`, `identity`, a scaling `policy`) as
// canonical JSON text, so model headers need no JSON library and two values
// compare with a plain ==. The builders and readers here are what jobspec
// (HCL → model) and the drivers use; the codecs embed the text verbatim.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caravan::model {

// Canonical form: compact (no whitespace), object keys sorted by byte value,
// strings escaped as nlohmann::json does (UTF-8 kept), numbers that are integral
// and fit in 64 bits written as integers ("1", never "1.0"), other numbers in
// shortest round-trip form. So `{"b": 1.0, "a": [true]}` and `{"a":[true],"b":1}`
// are the same RawJson.
//
// A default-constructed RawJson is "absent" (JSON null / not given): the codecs
// write it as null and read null back as absent, so null and absent are one state.
class RawJson {
 public:
  RawJson() = default;  // absent

  // Parses and canonicalises `json_text`. "null" gives an absent value.
  // Errors: InvalidArgument naming the parse problem.
  static Result<RawJson> parse(std::string_view json_text);

  // Builders for jobspec, each producing canonical text.
  static RawJson string(std::string_view s);
  static RawJson boolean(bool b);
  static RawJson number(double n);  // integral values become integers
  static RawJson integer(int64_t n);
  // Absent members/elements are written as null.
  static RawJson array(const std::vector<RawJson>& items);
  static RawJson object(const std::map<std::string, RawJson>& members);

  bool has_value() const { return !text_.empty(); }
  // Canonical JSON text; "" when absent.
  const std::string& text() const { return text_; }

  // Readers (for drivers and tests). Each returns nullopt when the value is
  // absent or of another JSON type.
  bool is_object() const { return !text_.empty() && text_[0] == '{'; }
  bool is_array() const { return !text_.empty() && text_[0] == '['; }
  std::optional<std::string> as_string() const;
  std::optional<bool> as_bool() const;
  std::optional<double> as_number() const;
  std::optional<int64_t> as_integer() const;  // only for integral numbers
  std::optional<std::vector<RawJson>> as_array() const;
  std::optional<std::map<std::string, RawJson>> as_object() const;
  // A list of strings, e.g. a driver's `args`; nullopt if any element is not a string.
  std::optional<std::vector<std::string>> as_string_list() const;
  // Member `key` of an object; absent when this is not an object or has no such key.
  RawJson get(std::string_view key) const;

  bool operator==(const RawJson&) const = default;

  // Wraps text the caller guarantees is already canonical (used by the codecs,
  // which produce it with the same canonicaliser). Not for user input.
  static RawJson from_canonical_text(std::string text);

 private:
  std::string text_;
};

}  // namespace caravan::model
