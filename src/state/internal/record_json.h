// Codecs of the records the state library writes itself (log entries and
// snapshots) where model/model_json.h has none or the log needs another shape:
// allocations without their embedded job (a job reference instead), desired
// transitions and node events. Private to caravan_state.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "model/allocation.h"
#include "model/node.h"

namespace caravan::state::internal {

// The allocation as MessagePack, written straight from the struct, with "Job"
// left out and "JobVersion" added (when it has a job).
void append_alloc_msgpack(std::string& out, const model::Allocation& alloc);
// Reads what append_alloc_msgpack wrote (after from_msgpack). The allocation's `job` is a stub that holds
// only namespace, id and version: the FSM or the snapshot loader re-links it.
Result<model::Allocation> alloc_from_json(const nlohmann::json& json, const std::string& path);

nlohmann::ordered_json desired_transition_to_json(const model::DesiredTransition& transition);
Result<model::DesiredTransition> desired_transition_from_json(const nlohmann::json& json,
                                                              const std::string& path);

nlohmann::ordered_json node_event_to_json(const model::NodeEvent& event);
Result<model::NodeEvent> node_event_from_json(const nlohmann::json& json,
                                              const std::string& path);

}  // namespace caravan::state::internal
