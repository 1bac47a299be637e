#include "state/log_entry.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/msgpack_writer.h"
#include "model/model_json.h"
#include "state/internal/json_reader.h"
#include "state/internal/record_json.h"

namespace caravan::state {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;
using internal::ObjectReader;

template <class T>
constexpr std::string_view kName = "";
template <>
constexpr std::string_view kName<JobRegister> = "JobRegister";
template <>
constexpr std::string_view kName<JobDeregister> = "JobDeregister";
template <>
constexpr std::string_view kName<NodeRegister> = "NodeRegister";
template <>
constexpr std::string_view kName<NodeUpdateStatus> = "NodeUpdateStatus";
template <>
constexpr std::string_view kName<NodeUpdateDrain> = "NodeUpdateDrain";
template <>
constexpr std::string_view kName<NodeUpdateEligibility> = "NodeUpdateEligibility";
template <>
constexpr std::string_view kName<EvalUpsert> = "EvalUpsert";
template <>
constexpr std::string_view kName<EvalDelete> = "EvalDelete";
template <>
constexpr std::string_view kName<ApplyPlanResults> = "ApplyPlanResults";
template <>
constexpr std::string_view kName<AllocClientUpdate> = "AllocClientUpdate";
template <>
constexpr std::string_view kName<AllocDesiredTransition> = "AllocDesiredTransition";
template <>
constexpr std::string_view kName<AllocStop> = "AllocStop";
template <>
constexpr std::string_view kName<ServiceRegistrationUpsert> = "ServiceRegistrationUpsert";
template <>
constexpr std::string_view kName<ServiceRegistrationDelete> = "ServiceRegistrationDelete";

template <>
constexpr std::string_view kName<DeploymentStatusChange> = "DeploymentStatusUpdate";
template <>
constexpr std::string_view kName<DeploymentPromote> = "DeploymentPromote";
template <>
constexpr std::string_view kName<DeploymentAllocHealth> = "DeploymentAllocHealth";
template <>
constexpr std::string_view kName<JobStability> = "JobStability";

template <class T, class Encode>
OJson list_to_json(const std::vector<T>& values, Encode encode) {
  OJson out = OJson::array();
  for (const T& value : values) out.push_back(encode(value));
  return out;
}
OJson evals_to_json(const std::vector<model::Evaluation>& evals) {
  return list_to_json(evals, [](const model::Evaluation& e) { return model::to_json(e); });
}
OJson optional_eval_to_json(const std::optional<model::Evaluation>& eval) {
  return eval ? model::to_json(*eval) : OJson();
}

OJson stop_update_to_json(const AllocStopUpdate& update) {
  OJson out = OJson::object();
  out["ID"] = update.id;
  out["DesiredStatus"] = update.desired_status;
  out["DesiredDescription"] = update.desired_description;
  out["ClientStatus"] = update.client_status;
  out["FollowupEvalID"] = update.followup_eval_id;
  return out;
}

Result<AllocStopUpdate> stop_update_from_json(const Json& json, const std::string& path) {
  ObjectReader r(json, path);
  AllocStopUpdate update;
  update.id = r.string("ID");
  update.desired_status = r.string("DesiredStatus");
  update.desired_description = r.string("DesiredDescription");
  update.client_status = r.string("ClientStatus");
  update.followup_eval_id = r.string("FollowupEvalID");
  CARAVAN_RETURN_IF_ERROR(r.status());
  return update;
}

// ------------------------------------------------------------------ encoders

OJson encode(const JobRegister& req) {
  return {{"Job", model::to_json(req.job)}, {"Eval", optional_eval_to_json(req.eval)}};
}
OJson encode(const JobDeregister& req) {
  return {{"Namespace", req.namespace_name},
          {"JobID", req.job_id},
          {"Purge", req.purge},
          {"Eval", optional_eval_to_json(req.eval)},
          {"IfJobModifyIndex", req.if_job_modify_index}};
}
OJson encode(const NodeRegister& req) { return {{"Node", model::to_json(req.node)}}; }
OJson encode(const NodeUpdateStatus& req) {
  return {{"NodeID", req.node_id},
          {"Status", req.status},
          {"NodeEvent", req.event ? internal::node_event_to_json(*req.event) : OJson()},
          {"Evals", evals_to_json(req.evals)}};
}
OJson encode(const NodeUpdateDrain& req) {
  return {{"NodeID", req.node_id},
          {"DrainStrategy", req.drain_strategy ? model::to_json(*req.drain_strategy) : OJson()},
          {"MarkEligible", req.mark_eligible},
          {"DrainComplete", req.drain_complete},
          {"Meta", req.meta},
          {"Evals", evals_to_json(req.evals)}};
}
OJson encode(const NodeUpdateEligibility& req) {
  return {{"NodeID", req.node_id},
          {"Eligibility", req.eligibility},
          {"Evals", evals_to_json(req.evals)}};
}
OJson encode(const EvalUpsert& req) { return {{"Evals", evals_to_json(req.evals)}}; }
OJson encode(const EvalDelete& req) {
  return {{"Evals", req.eval_ids}, {"Allocs", req.alloc_ids}};
}
OJson encode(const AllocDesiredTransition& req) {
  OJson transitions = OJson::object();
  for (const auto& [id, transition] : req.transitions) {
    transitions[id] = internal::desired_transition_to_json(transition);
  }
  return {{"Allocs", std::move(transitions)}, {"Evals", evals_to_json(req.evals)}};
}
OJson encode(const AllocStop& req) {
  return {{"AllocID", req.alloc_id}, {"Eval", model::to_json(req.eval)}};
}
OJson encode(const ServiceRegistrationUpsert& req) {
  return {{"Services", list_to_json(req.services, [](const model::ServiceRegistration& s) {
             return model::to_json(s);
           })}};
}
OJson encode(const ServiceRegistrationDelete& req) {
  return {{"AllocIDs", req.alloc_ids},
          {"Namespace", req.namespace_name},
          {"ServiceName", req.service_name},
          {"ID", req.id}};
}
OJson encode(const DeploymentStatusChange& req) {
  return {{"DeploymentUpdate", model::to_json(req.update)},
          {"Job", req.job ? model::to_json(*req.job) : OJson()},
          {"Eval", optional_eval_to_json(req.eval)}};
}
OJson encode(const DeploymentPromote& req) {
  return {{"DeploymentID", req.deployment_id},
          {"All", req.all},
          {"Groups", req.groups},
          {"Eval", optional_eval_to_json(req.eval)}};
}
OJson encode(const DeploymentAllocHealth& req) {
  return {{"DeploymentID", req.deployment_id},
          {"HealthyAllocationIDs", req.healthy_alloc_ids},
          {"UnhealthyAllocationIDs", req.unhealthy_alloc_ids},
          {"Eval", optional_eval_to_json(req.eval)}};
}
OJson encode(const JobStability& req) {
  return {{"Namespace", req.namespace_name},
          {"JobID", req.job_id},
          {"JobVersion", req.version},
          {"Stable", req.stable}};
}
OJson deployment_updates_to_json(const std::vector<model::DeploymentStatusUpdate>& updates) {
  return list_to_json(updates,
                      [](const model::DeploymentStatusUpdate& u) { return model::to_json(u); });
}

// ------------------------------------------------------------- MessagePack

void write_raw_json(MsgpackWriter& w, const OJson& json) {
  std::vector<uint8_t> bytes;
  OJson::to_msgpack(json, bytes);
  w.raw(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void write_allocs(MsgpackWriter& w, std::string& out, const std::vector<model::Allocation>& allocs) {
  w.array_header(allocs.size());
  for (const model::Allocation& alloc : allocs) internal::append_alloc_msgpack(out, alloc);
}

void write_evals(MsgpackWriter& w, std::string& out, const std::vector<model::Evaluation>& evals) {
  w.array_header(evals.size());
  for (const model::Evaluation& eval : evals) model::append_msgpack(out, eval);
}

// The request's document (what encode() builds), written straight from the
// structs for the two that carry many allocations; the others are small.
template <class T>
void write_request(MsgpackWriter& w, std::string& /*out*/, const T& req) {
  write_raw_json(w, encode(req));
}
void write_request(MsgpackWriter& w, std::string& out, const ApplyPlanResults& req) {
  w.map_header(6);
  w.string("EvalID");
  w.string(req.eval_id);
  w.string("AllocsStopped");
  write_raw_json(w, list_to_json(req.allocs_stopped, stop_update_to_json));
  w.string("AllocsPlaced");
  write_allocs(w, out, req.allocs_placed);
  w.string("Evals");
  write_evals(w, out, req.evals);
  w.string("Deployment");
  if (req.deployment) {
    model::append_msgpack(out, *req.deployment);
  } else {
    w.nil();
  }
  w.string("DeploymentUpdates");
  write_raw_json(w, deployment_updates_to_json(req.deployment_updates));
}
void write_request(MsgpackWriter& w, std::string& out, const AllocClientUpdate& req) {
  w.map_header(2);
  w.string("Allocs");
  write_allocs(w, out, req.allocs);
  w.string("Evals");
  write_evals(w, out, req.evals);
}

// ------------------------------------------------------------------ decoders

template <class T>
T decode(ObjectReader& r);

template <>
JobRegister decode(ObjectReader& r) {
  JobRegister req;
  req.job = r.optional<model::Job>("Job").value_or(model::Job{});
  req.eval = r.optional<model::Evaluation>("Eval");
  return req;
}
template <>
JobDeregister decode(ObjectReader& r) {
  JobDeregister req;
  req.namespace_name = r.string("Namespace");
  req.job_id = r.string("JobID");
  req.purge = r.boolean("Purge");
  req.eval = r.optional<model::Evaluation>("Eval");
  req.if_job_modify_index = r.integer("IfJobModifyIndex");
  return req;
}
template <>
NodeRegister decode(ObjectReader& r) {
  return NodeRegister{r.optional<model::Node>("Node").value_or(model::Node{})};
}
template <>
NodeUpdateStatus decode(ObjectReader& r) {
  NodeUpdateStatus req;
  req.node_id = r.string("NodeID");
  req.status = r.string("Status");
  req.event = r.optional<model::NodeEvent>("NodeEvent", internal::node_event_from_json);
  req.evals = r.list<model::Evaluation>("Evals");
  return req;
}
template <>
NodeUpdateDrain decode(ObjectReader& r) {
  NodeUpdateDrain req;
  req.node_id = r.string("NodeID");
  req.drain_strategy = r.optional<model::DrainStrategy>("DrainStrategy");
  req.mark_eligible = r.boolean("MarkEligible");
  req.drain_complete = r.boolean("DrainComplete");
  if (const nlohmann::json* meta = r.get("Meta"); meta != nullptr && meta->is_object()) {
    for (const auto& [key, value] : meta->items()) {
      if (value.is_string()) req.meta[key] = value.get<std::string>();
    }
  }
  req.evals = r.list<model::Evaluation>("Evals");
  return req;
}
template <>
NodeUpdateEligibility decode(ObjectReader& r) {
  NodeUpdateEligibility req;
  req.node_id = r.string("NodeID");
  req.eligibility = r.string("Eligibility");
  req.evals = r.list<model::Evaluation>("Evals");
  return req;
}
template <>
EvalUpsert decode(ObjectReader& r) {
  return EvalUpsert{r.list<model::Evaluation>("Evals")};
}
template <>
EvalDelete decode(ObjectReader& r) {
  EvalDelete req;
  req.eval_ids = r.strings("Evals");
  req.alloc_ids = r.strings("Allocs");
  return req;
}
template <>
ApplyPlanResults decode(ObjectReader& r) {
  ApplyPlanResults req;
  req.eval_id = r.string("EvalID");
  req.allocs_stopped = r.list<AllocStopUpdate>("AllocsStopped", stop_update_from_json);
  req.allocs_placed = r.list<model::Allocation>("AllocsPlaced", internal::alloc_from_json);
  req.evals = r.list<model::Evaluation>("Evals");
  req.deployment = r.optional<model::Deployment>("Deployment");
  req.deployment_updates = r.list<model::DeploymentStatusUpdate>("DeploymentUpdates");
  return req;
}
template <>
AllocClientUpdate decode(ObjectReader& r) {
  AllocClientUpdate req;
  req.allocs = r.list<model::Allocation>("Allocs", internal::alloc_from_json);
  req.evals = r.list<model::Evaluation>("Evals");
  return req;
}
template <>
AllocDesiredTransition decode(ObjectReader& r) {
  AllocDesiredTransition req;
  if (const Json* allocs = r.get("Allocs")) {
    if (!allocs->is_object()) {
      r.fail_type("Allocs", "an object", *allocs);
    } else {
      for (const auto& [id, json] : allocs->items()) {
        auto transition =
            internal::desired_transition_from_json(json, "AllocDesiredTransition.Allocs." + id);
        if (!transition) {
          r.fail(transition.error());
          break;
        }
        req.transitions[id] = *transition;
      }
    }
  }
  req.evals = r.list<model::Evaluation>("Evals");
  return req;
}
template <>
AllocStop decode(ObjectReader& r) {
  AllocStop req;
  req.alloc_id = r.string("AllocID");
  req.eval = r.optional<model::Evaluation>("Eval").value_or(model::Evaluation{});
  return req;
}

template <>
ServiceRegistrationUpsert decode(ObjectReader& r) {
  return ServiceRegistrationUpsert{r.list<model::ServiceRegistration>("Services")};
}
template <>
ServiceRegistrationDelete decode(ObjectReader& r) {
  ServiceRegistrationDelete req;
  req.alloc_ids = r.strings("AllocIDs");
  req.namespace_name = r.string("Namespace");
  req.service_name = r.string("ServiceName");
  req.id = r.string("ID");
  return req;
}
template <>
DeploymentStatusChange decode(ObjectReader& r) {
  DeploymentStatusChange req;
  req.update = r.optional<model::DeploymentStatusUpdate>("DeploymentUpdate")
                   .value_or(model::DeploymentStatusUpdate{});
  req.job = r.optional<model::Job>("Job");
  req.eval = r.optional<model::Evaluation>("Eval");
  return req;
}
template <>
DeploymentPromote decode(ObjectReader& r) {
  DeploymentPromote req;
  req.deployment_id = r.string("DeploymentID");
  req.all = r.boolean("All");
  req.groups = r.strings("Groups");
  req.eval = r.optional<model::Evaluation>("Eval");
  return req;
}
template <>
DeploymentAllocHealth decode(ObjectReader& r) {
  DeploymentAllocHealth req;
  req.deployment_id = r.string("DeploymentID");
  req.healthy_alloc_ids = r.strings("HealthyAllocationIDs");
  req.unhealthy_alloc_ids = r.strings("UnhealthyAllocationIDs");
  req.eval = r.optional<model::Evaluation>("Eval");
  return req;
}

template <>
JobStability decode(ObjectReader& r) {
  JobStability req;
  req.namespace_name = r.string("Namespace");
  req.job_id = r.string("JobID");
  req.version = r.integer("JobVersion");
  req.stable = r.boolean("Stable");
  return req;
}

// Decodes the request named `type` when it is T's name.
template <class T>
bool try_decode(std::string_view type, const Json& body, Result<LogRequest>& out) {
  if (type != kName<T>) return false;
  ObjectReader reader(body, std::string(kName<T>));
  T req = decode<T>(reader);
  if (!reader.ok()) {
    out = reader.status();
  } else {
    out = LogRequest(std::move(req));
  }
  return true;
}

template <class... Ts>
Result<LogRequest> decode_request(std::string_view type, const Json& body,
                                  const std::variant<Ts...>* /*tag*/) {
  Result<LogRequest> out = invalid_argument(fmt::format("unknown log entry type \"{}\"", type));
  (try_decode<Ts>(type, body, out) || ...);
  return out;
}

}  // namespace

std::string_view log_request_name(const LogRequest& request) {
  return std::visit([](const auto& req) { return kName<std::decay_t<decltype(req)>>; }, request);
}

std::string encode_log_entry(const LogEntry& entry) {
  std::string out;
  MsgpackWriter w(out);
  w.map_header(3);
  w.string("Type");
  w.string(log_request_name(entry.request));
  w.string("Time");
  w.integer(entry.time);
  w.string("Request");
  std::visit([&](const auto& req) { write_request(w, out, req); }, entry.request);
  return out;
}

Result<LogEntry> decode_log_entry(std::string_view data) {
  // MessagePack; logs written before it held JSON text, which starts with '{'.
  bool text = !data.empty() && data.front() == '{';
  Json json = text ? Json::parse(data, nullptr, /*allow_exceptions=*/false)
                   : Json::from_msgpack(data, /*strict=*/true, /*allow_exceptions=*/false);
  if (json.is_discarded()) return invalid_argument("log entry: not valid MessagePack or JSON");
  ObjectReader reader(json, "log entry");
  std::string type = reader.string("Type");
  int64_t time = reader.integer("Time");
  const Json* body = reader.get("Request");
  CARAVAN_RETURN_IF_ERROR(reader.status());
  if (body == nullptr) return invalid_argument("log entry: \"Request\" is missing");
  LogRequest request = CARAVAN_TRY(decode_request(type, *body, static_cast<LogRequest*>(nullptr)));
  return LogEntry{std::move(request), time};
}

}  // namespace caravan::state
