// The on-disk layout of an allocation, as Nomad builds it:
//   <data_dir>/alloc/<alloc_id>/alloc/{logs,tmp,data}   shared by the group's tasks
//   <data_dir>/alloc/<alloc_id>/<task>/{local,secrets,tmp}
// The alloc runner creates it before any task starts and destroys it on GC; the
// task env, templates, artifacts and log rotation take their paths from here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caravan::client {

// Paths of one allocation's directory tree. A plain value: building one touches
// no files; create_alloc_dir / create_task_dir / destroy_alloc_dir do.
class AllocDir {
 public:
  // The tree of `alloc_id` under `data_dir`. Errors: InvalidArgument when the
  // id is empty or is not a single path component ("/" or "..").
  static Result<AllocDir> under(std::string_view data_dir, std::string_view alloc_id);

  const std::string& root() const { return root_; }            // <data_dir>/alloc/<id>
  std::string shared_dir() const { return root_ + "/alloc"; }  // NOMAD_ALLOC_DIR
  std::string logs_dir() const { return root_ + "/alloc/logs"; }
  std::string shared_tmp_dir() const { return root_ + "/alloc/tmp"; }
  std::string shared_data_dir() const { return root_ + "/alloc/data"; }

  // Per-task directories. The caller validates names with create_task_dir (or
  // check_task_name) before trusting these paths.
  std::string task_dir(std::string_view task) const;          // the task's working dir
  std::string task_local_dir(std::string_view task) const;    // NOMAD_TASK_DIR
  std::string task_secrets_dir(std::string_view task) const;  // NOMAD_SECRETS_DIR
  std::string task_tmp_dir(std::string_view task) const;

  // `path` made absolute against `base` (when relative) and normalised, if it
  // stays inside root(). Lexical only: symlinks inside the tree are not resolved.
  // Errors: InvalidArgument "... escapes the allocation directory ...".
  Result<std::string> resolve_inside(std::string_view base, std::string_view path) const;

 private:
  explicit AllocDir(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

// InvalidArgument unless `name` is usable as one path component (task names
// become directory names).
Status check_task_name(std::string_view name);

// Creates the shared alloc/{logs,tmp,data} (mode 0777 so tasks running as any
// `user` can write, as Nomad does) and each task's directories.
Status create_alloc_dir(const AllocDir& dir, const std::vector<std::string>& tasks);

// Creates <task>/{local,tmp} (0777) and <task>/secrets (0700). Nomad mounts a
// tmpfs on secrets for exec/java so secrets never touch disk; here it is a plain
// directory for now (TODO(client): tmpfs once the exec driver can mount).
Status create_task_dir(const AllocDir& dir, std::string_view task);

// Removes the whole tree. Succeeds when it is already gone.
Status destroy_alloc_dir(const AllocDir& dir);

}  // namespace caravan::client
