// libFuzzer target for route declarations from user input: the input is parsed
// as a Traefik rule (matched against a fixed request; its printed form must
// parse again to the same text), as a Fabio tag, and as one Traefik label
// whose middleware is then built. Must never crash or hang.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "proxy/fabio_tags.h"
#include "proxy/rule_expr.h"
#include "proxy/traefik_tags.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caravan::proxy;
  std::string input(reinterpret_cast<const char*>(data), size);

  if (auto rule = parse_rule(input); rule.has_value()) {
    RequestHead head;
    head.method = "GET";
    head.target = "/api/v1/users?debug=1&x=%20";
    head.headers = {{"Host", "api.example.com:8080"}, {"X-Env", "prod"}};
    ClientInfo client;
    client.ip = "10.1.2.3";
    (void)rule_matches(**rule, MatchInput(head, client));
    (void)rule_specificity(**rule);
    std::string printed = rule_to_string(**rule);
    auto again = parse_rule(printed);
    if (!again.has_value() || rule_to_string(**again) != printed) std::abort();
  }

  if (auto fabio = parse_fabio_tag(input); fabio && fabio->has_value()) {
    (void)fabio_route_spec(**fabio, "svc");
  }

  TraefikLabels labels = parse_traefik_tags({input});
  for (const auto& [name, decl] : labels.middlewares) (void)build_traefik_middleware(decl);
  return 0;
}
