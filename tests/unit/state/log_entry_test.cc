// Log entries: every request type survives encode → decode; allocations are
// written without their job (a version reference instead); bad input fails
// with a message naming the field.
#include "state/log_entry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "state_test_util.h"

namespace caravan::state {
namespace {

using testing::make_alloc;
using testing::make_eval;
using testing::make_job;
using testing::make_node;

LogEntry round_trip(const LogEntry& entry) {
  Result<LogEntry> decoded = decode_log_entry(encode_log_entry(entry));
  EXPECT_TRUE(decoded.has_value()) << decoded.error().to_string();
  EXPECT_EQ(log_request_name(decoded->request), log_request_name(entry.request));
  EXPECT_EQ(decoded->time, entry.time);
  return std::move(decoded).value();
}

template <class T>
T round_trip_request(T request) {
  LogEntry decoded = round_trip(LogEntry{std::move(request), 42});
  return std::get<T>(decoded.request);
}

TEST(LogEntry, JobRegisterRoundTrips) {
  JobRegister req{make_job("web"), make_eval("e1", "web")};
  JobRegister out = round_trip_request(req);
  EXPECT_EQ(out.job, req.job);
  EXPECT_EQ(out.eval, req.eval);
}

TEST(LogEntry, JobDeregisterRoundTrips) {
  JobDeregister req{"prod", "web", true, make_eval("e1", "web")};
  JobDeregister out = round_trip_request(req);
  EXPECT_EQ(out.namespace_name, "prod");
  EXPECT_EQ(out.job_id, "web");
  EXPECT_TRUE(out.purge);
  EXPECT_EQ(out.eval, req.eval);
}

TEST(LogEntry, NodeRequestsRoundTrip) {
  NodeRegister reg{make_node("n1")};
  EXPECT_EQ(round_trip_request(reg).node, reg.node);

  model::NodeEvent event;
  event.message = "Node heartbeat missed";
  event.subsystem = "Cluster";
  event.details = {{"a", "b"}};
  event.timestamp = 7;
  NodeUpdateStatus status{"n1", model::kNodeStatusDown, event, {make_eval("e1", "web")}};
  NodeUpdateStatus status_out = round_trip_request(status);
  EXPECT_EQ(status_out.node_id, "n1");
  EXPECT_EQ(status_out.status, model::kNodeStatusDown);
  EXPECT_EQ(status_out.event, status.event);
  EXPECT_EQ(status_out.evals, status.evals);

  model::DrainStrategy drain;
  drain.deadline = Duration(std::chrono::hours(1));
  NodeUpdateDrain drain_req{"n1", drain, true, true, {{"message", "kernel"}}, {}};
  NodeUpdateDrain drain_out = round_trip_request(drain_req);
  EXPECT_EQ(drain_out.drain_strategy, drain_req.drain_strategy);
  EXPECT_TRUE(drain_out.mark_eligible);
  EXPECT_TRUE(drain_out.drain_complete);
  EXPECT_EQ(drain_out.meta, drain_req.meta);

  NodeUpdateEligibility elig{"n1", model::kNodeIneligible, {}};
  EXPECT_EQ(round_trip_request(elig).eligibility, model::kNodeIneligible);
}

TEST(LogEntry, EvalRequestsRoundTrip) {
  EvalUpsert upsert{{make_eval("e1", "web"), make_eval("e2", "api")}};
  EXPECT_EQ(round_trip_request(upsert).evals, upsert.evals);
  EvalDelete del{{"e1", "e2"}, {"a1"}};
  EvalDelete del_out = round_trip_request(del);
  EXPECT_EQ(del_out.eval_ids, del.eval_ids);
  EXPECT_EQ(del_out.alloc_ids, del.alloc_ids);
}

TEST(LogEntry, ApplyPlanResultsCarriesAJobReferenceNotTheJob) {
  auto job = std::make_shared<const model::Job>([] {
    model::Job j = make_job("web");
    j.version = 3;
    return j;
  }());
  ApplyPlanResults req;
  req.eval_id = "e1";
  req.allocs_placed = {make_alloc("a1", job, "n1"), make_alloc("a2", job, "n2", 1)};
  req.allocs_stopped = {AllocStopUpdate{"a0", model::kAllocDesiredStop, "replaced", "", "e9"}};
  req.evals = {make_eval("e2", "web", model::kEvalStatusBlocked)};

  std::string encoded = encode_log_entry(LogEntry{req, 1});
  nlohmann::json json = nlohmann::json::from_msgpack(encoded);
  const auto& placed = json["Request"]["AllocsPlaced"][0];
  EXPECT_FALSE(placed.contains("Job"));
  EXPECT_EQ(placed["JobVersion"], 3);

  ApplyPlanResults out = round_trip_request(req);
  EXPECT_EQ(out.eval_id, "e1");
  EXPECT_EQ(out.allocs_stopped, req.allocs_stopped);
  EXPECT_EQ(out.evals, req.evals);
  ASSERT_EQ(out.allocs_placed.size(), 2u);
  ASSERT_NE(out.allocs_placed[0].job, nullptr);
  EXPECT_EQ(out.allocs_placed[0].job->id, "web");
  EXPECT_EQ(out.allocs_placed[0].job->version, 3);
  EXPECT_TRUE(out.allocs_placed[0].job->task_groups.empty());  // a reference only
  model::Allocation expected = req.allocs_placed[1];
  model::Allocation got = out.allocs_placed[1];
  expected.job = got.job = nullptr;
  EXPECT_EQ(got, expected);
}

TEST(LogEntry, AllocRequestsRoundTrip) {
  auto job = std::make_shared<const model::Job>(make_job("web"));
  model::Allocation alloc = make_alloc("a1", job, "n1");
  alloc.client_status = model::kAllocClientRunning;
  alloc.task_states["web"].state = model::kTaskStateRunning;
  AllocClientUpdate update{{alloc}, {}};
  AllocClientUpdate update_out = round_trip_request(update);
  ASSERT_EQ(update_out.allocs.size(), 1u);
  EXPECT_EQ(update_out.allocs[0].task_states, alloc.task_states);

  model::DesiredTransition transition;
  transition.migrate = true;
  AllocDesiredTransition desired{{{"a1", transition}}, {make_eval("e1", "web")}};
  AllocDesiredTransition desired_out = round_trip_request(desired);
  EXPECT_EQ(desired_out.transitions, desired.transitions);
  EXPECT_EQ(desired_out.evals, desired.evals);

  AllocStop stop{"a1", make_eval("e3", "web")};
  AllocStop stop_out = round_trip_request(stop);
  EXPECT_EQ(stop_out.alloc_id, "a1");
  EXPECT_EQ(stop_out.eval, stop.eval);
}

TEST(LogEntry, DecodeRejectsUnknownTypesAndBadFields) {
  Result<LogEntry> unknown = decode_log_entry(R"({"Type":"Frobnicate","Time":1,"Request":{}})");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("Frobnicate"), std::string::npos);

  Result<LogEntry> bad = decode_log_entry(
      R"({"Type":"JobDeregister","Time":1,"Request":{"JobID":5}})");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("JobDeregister.JobID"), std::string::npos)
      << bad.error().message();

  EXPECT_FALSE(decode_log_entry("not json").has_value());
  EXPECT_FALSE(decode_log_entry(R"({"Type":"EvalUpsert","Time":1})").has_value());
}

}  // namespace
}  // namespace caravan::state
