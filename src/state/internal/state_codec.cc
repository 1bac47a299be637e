#include "state/internal/state_codec.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "model/model_json.h"
#include "state/internal/json_reader.h"
#include "state/internal/record_json.h"

namespace caravan::state::internal {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

constexpr int64_t kFormat = 1;

enum class Kind : uint8_t {
  kHeader = 1,
  kJobVersion = 2,
  kAllocJob = 3,  // a job version an allocation runs that the versions table no longer keeps
  kJob = 4,
  kNode = 5,
  kEval = 6,
  kAlloc = 7,
  kService = 8,       // a catalog instance
  kServiceIndex = 9,  // {"Namespace", "Name", "Index"}: a service name's last change
  kDeployment = 10,
};

class ChunkWriter {
 public:
  explicit ChunkWriter(SnapshotSink& sink) : sink_(sink) {}

  Status add(Kind kind, const OJson& json) {
    bytes_.clear();
    OJson::to_msgpack(json, bytes_);
    return add_record(kind, [&](std::string& out) {
      out.append(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
    });
  }
  // A model struct, written straight into the chunk as MessagePack.
  template <class T>
  Status add_struct(Kind kind, const T& value) {
    return add_record(kind, [&](std::string& out) { model::append_msgpack(out, value); });
  }
  Status add_alloc(const model::Allocation& alloc) {
    return add_record(Kind::kAlloc, [&](std::string& out) { append_alloc_msgpack(out, alloc); });
  }

  // One record: kind, 4-byte little-endian size, the MessagePack `write` appends.
  template <class Write>
  Status add_record(Kind kind, const Write& write) {
    chunk_.push_back(static_cast<char>(kind));
    size_t size_at = chunk_.size();
    chunk_.append(4, '\0');
    write(chunk_);
    auto size = static_cast<uint32_t>(chunk_.size() - size_at - 4);
    for (int i = 0; i < 4; ++i) chunk_[size_at + i] = static_cast<char>(size >> (8 * i));
    if (chunk_.size() >= kSnapshotChunkBytes) return flush();
    return Status::ok();
  }

  Status flush() {
    if (chunk_.empty()) return Status::ok();
    Status status = sink_.write(chunk_);
    chunk_.clear();
    return status;
  }

 private:
  SnapshotSink& sink_;
  std::string chunk_;
  std::vector<uint8_t> bytes_;
};

using VersionKey = std::tuple<std::string, std::string, int64_t>;

class StateLoader {
 public:
  explicit StateLoader(std::string where) : where_(std::move(where)) {}

  Status add_chunk(std::string_view chunk) {
    size_t pos = 0;
    while (pos < chunk.size()) {
      if (chunk.size() - pos < 5) return corrupt("a record header is cut short");
      auto kind = static_cast<Kind>(static_cast<uint8_t>(chunk[pos]));
      uint32_t size = 0;
      for (int i = 0; i < 4; ++i) {
        size |= static_cast<uint32_t>(static_cast<uint8_t>(chunk[pos + 1 + i])) << (8 * i);
      }
      pos += 5;
      if (chunk.size() - pos < size) return corrupt("a record is cut short");
      const auto* data = reinterpret_cast<const uint8_t*>(chunk.data() + pos);
      Json json = Json::from_msgpack(data, data + size, /*strict=*/true,
                                     /*allow_exceptions=*/false);
      if (json.is_discarded()) return corrupt(fmt::format("record {} is not valid", records_));
      pos += size;
      CARAVAN_RETURN_IF_ERROR(add_record(kind, json));
      ++records_;
    }
    return Status::ok();
  }

  Result<Tables> finish() {
    if (!header_seen_) return corrupt("it has no header");
    return std::move(tables_);
  }

 private:
  Status add_record(Kind kind, const Json& json) {
    if (!header_seen_ && kind != Kind::kHeader) return corrupt("it does not start with a header");
    std::string path = fmt::format("record {}", records_);
    switch (kind) {
      case Kind::kHeader:
        return read_header(json);
      case Kind::kJobVersion: {
        auto job = CARAVAN_TRY(decode<model::Job>(json, path));
        tables_.put_job_version(job);
        return Status::ok();
      }
      case Kind::kAllocJob: {
        auto job = CARAVAN_TRY(decode<model::Job>(json, path));
        alloc_jobs_[VersionKey(job->namespace_name, job->id, job->version)] = job;
        return Status::ok();
      }
      case Kind::kJob: {
        auto job = CARAVAN_TRY(decode<model::Job>(json, path));
        JobPtr version = tables_.job_version(job->namespace_name, job->id, job->version);
        tables_.put_job(version != nullptr && *version == *job ? version : job);
        return Status::ok();
      }
      case Kind::kNode:
        tables_.put_node(CARAVAN_TRY(decode<model::Node>(json, path)));
        return Status::ok();
      case Kind::kEval:
        tables_.put_eval(CARAVAN_TRY(decode<model::Evaluation>(json, path)));
        return Status::ok();
      case Kind::kAlloc:
        return read_alloc(json, path);
      case Kind::kService: {
        auto instance = CARAVAN_TRY(decode<model::ServiceRegistration>(json, path));
        int64_t index = tables_.service_index(instance->namespace_name, instance->service_name);
        tables_.put_service(std::move(instance), index);  // the index record may come first
        return Status::ok();
      }
      case Kind::kServiceIndex:
        return read_service_index(json, path);
      case Kind::kDeployment:
        tables_.put_deployment(CARAVAN_TRY(decode<model::Deployment>(json, path)));
        return Status::ok();
    }
    return corrupt(fmt::format("{} has unknown kind {}", path, static_cast<int>(kind)));
  }

