// Reads Nomad's JobDiff JSON (the "Diff" of a plan response, as
// model::to_json(JobDiff) writes it) back into model::JobDiff so `job plan`
// renders the server's diff with format_job_diff. Tolerant: unknown keys are
// ignored and missing ones keep their defaults.
// TODO(cli): move next to model::to_json(JobDiff) once model grows from_json for it.
#pragma once

#include <nlohmann/json.hpp>

#include "model/job_diff.h"

namespace caravan::cli {

model::JobDiff decode_job_diff(const nlohmann::json& json);

// "Added" → kAdded ...; anything else → kNone.
model::DiffType decode_diff_type(const nlohmann::json& json);

}  // namespace caravan::cli
