// Nomad's JSON job format ↔ model::Job: what `nomad job inspect` prints and what
// POST /v1/jobs accepts. PascalCase keys as Nomad's API spells them, durations as
// integer nanoseconds. No defaults are applied in either direction (jobspec does
// that), so decode(encode(job)) == job for every job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/job.h"

namespace caravan::model {

enum class JsonStyle {
  kCompact,  // one line, no spaces
  kPretty,   // 4-space indentation, as `nomad job inspect`
};

// The bare job object `{"ID": ..., "TaskGroups": [...]}`. Every field is
// written, keys in Nomad's order: nullopt and absent RawJson as null, empty
// lists and maps as null (Nomad's nil slices), like `nomad job inspect`.
std::string encode_job(const Job& job, JsonStyle style = JsonStyle::kCompact);

// Nomad's register request body `{"Job": {...}}`.
std::string encode_job_request(const Job& job, JsonStyle style = JsonStyle::kCompact);

// Decodes either `{"Job": {...}}` (other keys of the wrapper, such as
// EnforceIndex or PolicyOverride, are ignored) or a bare job object.
//
// As Nomad's decoder does: keys match exactly, else case-insensitively; null
// means "unset" (the field keeps its C++ default / nullopt); missing fields keep
// their C++ defaults; unknown keys are ignored. Unknown keys with a non-null
// value are appended to `*unknown_fields` (when given) as JSON paths, parents
// before children, e.g. "Job.TaskGroups[0].Cont", so a caller can warn. Nomad's
// server-side fields (Status, Version, CreateIndex, …) are known and silently
// skipped, as are null-valued unknown keys (`nomad job run -output` prints
// blocks caravan does not model yet, such as CSIPluginConfig, as null).
//
// Errors (InvalidArgument):
// * malformed JSON: "invalid JSON: <what>", with where() set to the line and
//   column (1-based, columns in characters) of the problem;
// * a value of the wrong type: the JSON path and the mismatch, e.g.
//   "Job.TaskGroups[0].Count: expected a number, got string".
Result<Job> decode_job(std::string_view json, std::vector<std::string>* unknown_fields = nullptr);

}  // namespace caravan::model
