#include "client/artifact.h"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <system_error>

#include "client/internal/archive.h"
#include "client/internal/digest.h"
#include "client/internal/files.h"
#include "client/internal/http_get.h"
#include "client/internal/run_command.h"
#include "core/strings.h"
#include "core/uuid.h"

namespace caravan::client {

namespace {

namespace fs = std::filesystem;

// The artifact block with every string interpolated and defaults applied.
struct Request {
  std::string source;
  std::map<std::string, std::string> headers;
  std::string checksum;  // "type:hex" or ""
  std::string archive;   // "" (by extension), "false", or a type
  std::string mode;      // any, file, dir
  std::string dest;      // absolute, inside the alloc dir
};

// A staging directory inside the task dir, removed with everything in it.
class StagingDir {
 public:
  explicit StagingDir(std::string path) : path_(std::move(path)) {}
  ~StagingDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<Request> prepare(const model::TaskArtifact& artifact, const TaskEnv& env) {
  Request req;
  req.source = env.interpolate(artifact.getter_source);
  if (req.source.empty()) return invalid_argument("source is required");
  for (const auto& [k, v] : artifact.getter_headers) req.headers[k] = env.interpolate(v);
  for (const auto& [k, v] : artifact.getter_options) {
    if (k == "checksum") {
      req.checksum = env.interpolate(v);
    } else if (k == "archive") {
      req.archive = env.interpolate(v);
      if (req.archive != "false" && !internal::is_archive_type(req.archive)) {
        return invalid_argument("option archive = \"" + req.archive +
                                "\" is not one of false, "
                                "tar, tar.gz, tar.bz2, tar.xz, zip");
      }
    } else {
      return invalid_argument("option \"" + k +
                              "\" is not supported (supported: checksum, "
                              "archive)");
    }
  }
  req.mode = artifact.getter_mode.empty() ? "any" : artifact.getter_mode;
  if (req.mode != "any" && req.mode != "file" && req.mode != "dir") {
    return invalid_argument("mode \"" + req.mode + "\" must be any, file or dir");
  }
  std::string dest = artifact.relative_dest.empty() ? "local/" : artifact.relative_dest;
  req.dest = CARAVAN_TRY(env.client_path(dest));
  return req;
}

// The file name a download is saved under: the last path segment of the URL.
std::string download_name(std::string_view url) {
  std::string_view path = url.substr(0, url.find_first_of("?#"));
  size_t scheme = path.find("://");
  if (scheme != std::string_view::npos) {
    path.remove_prefix(scheme + 3);
    size_t slash = path.find('/');
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  std::string name = fs::path(path).filename().string();
  return name.empty() || name == "." || name == ".." ? "download" : name;
}

Status download(const Request& req, const std::string& file, const ArtifactOptions& options) {
  std::string curl = internal::find_executable({options.curl_path});
  if (!curl.empty()) {
    std::vector<std::string> argv = {curl,         "-fsSL",
                                     "--proto",    "=http,https",
                                     "--max-time", std::to_string(options.timeout.count()),
                                     "-o",         file};
    for (const auto& [k, v] : req.headers) {
      argv.push_back("-H");
      argv.push_back(k + ": " + v);
    }
    argv.push_back("--");
    argv.push_back(req.source);
    internal::CommandResult result = CARAVAN_TRY(internal::run_command(argv));
    if (result.exit_code != 0) {
      return unavailable("download failed: curl exited with " + std::to_string(result.exit_code) +
                         ": " + std::string(trim(result.output)));
    }
    return Status::ok();
  }
  if (req.source.starts_with("https://")) {
    return failed_precondition("https downloads need curl at " + options.curl_path +
                               "; install curl (apt-get install curl)");
  }
  internal::HttpGetOptions get;
  get.headers = req.headers;
  get.timeout = options.timeout;
  return internal::http_get_to_file(req.source, file, get);
}

Status verify_checksum(const std::string& spec, const std::string& file) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos) {
    return invalid_argument("checksum \"" + spec + "\" must look like \"sha256:<hex digest>\"");
  }
  std::string type = spec.substr(0, colon);
  std::string expected = spec.substr(colon + 1);
  for (char& c : expected) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string actual = CARAVAN_TRY(internal::file_digest_hex(file, type));
  if (actual != expected) {
    return invalid_argument("checksum mismatch: expected " + type + " " + expected + ", got " +
                            actual);
  }
  return Status::ok();
}

Status copy_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (!ec) {
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  }
  if (ec)
    return internal_error("cannot copy " + from.string() + " to " + to.string() + ": " +
                          ec.message());
  return Status::ok();
}

Status move_file(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::create_directories(fs::path(to).parent_path(), ec);
  if (!ec) fs::rename(from, to, ec);
  if (ec) return internal_error("cannot move " + from + " to " + to + ": " + ec.message());
  return Status::ok();
}

// Puts the fetched file where the mode says: unpacked into dest, copied into
// dest/<name>, or (mode file) at dest itself.
Status place_file(const Request& req, const std::string& file, const std::string& name,
                  const ArtifactOptions& options) {
  if (req.mode == "file") return move_file(file, req.dest);
  std::string type = req.archive.empty()      ? internal::archive_type_for(name)
                     : req.archive == "false" ? ""
                                              : req.archive;
  if (type.empty()) {
    if (req.mode == "dir") {
      return invalid_argument("mode \"dir\" needs an archive or a directory, and \"" + name +
                              "\" is neither; use mode \"any\" or \"file\"");
    }
    return move_file(file, req.dest + "/" + name);
  }
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(req.dest, 0755));
  return internal::unpack_archive(file, type, req.dest, options.tar_path, options.unzip_path);
}

