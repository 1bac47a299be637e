// A standalone ingress engine for load tests: forwards every request to one
// backend through a fixed Director, until SIGINT/SIGTERM, then prints the CPU
// it spent. bench/proxy/run_engine_bench.sh drives it with wrk against nginx
// and HAProxy 2.6 under the same conditions.
//   engine_bench --listen 127.0.0.1:18081 --backend 127.0.0.1:18080 [--threads 1]
//                [--access-log PATH] [--cert PEM --key PEM]
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "proxy/engine.h"

namespace {

class FixedDirector : public caravan::proxy::Director {
 public:
  explicit FixedDirector(caravan::proxy::Endpoint ep) : ep_(std::move(ep)) {}
  caravan::proxy::Decision decide(const caravan::proxy::RequestHead& head,
                                  const caravan::proxy::ClientInfo&) override {
    caravan::proxy::Forward f;
    f.route = "bench";
    f.service = ep_.service;
    f.target = head.target;
    f.candidates.push_back(ep_);
    return f;
  }
  void on_attempt_start(const caravan::proxy::Endpoint&) override {}
  void on_attempt_end(const caravan::proxy::Endpoint&, const caravan::proxy::Outcome&) override {}

 private:
  caravan::proxy::Endpoint ep_;
};

bool split_host_port(const std::string& s, std::string* host, uint16_t* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  *host = s.substr(0, colon);
  *port = static_cast<uint16_t>(std::stoi(s.substr(colon + 1)));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:18081", backend = "127.0.0.1:18080", access_log, cert, key;
  unsigned threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--listen") listen = argv[i + 1];
    else if (flag == "--backend") backend = argv[i + 1];
    else if (flag == "--threads") threads = static_cast<unsigned>(std::stoi(argv[i + 1]));
    else if (flag == "--access-log") access_log = argv[i + 1];
    else if (flag == "--cert") cert = argv[i + 1];
    else if (flag == "--key") key = argv[i + 1];
  }
  caravan::proxy::EngineOptions options;
  options.threads = threads;
  options.access_log_path = access_log;
  caravan::proxy::ListenerOptions l;
  caravan::proxy::Endpoint ep;
  ep.instance_id = "bench-backend";
  ep.service = "bench";
  if (!split_host_port(listen, &l.address, &l.port) ||
      !split_host_port(backend, &ep.address, &ep.port)) {
    std::fprintf(stderr, "usage: engine_bench --listen HOST:PORT --backend HOST:PORT [--threads N]\n");
    return 2;
  }
  if (!cert.empty()) l.certificates.push_back({cert, key});
  options.listeners.push_back(l);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // loops inherit the mask

  caravan::proxy::Engine engine(options, std::make_shared<FixedDirector>(ep));
  caravan::Status s = engine.start();
  if (!s.is_ok()) {
    std::fprintf(stderr, "%s\n", s.to_string().c_str());
    return 1;
  }
  std::printf("engine_bench pid %d listening on %s:%u → %s\n", getpid(), l.address.c_str(),
              engine.bound_ports()[0], backend.c_str());
  std::fflush(stdout);
  int sig;
  sigwait(&set, &sig);
  engine.stop(std::chrono::steady_clock::now() + std::chrono::seconds(1));
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf("cpu user %.3f s sys %.3f s\n", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
              ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  std::string metrics = engine.metrics_text();
  size_t pos = metrics.find("caravan_proxy_requests_total{");
  if (pos != std::string::npos) {
    std::printf("%s\n", metrics.substr(pos, metrics.find('\n', pos) - pos).c_str());
  }
  return 0;
}
