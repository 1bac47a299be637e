// Status and Result<T>: how errors a user or the environment can cause travel
// through caravan (bad input, missing file, conflicting port). Shaped like
// std::expected so it can be swapped for it once we move to C++23. Invariant
// violations are not Statuses: see core/check.h.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/source_range.h"

namespace caravan {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // bad input: a job file, a request body, a flag (HTTP 400)
  kNotFound,            // HTTP 404
  kAlreadyExists,       // HTTP 409
  kFailedPrecondition,  // e.g. check-index mismatch (HTTP 409)
  kPermissionDenied,    // HTTP 403
  kUnavailable,         // a peer or resource is not reachable right now (HTTP 503)
  kInternal,            // our bug or an unexpected environment failure (HTTP 500)
};

const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::optional<SourceRange> where = std::nullopt)
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Where in a source text the problem is, when it comes from one.
  const std::optional<SourceRange>& where() const { return where_; }

  // "file:line:col: message", or just the message when there is no location.
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::optional<SourceRange> where_;
};

Status invalid_argument(std::string message, std::optional<SourceRange> where = std::nullopt);
Status not_found(std::string message);
Status already_exists(std::string message);
Status failed_precondition(std::string message);
Status permission_denied(std::string message);
Status unavailable(std::string message);
Status internal_error(std::string message);

// A value or the Status explaining why there is none. Never holds an OK Status.
template <class T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Status status) : data_(std::in_place_index<1>, std::move(status)) {}  // NOLINT
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Status> &&
             !std::is_same_v<std::decay_t<U>, Result>)
  Result(U&& value) : data_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Status& error() const& { return std::get<1>(data_); }
  Status&& error() && { return std::get<1>(std::move(data_)); }
  // The Status of this result: OK when it holds a value.
  Status status() const { return has_value() ? Status() : error(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace caravan

// Evaluates `expr` (a Result<T>); on error returns its Status from the enclosing
// function, otherwise yields the value. Usage: `auto job = CARAVAN_TRY(parse(x));`
#define CARAVAN_TRY(expr)                         \
  ({                                              \
    auto&& caravan_try_result_ = (expr);          \
    if (!caravan_try_result_.has_value()) {       \
      return std::move(caravan_try_result_).error(); \
    }                                             \
    std::move(caravan_try_result_).value();       \
  })

// Evaluates `expr` (a Status) and returns it from the enclosing function if not OK.
#define CARAVAN_RETURN_IF_ERROR(expr)               \
  do {                                              \
    ::caravan::Status caravan_status_ = (expr);     \
    if (!caravan_status_.is_ok()) return caravan_status_; \
  } while (0)
