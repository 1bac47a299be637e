// Builders shared by the routing tests: request heads, client infos, instances.
#pragma once

#include <string>
#include <vector>

#include "proxy/catalog_instance.h"
#include "proxy/director.h"

namespace caravan::proxy::testing {

inline RequestHead request(std::string host, std::string target, std::string method = "GET",
                           std::vector<HeaderField> extra = {}) {
  RequestHead h;
  h.method = std::move(method);
  h.target = std::move(target);
  if (!host.empty()) h.headers.push_back({"Host", std::move(host)});
  for (HeaderField& f : extra) h.headers.push_back(std::move(f));
  return h;
}

inline ClientInfo client(std::string ip = "10.1.2.3", uint16_t listener_port = 80,
                         bool tls = false) {
  ClientInfo c;
  c.ip = std::move(ip);
  c.port = 40000;
  c.tls = tls;
  c.listener_port = listener_port;
  return c;
}

inline CatalogInstance instance(std::string id, std::string service, std::string address,
                                uint16_t port, std::vector<std::string> tags,
                                std::string status = "passing") {
  CatalogInstance i;
  i.id = std::move(id);
  i.service = std::move(service);
  i.node = "node-1";
  i.address = std::move(address);
  i.port = port;
  i.tags = std::move(tags);
  i.status = std::move(status);
  return i;
}

}  // namespace caravan::proxy::testing
