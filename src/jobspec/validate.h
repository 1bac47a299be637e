// Nomad's validation rules for a job, checked on the model after defaults, so
// a job from HCL and one from JSON are judged alike. Each problem names the
// model path it is about (Nomad JSON names: "TaskGroups[0].Tasks[1].Resources.
// MemoryMB"); for HCL input jobspec maps that path back to file:line:col
// through the decoder's SourceMap, for JSON input the path is the location.
#pragma once

#include <string>
#include <vector>

#include "model/job.h"

namespace caravan::jobspec {

struct FieldError {
  std::string path;     // e.g. "TaskGroups[0].Count"; "" for the job as a whole
  std::string summary;  // short, e.g. "Invalid count"
  std::string detail;   // what is wrong and how to fix it
  // For a duplicate whose two definitions the model keeps in different lists
  // (a static and a dynamic port with one label): the path of the other
  // definition. The error belongs to whichever of the two comes later in the
  // source; without source positions, to `path`.
  std::string duplicate_of;
};

// Every rule violated by `job` (empty when valid). Expects defaults applied.
std::vector<FieldError> validate_job(const model::Job& job);

}  // namespace caravan::jobspec
