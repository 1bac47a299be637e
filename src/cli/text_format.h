// Text building blocks of the nomad-style CLI output: aligned tables and
// `key = value` blocks (nomad's columnize layout, "<none>" for empty cells),
// times (RFC 3339 in local time; "2m10s ago"), short IDs and byte sizes.
// Pure functions with no I/O, so every command formats the same way and tests
// can pin the output.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caravan::cli {

using Row = std::vector<std::string>;

// Columns padded to their widest cell and joined by two spaces; the last column
// is not padded and lines carry no trailing blanks. Empty cells print as
// `empty` ("<none>" as nomad prints them, so `awk` still sees every column).
// Every line ends with "\n"; an empty `rows` gives "".
std::string format_list(const std::vector<Row>& rows, std::string_view empty = "<none>");

// `Key = value` lines with the `=` aligned, as nomad's detail views print them.
std::string format_kv(const std::vector<std::pair<std::string, std::string>>& rows,
                      std::string_view empty = "<none>");

// Nanoseconds since the Unix epoch now (the wall clock).
int64_t now_unix_nanos();

// RFC 3339 in the local time zone, seconds precision: "2024-05-01T12:00:00+02:00"
// ("Z" for UTC). Empty for times before 1970-01-01T00:00:01Z (nomad shows
// nothing rather than the epoch for unset times).
std::string format_time(int64_t unix_nanos);

// Parses an RFC 3339 timestamp ("2024-05-01T10:00:00.123456789Z", offsets
// allowed) into nanoseconds since the epoch. nullopt when malformed.
std::optional<int64_t> parse_rfc3339(std::string_view text);

// A task time from the API (RFC 3339 text): format_time of it, or "N/A" when it
// is empty, Go's zero time or malformed.
std::string format_task_time(std::string_view rfc3339);

// nomad's relative time: the two most significant non-zero units of
// `now - then` rounded to seconds, units y, mo (30 days), d, h, m, s, followed
// by " ago" (or " from now" for future times): "2m10s ago", "3d4h ago",
// "0s ago". Empty when `then` is 0 (unset).
std::string pretty_time_diff(int64_t then_unix_nanos, int64_t now_unix_nanos);

// The first `length` characters of an ID (nomad's 8-character short IDs);
// the whole ID when it is shorter.
std::string short_id(std::string_view id, size_t length = 8);

// Sizes as nomad prints them (Go humanize.IBytes): "300 MiB", "1.5 GiB", "512 B".
std::string format_bytes(uint64_t bytes);
std::string format_mib(int64_t mebibytes);

// The member `key` of `object`; a null value when `object` is not an object
// or has no such member. Never throws. (nlohmann::json objects iterate with
// items() in key order, which the tables below rely on for stable output.)
const nlohmann::json& json_member(const nlohmann::json& object, std::string_view key);

// Tolerant readers of API JSON: a missing key, null or a value of another type
// yields the default ("", 0, false) instead of throwing.
std::string json_string(const nlohmann::json& object, std::string_view key);
int64_t json_int(const nlohmann::json& object, std::string_view key);
bool json_bool(const nlohmann::json& object, std::string_view key);
// A value of any type as text: strings bare, numbers and booleans as JSON.
std::string json_text(const nlohmann::json& value);

}  // namespace caravan::cli
