// The built-in fingerprinters behind client::builtin_fingerprinters():
// hardware (cpu, memory, storage) in fingerprint_hardware.cc, the rest (host,
// network, version) in fingerprint_host.cc.
#pragma once

#include <memory>

#include "client/fingerprint.h"

namespace caravan::client::internal {

std::unique_ptr<Fingerprinter> make_cpu_fingerprinter();
std::unique_ptr<Fingerprinter> make_memory_fingerprinter();
std::unique_ptr<Fingerprinter> make_storage_fingerprinter();
std::unique_ptr<Fingerprinter> make_host_fingerprinter();
std::unique_ptr<Fingerprinter> make_network_fingerprinter();
std::unique_ptr<Fingerprinter> make_version_fingerprinter();

}  // namespace caravan::client::internal
