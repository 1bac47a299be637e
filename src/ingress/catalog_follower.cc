#include "ingress/catalog_follower.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "http/client.h"
#include "model/model_json.h"

namespace caravan::ingress {

struct CatalogFollower::Shared {
  CatalogFollowerOptions options;
  std::shared_ptr<proxy::CatalogDirector> director;
  mutable std::mutex mu;
  mutable std::condition_variable cv;
  bool stop = false;
  int64_t index = 0;
};

namespace {

int64_t header_index(const http::Response& response) {
  std::string_view text = response.headers.get("X-Nomad-Index").value_or("0");
  int64_t index = 0;
  std::from_chars(text.data(), text.data() + text.size(), index);
  return index;
}

Result<std::vector<proxy::CatalogInstance>> parse_instances(const std::string& body) {
  nlohmann::json list = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) return invalid_argument("the catalog's answer is not a JSON list");
  std::vector<proxy::CatalogInstance> out;
  for (size_t i = 0; i < list.size(); ++i) {
    Result<model::ServiceRegistration> registration = model::from_json<model::ServiceRegistration>(
        list[i], "instances[" + std::to_string(i) + "]");
    if (!registration) return registration.error();
    out.push_back(to_catalog_instance(*registration));
  }
  return out;
}

void follow(std::shared_ptr<CatalogFollower::Shared> shared) {
  const CatalogFollowerOptions& options = shared->options;
  size_t server = 0;
  Duration backoff = options.retry_initial;
  std::optional<http::Client> client;
  auto stopping = [&] {
    std::lock_guard lock(shared->mu);
    return shared->stop;
  };
  while (!stopping()) {
    if (!client) {
      Result<http::Client> made = http::Client::create(options.servers[server]);
      if (!made) {
        spdlog::error("ingress: {}", made.error().message());
        return;
      }
      client.emplace(std::move(*made));
    }
    int64_t index = 0;
    {
      std::lock_guard lock(shared->mu);
      index = shared->index;
    }
    std::string target = "/v1/catalog/instances?namespace=*&index=" + std::to_string(index) +
                         "&wait=" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(options.wait).count()) + "ms";
    http::RequestOptions request;
    request.timeout = options.wait + options.wait / 16 + std::chrono::seconds(5);
    Result<http::Response> response = client->get(target, request);
    Result<std::vector<proxy::CatalogInstance>> instances =
        !response ? Result<std::vector<proxy::CatalogInstance>>(response.error())
        : response->status != 200
            ? Result<std::vector<proxy::CatalogInstance>>(unavailable(
                  "the catalog answered " + std::to_string(response->status) + ": " + response->body))
            : parse_instances(response->body);
    if (!instances) {
      spdlog::warn("ingress: cannot read the catalog from {}: {}; keeping the last routes, "
                   "retrying in {}",
                   options.servers[server], instances.error().message(), format_duration(backoff));
      client.reset();
      server = (server + 1) % options.servers.size();
      std::unique_lock lock(shared->mu);
      shared->cv.wait_for(lock, backoff, [&] { return shared->stop; });
      backoff = std::min<Duration>(backoff * 2, options.retry_max);
      continue;
    }
    backoff = options.retry_initial;
    int64_t new_index = header_index(*response);
    if (new_index == index) continue;  // the wait ran out: nothing changed
    shared->director->update(std::move(*instances));
    {
      std::lock_guard lock(shared->mu);
      // An index that went backwards (a new server) restarts from it, as Consul's watchers do.
      shared->index = new_index;
    }
    shared->cv.notify_all();
  }
}

}  // namespace

proxy::CatalogInstance to_catalog_instance(const model::ServiceRegistration& registration) {
  proxy::CatalogInstance instance;
  instance.id = registration.id;
  instance.service = registration.service_name;
  instance.node = registration.node_id;
  instance.address = registration.address;
  instance.port = static_cast<uint16_t>(registration.port);
  instance.tags = registration.tags;
  instance.meta = registration.meta;
  instance.status = std::string(registration.status());
  instance.canary = registration.canary;
  instance.draining = registration.draining;
  return instance;
}

CatalogFollower::CatalogFollower(CatalogFollowerOptions options,
                                 std::shared_ptr<proxy::CatalogDirector> director)
    : shared_(std::make_shared<Shared>()) {
  shared_->options = std::move(options);
  shared_->director = std::move(director);
  if (shared_->options.servers.empty()) shared_->options.servers.push_back("http://127.0.0.1:4646");
  std::thread(follow, shared_).detach();
}

CatalogFollower::~CatalogFollower() { stop(); }

void CatalogFollower::stop() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->stop = true;
  }
  shared_->cv.notify_all();
}

int64_t CatalogFollower::index() const {
  std::lock_guard lock(shared_->mu);
  return shared_->index;
}

bool CatalogFollower::wait_applied(int64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(shared_->mu);
  return shared_->cv.wait_for(lock, timeout, [&] { return shared_->index > after; });
}

}  // namespace caravan::ingress
