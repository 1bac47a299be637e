#include "client/alloc_dir.h"

#include <filesystem>
#include <system_error>

#include "client/internal/files.h"

namespace caravan::client {

namespace {

bool is_single_component(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

}  // namespace

Status check_task_name(std::string_view name) {
  if (is_single_component(name)) return Status::ok();
  return invalid_argument("task name \"" + std::string(name) +
                          "\" cannot be used as a directory name: it must be non-empty and "
                          "contain no \"/\" and not be \".\" or \"..\"");
}

Result<AllocDir> AllocDir::under(std::string_view data_dir, std::string_view alloc_id) {
  if (!is_single_component(alloc_id)) {
    return invalid_argument("allocation id \"" + std::string(alloc_id) +
                            "\" cannot be used as a directory name");
  }
  if (data_dir.empty()) return invalid_argument("the client data dir is not set");
  std::filesystem::path root = std::filesystem::path(data_dir) / "alloc" / alloc_id;
  return AllocDir(root.lexically_normal().string());
}

std::string AllocDir::task_dir(std::string_view task) const {
  return root_ + "/" + std::string(task);
}
std::string AllocDir::task_local_dir(std::string_view task) const {
  return task_dir(task) + "/local";
}
std::string AllocDir::task_secrets_dir(std::string_view task) const {
  return task_dir(task) + "/secrets";
}
std::string AllocDir::task_tmp_dir(std::string_view task) const { return task_dir(task) + "/tmp"; }

Result<std::string> AllocDir::resolve_inside(std::string_view base, std::string_view path) const {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(base) / p;
  std::string normal = p.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  if (normal == root_ || normal.starts_with(root_ + "/")) return normal;
  return invalid_argument("path \"" + std::string(path) + "\" escapes the allocation directory " +
                          root_ + " (it resolves to " + normal +
                          "); use a path relative to the task directory that stays inside it");
}

Status create_alloc_dir(const AllocDir& dir, const std::vector<std::string>& tasks) {
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(dir.root(), 0755));
  for (const std::string& sub :
       {dir.shared_dir(), dir.logs_dir(), dir.shared_tmp_dir(), dir.shared_data_dir()}) {
    CARAVAN_RETURN_IF_ERROR(internal::make_dir(sub, 0777));
  }
  for (const std::string& task : tasks) CARAVAN_RETURN_IF_ERROR(create_task_dir(dir, task));
  return Status::ok();
}

Status create_task_dir(const AllocDir& dir, std::string_view task) {
  CARAVAN_RETURN_IF_ERROR(check_task_name(task));
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(dir.task_dir(task), 0777));
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(dir.task_local_dir(task), 0777));
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(dir.task_tmp_dir(task), 0777));
  return internal::make_dir(dir.task_secrets_dir(task), 0700);
}

Status destroy_alloc_dir(const AllocDir& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir.root(), ec);
  if (ec)
    return internal_error("cannot remove allocation directory " + dir.root() + ": " + ec.message());
  return Status::ok();
}

}  // namespace caravan::client
