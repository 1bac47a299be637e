#include "cli/api_client.h"

#include "cli/command_support.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <ostream>

namespace caravan::cli {

std::string resolve_agent_address(std::string_view flag,
                                  const std::function<const char*(const char*)>& getenv) {
  auto env = [&](const char* name) -> std::string {
    const char* value = getenv ? getenv(name) : std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
  };
  std::string address(flag);
  if (address.empty()) address = env("CARAVAN_ADDR");
  if (address.empty()) address = env("NOMAD_ADDR");
  if (address.empty()) address = std::string(kDefaultAgentAddress);
  if (address.find("://") == std::string::npos) address = "http://" + address;
  while (address.size() > 8 && address.back() == '/') address.pop_back();
  return address;
}

const std::string_view kApiFlagsHelp =
    "General Options:\n\n"
    "  -address=<addr>\n"
    "    The address of the caravan agent. Overrides the CARAVAN_ADDR (or NOMAD_ADDR)\n"
    "    environment variable. Default: http://127.0.0.1:4646.\n\n"
    "  -namespace=<namespace>\n"
    "    The target namespace. Overrides CARAVAN_NAMESPACE (or NOMAD_NAMESPACE).\n\n"
    "  -token=<token>\n"
    "    The ACL token, sent as X-Nomad-Token. Overrides CARAVAN_TOKEN (or NOMAD_TOKEN).\n\n"
    "  -region=<region>, -no-color\n"
    "    Accepted for compatibility with the nomad CLI.\n";

void ApiFlags::register_flags(FlagSet& flags) {
  flags.add_string("address", &address, "the agent's HTTP address");
  flags.add_string("namespace", &namespace_, "the target namespace");
  flags.add_string("token", &token, "the ACL token");
  flags.add_string("region", &region, "the target region");
  flags.add_bool("no-color", &no_color, "disable colored output");
}

std::vector<std::string> ApiFlags::as_args() const {
  std::vector<std::string> args;
  if (!address.empty()) args.push_back("-address=" + address);
  if (!namespace_.empty()) args.push_back("-namespace=" + namespace_);
  if (!token.empty()) args.push_back("-token=" + token);
  if (!region.empty()) args.push_back("-region=" + region);
  return args;
}

std::string url_escape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Status transport_error(std::string_view address, const Status& status) {
  std::string reason = status.message();
  const std::string connect_prefix = "cannot connect to " + std::string(address) + ": ";
  if (reason.starts_with(connect_prefix)) {
    reason = reason.substr(connect_prefix.size());
    return unavailable(fmt::format(
        "Error connecting to agent at {}: {}. Is `caravan agent -dev` running? Use -address or "
        "CARAVAN_ADDR to reach another agent.",
        address, reason));
  }
  return unavailable(fmt::format("Error talking to agent at {}: {}", address, reason));
}

Status response_error(const http::Response& response) {
  std::string message = fmt::format("Unexpected response code: {} ({})", response.status,
                                    http::error_message(response));
  switch (response.status) {
    case 404:
      return not_found(std::move(message));
    case 409:
      return failed_precondition(std::move(message));
    case 403:
      return permission_denied(std::move(message));
    default:
      break;
  }
  return response.status >= 500 ? internal_error(std::move(message))
                                : invalid_argument(std::move(message));
}

std::string api_error_text(std::string_view doing, const Status& status) {
  if (status.code() == StatusCode::kUnavailable && status.message().starts_with("Error ")) {
    return status.message();
  }
  return fmt::format("Error {}: {}", doing, status.message());
}

void print_api_error(CommandIo& io, std::string_view doing, const Status& status) {
  io.err << api_error_text(doing, status) << "\n";
}

Result<ApiClient> ApiClient::create(const ApiFlags& flags) {
  std::string address = resolve_agent_address(flags.address);
  ApiFlags resolved = flags;
  auto env = [](const char* a, const char* b) {
    const char* v = std::getenv(a);
    if (v == nullptr || *v == '\0') v = std::getenv(b);
    return v != nullptr ? std::string(v) : std::string();
  };
  if (resolved.namespace_.empty())
    resolved.namespace_ = env("CARAVAN_NAMESPACE", "NOMAD_NAMESPACE");
  if (resolved.token.empty()) resolved.token = env("CARAVAN_TOKEN", "NOMAD_TOKEN");
  http::ClientOptions options;
  options.connect_timeout = std::chrono::seconds(5);
  Result<http::Client> client = http::Client::create(address, options);
  if (!client) {
    return invalid_argument(
        fmt::format("Error: invalid agent address \"{}\": {}", address, client.error().message()));
  }
  return ApiClient(std::move(client).value(), std::move(address), std::move(resolved));
}

std::optional<ApiClient> connect_api(const ApiFlags& flags, CommandIo& io) {
  Result<ApiClient> api = ApiClient::create(flags);
  if (!api) {
    io.err << api.error().message() << "\n";
    return std::nullopt;
  }
  return std::move(api).value();
}

std::optional<ApiClient> begin_no_argument_command(FlagSet& flags, const ApiFlags& api_flags,
                                                   const std::vector<std::string>& args,
                                                   const std::string& help, CommandIo& io,
                                                   int* exit_code) {
  auto positional = parse_command_flags(flags, args, help, io, exit_code);
  if (!positional) return std::nullopt;
  *exit_code = 1;
  if (!positional->empty()) {
    io.err << "This command takes no arguments\n\n" << help;
    return std::nullopt;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (api) *exit_code = 0;
  return api;
}

std::optional<SingleObjectCall> begin_single_object_command(FlagSet& flags, const ApiFlags& api_flags,
                                                            const std::vector<std::string>& args,
                                                            const std::string& help,
                                                            std::string_view what, CommandIo& io,
                                                            int* exit_code) {
  auto positional = parse_command_flags(flags, args, help, io, exit_code);
  if (!positional) return std::nullopt;
  *exit_code = 1;
  if (positional->size() != 1) {
    io.err << "This command takes one argument: " << what << "\n\n" << help;
    return std::nullopt;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return std::nullopt;
  *exit_code = 0;
  return SingleObjectCall{std::move(*api), (*positional)[0]};
}

ApiClient::ApiClient(http::Client client, std::string address, ApiFlags flags)
    : client_(std::move(client)), address_(std::move(address)), flags_(std::move(flags)) {}

std::string ApiClient::with_namespace(std::string_view path) const {
  std::string out(path);
  if (flags_.namespace_.empty()) return out;
  out += path.find('?') == std::string_view::npos ? '?' : '&';
  return out + "namespace=" + url_escape(flags_.namespace_);
}

http::RequestOptions ApiClient::options() const {
  http::RequestOptions options;
  if (!flags_.token.empty()) options.headers.set("X-Nomad-Token", flags_.token);
  return options;
}

Result<http::Response> ApiClient::checked(Result<http::Response> response) const {
  if (!response) return transport_error(address_, response.error());
  if (response->status < 200 || response->status > 299) return response_error(*response);
  return response;
}

Result<nlohmann::json> ApiClient::parse(std::string_view path,
                                        const http::Response& response) const {
  if (response.body.empty()) return nlohmann::json();
  nlohmann::json doc = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return internal_error(
        fmt::format("the agent at {} answered {} with a body that is not JSON", address_, path));
  }
  return doc;
}

Result<nlohmann::json> ApiClient::get(std::string_view path, QueryMeta* meta) {
  Result<http::Response> response = checked(client_.get(with_namespace(path), options()));
  if (!response) return response.error();
  if (meta != nullptr) {
    meta->index = 0;
    if (auto index = response->headers.get("X-Nomad-Index")) {
      std::from_chars(index->data(), index->data() + index->size(), meta->index);
    }
  }
  return parse(path, *response);
}

Result<nlohmann::json> ApiClient::get_blocking(std::string_view path, const BlockingQuery& query,
                                               QueryMeta* meta) {
  std::string target(path);
  target += path.find('?') == std::string_view::npos ? '?' : '&';
  target += fmt::format("index={}&wait={}s", query.index, query.wait.count());
  http::RequestOptions opts = options();
  // The agent may add up to wait/16 of jitter; leave room for it and the transfer.
  opts.timeout = query.wait + query.wait / 8 + std::chrono::seconds(10);
  Result<http::Response> response = checked(client_.get(with_namespace(target), opts));
  if (!response) return response.error();
  if (meta != nullptr) {
    meta->index = 0;
    if (auto index = response->headers.get("X-Nomad-Index")) {
      std::from_chars(index->data(), index->data() + index->size(), meta->index);
    }
  }
  return parse(path, *response);
}

Result<nlohmann::json> ApiClient::post(std::string_view path, const nlohmann::json& body) {
  Result<http::Response> response =
      checked(client_.post(with_namespace(path), body.dump(), options()));
  if (!response) return response.error();
  return parse(path, *response);
}

Result<nlohmann::json> ApiClient::put(std::string_view path, const nlohmann::json& body) {
  Result<http::Response> response =
      checked(client_.put(with_namespace(path), body.dump(), options()));
  if (!response) return response.error();
  return parse(path, *response);
}

Result<nlohmann::json> ApiClient::del(std::string_view path) {
  Result<http::Response> response = checked(client_.del(with_namespace(path), options()));
  if (!response) return response.error();
  return parse(path, *response);
}

Result<std::string> ApiClient::get_text(std::string_view path) {
  Result<http::Response> response = checked(client_.get(with_namespace(path), options()));
  if (!response) return response.error();
  return std::move(response->body);
}

Status ApiClient::get_stream(std::string_view path, const http::Client::DataCallback& on_data) {
  http::RequestOptions opts = options();
  opts.timeout = std::chrono::seconds(30);
  Result<http::Response> response =
      checked(client_.get_stream(with_namespace(path), on_data, opts));
  return response ? Status() : response.error();
}

}  // namespace caravan::cli
