// MsgpackWriter: appends MessagePack (msgpack.org) values to a string — nil,
// booleans, integers, doubles, strings and the headers of arrays and maps —
// so that large records (the state log's allocations, snapshots) are written
// straight from the structs without building a JSON tree first. The output is
// read back with nlohmann::json::from_msgpack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace caravan {

class MsgpackWriter {
 public:
  explicit MsgpackWriter(std::string& out) : out_(out) {}

  void nil() { out_.push_back(static_cast<char>(0xc0)); }
  void boolean(bool value) { out_.push_back(static_cast<char>(value ? 0xc3 : 0xc2)); }
  // The smallest encoding of the value, as nlohmann::json::to_msgpack chooses.
  void integer(int64_t value);
  void unsigned_integer(uint64_t value);
  void number(double value);
  void string(std::string_view value);
  void array_header(size_t size);
  void map_header(size_t size);
  // Bytes that already are one MessagePack value.
  void raw(std::string_view bytes) { out_.append(bytes); }

 private:
  void big_endian(uint64_t value, int bytes);

  std::string& out_;
};

}  // namespace caravan
