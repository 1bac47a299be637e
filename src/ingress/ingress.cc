#include "ingress/ingress.h"

#include <spdlog/spdlog.h>

#include "core/uuid.h"

namespace caravan::ingress {
namespace {

proxy::ListenerOptions listener_options(const proxy::IngressListener& listener) {
  proxy::ListenerOptions out;
  out.address = listener.address;
  out.port = listener.port;
  if (listener.tls) out.certificates = listener.tls->certificates;
  return out;
}

}  // namespace

Result<std::unique_ptr<Ingress>> Ingress::start(IngressOptions options) {
  proxy::IngressConfig config;
  if (!options.config_file.empty()) {
    config = CARAVAN_TRY(proxy::load_ingress_file(options.config_file));
  }
  proxy::EngineOptions engine;
  engine.threads = options.threads;
  engine.access_log_path = options.access_log_path;
  for (const proxy::IngressListener& listener : config.listeners) {
    engine.listeners.push_back(listener_options(listener));
  }
  if (engine.listeners.empty()) {
    proxy::ListenerOptions fallback;
    fallback.address = options.default_address;
    fallback.port = options.default_port;
    engine.listeners.push_back(fallback);
  }
  std::unique_ptr<Ingress> ingress(new Ingress());
  ingress->director_ = std::make_shared<proxy::CatalogDirector>(std::move(config));
  ingress->engine_ = std::make_unique<proxy::Engine>(std::move(engine), ingress->director_);
  CARAVAN_RETURN_IF_ERROR(ingress->engine_->start());
  CatalogFollowerOptions follow;
  follow.servers = options.catalog_servers;
  ingress->follower_ = std::make_unique<CatalogFollower>(follow, ingress->director_);
  TrafficReporterOptions report;
  report.servers = follow.servers;
  report.ingress_id = generate_uuid();
  report.interval = ingress->director_->traffic().report_interval;
  ingress->reporter_ =
      std::make_unique<TrafficReporter>(std::move(report), ingress->director_, *ingress->follower_);
  return ingress;
}

Ingress::~Ingress() { stop(std::chrono::steady_clock::now() + std::chrono::seconds(5)); }

void Ingress::stop(std::chrono::steady_clock::time_point deadline) {
  if (stopped_) return;
  stopped_ = true;
  reporter_.reset();
  if (follower_) follower_->stop();
  if (engine_) engine_->stop(deadline);
}

std::vector<uint16_t> Ingress::ports() const { return engine_->bound_ports(); }

std::string Ingress::metrics_text() const { return engine_->metrics_text(); }

std::string Ingress::routes_json() const { return director_->table()->to_json(); }

std::string Ingress::draining_json() const {
  return instance_loads_json(director_->draining_load());
}

}  // namespace caravan::ingress
