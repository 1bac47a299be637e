// Garbage collection of the server's state, with Nomad's rules: terminal
// evaluations older than a threshold go with their finished allocations; jobs
// that are stopped or dead, with nothing left running, go with all their
// evaluations and allocations. A batch job's finished allocations stay while
// the job lives (collecting them would make the scheduler run them again).
// plan_garbage_collection is a pure function of a state view and the clock;
// the server runs it periodically and on PUT /v1/system/gc (thresholds 0).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "state/state_view.h"

namespace caravan::server {

// Ages after which terminal objects are collected (Nomad's defaults).
struct GcThresholds {
  std::chrono::nanoseconds eval = std::chrono::hours(1);         // eval_gc_threshold
  std::chrono::nanoseconds batch_eval = std::chrono::hours(24);  // batch_eval_gc_threshold
  std::chrono::nanoseconds job = std::chrono::hours(4);          // job_gc_threshold

  // PUT /v1/system/gc: everything terminal, whatever its age.
  static GcThresholds force() { return {std::chrono::nanoseconds(0), std::chrono::nanoseconds(0), std::chrono::nanoseconds(0)}; }
};

// A job to purge, as it was when the collector looked at it.
struct GcJob {
  std::string namespace_name;
  std::string id;
  int64_t job_modify_index = 0;
};

struct GcPlan {
  std::vector<std::string> eval_ids;
  std::vector<std::string> alloc_ids;
  std::vector<GcJob> jobs;

  bool empty() const { return eval_ids.empty() && alloc_ids.empty() && jobs.empty(); }
};

GcPlan plan_garbage_collection(const state::StateView& state, const GcThresholds& thresholds,
                               int64_t now_ns);

}  // namespace caravan::server
