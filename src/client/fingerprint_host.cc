// Host, network and version fingerprints (Nomad's host, network and nomad
// fingerprinters): kernel.*, os.*, unique.hostname, unique.network.ip-address,
// node_resources.networks and caravan.version.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>

#include "client/internal/files.h"
#include "client/internal/fingerprinters.h"
#include "client/internal/host_info.h"
#include "core/strings.h"

namespace caravan::client::internal {

namespace {

class HostFingerprinter final : public Fingerprinter {
 public:
  std::string_view name() const override { return "host"; }
  Status fingerprint(const FingerprintConfig& config, model::Node& node,
                     std::vector<std::string>& warnings) const override {
    struct utsname uts {};
    if (::uname(&uts) != 0) return errno_status("uname failed for", "the host");
    auto& attrs = node.attributes;
    std::string kernel = uts.sysname;
    for (char& c : kernel) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    attrs["kernel.name"] = kernel;
    attrs["kernel.version"] = uts.release;
    attrs["kernel.arch"] = uts.machine;
    attrs["cpu.arch"] = go_arch(uts.machine);
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) attrs["unique.hostname"] = host;

    Result<std::string> release = read_file(config.etc_dir + "/os-release");
    if (!release.has_value()) {
      warnings.push_back("cannot read " + config.etc_dir + "/os-release; no os.name/os.version");
      return Status::ok();
    }
    auto fields = parse_os_release(*release);
    if (!fields["ID"].empty()) attrs["os.name"] = fields["ID"];
    std::string version = fields["VERSION_ID"];
    if (fields["ID"] == "debian") {  // Nomad reports the point release, "12.5"
      Result<std::string> point = read_file(config.etc_dir + "/debian_version");
      if (point.has_value() && !point->empty() &&
          std::isdigit(static_cast<unsigned char>((*point)[0]))) {
        version = std::string(trim(*point));
      }
    }
    if (!version.empty()) attrs["os.version"] = version;
    return Status::ok();
  }
};

struct Interface {
  std::string name;
  std::string ip;
  int prefix = 0;
  bool loopback = false;
};

std::vector<Interface> ipv4_interfaces() {
  std::vector<Interface> out;
  struct ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (struct ifaddrs* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
    if (ifa->ifa_addr == nullptr || ifa->ifa_addr->sa_family != AF_INET) continue;
    if ((ifa->ifa_flags & IFF_UP) == 0) continue;
    Interface itf;
    itf.name = ifa->ifa_name;
    char buf[INET_ADDRSTRLEN] = {};
    auto* addr = reinterpret_cast<struct sockaddr_in*>(ifa->ifa_addr);
    ::inet_ntop(AF_INET, &addr->sin_addr, buf, sizeof buf);
    itf.ip = buf;
    if (ifa->ifa_netmask != nullptr) {
      auto* mask = reinterpret_cast<struct sockaddr_in*>(ifa->ifa_netmask);
      itf.prefix = std::popcount(static_cast<uint32_t>(mask->sin_addr.s_addr));
    }
    itf.loopback = (ifa->ifa_flags & IFF_LOOPBACK) != 0;
    out.push_back(std::move(itf));
  }
  ::freeifaddrs(list);
  // Non-loopback interfaces first, in the kernel's order.
  std::stable_partition(out.begin(), out.end(), [](const Interface& i) { return !i.loopback; });
  return out;
}

class NetworkFingerprinter final : public Fingerprinter {
 public:
  std::string_view name() const override { return "network"; }
  Status fingerprint(const FingerprintConfig& config, model::Node& node,
                     std::vector<std::string>& warnings) const override {
    std::vector<Interface> interfaces = ipv4_interfaces();
    model::NodeNetwork net;
    if (config.advertise_ip.empty()) {
      if (!interfaces.empty() && !interfaces.front().loopback) {
        net.ip = interfaces.front().ip;
        net.device = interfaces.front().name;
        net.cidr = net.ip + "/" + std::to_string(interfaces.front().prefix);
      } else {
        net.ip = "127.0.0.1";
        net.device = "lo";
        net.cidr = "127.0.0.1/8";
        warnings.push_back("no IPv4 interface is up; advertising 127.0.0.1");
      }
    } else {
      net.ip = config.advertise_ip;
      for (const Interface& itf : interfaces) {
        if (itf.ip == net.ip) {
          net.device = itf.name;
          net.cidr = itf.ip + "/" + std::to_string(itf.prefix);
        }
      }
      if (net.cidr.empty()) {
        bool v6 = net.ip.find(':') != std::string::npos;
        net.cidr = net.ip + (v6 ? "/128" : "/32");
      }
    }
    node.attributes["unique.network.ip-address"] = net.ip;
    node.node_resources.networks = {net};
    return Status::ok();
  }
};

class VersionFingerprinter final : public Fingerprinter {
 public:
  std::string_view name() const override { return "version"; }
  Status fingerprint(const FingerprintConfig& config, model::Node& node,
                     std::vector<std::string>&) const override {
    node.attributes["caravan.version"] = config.version.empty() ? "0.0.0-dev" : config.version;
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<Fingerprinter> make_host_fingerprinter() {
  return std::make_unique<HostFingerprinter>();
}
std::unique_ptr<Fingerprinter> make_network_fingerprinter() {
  return std::make_unique<NetworkFingerprinter>();
}
std::unique_ptr<Fingerprinter> make_version_fingerprinter() {
  return std::make_unique<VersionFingerprinter>();
}

}  // namespace caravan::client::internal
