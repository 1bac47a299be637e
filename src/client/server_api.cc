#include "client/server_api.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "model/model_json.h"

namespace caravan::client {
namespace {

constexpr Duration kRequestTimeout = std::chrono::seconds(15);

Status status_for(const http::Response& response, std::string_view what) {
  std::string message = fmt::format("{}: {}", what, http::error_message(response));
  switch (response.status) {
    case 400:
      return invalid_argument(message);
    case 403:
      return permission_denied(message);
    case 404:
      return not_found(message);
    default:
      return unavailable(message);
  }
}

Result<nlohmann::json> parse(const http::Response& response, std::string_view what) {
  nlohmann::json json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_discarded()) return invalid_argument(fmt::format("{}: the answer is not JSON", what));
  return json;
}

Result<Duration> read_ttl(const http::Response& response, std::string_view what) {
  if (response.status != 200) return status_for(response, what);
  nlohmann::json json = CARAVAN_TRY(parse(response, what));
  auto ttl = json.find("HeartbeatTTL");
  if (ttl == json.end() || !ttl->is_number_integer()) {
    return invalid_argument(fmt::format("{}: the answer has no HeartbeatTTL", what));
  }
  return Duration(ttl->get<int64_t>());
}

}  // namespace

Result<ServerApi> ServerApi::create(std::vector<std::string> servers, std::string node_id,
                                    std::string secret_id) {
  if (servers.empty()) {
    return invalid_argument("the client has no server address: set client.servers");
  }
  for (const std::string& s : servers) {
    CARAVAN_RETURN_IF_ERROR(http::Client::create(s).status());
  }
  return ServerApi(std::move(servers), std::move(node_id), std::move(secret_id));
}

Result<http::Response> ServerApi::call(std::string_view method, const std::string& target,
                                       std::string body, Duration timeout) {
  if (!client_) {
    http::ClientOptions options;
    options.connect_timeout = std::chrono::seconds(5);
    client_.emplace(CARAVAN_TRY(http::Client::create(servers_[current_], options)));
  }
  http::RequestOptions options;
  options.timeout = timeout;
  options.headers.set(kNodeSecretHeader, secret_id_);
  Result<http::Response> response = client_->request(method, target, std::move(body), options);
  if (!response || response->status >= 500) {
    client_.reset();
    current_ = (current_ + 1) % servers_.size();
  }
  return response;
}

Result<Duration> ServerApi::register_node(const model::Node& node) {
  nlohmann::ordered_json body{{"Node", model::to_json(node)}};
  http::Response response =
      CARAVAN_TRY(call("POST", "/v1/client/node/register", body.dump(), kRequestTimeout));
  return read_ttl(response, "registering the node");
}

Result<Duration> ServerApi::heartbeat() {
  http::Response response =
      CARAVAN_TRY(call("PUT", "/v1/client/node/" + node_id_ + "/heartbeat", "", kRequestTimeout));
  return read_ttl(response, "heartbeat");
}

Result<NodeAllocations> ServerApi::allocations(int64_t index, Duration wait) {
  auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
  std::string target =
      fmt::format("/v1/client/node/{}/allocations?index={}&wait={}ms", node_id_, index, wait_ms);
  http::Response response = CARAVAN_TRY(call("GET", target, "", wait + kRequestTimeout));
  if (response.status != 200) return status_for(response, "watching allocations");
  nlohmann::json json = CARAVAN_TRY(parse(response, "watching allocations"));
  if (!json.is_array()) return invalid_argument("watching allocations: expected a JSON list");
  NodeAllocations out;
  for (size_t i = 0; i < json.size(); ++i) {
    out.allocs.push_back(
        CARAVAN_TRY(model::from_json<model::Allocation>(json[i], fmt::format("[{}]", i))));
  }
  if (auto index_header = response.headers.get("X-Nomad-Index")) {
    out.index = std::strtoll(std::string(*index_header).c_str(), nullptr, 10);
  }
  return out;
}

Status ServerApi::update_allocs(const std::vector<model::Allocation>& allocs) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const model::Allocation& a : allocs) {
    nlohmann::ordered_json item;
    item["ID"] = a.id;
    item["ClientStatus"] = a.client_status;
    item["ClientDescription"] = a.client_description;
    nlohmann::ordered_json states = nlohmann::ordered_json::object();
    for (const auto& [task, state] : a.task_states) states[task] = model::to_json(state);
    item["TaskStates"] = states;
    if (a.deployment_status) {
      nlohmann::ordered_json ds = nlohmann::ordered_json::object();
      if (a.deployment_status->healthy) ds["Healthy"] = *a.deployment_status->healthy;
      ds["Timestamp"] = a.deployment_status->timestamp;
      ds["Canary"] = a.deployment_status->canary;
      item["DeploymentStatus"] = ds;
    }
    list.push_back(std::move(item));
  }
  nlohmann::ordered_json body{{"Allocs", list}};
  http::Response response = CARAVAN_TRY(call(
      "POST", "/v1/client/node/" + node_id_ + "/allocations/update", body.dump(), kRequestTimeout));
  if (response.status != 200) return status_for(response, "updating allocations");
  return Status::ok();
}

Status ServerApi::upsert_services(const std::vector<model::ServiceRegistration>& instances) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const model::ServiceRegistration& instance : instances) list.push_back(model::to_json(instance));
  nlohmann::ordered_json body{{"Services", std::move(list)}};
  http::Response response = CARAVAN_TRY(
      call("PUT", "/v1/client/node/" + node_id_ + "/services", body.dump(), kRequestTimeout));
  if (response.status != 200) return status_for(response, "registering services");
  return Status::ok();
}

Status ServerApi::deregister_services(const std::vector<std::string>& alloc_ids) {
  nlohmann::ordered_json body{{"AllocIDs", alloc_ids}};
  http::Response response = CARAVAN_TRY(call(
      "PUT", "/v1/client/node/" + node_id_ + "/services/deregister", body.dump(), kRequestTimeout));
  if (response.status != 200) return status_for(response, "deregistering services");
  return Status::ok();
}

Result<ServerApi::IngressTraffic> ServerApi::ingress_traffic(const std::string& alloc_id) {
  http::Response response =
      CARAVAN_TRY(call("GET", "/v1/ingress/traffic?alloc=" + alloc_id, "", kRequestTimeout));
  if (response.status != 200) return status_for(response, "reading the ingresses' traffic");
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("Idle") || !body["Idle"].is_boolean() ||
      !body.contains("CatalogIndex") || !body["CatalogIndex"].is_number_integer() ||
      !body.contains("IngressIndex") || !body["IngressIndex"].is_number_integer()) {
    return invalid_argument(
        "the server's /v1/ingress/traffic answer lacks Idle, CatalogIndex or IngressIndex");
  }
  IngressTraffic out;
  out.idle = body["Idle"].get<bool>();
  out.catalog_index = body["CatalogIndex"].get<int64_t>();
  out.ingress_index = body["IngressIndex"].get<int64_t>();
  return out;
}

}  // namespace caravan::client
