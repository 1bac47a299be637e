// The list stubs and summaries Nomad's list endpoints return instead of whole
// objects: JobListStub (with its JobSummary), AllocListStub, NodeListStub, and
// the job summary (allocations per task group by client status).
#pragma once

#include <nlohmann/json.hpp>

#include "model/allocation.h"
#include "model/job.h"
#include "model/node.h"
#include "state/state_view.h"

namespace caravan::api {

// {"JobID", "Namespace", "Summary": {group: {Queued, Complete, Failed, Running,
// Starting, Lost, Unknown}}, "Children", "CreateIndex", "ModifyIndex"}.
nlohmann::ordered_json job_summary(const state::StateView& state, const model::Job& job);

nlohmann::ordered_json job_list_stub(const state::StateView& state, const model::Job& job);
nlohmann::ordered_json alloc_list_stub(const model::Allocation& alloc);
nlohmann::ordered_json node_list_stub(const model::Node& node);

// The node as the API shows it: everything but the SecretID.
nlohmann::ordered_json public_node(const model::Node& node);

}  // namespace caravan::api
