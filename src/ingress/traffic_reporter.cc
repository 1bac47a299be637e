#include "ingress/traffic_reporter.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "http/client.h"

namespace caravan::ingress {

struct TrafficReporter::Shared {
  TrafficReporterOptions options;
  std::shared_ptr<proxy::CatalogDirector> director;
  const CatalogFollower* follower = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
};

namespace {

void report_loop(TrafficReporter::Shared* shared) {
  const TrafficReporterOptions& options = shared->options;
  // Three intervals: one lost report does not make the ingress look dead.
  const Duration ttl = std::max<Duration>(options.interval * 3, std::chrono::seconds(3));
  size_t server = 0;
  std::optional<http::Client> client;
  bool warned = false;
  while (true) {
    {
      std::unique_lock lock(shared->mu);
      if (shared->cv.wait_for(lock, options.interval, [&] { return shared->stop; })) return;
    }
    int64_t index = shared->follower->index();  // before the load: see the header
    std::string body = traffic_report_body(index, shared->director->draining_load(), ttl);
    if (!client) {
      Result<http::Client> made = http::Client::create(options.servers[server]);
      if (!made) {
        spdlog::error("ingress: traffic reports: {}", made.error().message());
        return;
      }
      client.emplace(std::move(*made));
    }
    http::RequestOptions request;
    request.timeout = std::chrono::seconds(5);
    Result<http::Response> response =
        client->put("/v1/ingress/" + options.ingress_id + "/report", body, request);
    if (response && response->status == 200) {
      warned = false;
      continue;
    }
    if (!warned) {
      spdlog::warn("ingress: cannot report draining instances to {}: {}; retrying",
                   options.servers[server],
                   response ? std::to_string(response->status) + " " + response->body
                            : response.error().message());
      warned = true;
    }
    client.reset();
    server = (server + 1) % options.servers.size();
  }
}

}  // namespace

namespace {

nlohmann::ordered_json loads_json(const std::vector<proxy::InstanceLoad>& loads) {
  nlohmann::ordered_json instances = nlohmann::ordered_json::array();
  for (const proxy::InstanceLoad& load : loads) {
    instances.push_back({{"ID", load.instance_id},
                         {"ActiveRequests", load.active_requests},
                         {"Connections", load.connections},
                         {"Sessions", load.sessions}});
  }
  return instances;
}

}  // namespace

std::string instance_loads_json(const std::vector<proxy::InstanceLoad>& loads) {
  return loads_json(loads).dump();
}

std::string traffic_report_body(int64_t catalog_index,
                                const std::vector<proxy::InstanceLoad>& loads, Duration ttl) {
  nlohmann::ordered_json body{{"CatalogIndex", catalog_index},
                              {"TTL", format_duration(ttl)},
                              {"Instances", loads_json(loads)}};
  return body.dump();
}

TrafficReporter::TrafficReporter(TrafficReporterOptions options,
                                 std::shared_ptr<proxy::CatalogDirector> director,
                                 const CatalogFollower& follower)
    : shared_(std::make_shared<Shared>()) {
  shared_->options = std::move(options);
  if (shared_->options.servers.empty()) shared_->options.servers.push_back("http://127.0.0.1:4646");
  shared_->director = std::move(director);
  shared_->follower = &follower;
  shared_->thread = std::thread(report_loop, shared_.get());
}

TrafficReporter::~TrafficReporter() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->stop = true;
  }
  shared_->cv.notify_all();
  shared_->thread.join();
}

}  // namespace caravan::ingress
