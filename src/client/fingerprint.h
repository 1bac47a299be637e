// Fingerprinting: what this machine is and offers, as a model::Node the client
// registers with the servers. Each Fingerprinter fills Nomad-named attributes
// (cpu.*, memory.totalbytes, unique.storage.*, kernel.*, os.*, unique.hostname,
// unique.network.ip-address, caravan.version) and node_resources; the scheduler
// matches constraints (`${attr.kernel.name}`) against them. Drivers add their own.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/node.h"

namespace caravan::client {

// The client agent's settings that fingerprinting reads.
struct FingerprintConfig {
  std::string data_dir;   // required; the storage fingerprint measures its filesystem
  std::string node_name;  // default: the host name
  std::string datacenter = "dc1";
  std::string node_class;
  std::string node_pool = "default";
  std::map<std::string, std::string> meta;
  std::string http_addr;  // Node.HTTPAddr, "ip:port"
  // unique.network.ip-address: the address the client advertises. Empty: the
  // first non-loopback IPv4 address of an up interface, else 127.0.0.1.
  std::string advertise_ip;
  int64_t cpu_total_compute = 0;  // MHz; overrides detection (client.cpu_total_compute)
  int64_t memory_total_mb = 0;    // overrides detection (client.memory_total_mb)
  std::string version;            // caravan.version
  // Where host files are read from; tests point these at fixtures.
  std::string proc_dir = "/proc";
  std::string sys_dir = "/sys";
  std::string etc_dir = "/etc";
};

// One probe. Implementations are stateless; fingerprint() may block on file I/O.
class Fingerprinter {
 public:
  virtual ~Fingerprinter() = default;
  // Short name for messages: "cpu", "memory", "storage", "host", "network", "version".
  virtual std::string_view name() const = 0;
  // Adds what it detects to `node` (attributes, node_resources). A fallback or
  // a missing optional fact is a line in `warnings`, not an error. Errors: the
  // probe could not produce a usable value (e.g. statvfs of the data dir failed).
  virtual Status fingerprint(const FingerprintConfig& config, model::Node& node,
                             std::vector<std::string>& warnings) const = 0;
};

// cpu, memory, storage, host, network and version, in that order.
std::vector<std::unique_ptr<Fingerprinter>> builtin_fingerprinters();

struct FingerprintResult {
  model::Node node;
  std::vector<std::string> warnings;
};

// The node as configured (identity from load_or_create_node_identity, name,
// datacenter, class, pool, meta, status "initializing") with every fingerprinter
// of `fingerprinters` applied. Errors name the failing fingerprinter.
Result<FingerprintResult> fingerprint_node(
    const FingerprintConfig& config,
    const std::vector<std::unique_ptr<Fingerprinter>>& fingerprinters);

// The same with builtin_fingerprinters().
Result<FingerprintResult> fingerprint_node(const FingerprintConfig& config);

}  // namespace caravan::client
