// The catalog as the API shows it, in the two dialects tools read: Nomad's
// service listings (/v1/services, /v1/service/:name) and Consul's catalog and
// health entries (/v1/catalog/..., /v1/health/...), plus the instance filters
// both accept (?tag= repeated, ?passing). Used by service_endpoints.cc and
// consul_endpoints.cc.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/query.h"
#include "http/message.h"
#include "state/state_view.h"

namespace caravan::api {

// Which instances a request asks for: every `?tag=` must be among the
// instance's tags; `?passing` keeps only instances whose checks all pass and
// that are not draining.
struct InstanceFilter {
  std::vector<std::string> tags;
  bool passing_only = false;

  static InstanceFilter from(const http::Request& request);
  bool matches(const model::ServiceRegistration& instance) const;
};

// The instances of one service in `ns` that pass `filter`.
std::vector<state::ServicePtr> filtered_instances(const state::StateView& state,
                                                  const std::string& ns, const std::string& name,
                                                  const InstanceFilter& filter);

// A blocking query on one service's instances (its own index, so a change to
// another service wakes no watcher of this one).
WatchedIndex one_service_index(std::string ns, std::string name);

// {"<service name>": [tags of all its instances, sorted, unique], ...}.
nlohmann::ordered_json service_tags(const std::vector<state::ServicePtr>& instances);

// One entry of Consul's /v1/catalog/service/:name.
nlohmann::ordered_json consul_catalog_entry(const model::ServiceRegistration& instance,
                                            const model::Node* node);
// One entry of Consul's /v1/health/service/:name: Node, Service, Checks (the
// node's serfHealth first, then the instance's checks).
nlohmann::ordered_json consul_health_entry(const model::ServiceRegistration& instance,
                                           const model::Node* node);
// The Consul HealthCheck objects of an instance (serfHealth not included).
nlohmann::ordered_json consul_checks(const model::ServiceRegistration& instance,
                                     const model::Node* node);
// The node's serfHealth check: passing while the node is ready.
nlohmann::ordered_json consul_serf_health(const model::Node& node);

}  // namespace caravan::api
