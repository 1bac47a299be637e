#include "client/check_target.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace caravan::client {

namespace {

struct FoundPort {
  std::string host_ip;
  int value = 0;
  int to = 0;
};

std::optional<FoundPort> find_port(const model::AllocatedSharedResources& shared,
                                   const std::string& label) {
  for (const model::AllocatedPort& p : shared.ports) {
    if (p.label == label) return FoundPort{p.host_ip, p.value, p.to};
  }
  for (const model::NetworkResource& net : shared.networks) {
    for (const auto* ports : {&net.reserved_ports, &net.dynamic_ports}) {
      for (const model::Port& p : *ports) {
        if (p.label == label) return FoundPort{net.ip, p.value, p.to};
      }
    }
  }
  return std::nullopt;
}

std::optional<int> numeric_port(const std::string& label) {
  if (label.empty() || label.size() > 5 || !std::all_of(label.begin(), label.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return std::nullopt;
  }
  int port = std::stoi(label);
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

Result<CheckTarget> resolve_check_target(const model::Service& service,
                                         const model::ServiceCheck& check,
                                         const model::AllocatedSharedResources& shared,
                                         const CheckAddressContext& context) {
  if (check.type == "script") return CheckTarget{};
  const std::string where = "check \"" + check.name + "\" of service \"" + service.name + "\": ";
  const std::string& label = check.port_label.empty() ? service.port_label : check.port_label;
  const std::string mode = check.address_mode.empty() ? "host" : check.address_mode;
  if (label.empty()) {
    return invalid_argument(where + "no port to check; set `port` on the check or on the service");
  }
  std::optional<FoundPort> port = find_port(shared, label);
  std::optional<int> number = numeric_port(label);

  if (mode == "host" || mode == "auto") {
    if (!port) {
      if (number) {
        return invalid_argument(where + "the numeric port " + label +
                                " is only valid with address_mode = \"driver\"; use a port label");
      }
      return invalid_argument(where + "the allocation has no port labelled \"" + label +
                              "\"; add it to the group's network block");
    }
    if (port->host_ip.empty()) {
      return invalid_argument(where + "the port \"" + label + "\" has no host IP");
    }
    return CheckTarget{port->host_ip, port->value};
  }
  if (mode == "alloc" || mode == "driver") {
    const std::string& ip = mode == "alloc" ? context.alloc_network_ip : context.driver_ip;
    if (ip.empty()) {
      return invalid_argument(where + "address_mode \"" + mode + "\" needs " +
                              (mode == "alloc" ? "a group network in bridge or CNI mode"
                                               : "a driver that reports the task's IP") +
                              "; use address_mode \"host\"");
    }
    if (port) return CheckTarget{ip, port->to > 0 ? port->to : port->value};
    if (number) return CheckTarget{ip, *number};
    return invalid_argument(where + "the allocation has no port labelled \"" + label +
                            "\"; add it to the group's network block");
  }
  return invalid_argument(where + "unknown address_mode \"" + mode +
                          "\"; use host, alloc, driver or auto");
}

}  // namespace caravan::client
