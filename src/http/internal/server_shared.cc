#include "http/internal/server_shared.h"

namespace caravan::http::internal {

ServerShared::ServerShared(Router router, ServerOptions options)
    : options_(std::move(options)), router_(std::move(router)), pool_(options_.max_workers) {}

bool ServerShared::add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (draining_) {
    return false;
  }
  connections_.emplace(connection.get(), connection);
  return true;
}

void ServerShared::remove(Connection* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
  if (connections_.empty()) {
    closed_.notify_all();
  }
}

std::vector<std::shared_ptr<Connection>> ServerShared::drain() {
  {
    std::lock_guard lock(mutex_);
    draining_ = true;
  }
  return open_connections();
}

std::vector<std::shared_ptr<Connection>> ServerShared::open_connections() {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard lock(mutex_);
  for (auto& [ptr, weak] : connections_) {
    if (auto strong = weak.lock()) {
      out.push_back(std::move(strong));
    }
  }
  return out;
}

bool ServerShared::wait_until_closed(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return closed_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

size_t ServerShared::open_count() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace caravan::http::internal
