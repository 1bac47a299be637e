// Encoding functions: Base64 (plain, gzip, text), CSV and JSON decoding, JSON
// and URL encoding.
#include <cctype>

#include "hcl/internal/codec.h"
#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"
#include "hcl/internal/json_value.h"
#include "hcl/internal/utf8.h"

namespace caravan::hcl::internal {

namespace {

Result<Value> base64encode(const Args& args) {
  return Value::string(base64_encode(CARAVAN_TRY(string_arg(args, 0))));
}

Result<std::string> decode_base64_text(const std::string& text) {
  // As Go's decoder, line breaks inside the Base64 text are ignored.
  std::string compact;
  for (char c : text) {
    if (c != '\n' && c != '\r') compact += c;
  }
  auto bytes = base64_decode(compact);
  if (!bytes) {
    std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
    return invalid_argument("the string \"" + shown + "\" is not valid Base64");
  }
  if (!is_valid_utf8(*bytes)) {
    return invalid_argument(
        "the decoded bytes are not valid UTF-8; Base64-encoded binary data cannot be used as a "
        "string");
  }
  return std::move(bytes).value();
}

Result<Value> base64decode(const Args& args) {
  return Value::string(CARAVAN_TRY(decode_base64_text(CARAVAN_TRY(string_arg(args, 0)))));
}

Result<Value> base64gzip(const Args& args) {
  return Value::string(base64_encode(gzip_stored(CARAVAN_TRY(string_arg(args, 0)))));
}

Result<std::string> text_encoding_arg(const Args& args, size_t index) {
  std::string encoding = CARAVAN_TRY(string_arg(args, index));
  std::string normalized;
  for (char c : encoding) {
    if (c != '-' && c != '_')
      normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (normalized != "utf8") {
    return arg_error(index, "names the encoding \"" + encoding +
                                "\", which is not supported; only \"UTF-8\" is");
  }
  return encoding;
}

Result<Value> textencodebase64(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  CARAVAN_TRY(text_encoding_arg(args, 1));
  return Value::string(base64_encode(s));
}

Result<Value> textdecodebase64(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  CARAVAN_TRY(text_encoding_arg(args, 1));
  return Value::string(CARAVAN_TRY(decode_base64_text(s)));
}

// RFC 4180 records as Go's encoding/csv reads them: "" escapes a quote inside
// quoted fields, CRLF or LF ends a record, empty lines are skipped.
Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    if (text[i] == '\n' || (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      i += text[i] == '\r' ? 2 : 1;
      ++line;
      continue;
    }
    std::vector<std::string> record;
    int record_line = line;
    while (true) {
      std::string field;
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (true) {
          if (i >= text.size()) {
            return invalid_argument("CSV line " + std::to_string(record_line) +
                                    ": a quoted field is not closed");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        bool at_end = i >= text.size() || text[i] == ',' || text[i] == '\n' ||
                      (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
        if (!at_end) {
          return invalid_argument("CSV line " + std::to_string(line) +
                                  ": unexpected text after a closing quote; write \"\" for a "
                                  "quote inside a quoted field");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' &&
               !(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
          if (text[i] == '"') {
            return invalid_argument("CSV line " + std::to_string(line) +
                                    ": a quote appears in an unquoted field; quote the field "
                                    "and write \"\" for the quote");
          }
          field += text[i++];
        }
      }
      record.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size()) {
        i += text[i] == '\r' ? 2 : 1;
        ++line;
      }
      break;
    }
    if (!records.empty() && record.size() != records.front().size()) {
      return invalid_argument("CSV line " + std::to_string(record_line) + ": expected " +
                              std::to_string(records.front().size()) + " fields but found " +
                              std::to_string(record.size()));
    }
    records.push_back(std::move(record));
  }
  return records;
}

Result<Value> csvdecode(const Args& args) {
  std::string text = CARAVAN_TRY(string_arg(args, 0));
  auto records = CARAVAN_TRY(parse_csv(text));
  if (records.empty()) return invalid_argument("the CSV text has no header line");
  const std::vector<std::string>& header = records.front();
  ValueList rows;
  for (size_t r = 1; r < records.size(); ++r) {
    ValueMap row;
    for (size_t c = 0; c < header.size(); ++c) {
      row.insert_or_assign(header[c], Value::string(records[r][c]));
    }
    rows.push_back(Value::object(std::move(row)));
  }
  return Value::list(std::move(rows));
}

Result<Value> jsondecode(const Args& args) { return json_decode(CARAVAN_TRY(string_arg(args, 0))); }

Result<Value> jsonencode(const Args& args) {
  return Value::string(CARAVAN_TRY(json_encode(args[0])));
}

// Go's url.QueryEscape: unreserved characters stay, space becomes "+", the
// rest is percent-encoded with uppercase hex.
Result<Value> urlencode(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return Value::string(std::move(out));
}

}  // namespace

void register_encoding_functions(FunctionTable& table) {
  table.add("base64decode", {1, 1, base64decode});
  table.add("base64encode", {1, 1, base64encode});
  table.add("base64gzip", {1, 1, base64gzip});
  table.add("csvdecode", {1, 1, csvdecode});
  table.add("jsondecode", {1, 1, jsondecode});
  table.add("jsonencode", {1, 1, jsonencode});
  table.add("textdecodebase64", {2, 2, textdecodebase64});
  table.add("textencodebase64", {2, 2, textencodebase64});
  table.add("urlencode", {1, 1, urlencode});
}

}  // namespace caravan::hcl::internal
