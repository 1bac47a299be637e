// State the server's threads share: options, routes, the worker pool and the
// registry of open connections that stop() walks. Owned by Server; outlives
// every Connection (stop() waits until the registry is empty).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "http/internal/worker_pool.h"
#include "http/router.h"
#include "http/server.h"

namespace caravan::http::internal {

class Connection;

class ServerShared {
 public:
  ServerShared(Router router, ServerOptions options);

  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  WorkerPool& pool() { return pool_; }

  // Registers a new connection; false once draining (the caller closes it).
  bool add(const std::shared_ptr<Connection>& connection);
  // Called by ~Connection, on whichever thread drops the last reference.
  void remove(Connection* connection);
  // Marks the server draining (add() refuses from now on) and returns the open
  // connections.
  std::vector<std::shared_ptr<Connection>> drain();
  // Whether drain() was called: responses from now on end their connection.
  bool draining() const { return draining_.load(); }
  std::vector<std::shared_ptr<Connection>> open_connections();
  // Waits until no connection is open or `deadline` passes; true when none is.
  bool wait_until_closed(std::chrono::steady_clock::time_point deadline);
  size_t open_count() const;

 private:
  const ServerOptions options_;
  const Router router_;
  WorkerPool pool_;
  mutable std::mutex mutex_;
  std::condition_variable closed_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
  std::atomic<bool> draining_{false};  // written under mutex_, read without
};

}  // namespace caravan::http::internal
