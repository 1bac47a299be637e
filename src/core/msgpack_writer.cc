#include "core/msgpack_writer.h"

#include <cstring>

namespace caravan {

void MsgpackWriter::big_endian(uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void MsgpackWriter::unsigned_integer(uint64_t value) {
  if (value < 0x80) {
    out_.push_back(static_cast<char>(value));  // positive fixint
  } else if (value <= 0xff) {
    out_.push_back(static_cast<char>(0xcc));
    big_endian(value, 1);
  } else if (value <= 0xffff) {
    out_.push_back(static_cast<char>(0xcd));
    big_endian(value, 2);
  } else if (value <= 0xffffffffULL) {
    out_.push_back(static_cast<char>(0xce));
    big_endian(value, 4);
  } else {
    out_.push_back(static_cast<char>(0xcf));
    big_endian(value, 8);
  }
}

void MsgpackWriter::integer(int64_t value) {
  if (value >= 0) return unsigned_integer(static_cast<uint64_t>(value));
  auto bits = static_cast<uint64_t>(value);
  if (value >= -32) {
    out_.push_back(static_cast<char>(bits & 0xff));  // negative fixint
  } else if (value >= INT8_MIN) {
    out_.push_back(static_cast<char>(0xd0));
    big_endian(bits, 1);
  } else if (value >= INT16_MIN) {
    out_.push_back(static_cast<char>(0xd1));
    big_endian(bits, 2);
  } else if (value >= INT32_MIN) {
    out_.push_back(static_cast<char>(0xd2));
    big_endian(bits, 4);
  } else {
    out_.push_back(static_cast<char>(0xd3));
    big_endian(bits, 8);
  }
}

void MsgpackWriter::number(double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  out_.push_back(static_cast<char>(0xcb));
  big_endian(bits, 8);
}

void MsgpackWriter::string(std::string_view value) {
  size_t n = value.size();
  if (n < 32) {
    out_.push_back(static_cast<char>(0xa0 | n));
  } else if (n <= 0xff) {
    out_.push_back(static_cast<char>(0xd9));
    big_endian(n, 1);
  } else if (n <= 0xffff) {
    out_.push_back(static_cast<char>(0xda));
    big_endian(n, 2);
  } else {
    out_.push_back(static_cast<char>(0xdb));
    big_endian(n, 4);
  }
  out_.append(value);
}

void MsgpackWriter::array_header(size_t size) {
  if (size < 16) {
    out_.push_back(static_cast<char>(0x90 | size));
  } else if (size <= 0xffff) {
    out_.push_back(static_cast<char>(0xdc));
    big_endian(size, 2);
  } else {
    out_.push_back(static_cast<char>(0xdd));
    big_endian(size, 4);
  }
}

void MsgpackWriter::map_header(size_t size) {
  if (size < 16) {
    out_.push_back(static_cast<char>(0x80 | size));
  } else if (size <= 0xffff) {
    out_.push_back(static_cast<char>(0xde));
    big_endian(size, 2);
  } else {
    out_.push_back(static_cast<char>(0xdf));
    big_endian(size, 4);
  }
}

}  // namespace caravan
