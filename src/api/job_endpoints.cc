// /v1/jobs, /v1/jobs/parse, /v1/validate/job and /v1/job/:id[/...]: Nomad's job
// endpoints. Job bodies go through jobspec (the same defaults and validation
// as job files), so a bad job is a 400 naming the field.
#include <fmt/format.h>

#include "api/query.h"
#include "core/temp_file.h"
#include "api/routes.h"
#include "api/stubs.h"
#include "jobspec/jobspec.h"
#include "model/job_diff.h"
#include "model/job_json.h"
#include "model/model_json.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

// Decodes, defaults and validates the "Job" of a request body.
Result<model::Job> job_from_body(const nlohmann::json& body) {
  auto job = body.find("Job");
  if (job == body.end() || !job->is_object()) {
    return invalid_argument("the request body has no \"Job\" object");
  }
  jobspec::ParseOptions options;
  options.env = std::map<std::string, std::string>{};  // never the agent's environment
  jobspec::ParseResult parsed = jobspec::parse_job(job->dump(), "request body", options);
  return parsed.to_result();
}

bool matches(const std::string& ns, const QueryOptions& q) {
  return q.namespace_name == "*" || q.namespace_name == ns;
}

// Answers a write with Nomad's register/deregister response.
Json register_response(const server::RegisterJobResult& r) {
  return Json{{"EvalID", r.eval_id},
              {"EvalCreateIndex", r.eval_create_index},
              {"JobModifyIndex", r.job_modify_index},
              {"Warnings", r.warnings},
              {"Index", r.index},
              {"LastContact", 0},
              {"KnownLeader", true}};
}

http::Response register_job(server::Server& server, const http::Request& request,
                            std::string_view path_id) {
  Result<nlohmann::json> body = parse_body(request);
  if (!body) return http::error_response(body.error());
  Result<model::Job> job = job_from_body(*body);
  if (!job) return http::error_response(job.error());
  if (!path_id.empty() && job->id != path_id) {
    return http::error_response(400, fmt::format("Job ID \"{}\" does not match the path \"{}\"",
                                                 job->id, path_id));
  }
  std::optional<int64_t> enforce;
  if (body->value("EnforceIndex", false)) enforce = body->value("JobModifyIndex", int64_t{0});
  Result<server::RegisterJobResult> result = server.register_job(std::move(*job), enforce);
  if (!result) return http::error_response(result.error());
  return json_with_index(register_response(*result), result->index);
}

Result<state::JobPtr> find_job(const state::StateView& state, const QueryOptions& q,
                               std::string_view id) {
  state::JobPtr job = state.job(q.namespace_name == "*" ? "default" : q.namespace_name, id);
  if (!job) return not_found("job not found");
  return job;
}

}  // namespace

