#include "model/internal/json_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace caravan::model::internal {
namespace {

constexpr size_t kMaxQuoted = 40;

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// How a JSON value reads in an error message: its type, and for scalars the
// value itself ("string \"10s\"", "number 1.5", "object").
std::string describe(const nlohmann::json& j) {
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    if (s.size() > kMaxQuoted) s = s.substr(0, kMaxQuoted) + "...";
    return fmt::format("string \"{}\"", s);
  }
  if (j.is_number() || j.is_boolean()) {
    return fmt::format("{} {}", j.type_name(), dump_json(nlohmann::ordered_json(j), -1));
  }
  return j.type_name();
}

// 1-based line and column (in UTF-8 characters) of byte offset `offset`.
SourcePos position_of(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  SourcePos pos;
  pos.byte = static_cast<int>(offset);
  for (size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++pos.column;
    }
  }
  return pos;
}

// For a grammar error nlohmann reports the last byte of the offending token;
// step back to the token's first byte so the column points where it starts.
size_t token_start(std::string_view text, size_t last) {
  if (last >= text.size()) return last;
  auto is_word = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-' || c == '+';
  };
  if (text[last] == '"') {
    for (size_t i = last; i-- > 0;) {
      if (text[i] == '"') {
        size_t backslashes = 0;
        while (backslashes < i && text[i - 1 - backslashes] == '\\') ++backslashes;
        if (backslashes % 2 == 0) return i;
      }
    }
    return last;
  }
  size_t start = last;
  while (start > 0 && is_word(text[last]) && is_word(text[start - 1])) --start;
  return start;
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line
    // 1, column 2: <what>"; keep <what>, the position goes into where().
    size_t colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    // e.byte counts the bytes read, the offending one included.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    if (what.find("last read:") == std::string::npos) offset = token_start(text, offset);
    SourcePos pos = position_of(text, offset);
    SourceRange where;
    where.start = pos;
    where.end = pos;
    return invalid_argument(fmt::format("invalid JSON: {}", what), where);
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(fmt::format("invalid JSON: {}", e.what()));
  }
}

std::string dump_json(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

const nlohmann::json* find_member(const nlohmann::json& object, std::string_view key,
                                  std::string* matched_key) {
  auto exact = object.find(key);
  if (exact != object.end()) {
    *matched_key = exact.key();
    return &*exact;
  }
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (ascii_iequal(it.key(), key)) {
      *matched_key = it.key();
      return &*it;
    }
  }
  return nullptr;
}

void JsonObjectReader::report_unused() {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (it->is_null() || used_.count(it.key()) != 0) continue;
    decoder_.report_unknown(it.key());
  }
}

size_t JsonDecoder::push_path(std::string_view segment) {
  size_t old = path_.size();
  path_.append(segment);
  return old;
}

void JsonDecoder::report_unknown(std::string_view key) {
  if (unknown_fields_ != nullptr) unknown_fields_->push_back(path_ + "." + std::string(key));
}

void JsonDecoder::fail(std::string_view what) {
  if (!error_) error_ = invalid_argument(fmt::format("{}: {}", path_, what));
}

void JsonDecoder::mismatch(std::string_view expected, const nlohmann::json& got) {
  fail(fmt::format("expected {}, got {}", expected, describe(got)));
}

std::optional<int64_t> JsonDecoder::read_integer(const nlohmann::json& j, int64_t lo, int64_t hi) {
  if (!j.is_number()) {
    mismatch("a number", j);
    return std::nullopt;
  }
  if (j.is_number_unsigned()) {
    uint64_t u = j.get<uint64_t>();
    if (u > static_cast<uint64_t>(hi)) {
      fail(fmt::format("{} is out of range ({}..{})", u, lo, hi));
      return std::nullopt;
    }
    return static_cast<int64_t>(u);
  }
  if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    if (v < lo || v > hi) {
      fail(fmt::format("{} is out of range ({}..{})", v, lo, hi));
      return std::nullopt;
    }
    return v;
  }
  double d = j.get<double>();
  if (!std::isfinite(d) || d != std::floor(d)) {
    fail(fmt::format("expected an integer, got {}", describe(j)));
    return std::nullopt;
  }
  constexpr double kTwo63 = 9223372036854775808.0;  // doubles outside [-2^63, 2^63) overflow int64
  if (d < -kTwo63 || d >= kTwo63) {
    fail(fmt::format("{} is out of range ({}..{})", describe(j), lo, hi));
    return std::nullopt;
  }
  int64_t v = static_cast<int64_t>(d);
  if (v < lo || v > hi) {
    fail(fmt::format("{} is out of range ({}..{})", describe(j), lo, hi));
    return std::nullopt;
  }
  return v;
}

std::optional<Duration> JsonDecoder::read_duration(const nlohmann::json& j) {
  if (j.is_string()) {
    // A common slip: Go duration text where Nomad's JSON wants nanoseconds.
    const std::string& text = j.get_ref<const std::string&>();
    Result<Duration> parsed = parse_duration(text);
    if (parsed) {
      fail(fmt::format("expected a duration in integer nanoseconds, got {}; write {}", describe(j),
                       parsed->count()));
    } else {
      fail(fmt::format("expected a duration in integer nanoseconds, got {}", describe(j)));
    }
    return std::nullopt;
  }
  if (!j.is_number()) {
    fail(fmt::format("expected a duration in integer nanoseconds, got {}", describe(j)));
    return std::nullopt;
  }
  std::optional<int64_t> ns =
      read_integer(j, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  if (!ns) return std::nullopt;
  return Duration(*ns);
}

}  // namespace caravan::model::internal
