#include "model/allocation.h"

#include <charconv>

namespace caravan::model {

int Allocation::index() const {
  size_t open = name.rfind('[');
  if (open == std::string::npos || name.empty() || name.back() != ']') return -1;
  int value = -1;
  const char* first = name.data() + open + 1;
  const char* last = name.data() + name.size() - 1;
  auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last) return -1;
  return value;
}

std::string allocation_name(const std::string& job_id, const std::string& group, int index) {
  return job_id + "." + group + "[" + std::to_string(index) + "]";
}

}  // namespace caravan::model
