#include "instance_watch.h"

#include <set>

#include <nlohmann/json.hpp>

#include "http/client.h"

namespace caravan::testing {

InstanceWatch::InstanceWatch(std::string agent_address, std::string service)
    : address_(std::move(agent_address)), service_(std::move(service)), thread_([this] { run(); }) {}

InstanceWatch::~InstanceWatch() {
  stopping_ = true;
  thread_.join();
}

void InstanceWatch::run() {
  Result<http::Client> client = http::Client::create(address_);
  while (client && !stopping_.load()) {
    Result<http::Response> r = client->get("/v1/service/" + service_);
    const WallClock::time_point now = WallClock::now();
    if (r && r->status == 200) {
      nlohmann::json instances = nlohmann::json::parse(r->body, nullptr, false);
      std::set<std::string> present;
      std::lock_guard lock(mutex_);
      for (const nlohmann::json& i : instances.is_array() ? instances : nlohmann::json::array()) {
        const std::string alloc = i.value("AllocID", "");
        present.insert(alloc);
        auto [life, added] = lives_.try_emplace(alloc);
        if (added) life->second.first_seen = now;
        life->second.canary = life->second.canary || i.value("Canary", false);
        if (i.value("Draining", false)) {
          if (!life->second.drain_start) {
            const int64_t ns = i.value("DrainStartTime", int64_t{0});
            life->second.drain_start = WallClock::time_point(
                std::chrono::duration_cast<WallClock::duration>(std::chrono::nanoseconds(ns)));
          }
          if (i.contains("Traffic") && i["Traffic"].is_object()) {
            life->second.most_sessions_reported =
                std::max(life->second.most_sessions_reported, i["Traffic"].value("Sessions", 0));
          }
        }
      }
      for (auto& [alloc, life] : lives_) {
        if (!life.gone && !present.contains(alloc)) life.gone = now;
        if (life.gone && present.contains(alloc)) life.gone.reset();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::map<std::string, InstanceLife> InstanceWatch::lives() const {
  std::lock_guard lock(mutex_);
  return lives_;
}

std::optional<WallClock::time_point> InstanceWatch::drain_start(const std::string& alloc) const {
  std::lock_guard lock(mutex_);
  auto it = lives_.find(alloc);
  return it == lives_.end() ? std::nullopt : it->second.drain_start;
}

}  // namespace caravan::testing
