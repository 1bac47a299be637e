// Routing control-plane costs per request: CatalogDirector::decide() over route
// tables of growing size (Traefik Host + PathPrefix routes, the matching route
// last in precedence order), rule parsing, and hash-ring / Maglev picks.
// Run from a release build:
//   cmake --preset release && ninja -C build/release routing_bench &&
//   build/release/bench/routing_bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "proxy/balancer.h"
#include "proxy/catalog_director.h"
#include "proxy/rule_expr.h"

namespace {

using namespace caravan::proxy;

std::vector<CatalogInstance> catalog(int services, int instances_each) {
  std::vector<CatalogInstance> out;
  for (int s = 0; s < services; ++s) {
    std::string name = "svc" + std::to_string(s);
    for (int i = 0; i < instances_each; ++i) {
      CatalogInstance inst;
      inst.id = name + "-" + std::to_string(i);
      inst.service = name;
      inst.address = "10.0." + std::to_string(s % 250) + "." + std::to_string(i + 1);
      inst.port = static_cast<uint16_t>(20000 + i);
      inst.status = "passing";
      inst.tags = {"traefik.http.routers." + name + ".rule=Host(`" + name +
                   ".example.com`) && PathPrefix(`/api`)"};
      out.push_back(std::move(inst));
    }
  }
  return out;
}

void BM_Decide(benchmark::State& state) {
  int routes = static_cast<int>(state.range(0));
  CatalogDirector director;
  director.update(catalog(routes, 3));
  RequestHead head;
  head.method = "GET";
  // Routes of equal shape are ordered by name; "svc9..." sorts late.
  head.target = "/api/users?id=7";
  head.headers = {{"Host", "svc" + std::to_string(routes - 1) + ".example.com"},
                  {"User-Agent", "bench"}};
  ClientInfo client;
  client.ip = "192.0.2.1";
  client.listener_port = 80;
  for (auto _ : state) {
    Decision d = director.decide(head, client);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Decide)->Arg(1)->Arg(10)->Arg(100)->Arg(1000);

void BM_ParseRule(benchmark::State& state) {
  for (auto _ : state) {
    auto r = parse_rule("Host(`a.example.com`) && (PathPrefix(`/api`) || Header(`X-Canary`, `1`))");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseRule);

void BM_HashPick(benchmark::State& state) {
  auto algorithm = static_cast<BalanceAlgorithm>(state.range(0));
  std::vector<BalanceTarget> targets;
  for (int i = 0; i < 50; ++i) targets.push_back({"instance-" + std::to_string(i), 1, nullptr});
  auto balancer = make_balancer(algorithm, targets);
  std::vector<bool> allowed(targets.size(), true);
  uint64_t key = 0;
  for (auto _ : state) {
    PickContext ctx;
    ctx.hash = hash_key(std::to_string(++key));
    benchmark::DoNotOptimize(balancer->pick(ctx, allowed));
  }
  state.SetLabel(balance_algorithm_name(algorithm));
}
BENCHMARK(BM_HashPick)
    ->Arg(static_cast<int>(BalanceAlgorithm::kRingHash))
    ->Arg(static_cast<int>(BalanceAlgorithm::kMaglev));

}  // namespace
