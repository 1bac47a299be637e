// CatalogFollower: keeps a CatalogDirector in step with a caravan server's
// catalog. One thread holds a blocking query on GET /v1/catalog/instances and
// hands every new instance list to the director, so a newly passing instance
// becomes routable (and a failing or stopped one leaves rotation) as soon as
// the server's answer arrives. When no server answers it keeps the last routes
// and retries with backoff.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/duration.h"
#include "model/service_registration.h"
#include "proxy/catalog_director.h"
#include "proxy/catalog_instance.h"

namespace caravan::ingress {

struct CatalogFollowerOptions {
  std::vector<std::string> servers;  // "http://127.0.0.1:4646"; tried in turn
  Duration wait = std::chrono::seconds(5);  // each blocking query's ?wait=
  Duration retry_initial = std::chrono::milliseconds(200);
  Duration retry_max = std::chrono::seconds(5);
};

// What the ingress makes of one catalog registration: routable only when its
// checks all pass (proxy/catalog_instance.h).
proxy::CatalogInstance to_catalog_instance(const model::ServiceRegistration& registration);

class CatalogFollower {
 public:
  // Starts following at once. The thread keeps `director` alive; it ends after
  // stop() within one blocking query's wait (it is detached, so stop() returns
  // at once and the follower may be destroyed).
  CatalogFollower(CatalogFollowerOptions options, std::shared_ptr<proxy::CatalogDirector> director);
  ~CatalogFollower();  // stop()
  CatalogFollower(const CatalogFollower&) = delete;
  CatalogFollower& operator=(const CatalogFollower&) = delete;

  void stop();
  // The catalog index of the last list applied; 0 before the first.
  int64_t index() const;
  // Waits until a list at index > `after` has been applied, or `timeout`.
  bool wait_applied(int64_t after, std::chrono::milliseconds timeout) const;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace caravan::ingress
