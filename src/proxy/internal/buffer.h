// Buffer: a growable byte queue for a connection's receive and send sides.
// Bytes are appended at the end (prepare/commit or append) and consumed from
// the front; it compacts in place before it grows, so a steady connection
// allocates nothing after its first few messages.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace caravan::proxy::internal {

class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  const char* data() const { return buf_.get() + start_; }
  char* data() { return buf_.get() + start_; }
  size_t size() const { return end_ - start_; }
  bool empty() const { return end_ == start_; }
  std::string_view view() const { return {data(), size()}; }
  size_t capacity() const { return cap_; }

  void consume(size_t n) {
    start_ += n;
    if (start_ >= end_) start_ = end_ = 0;
  }
  void clear() { start_ = end_ = 0; }

  // Room for at least `n` more bytes at the end; returns where to write them.
  char* prepare(size_t n) {
    if (cap_ - end_ >= n) return buf_.get() + end_;
    size_t used = end_ - start_;
    if (start_ > 0 && cap_ - used >= n) {
      std::memmove(buf_.get(), buf_.get() + start_, used);
    } else {
      size_t cap = cap_ == 0 ? 4096 : cap_;
      while (cap - used < n) cap *= 2;
      std::unique_ptr<char[]> grown(new char[cap]);
      if (used > 0) std::memcpy(grown.get(), buf_.get() + start_, used);
      buf_ = std::move(grown);
      cap_ = cap;
    }
    start_ = 0;
    end_ = used;
    return buf_.get() + end_;
  }
  // Free bytes at the end without moving anything.
  size_t tail_room() const { return cap_ - end_; }
  void commit(size_t n) { end_ += n; }

  void append(const char* p, size_t n) {
    if (n == 0) return;
    std::memcpy(prepare(n), p, n);
    end_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void append(char c) { append(&c, 1); }
  // Appends the decimal form of `v`.
  void append_uint(unsigned long long v) {
    char tmp[24];
    size_t i = sizeof(tmp);
    do {
      tmp[--i] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    append(tmp + i, sizeof(tmp) - i);
  }
  // Gives memory back when a burst left a large buffer behind and it is empty.
  void shrink_if_idle(size_t keep) {
    if (empty() && cap_ > keep) {
      buf_.reset();
      cap_ = start_ = end_ = 0;
    }
  }

 private:
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t start_ = 0;
  size_t end_ = 0;
};

}  // namespace caravan::proxy::internal
