// CPU, memory and storage fingerprints (Nomad's cpu, memory and storage
// fingerprinters): attributes plus node_resources.{cpu,memory,disk}.
#include <sched.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "client/internal/files.h"
#include "client/internal/fingerprinters.h"
#include "client/internal/host_info.h"
#include "core/strings.h"

namespace caravan::client::internal {

namespace {

constexpr int64_t kMiB = 1024 * 1024;

// cpufreq's maximum (kHz) when the kernel exposes it, as Nomad prefers it over
// the momentary "cpu MHz" of /proc/cpuinfo.
double cpufreq_max_mhz(const FingerprintConfig& config) {
  Result<std::string> khz =
      read_file(config.sys_dir + "/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
  if (!khz.has_value()) return 0;
  return std::strtod(std::string(trim(*khz)).c_str(), nullptr) / 1000.0;
}

std::vector<int> reservable_cores(int cores) {
  std::vector<int> out;
  cpu_set_t set;
  CPU_ZERO(&set);
  bool have_affinity = sched_getaffinity(0, sizeof set, &set) == 0;
  for (int i = 0; i < cores; ++i) {
    if (!have_affinity || CPU_ISSET(i, &set)) out.push_back(i);
  }
  return out;
}

class CpuFingerprinter final : public Fingerprinter {
 public:
  std::string_view name() const override { return "cpu"; }
  Status fingerprint(const FingerprintConfig& config, model::Node& node,
                     std::vector<std::string>& warnings) const override {
    Result<std::string> text = read_file(config.proc_dir + "/cpuinfo");
    CpuInfo info = text.has_value() ? parse_cpuinfo(*text) : CpuInfo{};
    int cores = info.processors;
    if (cores <= 0) cores = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
    double mhz = cpufreq_max_mhz(config);
    if (mhz <= 0) mhz = info.mhz;
    int64_t total = config.cpu_total_compute;
    if (total <= 0) {
      if (mhz <= 0) {
        mhz = 1000;
        warnings.push_back(
            "cannot detect the CPU frequency; assuming 1000 MHz per core (set "
            "client cpu_total_compute to the real figure)");
      }
      total = static_cast<int64_t>(std::llround(mhz)) * cores;
    } else if (mhz <= 0) {
      mhz = static_cast<double>(total) / cores;
    }
    auto& attrs = node.attributes;
    attrs["cpu.numcores"] = std::to_string(cores);
    attrs["cpu.frequency"] = std::to_string(std::llround(mhz));
    attrs["cpu.totalcompute"] = std::to_string(total);
    if (!info.model_name.empty()) attrs["cpu.modelname"] = info.model_name;
    std::vector<int> reservable = reservable_cores(cores);
    attrs["cpu.reservablecores"] = std::to_string(reservable.size());
    node.node_resources.cpu.cpu_shares = total;
    node.node_resources.cpu.total_cpu_cores = cores;
    node.node_resources.cpu.reservable_cpu_cores = std::move(reservable);
    return Status::ok();
  }
};

class MemoryFingerprinter final : public Fingerprinter {
 public:
  std::string_view name() const override { return "memory"; }
  Status fingerprint(const FingerprintConfig& config, model::Node& node,
                     std::vector<std::string>&) const override {
    int64_t bytes = config.memory_total_mb * kMiB;
    if (bytes <= 0) {
      std::string path = config.proc_dir + "/meminfo";
      std::string text = CARAVAN_TRY(read_file(path));
      bytes = parse_meminfo_total(text);
      if (bytes <= 0) {
        return internal_error("no MemTotal in " + path +
                              "; set client memory_total_mb to the machine's memory");
      }
    }
    node.attributes["memory.totalbytes"] = std::to_string(bytes);
    node.node_resources.memory.memory_mb = bytes / kMiB;
    return Status::ok();
  }
};

class StorageFingerprinter final : public Fingerprinter {
 public:
  std::string_view name() const override { return "storage"; }
  Status fingerprint(const FingerprintConfig& config, model::Node& node,
                     std::vector<std::string>& warnings) const override {
    std::error_code ec;
    std::string dir = std::filesystem::canonical(config.data_dir, ec).string();
    if (ec) {
      return internal_error("cannot resolve the data dir " + config.data_dir + ": " + ec.message());
    }
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0) return errno_status("cannot statvfs", dir);
    int64_t total = static_cast<int64_t>(fs.f_blocks) * static_cast<int64_t>(fs.f_frsize);
    int64_t free = static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
    auto& attrs = node.attributes;
    Result<std::string> mountinfo = read_file(config.proc_dir + "/self/mountinfo");
    std::string volume = mountinfo.has_value() ? mount_source_for(*mountinfo, dir) : "";
    if (volume.empty()) {
      warnings.push_back("cannot find the mount holding " + dir + " in mountinfo");
    } else {
      attrs["unique.storage.volume"] = volume;
    }
    attrs["unique.storage.bytestotal"] = std::to_string(total);
    attrs["unique.storage.bytesfree"] = std::to_string(free);
    node.node_resources.disk.disk_mb = free / kMiB;  // Nomad offers the free space
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<Fingerprinter> make_cpu_fingerprinter() {
  return std::make_unique<CpuFingerprinter>();
}
std::unique_ptr<Fingerprinter> make_memory_fingerprinter() {
  return std::make_unique<MemoryFingerprinter>();
}
std::unique_ptr<Fingerprinter> make_storage_fingerprinter() {
  return std::make_unique<StorageFingerprinter>();
}

}  // namespace caravan::client::internal