  template <class T>
  Result<std::shared_ptr<const T>> decode(const Json& json, const std::string& path) {
    Result<T> value = model::from_json<T>(json, path);
    if (!value) return corrupt(value.error().message());
    return std::make_shared<const T>(std::move(value).value());
  }

  Status read_header(const Json& json) {
    if (header_seen_) return corrupt("it has two headers");
    header_seen_ = true;
    ObjectReader reader(json, "header");
    int64_t format = reader.integer("Format");
    tables_.index = reader.integer("Index");
    std::vector<int64_t> indexes = reader.list<int64_t>(
        "TableIndexes", [](const Json& value, const std::string& path) -> Result<int64_t> {
          if (!value.is_number_integer()) return invalid_argument(path + ": not an integer");
          return value.get<int64_t>();
        });
    if (!reader.ok()) return corrupt(reader.status().message());
    if (format != kFormat) {
      return corrupt(fmt::format("format {} is not the supported format {}", format, kFormat));
    }
    for (size_t i = 0; i < indexes.size() && i < kTableCount; ++i) {
      tables_.table_indexes[i] = indexes[i];
    }
    return Status::ok();
  }

  Status read_alloc(const Json& json, const std::string& path) {
    Result<model::Allocation> alloc = alloc_from_json(json, path);
    if (!alloc) return corrupt(alloc.error().message());
    if (alloc->job != nullptr) {
      const model::Job& ref = *alloc->job;
      JobPtr job = tables_.job_version(ref.namespace_name, ref.id, ref.version);
      if (job == nullptr) {
        auto it = alloc_jobs_.find(VersionKey(ref.namespace_name, ref.id, ref.version));
        if (it == alloc_jobs_.end()) {
          return corrupt(fmt::format("allocation \"{}\" runs job \"{}\" version {}, which the "
                                     "snapshot does not hold",
                                     alloc->id, ref.id, ref.version));
        }
        job = it->second;
      }
      alloc->job = std::move(job);
    }
    tables_.put_alloc(std::make_shared<const model::Allocation>(std::move(alloc).value()));
    return Status::ok();
  }

  Status read_service_index(const Json& json, const std::string& path) {
    ObjectReader reader(json, path);
    std::string ns = reader.string("Namespace");
    std::string name = reader.string("Name");
    int64_t index = reader.integer("Index");
    if (!reader.ok()) return corrupt(reader.status().message());
    tables_.service_indexes.set(OwnedServiceName(std::move(ns), std::move(name)), index);
    return Status::ok();
  }

  Status corrupt(std::string_view what) const {
    return internal_error(fmt::format("{}: the snapshot is damaged: {}", where_, what));
  }

  std::string where_;
  Tables tables_;
  std::map<VersionKey, JobPtr> alloc_jobs_;
  bool header_seen_ = false;
  int64_t records_ = 0;
};

}  // namespace

Status encode_state(const Tables& tables, SnapshotSink& sink) {
  ChunkWriter out(sink);
  OJson header = OJson::object();
  header["Format"] = kFormat;
  header["Index"] = tables.index;
  header["TableIndexes"] = tables.table_indexes;
  CARAVAN_RETURN_IF_ERROR(out.add(Kind::kHeader, header));
  for (auto it = tables.job_versions.begin(); it != tables.job_versions.end(); ++it) {
    CARAVAN_RETURN_IF_ERROR(out.add_struct(Kind::kJobVersion, *it.value()));
  }
  std::unordered_set<const model::Job*> written;
  for (auto it = tables.allocs.begin(); it != tables.allocs.end(); ++it) {
    const JobPtr& job = it.value()->job;
    if (job == nullptr || tables.job_version(job->namespace_name, job->id, job->version)) continue;
    if (!written.insert(job.get()).second) continue;
    CARAVAN_RETURN_IF_ERROR(out.add_struct(Kind::kAllocJob, *job));
  }
  for (auto it = tables.jobs.begin(); it != tables.jobs.end(); ++it) {
    CARAVAN_RETURN_IF_ERROR(out.add_struct(Kind::kJob, *it.value()));
  }
  for (auto it = tables.nodes.begin(); it != tables.nodes.end(); ++it) {
    CARAVAN_RETURN_IF_ERROR(out.add_struct(Kind::kNode, *it.value()));
  }
  for (auto it = tables.evals.begin(); it != tables.evals.end(); ++it) {
    CARAVAN_RETURN_IF_ERROR(out.add_struct(Kind::kEval, *it.value()));
  }
  for (auto it = tables.allocs.begin(); it != tables.allocs.end(); ++it) {
    CARAVAN_RETURN_IF_ERROR(out.add_alloc(*it.value()));
  }
  for (auto it = tables.service_indexes.begin(); it != tables.service_indexes.end(); ++it) {
    OJson record = {{"Namespace", it.key().first}, {"Name", it.key().second}, {"Index", it.value()}};
    CARAVAN_RETURN_IF_ERROR(out.add(Kind::kServiceIndex, record));
  }
  for (auto it = tables.services.begin(); it != tables.services.end(); ++it) {
    CARAVAN_RETURN_IF_ERROR(out.add_struct(Kind::kService, *it.value()));
  }
  for (auto it = tables.deployments.begin(); it != tables.deployments.end(); ++it) {
    CARAVAN_RETURN_IF_ERROR(out.add_struct(Kind::kDeployment, *it.value()));
  }
  return out.flush();
}

Result<Tables> decode_state(Log& log, int64_t index) {
  StateLoader loader(fmt::format("{}: snapshot at index {}", log.name(), index));
  CARAVAN_RETURN_IF_ERROR(
      log.read_snapshot(index, [&](std::string_view chunk) { return loader.add_chunk(chunk); }));
  return loader.finish();
}

}  // namespace caravan::state::internal
