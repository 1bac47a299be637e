#include "core/status.h"

namespace caravan {

const char* status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kPermissionDenied: return "permission denied";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  if (where_) return where_->to_string() + ": " + message_;
  return message_;
}

Status invalid_argument(std::string message, std::optional<SourceRange> where) {
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(where));
}
Status not_found(std::string message) { return Status(StatusCode::kNotFound, std::move(message)); }
Status already_exists(std::string message) {
  return Status(StatusCode::kAlreadyExists, std::move(message));
}
Status failed_precondition(std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message));
}
Status permission_denied(std::string message) {
  return Status(StatusCode::kPermissionDenied, std::move(message));
}
Status unavailable(std::string message) {
  return Status(StatusCode::kUnavailable, std::move(message));
}
Status internal_error(std::string message) {
  return Status(StatusCode::kInternal, std::move(message));
}

}  // namespace caravan
