// Fetches a task's `artifact` blocks into its directory before it starts
// (Nomad's artifact hook, go-getter's common cases): http(s) URLs, file:// URLs
// and local paths; `destination` (default "local/"), `mode` any/file/dir,
// unpacking of .tar, .tar.gz/.tgz, .tar.bz2/.tbz2, .tar.xz/.txz and .zip, and
// `options { checksum = "sha256:..." }`. See docs/client/artifacts.md.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "client/task_env.h"
#include "core/status.h"
#include "model/job.h"

namespace caravan::client {

// Where the helper programs are. http(s) downloads use curl when `curl_path` is
// executable (redirects, proxies from the environment, TLS); otherwise http://
// uses a built-in HTTP/1.1 client and https:// fails with a message saying to
// install curl. Archives are unpacked with tar and unzip.
struct ArtifactOptions {
  std::string curl_path = "/usr/bin/curl";
  std::string tar_path = "/usr/bin/tar";
  std::string unzip_path = "/usr/bin/unzip";
  std::chrono::seconds timeout{30 * 60};  // per download
};

// Fetches one artifact for the task `env` belongs to. The source, header and
// option values are interpolated (`${NOMAD_*}`, `${attr.*}`); the destination
// goes through TaskEnv::client_path and must stay inside the allocation dir.
// Relative local sources are relative to the task dir; absolute ones are read
// as they are (the client trusts its job submitters, as Nomad without the
// artifact sandbox does). The checksum covers the downloaded file, before
// unpacking. Supported options: checksum, archive ("false" or a type such as
// "tar.gz"). Errors name the source: `artifact "http://…/app.tgz": checksum
// mismatch: ...`: InvalidArgument (bad source, mode, option, escaping path,
// checksum), NotFound (local source missing), Unavailable (download failed),
// FailedPrecondition (curl/tar/unzip missing), Internal (local I/O).
Status fetch_artifact(const model::TaskArtifact& artifact, const TaskEnv& env,
                      const ArtifactOptions& options = {});

// fetch_artifact for each block in order; stops at the first error.
Status fetch_artifacts(const std::vector<model::TaskArtifact>& artifacts, const TaskEnv& env,
                       const ArtifactOptions& options = {});

}  // namespace caravan::client
