// `caravan ingress [options]`: the ingress gateway as its own process — the
// listeners of the ingress file (or one on -bind:-port), routes from the file
// and from the catalog's Fabio/Traefik tags, following the catalog of the
// agent at -address; metrics and routes on the admin port. Runs until SIGINT
// or SIGTERM, then lets requests in flight finish.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "http/server.h"
#include "ingress/admin_routes.h"
#include "ingress/ingress.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kHelp =
    "Usage: caravan ingress [options]\n\n"
    "  Runs the ingress gateway: it routes HTTP requests to the passing instances\n"
    "  of services in the catalog (Fabio `urlprefix-` and Traefik `traefik.*`\n"
    "  tags) and to the services of an ingress file, following the catalog of\n"
    "  the agent at -address. Run it as a system job on a static port behind the\n"
    "  cloud load balancer, or on its own in front of static servers.\n\n"
    "Ingress Options:\n\n"
    "  -config=<path>\n"
    "    The ingress file (listeners, services, TLS); see docs/ingress.\n\n"
    "  -address=<addr>\n"
    "    The agent whose catalog to follow (default $CARAVAN_ADDR, $NOMAD_ADDR,\n"
    "    then http://127.0.0.1:4646).\n\n"
    "  -bind=<address>, -port=<port>\n"
    "    The listener when the file declares none (default 0.0.0.0:8080).\n\n"
    "  -admin-port=<port>\n"
    "    Serve /metrics, /routes and /status on 127.0.0.1:<port> (default 8082;\n"
    "    -1 turns it off).\n\n"
    "  -threads=<n>\n"
    "    Event-loop threads (default: one per core).\n\n"
    "  -access-log=<path>\n"
    "    Write a JSON access log line per request (\"-\" = stdout).\n\n";

int run_ingress(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  std::string config_file, bind = "0.0.0.0", access_log;
  int port = 8080, admin_port = 8082, threads = 0;
  flags.add_string("config", &config_file, "ingress file");
  flags.add_string("bind", &bind, "listener address");
  flags.add_int("port", &port, "listener port");
  flags.add_int("admin-port", &admin_port, "admin port");
  flags.add_int("threads", &threads, "event-loop threads");
  flags.add_string("access-log", &access_log, "access log path");
  int exit_code = 0;
  auto positional = parse_command_flags(flags, args, std::string(kHelp), io, &exit_code);
  if (!positional) return exit_code;
  if (!positional->empty()) {
    io.err << "This command takes no arguments\n\n" << kHelp;
    return 1;
  }
  if (port < 0 || port > 65535 || admin_port < -1 || admin_port > 65535 || threads < 0) {
    io.err << "-port and -admin-port must be ports (0-65535) and -threads not negative\n";
    return 1;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;

  block_termination_signals();
  ingress::IngressOptions options;
  options.catalog_servers = {api->address()};
  options.config_file = config_file;
  options.default_address = bind;
  options.default_port = static_cast<uint16_t>(port);
  options.threads = static_cast<unsigned>(threads);
  options.access_log_path = access_log;
  Result<std::unique_ptr<ingress::Ingress>> started = ingress::Ingress::start(options);
  if (!started) {
    io.err << "==> Error starting the ingress: " << started.error().to_string() << "\n";
    return 1;
  }
  const ingress::Ingress* running = started->get();
  std::unique_ptr<http::Server> admin;
  if (admin_port >= 0) {
    http::Router router;
    ingress::add_admin_routes(router, "", [running] { return running; });
    http::ServerOptions admin_options;
    admin_options.address = "127.0.0.1";
    admin_options.port = static_cast<uint16_t>(admin_port);
    admin = std::make_unique<http::Server>(std::move(router), admin_options);
    Status listening = admin->start();
    if (!listening.is_ok()) {
      io.err << "==> Error starting the admin endpoint: " << listening.message() << "\n";
      return 1;
    }
  }
  io.out << "==> Caravan ingress started\n";
  for (uint16_t bound : running->ports()) io.out << "    Listening on port " << bound << "\n";
  io.out << "    Following the catalog of " << api->address() << "\n";
  if (admin) io.out << "    Admin (metrics, routes): " << admin->url() << "\n";
  io.out << std::flush;
  wait_for_termination_signal();
  io.out << "==> Caught signal, letting requests in flight finish...\n" << std::flush;
  started->get()->stop(std::chrono::steady_clock::now() + std::chrono::seconds(10));
  if (admin) admin->stop();
  io.out << "==> Shutdown complete\n";
  return 0;
}

}  // namespace

const Command kIngressCommand{"ingress", "Runs the ingress gateway", kHelp, run_ingress};

}  // namespace caravan::cli
