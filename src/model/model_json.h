// JSON codecs of every model struct that crosses the API or the log: Job, Node,
// Allocation, Evaluation, AllocMetric, TaskState, PlanAnnotations... in Nomad's
// JSON shape (PascalCase keys, durations in ns, empty lists as null). For
// layers that build JSON documents anyway (api, state); the job-file CLI uses
// the text-level model/job_json.h.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "model/allocation.h"
#include "model/deployment.h"
#include "model/evaluation.h"
#include "model/job.h"
#include "model/node.h"
#include "model/plan.h"
#include "model/service_registration.h"

namespace caravan::model {

// Every field, in Nomad's key order. Defined for the model structs listed in
// model_json.cc (Job, Node, Allocation, Evaluation, AllocMetric, TaskState,
// TaskEvent, DesiredUpdates, PlanAnnotations, DrainStrategy, DrainMetadata, DriverInfo,
// ServiceRegistration, Deployment, DeploymentStatusUpdate).
template <class T>
nlohmann::ordered_json to_json(const T& value);

// The document to_json(value) builds, as MessagePack written straight from the
// struct (no JSON tree): the fast path of the state log and snapshots. Leaves
// out the top-level key `omit` and sizes the top-level map for `extra` more
// entries that the caller appends (key, then value) with `out`'s writer.
template <class T>
void append_msgpack(std::string& out, const T& value, std::string_view omit = {}, size_t extra = 0);

// Reads a struct: exact or case-insensitive keys, null = unset, unknown keys
// ignored. A wrong type fails with InvalidArgument naming the path from `root`
// ("Node.Drivers[\"exec\"].Healthy: expected a boolean, got string").
template <class T>
Result<T> from_json(const nlohmann::json& json, std::string_view root);

}  // namespace caravan::model