Status fetch(const model::TaskArtifact& artifact, const TaskEnv& env,
             const ArtifactOptions& options) {
  Request req = CARAVAN_TRY(prepare(artifact, env));
  std::string_view source = req.source;
  bool remote = source.starts_with("http://") || source.starts_with("https://");
  bool file_url = source.starts_with("file://");
  if (!remote && (source.find("::") != std::string_view::npos ||
                  (!file_url && source.find("://") != std::string_view::npos))) {
    return invalid_argument(
        "this source type is not supported yet (supported: http://, "
        "https://, file:// and local paths)");
  }

  StagingDir staging(env.alloc_dir().task_tmp_dir(env.task()) + "/artifact-" +
                     generate_uuid().substr(0, 8));
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(staging.path(), 0700));
  std::string name = download_name(req.source);
  std::string file = staging.path() + "/" + name;

  if (remote) {
    CARAVAN_RETURN_IF_ERROR(download(req, file, options));
  } else {
    std::string local(file_url ? source.substr(7) : source);
    if (fs::path(local).is_relative()) local = CARAVAN_TRY(env.client_path(local));
    std::error_code ec;
    fs::file_status st = fs::status(local, ec);
    if (ec || !fs::exists(st)) return not_found("local source " + local + " does not exist");
    if (fs::is_directory(st)) {
      if (req.mode == "file") {
        return invalid_argument("mode \"file\" needs a file, and " + local + " is a directory");
      }
      if (!req.checksum.empty()) return invalid_argument("a checksum cannot apply to a directory");
      return copy_tree(local, req.dest);
    }
    name = fs::path(local).filename().string();
    file = staging.path() + "/" + name;
    fs::copy_file(local, file, ec);
    if (ec) return internal_error("cannot copy " + local + ": " + ec.message());
  }
  if (!req.checksum.empty()) CARAVAN_RETURN_IF_ERROR(verify_checksum(req.checksum, file));
  return place_file(req, file, name, options);
}

}  // namespace

Status fetch_artifact(const model::TaskArtifact& artifact, const TaskEnv& env,
                      const ArtifactOptions& options) {
  Status st = fetch(artifact, env, options);
  if (st.is_ok()) return st;
  return Status(st.code(), "artifact \"" + artifact.getter_source + "\": " + st.message());
}

Status fetch_artifacts(const std::vector<model::TaskArtifact>& artifacts, const TaskEnv& env,
                       const ArtifactOptions& options) {
  for (const model::TaskArtifact& artifact : artifacts) {
    CARAVAN_RETURN_IF_ERROR(fetch_artifact(artifact, env, options));
  }
  return Status::ok();
}

}  // namespace caravan::client
