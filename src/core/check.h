// Invariant checks for programmer errors (never for user input, which gets a
// Status). CARAVAN_CHECK is always fatal; CARAVAN_ASSERT only in debug builds.
#pragma once

namespace caravan::internal {
[[noreturn]] void check_failed(const char* condition, const char* file, int line);
}  // namespace caravan::internal

#define CARAVAN_CHECK(cond) \
  ((cond) ? (void)0 : ::caravan::internal::check_failed(#cond, __FILE__, __LINE__))

#ifdef NDEBUG
#define CARAVAN_ASSERT(cond) ((void)0)
#else
#define CARAVAN_ASSERT(cond) CARAVAN_CHECK(cond)
#endif
