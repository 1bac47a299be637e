// Decoding of `service` blocks (group or task level) with their `check`,
// `check_restart`, `connect` (kept as JSON) and `identity` blocks.
#include "jobspec/internal/decode.h"

namespace caravan::jobspec::internal {
namespace {

const Schema& service_schema() {
  static const Schema kSchema{
      .attributes = {"name", "port", "tags", "canary_tags", "enable_tag_override", "address_mode",
                     "address", "task", "provider", "cluster", "on_update"},
      .blocks = {{.type = "check"},
                 {.type = "check_restart", .single = true},
                 {.type = "connect", .single = true},
                 {.type = "identity", .single = true}},
      .maps = {"meta", "canary_meta", "tagged_addresses"},
  };
  return kSchema;
}

const Schema& check_schema() {
  static const Schema kSchema{
      .attributes = {"name",
                     "type",
                     "command",
                     "args",
                     "path",
                     "protocol",
                     "port",
                     "expose",
                     "address_mode",
                     "advertise",
                     "interval",
                     "timeout",
                     "initial_status",
                     "notes",
                     "tls_server_name",
                     "tls_skip_verify",
                     "method",
                     "body",
                     "grpc_service",
                     "grpc_use_tls",
                     "task",
                     "success_before_passing",
                     "failures_before_critical",
                     "failures_before_warning",
                     "on_update"},
      .blocks = {{.type = "check_restart", .single = true}},
      .maps = {"header"},
  };
  return kSchema;
}

const Schema& check_restart_schema() {
  static const Schema kSchema{.attributes = {"limit", "grace", "ignore_warnings"}};
  return kSchema;
}

model::CheckRestart decode_check_restart(const hcl::Block& block, const DecodeContext& ctx,
                                         const std::string& path) {
  BodyDecoder d = ctx.open(block, check_restart_schema(), path);
  model::CheckRestart out;
  d.read("limit", "Limit", &out.limit);
  d.read("grace", "Grace", &out.grace);
  d.read("ignore_warnings", "IgnoreWarnings", &out.ignore_warnings);
  return out;
}

void decode_check(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                  model::ServiceCheck* out) {
  BodyDecoder d = ctx.open(block, check_schema(), path);
  d.read("name", "Name", &out->name);
  d.read("type", "Type", &out->type);
  d.read("command", "Command", &out->command);
  d.read("args", "Args", &out->args);
  d.read("path", "Path", &out->path);
  d.read("protocol", "Protocol", &out->protocol);
  d.read("port", "PortLabel", &out->port_label);
  d.read("expose", "Expose", &out->expose);
  d.read("address_mode", "AddressMode", &out->address_mode);
  d.read("advertise", "Advertise", &out->advertise);
  d.read("interval", "Interval", &out->interval);
  d.read("timeout", "Timeout", &out->timeout);
  d.read("initial_status", "InitialStatus", &out->initial_status);
  d.read("notes", "Notes", &out->notes);
  d.read("tls_server_name", "TLSServerName", &out->tls_server_name);
  d.read("tls_skip_verify", "TLSSkipVerify", &out->tls_skip_verify);
  d.read("method", "Method", &out->method);
  d.read("header", "Header", &out->header);
  d.read("body", "Body", &out->body);
  d.read("grpc_service", "GRPCService", &out->grpc_service);
  d.read("grpc_use_tls", "GRPCUseTLS", &out->grpc_use_tls);
  d.read("task", "TaskName", &out->task_name);
  d.read("success_before_passing", "SuccessBeforePassing", &out->success_before_passing);
  d.read("failures_before_critical", "FailuresBeforeCritical", &out->failures_before_critical);
  d.read("failures_before_warning", "FailuresBeforeWarning", &out->failures_before_warning);
  d.read("on_update", "OnUpdate", &out->on_update);
  if (const hcl::Block* b = d.block("check_restart")) {
    out->check_restart = decode_check_restart(*b, ctx, d.child_path("CheckRestart"));
  }
}

}  // namespace

void decode_service(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::Service* out) {
  BodyDecoder d = ctx.open(block, service_schema(), path);
  d.read("name", "Name", &out->name);
  d.read("port", "PortLabel", &out->port_label);
  d.read("tags", "Tags", &out->tags);
  d.read("canary_tags", "CanaryTags", &out->canary_tags);
  d.read("enable_tag_override", "EnableTagOverride", &out->enable_tag_override);
  d.read("address_mode", "AddressMode", &out->address_mode);
  d.read("address", "Address", &out->address);
  d.read("task", "TaskName", &out->task_name);
  d.read("provider", "Provider", &out->provider);
  d.read("cluster", "Cluster", &out->cluster);
  d.read("on_update", "OnUpdate", &out->on_update);
  d.read("meta", "Meta", &out->meta);
  d.read("canary_meta", "CanaryMeta", &out->canary_meta);
  d.read("tagged_addresses", "TaggedAddresses", &out->tagged_addresses);
  std::string checks = d.child_path("Checks");
  for (const hcl::Block* b : d.blocks("check")) {
    model::ServiceCheck check;
    decode_check(*b, ctx, index_path(checks, out->checks.size()), &check);
    out->checks.push_back(std::move(check));
  }
  if (const hcl::Block* b = d.block("check_restart")) {
    out->check_restart = decode_check_restart(*b, ctx, d.child_path("CheckRestart"));
  }
  if (const hcl::Block* b = d.block("connect")) {
    out->connect = decode_free_form(*b, ctx, d.child_path("Connect"), /*api_keys=*/true);
  }
  if (const hcl::Block* b = d.block("identity")) {
    out->identity = decode_free_form(*b, ctx, d.child_path("Identity"), /*api_keys=*/true);
  }
}

}  // namespace caravan::jobspec::internal