void add_job_routes(http::Router& router, const ApiContext& context) {
  server::Server* server = context.server;
  if (server == nullptr) return;
  state::StateStore& store = server->state();

  router.add("GET", "/v1/jobs", [&store](const http::Request& request, const http::RouteParams&) {
    return blocking_read(request, store, state::Table::kJobs,
                         [](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::JobPtr& job : state.jobs("")) {
                             if (!matches(job->namespace_name, q) || !job->id.starts_with(q.prefix)) continue;
                             out.push_back(job_list_stub(state, *job));
                           }
                           return out;
                         });
  });
  for (const char* method : {"POST", "PUT"}) {
    router.add(method, "/v1/jobs", [server](const http::Request& request, const http::RouteParams&) {
      return register_job(*server, request, "");
    });
    router.add(method, "/v1/job/:id", [server](const http::Request& request, const http::RouteParams& p) {
      return register_job(*server, request, p.get("id"));
    });
    router.add(method, "/v1/jobs/parse", [](const http::Request& request, const http::RouteParams&) {
      Result<nlohmann::json> body = parse_body(request);
      if (!body) return http::error_response(body.error());
      if (!body->contains("JobHCL") || !(*body)["JobHCL"].is_string()) {
        return http::error_response(400, "the request body has no \"JobHCL\" string");
      }
      jobspec::ParseOptions options;
      options.env = std::map<std::string, std::string>{};
      // "Variables" holds a var-file's text ("name = value" lines).
      std::optional<TempFile> var_file;
      std::string variables = body->value("Variables", std::string());
      if (!variables.empty()) {
        Result<TempFile> written = TempFile::create("caravan-vars", variables);
        if (!written) return http::error_response(written.error());
        var_file.emplace(std::move(*written));
        options.var_files.push_back(var_file->path());
      }
      jobspec::ParseResult parsed =
          jobspec::parse_job((*body)["JobHCL"].get<std::string>(), "JobHCL", options);
      if (!parsed.ok()) return http::error_response(400, parsed.format_diagnostics());
      return http::json_response(200, model::encode_job(*parsed.job));
    });
    router.add(method, "/v1/validate/job", [](const http::Request& request, const http::RouteParams&) {
      Result<nlohmann::json> body = parse_body(request);
      if (!body) return http::error_response(body.error());
      Result<model::Job> job = job_from_body(*body);
      Json errors = Json::array();
      if (!job) errors.push_back(job.error().to_string());
      Json out{{"DriverConfigValidated", true},
               {"ValidationErrors", errors.empty() ? Json() : errors},
               {"Error", job ? "" : job.error().to_string()},
               {"Warnings", ""}};
      return http::json_response(200, out.dump());
    });
    router.add(method, "/v1/job/:id/plan", [server](const http::Request& request, const http::RouteParams& p) {
      Result<nlohmann::json> body = parse_body(request);
      if (!body) return http::error_response(body.error());
      Result<model::Job> job = job_from_body(*body);
      if (!job) return http::error_response(job.error());
      if (job->id != p.get("id")) {
        return http::error_response(400, fmt::format("Job ID \"{}\" does not match the path", job->id));
      }
      bool diff = body->value("Diff", false);
      Result<server::PlanJobResult> plan = server->plan_job(*job, diff, body->value("Contextual", false));
      if (!plan) return http::error_response(plan.error());
      Json failed = Json();
      if (!plan->failed_tg_allocs.empty()) {
        failed = Json::object();
        for (const auto& [group, metric] : plan->failed_tg_allocs) failed[group] = model::to_json(metric);
      }
      Json created = Json();
      if (!plan->created_evals.empty()) {
        created = Json::array();
        for (const model::Evaluation& e : plan->created_evals) created.push_back(model::to_json(e));
      }
      Json out{{"Index", plan->index},
               {"NextPeriodicLaunch", "0001-01-01T00:00:00Z"},
               {"Warnings", ""},
               {"Diff", plan->diff ? model::to_json(*plan->diff) : Json()},
               {"Annotations", model::to_json(plan->annotations)},
               {"FailedTGAllocs", failed},
               {"JobModifyIndex", plan->job_modify_index},
               {"CreatedEvals", created}};
      return json_with_index(out, plan->index);
    });
    router.add(method, "/v1/job/:id/evaluate", [server](const http::Request& request, const http::RouteParams& p) {
      Result<QueryOptions> q = parse_query_options(request);
      if (!q) return http::error_response(q.error());
      Result<std::string> eval = server->evaluate_job(q->namespace_name, std::string(p.get("id")),
                                                      model::kEvalTriggerJobRegister);
      if (!eval) return http::error_response(eval.error());
      return json_with_index(Json{{"EvalID", *eval}}, server->state().index());
    });
  }
  router.add("DELETE", "/v1/job/:id", [server](const http::Request& request, const http::RouteParams& p) {
    Result<QueryOptions> q = parse_query_options(request);
    if (!q) return http::error_response(q.error());
    bool purge = request.query("purge").value_or("false") == "true";
    Result<server::RegisterJobResult> result =
        server->deregister_job(q->namespace_name, std::string(p.get("id")), purge);
    if (!result) return http::error_response(result.error());
    return json_with_index(register_response(*result), result->index);
  });
  router.add("GET", "/v1/job/:id", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kJobs,
                         [id](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           state::JobPtr job = CARAVAN_TRY(find_job(state, q, id));
                           return model::to_json(*job);
                         });
  });
  router.add("GET", "/v1/job/:id/summary", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kAllocs,
                         [id](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           state::JobPtr job = CARAVAN_TRY(find_job(state, q, id));
                           return job_summary(state, *job);
                         });
  });
  router.add("GET", "/v1/job/:id/allocations", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kAllocs,
                         [id](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           std::string ns = q.namespace_name == "*" ? "default" : q.namespace_name;
                           for (const state::AllocPtr& alloc : state.allocs_by_job(ns, id)) {
                             out.push_back(alloc_list_stub(*alloc));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/job/:id/evaluations", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kEvals,
                         [id](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           std::string ns = q.namespace_name == "*" ? "default" : q.namespace_name;
                           for (const state::EvalPtr& eval : state.evals_by_job(ns, id)) {
                             out.push_back(model::to_json(*eval));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/job/:id/versions", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    bool diffs = request.query("diffs").value_or("false") == "true";
    return blocking_read(request, store, state::Table::kJobVersions,
                         [id, diffs](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           std::string ns = q.namespace_name == "*" ? "default" : q.namespace_name;
                           std::vector<state::JobPtr> versions = state.job_versions(ns, id);
                           if (versions.empty()) return not_found("job not found");
                           Json out_versions = Json::array();
                           Json out_diffs = Json::array();
                           for (size_t i = 0; i < versions.size(); ++i) {
                             out_versions.push_back(model::to_json(*versions[i]));
                             // Newest first: each version against the one before it.
                             if (diffs && i + 1 < versions.size()) {
                               out_diffs.push_back(model::to_json(
                                   model::diff_jobs(versions[i + 1].get(), versions[i].get())));
                             }
                           }
                           return Json{{"Versions", out_versions},
                                       {"Diffs", diffs ? out_diffs : Json()}};
                         });
  });
}

}  // namespace caravan::api
