#include "http/message.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/strings.h"

namespace caravan::http {
void Headers::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

bool Headers::has_token(std::string_view name, std::string_view token) const {
  for (const auto& [n, v] : fields_) {
    if (!iequals(n, name)) {
      continue;
    }
    for (const std::string& part : split(v, ',')) {
      if (iequals(trim(part), token)) {
        return true;
      }
    }
  }
  return false;
}

std::optional<std::string_view> Request::query(std::string_view name) const {
  auto it = query_params.find(name);
  if (it == query_params.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

std::vector<std::string> Request::query_all(std::string_view name) const {
  std::vector<std::string> values;
  auto [first, last] = query_params.equal_range(name);
  for (auto it = first; it != last; ++it) {
    values.push_back(it->second);
  }
  return values;
}

Response json_response(int status, std::string json) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = std::move(json);
  return response;
}

Response text_response(int status, std::string text) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(text);
  return response;
}

Response error_response(int status, std::string_view message) {
  nlohmann::json body = {{"error", std::string(message)}};
  // Replace, never throw, on invalid UTF-8 in a message that echoes user input.
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response error_response(const Status& status) {
  return error_response(http_status_for(status.code()), status.to_string());
}

int http_status_for(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response stream_response(int status, std::string content_type, StreamBody body) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", std::move(content_type));
  response.stream = std::move(body);
  return response;
}

std::string error_message(const Response& response) {
  std::string_view body = trim(response.body);
  if (!body.empty() && body.front() == '{') {
    nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) {
      auto it = parsed.find("error");
      if (it != parsed.end() && it->is_string()) {
        return it->get<std::string>();
      }
    }
  }
  if (body.empty()) {
    return "HTTP " + std::to_string(response.status);
  }
  return std::string(body);
}

std::string_view reason_phrase(int status) {
  std::string_view phrase = http_reason_phrase(status);
  return phrase.empty() ? "Unknown" : phrase;
}

}  // namespace caravan::http
