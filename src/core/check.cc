#include "core/check.h"

#include <cstdio>
#include <cstdlib>

namespace caravan::internal {

void check_failed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "caravan: internal check failed: %s at %s:%d\n", condition, file, line);
  std::abort();
}

}  // namespace caravan::internal
