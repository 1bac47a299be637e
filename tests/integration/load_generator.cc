#include "load_generator.h"

#include <optional>

#include "http/client.h"

namespace caravan::testing {

struct LoadGenerator::Client {
  ClientRecord record;           // written by the client's thread only
  std::atomic<size_t> answered{0};
  std::string sticky_value;      // the ingress's sticky cookie, once given
};

namespace {

// The value of `name`=... in a Set-Cookie header, or "".
std::string set_cookie_value(const http::Response& response, const std::string& name) {
  std::optional<std::string_view> set = response.headers.get("Set-Cookie");
  if (!set || !set->starts_with(name + "=")) return "";
  std::string_view rest = set->substr(name.size() + 1);
  return std::string(rest.substr(0, rest.find(';')));
}

}  // namespace

std::string answering_instance(const std::string& body) {
  if (!body.starts_with("instance=")) return "";
  return body.substr(9, body.find(' ') - 9);
}

LoadGenerator::LoadGenerator(LoadOptions options) : options_(std::move(options)) {
  for (int i = 0; i < options_.clients; ++i) {
    auto client = std::make_unique<Client>();
    client->record.n = i;
    client->record.sticky = i % 2 == 0;
    clients_.push_back(std::move(client));
  }
  for (auto& client : clients_) threads_.emplace_back([this, c = client.get()] { run(*c); });
}

LoadGenerator::~LoadGenerator() { stop(); }

void LoadGenerator::run(Client& c) {
  const std::string address = "http://127.0.0.1:" + std::to_string(options_.port);
  std::optional<http::Client> connection;
  while (!stopping_.load()) {
    if (!connection) {
      Result<http::Client> made = http::Client::create(address);
      if (!made) {
        c.record.failures.push_back(made.error().message());
        std::this_thread::sleep_for(options_.pause);
        continue;
      }
      connection.emplace(std::move(*made));
    }
    http::RequestOptions request;
    request.headers.set("Host", options_.host);
    request.timeout = std::chrono::seconds(10);
    if (c.record.sticky) {
      std::string cookie = options_.session_cookie + "=client" + std::to_string(c.record.n);
      if (!c.sticky_value.empty()) cookie = options_.sticky_cookie + "=" + c.sticky_value + "; " + cookie;
      request.headers.set("Cookie", cookie);
    }
    ++c.record.sent;
    Result<http::Response> r = connection->get("/work", request);
    if (!r || r->status != 200) {
      c.record.failures.push_back(r ? std::to_string(r->status) + " " + r->body : r.error().message());
      connection.reset();
      std::this_thread::sleep_for(options_.pause);
      continue;
    }
    c.record.answers.push_back({WallClock::now(), answering_instance(r->body)});
    c.answered.fetch_add(1);
    if (c.record.sticky && !options_.sticky_cookie.empty()) {
      if (std::string v = set_cookie_value(*r, options_.sticky_cookie); !v.empty()) c.sticky_value = v;
    }
    std::this_thread::sleep_for(options_.pause);
  }
}

size_t LoadGenerator::answered() const {
  size_t n = 0;
  for (const auto& c : clients_) n += c->answered.load();
  return n;
}

bool LoadGenerator::wait_for_answers(size_t more, std::chrono::milliseconds timeout) {
  const size_t target = answered() + more;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (answered() < target) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

const std::vector<ClientRecord>& LoadGenerator::stop() {
  if (!stopping_.exchange(true)) {
    for (std::thread& t : threads_) t.join();
    for (const auto& c : clients_) records_.push_back(c->record);
  }
  return records_;
}

}  // namespace caravan::testing
