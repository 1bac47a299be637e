#include "client/local_state.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

#include "client/internal/files.h"
#include "model/model_json.h"

namespace caravan::client {
namespace {

constexpr std::string_view kTaskPrefix = "task-";
constexpr std::string_view kJsonSuffix = ".json";

Result<nlohmann::json> parse_file(const std::string& path) {
  std::string text = CARAVAN_TRY(internal::read_file(path));
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return invalid_argument(path + " is not valid JSON");
  return json;
}

Result<SavedTask> read_task(const std::string& path) {
  nlohmann::json json = CARAVAN_TRY(parse_file(path));
  SavedTask saved;
  saved.state = CARAVAN_TRY(model::from_json<model::TaskState>(json["State"], "State"));
  const nlohmann::json& handle = json["Handle"];
  if (handle.is_string()) saved.handle_json = handle.get<std::string>();
  return saved;
}

}  // namespace

Result<LocalState> LocalState::open(const std::string& data_dir) {
  std::string dir = data_dir + "/client/allocs";
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(dir, 0700));
  return LocalState(std::move(dir));
}

Status LocalState::put_alloc(const model::Allocation& alloc) const {
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(alloc_dir(alloc.id), 0700));
  return internal::write_file_atomic(alloc_dir(alloc.id) + "/alloc.json",
                                     model::to_json(alloc).dump(), 0600);
}

Status LocalState::put_task(const std::string& alloc_id, const std::string& task,
                            const SavedTask& saved) const {
  nlohmann::ordered_json json;
  json["State"] = model::to_json(saved.state);
  json["Handle"] = saved.handle_json ? nlohmann::ordered_json(*saved.handle_json) : nullptr;
  return internal::write_file_atomic(
      alloc_dir(alloc_id) + "/" + std::string(kTaskPrefix) + task + std::string(kJsonSuffix),
      json.dump(), 0600);
}

Status LocalState::remove_alloc(const std::string& alloc_id) const {
  std::error_code ec;
  std::filesystem::remove_all(alloc_dir(alloc_id), ec);
  if (ec) return internal_error("cannot remove " + alloc_dir(alloc_id) + ": " + ec.message());
  return Status::ok();
}

std::vector<SavedAlloc> LocalState::load_all(std::vector<std::string>& warnings) const {
  std::vector<SavedAlloc> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (!entry.is_directory()) continue;
    std::string path = entry.path().string();
    Result<nlohmann::json> json = parse_file(path + "/alloc.json");
    if (!json) {
      warnings.push_back("skipping saved allocation " + path + ": " + json.error().message());
      continue;
    }
    Result<model::Allocation> alloc = model::from_json<model::Allocation>(*json, "Allocation");
    if (!alloc) {
      warnings.push_back("skipping saved allocation " + path + ": " + alloc.error().message());
      continue;
    }
    SavedAlloc saved{std::move(*alloc), {}};
    for (const auto& file : std::filesystem::directory_iterator(path, ec)) {
      std::string name = file.path().filename().string();
      if (!name.starts_with(kTaskPrefix) || !name.ends_with(kJsonSuffix)) continue;
      std::string task =
          name.substr(kTaskPrefix.size(), name.size() - kTaskPrefix.size() - kJsonSuffix.size());
      Result<SavedTask> task_state = read_task(file.path().string());
      if (!task_state) {
        warnings.push_back("ignoring saved task " + file.path().string() + ": " +
                           task_state.error().message());
        continue;
      }
      saved.tasks.emplace(std::move(task), std::move(*task_state));
    }
    out.push_back(std::move(saved));
  }
  if (ec) warnings.push_back("cannot list " + dir_ + ": " + ec.message());
  return out;
}

}  // namespace caravan::client
