// Following a deployment until it ends, as `job run` does after its evaluation
// and `deployment status -monitor` does: the loop that reads the deployment
// with blocking queries on /v1/deployment/:id and hands each look to
// DeploymentMonitorPrinter (deployment_monitor_printer.h), follows the rollback
// deployment of an auto-reverted failure, and gives the exit code. Leaving it
// (ctrl+c) at any time is safe: it only reads, the deployment goes on.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "cli/api_client.h"
#include "cli/command.h"

namespace caravan::cli {

struct DeploymentMonitorOptions {
  size_t id_length = 8;  // 36 with -verbose
  // Redraw a live block (see DeploymentPrinterOptions::tty); output_is_terminal(io).
  bool tty = false;
  // Longest blocking query in plain mode; a terminal redraws every second.
  std::chrono::seconds wait{30};
  // How long the rollback announced by a failed deployment may take to start
  // its own deployment before the monitor gives up on it.
  std::chrono::seconds rollback_wait{15};
};

// True when io.out is the process's standard output and that is a terminal
// (tests pass string streams: never a terminal).
bool output_is_terminal(const CommandIo& io);

// The deployment a registration started, to monitor after its evaluation
// `eval_id` finished: the evaluation's DeploymentID when the scheduler set
// one, else the job's latest deployment when it was created for this
// registration (its JobModifyIndex is `job_modify_index` and it is not older
// than the evaluation, created at `eval_create_index`). nullopt when the job
// has no deployment (no update block, batch and system jobs, nothing changed)
// or the agent could not tell.
std::optional<std::string> registered_deployment(ApiClient& api, const std::string& eval_id,
                                                 const std::string& job_id,
                                                 int64_t job_modify_index,
                                                 int64_t eval_create_index);

// Monitors deployment `deployment_id` until it is terminal, printing to io.out
// (nomad's "==> <time>: Monitoring deployment ..." first). A failed deployment
// that rolls back is followed by the rollback's deployment. While healthy
// canaries wait for manual promotion the monitor waits until the groups'
// progress deadline, and at least one progress_deadline (10 minutes without
// one) after it began waiting, then stops watching.
// Returns the exit code, as nomad: 0 when the deployment succeeded (or was
// left waiting for promotion), 1 when it failed (even if its rollback
// succeeded), was cancelled or could not be read (the error on io.err).
int monitor_deployment(ApiClient& api, std::string deployment_id, CommandIo& io,
                       const DeploymentMonitorOptions& options = {});

}  // namespace caravan::cli
