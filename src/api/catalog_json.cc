#include "api/catalog_json.h"

#include <algorithm>
#include <set>

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

std::string node_address(const model::Node* node) {
  if (node == nullptr) return "";
  auto it = node->attributes.find("unique.network.ip-address");
  return it == node->attributes.end() ? "" : it->second;
}

std::string node_name(const model::Node* node) { return node == nullptr ? "" : node->name; }

Json tagged_addresses(const std::string& address) {
  return address.empty() ? Json::object() : Json{{"lan", address}, {"wan", address}};
}

Json string_map(const std::map<std::string, std::string>& values) {
  Json out = Json::object();
  for (const auto& [k, v] : values) out[k] = v;
  return out;
}

Json consul_check(const model::Node* node, std::string id, std::string name, std::string status,
                  std::string output, std::string type,
                  const model::ServiceRegistration* instance) {
  return Json{{"Node", node_name(node)},
              {"CheckID", std::move(id)},
              {"Name", std::move(name)},
              {"Status", std::move(status)},
              {"Notes", ""},
              {"Output", std::move(output)},
              {"ServiceID", instance ? instance->id : ""},
              {"ServiceName", instance ? instance->service_name : ""},
              {"ServiceTags", instance ? Json(instance->tags) : Json::array()},
              {"Type", std::move(type)},
              {"CreateIndex", instance ? instance->create_index : (node ? node->create_index : 0)},
              {"ModifyIndex", instance ? instance->modify_index : (node ? node->modify_index : 0)}};
}

}  // namespace

InstanceFilter InstanceFilter::from(const http::Request& request) {
  InstanceFilter filter;
  auto [begin, end] = request.query_params.equal_range("tag");
  for (auto it = begin; it != end; ++it) filter.tags.push_back(it->second);
  if (auto passing = request.query("passing")) {
    filter.passing_only = *passing != "false" && *passing != "0";
  }
  return filter;
}

bool InstanceFilter::matches(const model::ServiceRegistration& instance) const {
  // A draining instance is about to stop: not a target for new traffic.
  if (passing_only && (!instance.passing() || instance.draining)) return false;
  return std::all_of(tags.begin(), tags.end(), [&](const std::string& tag) {
    return std::find(instance.tags.begin(), instance.tags.end(), tag) != instance.tags.end();
  });
}

std::vector<state::ServicePtr> filtered_instances(const state::StateView& state,
                                                  const std::string& ns, const std::string& name,
                                                  const InstanceFilter& filter) {
  std::vector<state::ServicePtr> out;
  for (state::ServicePtr& instance : state.service(ns, name)) {
    if (filter.matches(*instance)) out.push_back(std::move(instance));
  }
  return out;
}

WatchedIndex one_service_index(std::string ns, std::string name) {
  return WatchedIndex{state::Table::kServices,
                      [ns = std::move(ns), name = std::move(name)](const state::StateView& view) {
                        return view.service_index(ns, name);
                      }};
}

Json service_tags(const std::vector<state::ServicePtr>& instances) {
  std::map<std::string, std::set<std::string>> tags;
  for (const state::ServicePtr& instance : instances) {
    tags[instance->service_name].insert(instance->tags.begin(), instance->tags.end());
  }
  Json out = Json::object();
  for (const auto& [name, set] : tags) out[name] = std::vector<std::string>(set.begin(), set.end());
  return out;
}

Json consul_catalog_entry(const model::ServiceRegistration& instance, const model::Node* node) {
  std::string address = node_address(node);
  return Json{{"ID", instance.node_id},
              {"Node", node_name(node)},
              {"Address", address},
              {"Datacenter", instance.datacenter},
              {"TaggedAddresses", tagged_addresses(address)},
              {"NodeMeta", node ? string_map(node->meta) : Json::object()},
              {"ServiceKind", ""},
              {"ServiceID", instance.id},
              {"ServiceName", instance.service_name},
              {"ServiceTags", instance.tags},
              {"ServiceAddress", instance.address},
              {"ServiceTaggedAddresses", Json::object()},
              {"ServiceWeights", Json{{"Passing", 1}, {"Warning", 1}}},
              {"ServiceMeta", string_map(instance.meta)},
              {"ServicePort", instance.port},
              {"ServiceEnableTagOverride", false},
              {"Namespace", instance.namespace_name},
              {"CreateIndex", instance.create_index},
              {"ModifyIndex", instance.modify_index}};
}

Json consul_serf_health(const model::Node& node) {
  bool ready = node.status == model::kNodeStatusReady;
  return consul_check(&node, "serfHealth", "Serf Health Status",
                      std::string(ready ? model::kCheckPassing : model::kCheckCritical),
                      ready ? "Agent alive and reachable" : "Agent not live or unreachable",
                      "", nullptr);
}

Json consul_checks(const model::ServiceRegistration& instance, const model::Node* node) {
  Json out = Json::array();
  for (const model::ServiceCheckStatus& check : instance.checks) {
    out.push_back(consul_check(node, check.id, check.name, check.status, check.output, check.type,
                               &instance));
  }
  return out;
}

Json consul_health_entry(const model::ServiceRegistration& instance, const model::Node* node) {
  std::string address = node_address(node);
  Json node_json{{"ID", instance.node_id},
                 {"Node", node_name(node)},
                 {"Address", address},
                 {"Datacenter", instance.datacenter},
                 {"TaggedAddresses", tagged_addresses(address)},
                 {"Meta", node ? string_map(node->meta) : Json::object()},
                 {"CreateIndex", node ? node->create_index : 0},
                 {"ModifyIndex", node ? node->modify_index : 0}};
  Json service{{"ID", instance.id},
               {"Service", instance.service_name},
               {"Tags", instance.tags},
               {"Address", instance.address},
               {"Port", instance.port},
               {"Meta", string_map(instance.meta)},
               {"TaggedAddresses", Json::object()},
               {"Weights", Json{{"Passing", 1}, {"Warning", 1}}},
               {"EnableTagOverride", false},
               {"Namespace", instance.namespace_name},
               {"CreateIndex", instance.create_index},
               {"ModifyIndex", instance.modify_index}};
  Json checks = Json::array();
  if (node != nullptr) checks.push_back(consul_serf_health(*node));
  for (Json& check : consul_checks(instance, node)) checks.push_back(std::move(check));
  return Json{{"Node", std::move(node_json)},
              {"Service", std::move(service)},
              {"Checks", std::move(checks)}};
}

}  // namespace caravan::api
