#include "proxy/ingress_file.h"

#include <fstream>
#include <set>
#include <sstream>

#include "core/duration.h"
#include "core/strings.h"
#include "hcl/eval.h"
#include "hcl/functions.h"
#include "hcl/parser.h"
#include "proxy/internal/text.h"

namespace caravan::proxy {
namespace {

struct BodySchema {
  std::vector<std::string_view> attributes;
  std::vector<std::string_view> blocks;   // no labels
  std::vector<std::string_view> labeled;  // one label
};

// Reads one HCL body: checks its shape against a schema (HCL's own wording for
// unknown arguments and blocks, with a suggestion), then hands out typed values.
class Reader {
 public:
  Reader(const hcl::Body& body, const BodySchema& schema, const hcl::EvalContext& ctx,
         hcl::Diagnostics& diags)
      : body_(body), ctx_(ctx), diags_(diags) {
    std::vector<std::string> attr_names(schema.attributes.begin(), schema.attributes.end());
    std::vector<std::string> block_names(schema.blocks.begin(), schema.blocks.end());
    block_names.insert(block_names.end(), schema.labeled.begin(), schema.labeled.end());
    for (const hcl::Attribute& attr : body.attributes) {
      if (contains(schema.attributes, attr.name)) continue;
      std::string detail = "An argument named \"" + attr.name + "\" is not expected here.";
      if (contains(schema.blocks, attr.name) || contains(schema.labeled, attr.name)) {
        detail += " Did you mean to define a block of type \"" + attr.name + "\"?";
      } else if (std::string s = suggest_name(attr.name, attr_names); !s.empty()) {
        detail += " Did you mean \"" + s + "\"?";
      }
      diags_.error(attr.name_range, "Unsupported argument", detail);
    }
    for (const hcl::Block& block : body.blocks) {
      bool plain = contains(schema.blocks, block.type);
      bool labeled = contains(schema.labeled, block.type);
      if (!plain && !labeled) {
        std::string detail = "Blocks of type \"" + block.type + "\" are not expected here.";
        if (contains(schema.attributes, block.type)) {
          detail += " Did you mean to define argument \"" + block.type +
                    "\"? If so, use the equals sign to assign it a value.";
        } else if (std::string s = suggest_name(block.type, block_names); !s.empty()) {
          detail += " Did you mean \"" + s + "\"?";
        }
        diags_.error(block.type_range, "Unsupported block type", detail);
        continue;
      }
      size_t want = labeled ? 1 : 0;
      if (block.labels.size() < want) {
        diags_.error(block.type_range, "Missing name for " + block.type,
                     "All " + block.type + " blocks must have 1 label (name), e.g. " + block.type +
                         " \"web\" { ... }.");
      } else if (block.labels.size() > want) {
        diags_.error(block.label_ranges[want], "Extraneous label for " + block.type,
                     want == 0 ? "No labels are expected for this block."
                               : "Only 1 label (name) is expected.");
      }
    }
  }

  const hcl::Attribute* attr(std::string_view name) const { return body_.find_attribute(name); }

  std::optional<hcl::Value> value(std::string_view name) {
    const hcl::Attribute* a = attr(name);
    if (a == nullptr) return std::nullopt;
    hcl::Value v = hcl::evaluate(*a->expr, ctx_, diags_);
    if (v.is_null() || v.is_unknown()) return std::nullopt;
    return v;
  }

  void type_error(std::string_view name, const std::string& what) {
    const hcl::Attribute* a = attr(name);
    diags_.error(a->expr->range, "Incorrect attribute value type",
                 "Inappropriate value for attribute \"" + std::string(name) + "\": " + what + ".");
  }
  void invalid(std::string_view name, const std::string& detail) {
    const hcl::Attribute* a = attr(name);
    diags_.error(a->expr->range, "Invalid value for \"" + std::string(name) + "\"", detail);
  }

  bool read(std::string_view name, std::string* out) {
    std::optional<hcl::Value> v = value(name);
    if (!v) return false;
    if (v->is_string()) {
      *out = v->as_string();
      return true;
    }
    type_error(name, "string required, got " + std::string(v->type_name()));
    return false;
  }
  bool read(std::string_view name, bool* out) {
    std::optional<hcl::Value> v = value(name);
    if (!v) return false;
    if (v->is_bool()) {
      *out = v->as_bool();
      return true;
    }
    type_error(name, "bool required, got " + std::string(v->type_name()));
    return false;
  }
  bool read(std::string_view name, long long* out, long long min, long long max) {
    std::optional<hcl::Value> v = value(name);
    if (!v) return false;
    if (!v->is_number() || !v->is_integer()) {
      type_error(name, "a whole number is required, got " + std::string(v->type_name()));
      return false;
    }
    if (v->as_integer() < min || v->as_integer() > max) {
      invalid(name, "\"" + std::string(name) + "\" must be between " + std::to_string(min) +
                        " and " + std::to_string(max) + ", got " + std::to_string(v->as_integer()) +
                        ".");
      return false;
    }
    *out = v->as_integer();
    return true;
  }
  bool read(std::string_view name, std::vector<std::string>* out) {
    std::optional<hcl::Value> v = value(name);
    if (!v) return false;
    if (!v->is_list()) {
      type_error(name, "list of string required, got " + std::string(v->type_name()));
      return false;
    }
    std::vector<std::string> items;
    for (const hcl::Value& item : v->as_list()) {
      if (!item.is_string()) {
        type_error(name, "list of string required, found an element of type " +
                             std::string(item.type_name()));
        return false;
      }
      items.push_back(item.as_string());
    }
    *out = std::move(items);
    return true;
  }
  bool read(std::string_view name, std::map<std::string, std::string>* out) {
    std::optional<hcl::Value> v = value(name);
    if (!v) return false;
    if (!v->is_object()) {
      type_error(name, "map of string required, got " + std::string(v->type_name()));
      return false;
    }
    for (const auto& [k, item] : v->as_object()) {
      if (!item.is_string()) {
        type_error(name, "map of string required, \"" + k + "\" is " + item.type_name());
        return false;
      }
      (*out)[k] = item.as_string();
    }
    return true;
  }

  std::vector<const hcl::Block*> blocks(std::string_view type, size_t labels) const {
    std::vector<const hcl::Block*> out;
    for (const hcl::Block& b : body_.blocks) {
      if (b.type == type && b.labels.size() == labels) out.push_back(&b);
    }
    return out;
  }
  // The single block of `type` (errors on duplicates), or null.
  const hcl::Block* single(std::string_view type) {
    std::vector<const hcl::Block*> all = blocks(type, 0);
    for (size_t i = 1; i < all.size(); ++i) {
      diags_.error(all[i]->type_range, "Duplicate " + std::string(type) + " block",
                   "Only one " + std::string(type) + " block is allowed here; the first is at " +
                       all[0]->type_range.to_string() + ".");
    }
    return all.empty() ? nullptr : all[0];
  }

  hcl::Diagnostics& diags() { return diags_; }
  const hcl::EvalContext& ctx() const { return ctx_; }

 private:
  static bool contains(const std::vector<std::string_view>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  const hcl::Body& body_;
  const hcl::EvalContext& ctx_;
  hcl::Diagnostics& diags_;
};

const BodySchema kTop{.attributes = {}, .blocks = {"listener", "tags", "traffic"}};
const BodySchema kTraffic{.attributes = {"canary_header", "canary_value", "session_idle_timeout",
                                         "report_interval"}};
const BodySchema kTags{
    .attributes = {"enabled", "fabio_prefix", "traefik_prefix", "traefik_exposed_by_default"}};
const BodySchema kListener{.attributes = {"port", "address", "protocol", "trusted_proxies"},
                           .blocks = {"tls"},
                           .labeled = {"service"}};
const BodySchema kTls{.attributes = {"min_version"}, .blocks = {"certificate"}};
const BodySchema kCertificate{.attributes = {"cert_file", "key_file"}};
const BodySchema kService{.attributes = {"hosts", "path_prefix", "strip_prefix", "prefix_rewrite",
                                         "priority", "balance", "servers", "backup_servers"},
                          .blocks = {"request_headers", "response_headers", "hash_on", "sticky"}};
const BodySchema kRequestHeaders{.attributes = {"set", "remove"}};
const BodySchema kResponseHeaders{.attributes = {"set", "add", "remove"}};
const BodySchema kHashOn{.attributes = {"cookie", "header", "source_ip"}};
const BodySchema kSticky{
    .attributes = {"cookie_name", "secure", "http_only", "same_site", "max_age", "path"}};

class IngressDecoder {
 public:
  IngressDecoder(const hcl::EvalContext& ctx, hcl::Diagnostics& diags) : ctx_(ctx), diags_(diags) {}

  IngressConfig decode(const hcl::Body& body) {
    IngressConfig config;
    Reader top(body, kTop, ctx_, diags_);
    if (const hcl::Block* b = top.single("tags")) read_tags(*b, &config.tags);
    if (const hcl::Block* b = top.single("traffic")) read_traffic(*b, &config.traffic);
    std::set<std::pair<std::string, uint16_t>> bound;
    for (const hcl::Block* b : top.blocks("listener", 0)) {
      IngressListener l = read_listener(*b);
      if (l.port != 0 && !bound.insert({l.address, l.port}).second) {
        diags_.error(b->type_range, "Duplicate listener",
                     "Another listener already binds " + l.address + ":" + std::to_string(l.port) +
                         "; give each listener its own port.");
      }
      config.listeners.push_back(std::move(l));
    }
    return config;
  }

 private:
  void read_tags(const hcl::Block& block, TagSettings* out) {
    Reader r(block.body, kTags, ctx_, diags_);
    r.read("enabled", &out->enabled);
    r.read("fabio_prefix", &out->fabio_prefix);
    r.read("traefik_prefix", &out->traefik.prefix);
    r.read("traefik_exposed_by_default", &out->traefik.exposed_by_default);
  }

  void read_traffic(const hcl::Block& block, TrafficSettings* out) {
    Reader r(block.body, kTraffic, ctx_, diags_);
    r.read("canary_header", &out->canary_header);
    r.read("canary_value", &out->canary_value);
    read_positive_duration(r, "session_idle_timeout", &out->session_idle_timeout);
    read_positive_duration(r, "report_interval", &out->report_interval);
  }

  void read_positive_duration(Reader& r, std::string_view name, std::chrono::nanoseconds* out) {
    std::string text;
    if (!r.read(name, &text)) return;
    Result<Duration> d = parse_duration(text);
    if (!d) {
      r.invalid(name, d.error().message() + "; write e.g. \"30s\" or \"500ms\".");
    } else if (*d <= Duration::zero()) {
      r.invalid(name, "\"" + std::string(name) + "\" must be longer than 0, got \"" + text + "\".");
    } else {
      *out = *d;
    }
  }

  IngressListener read_listener(const hcl::Block& block) {
    IngressListener l;
    l.where = block.type_range;
    Reader r(block.body, kListener, ctx_, diags_);
    long long port = 0;
    if (r.read("port", &port, 1, 65535)) {
      l.port = static_cast<uint16_t>(port);
    } else if (r.attr("port") == nullptr) {
      diags_.error(block.type_range, "Missing required argument",
                   "The argument \"port\" is required, but no definition was found.");
    }
    r.read("address", &l.address);
    if (r.read("protocol", &l.protocol) && l.protocol != "http") {
      r.invalid("protocol",
                "Only protocol = \"http\" is supported (TLS is configured with a "
                "tls block), got \"" +
                    l.protocol + "\".");
    }
    if (r.read("trusted_proxies", &l.trusted_proxies)) {
      for (const std::string& cidr : l.trusted_proxies) {
        if (!internal::parse_cidr(cidr)) {
          r.invalid("trusted_proxies", "\"" + cidr +
                                           "\" is not an IP address or CIDR range "
                                           "such as \"10.0.0.0/8\".");
        }
      }
    }
    if (const hcl::Block* t = r.single("tls")) l.tls = read_tls(*t);
    std::set<std::string> routes;
    for (const hcl::Block* s : r.blocks("service", 1)) {
      IngressService svc = read_service(*s);
      std::string key = join(svc.hosts, ",") + svc.path_prefix;
      if (!routes.insert(key).second) {
        diags_.error(s->type_range, "Duplicate route",
                     "Another service of this listener already routes the same hosts and "
                     "path_prefix; change hosts or path_prefix.");
      }
      l.services.push_back(std::move(svc));
    }
    return l;
  }

  ListenerTls read_tls(const hcl::Block& block) {
    ListenerTls tls;
    Reader r(block.body, kTls, ctx_, diags_);
    if (r.read("min_version", &tls.min_version) && tls.min_version != "1.2" &&
        tls.min_version != "1.3") {
      r.invalid("min_version", "min_version must be \"1.2\" or \"1.3\".");
    }
    for (const hcl::Block* c : r.blocks("certificate", 0)) {
      Reader cr(c->body, kCertificate, ctx_, diags_);
      TlsCertificate files;
      cr.read("cert_file", &files.cert_file);
      cr.read("key_file", &files.key_file);
      if (files.cert_file.empty() || files.key_file.empty()) {
        diags_.error(c->type_range, "Missing required argument",
                     "A certificate needs both cert_file and key_file (PEM files).");
      }
      tls.certificates.push_back(std::move(files));
    }
    if (tls.certificates.empty()) {
      diags_.error(
          block.type_range, "Missing certificate block",
          "A tls block needs at least one certificate { cert_file = ... key_file = ... }.");
    }
    return tls;
  }

  std::vector<StaticServer> read_servers(Reader& r, std::string_view name) {
    std::vector<std::string> items;
    std::vector<StaticServer> out;
    if (!r.read(name, &items)) return out;
    for (const std::string& item : items) {
      size_t colon = item.rfind(':');
      // 0 = no port. (Not an optional: g++ 12 -O2 reports it maybe-uninitialized.)
      long long port = 0;
      if (colon != std::string::npos) {
        port = internal::parse_int(std::string_view(item).substr(colon + 1)).value_or(0);
      }
      std::string host = colon == std::string::npos ? item : item.substr(0, colon);
      if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      if (port < 1 || port > 65535 || host.empty()) {
        r.invalid(name, "\"" + item +
                            "\" is not an address: write host:port, e.g. "
                            "\"127.0.0.1:9000\" or \"[::1]:9000\".");
        continue;
      }
      out.push_back({host, static_cast<uint16_t>(port)});
    }
    return out;
  }

  HeaderOps read_headers(const hcl::Block& block, const BodySchema& schema) {
    HeaderOps ops;
    Reader r(block.body, schema, ctx_, diags_);
    r.read("set", &ops.set);
    r.read("add", &ops.add);
    r.read("remove", &ops.remove);
    return ops;
  }

  IngressService read_service(const hcl::Block& block) {
    IngressService s;
    s.name = block.labels[0];
    s.where = block.type_range;
    Reader r(block.body, kService, ctx_, diags_);
    if (r.read("hosts", &s.hosts)) {
      for (std::string& h : s.hosts) h = internal::to_lower(h);
    }
    if (r.read("path_prefix", &s.path_prefix) &&
        (s.path_prefix.empty() || s.path_prefix.front() != '/')) {
      r.invalid("path_prefix", "path_prefix must start with \"/\", got \"" + s.path_prefix + "\".");
    }
    r.read("strip_prefix", &s.strip_prefix);
    if (r.read("prefix_rewrite", &s.prefix_rewrite) && s.strip_prefix) {
      r.invalid("prefix_rewrite", "Use either strip_prefix or prefix_rewrite, not both.");
    }
    long long priority = 0;
    if (r.read("priority", &priority, -1000000, 1000000)) s.priority = static_cast<int>(priority);
    std::string balance;
    if (r.read("balance", &balance)) {
      if (std::optional<BalanceAlgorithm> a = parse_balance_algorithm(balance)) {
        s.balance.algorithm = *a;
      } else {
        r.invalid("balance",
                  "balance must be one of round_robin, least_request, random, "
                  "ring_hash, maglev; got \"" +
                      balance + "\".");
      }
    }
    s.servers = read_servers(r, "servers");
    s.backup_servers = read_servers(r, "backup_servers");
    if (const hcl::Block* b = r.single("request_headers")) {
      s.request_headers = read_headers(*b, kRequestHeaders);
    }
    if (const hcl::Block* b = r.single("response_headers")) {
      s.response_headers = read_headers(*b, kResponseHeaders);
    }
    if (const hcl::Block* b = r.single("hash_on")) {
      Reader h(b->body, kHashOn, ctx_, diags_);
      int given = 0;
      if (h.read("cookie", &s.balance.hash_on.name)) {
        s.balance.hash_on.kind = HashOn::Kind::kCookie;
        ++given;
      }
      std::string header;
      if (h.read("header", &header)) {
        s.balance.hash_on = {HashOn::Kind::kHeader, header};
        ++given;
      }
      bool source_ip = false;
      if (h.read("source_ip", &source_ip) && source_ip) {
        s.balance.hash_on = {HashOn::Kind::kSourceIp, ""};
        ++given;
      }
      if (given != 1) {
        diags_.error(
            b->type_range, "Invalid hash_on block",
            "Set exactly one of cookie = \"name\", header = \"name\" or source_ip = true.");
      } else if (s.balance.algorithm != BalanceAlgorithm::kRingHash &&
                 s.balance.algorithm != BalanceAlgorithm::kMaglev) {
        diags_.error(b->type_range, "hash_on needs a hashing balancer",
                     "hash_on is used only with balance = \"ring_hash\" or \"maglev\"; set one.");
      }
    }
    if (const hcl::Block* b = r.single("sticky")) {
      Reader st(b->body, kSticky, ctx_, diags_);
      StickyCookie c;
      st.read("cookie_name", &c.name);
      st.read("secure", &c.secure);
      st.read("http_only", &c.http_only);
      if (st.read("same_site", &c.same_site)) {
        c.same_site = internal::to_lower(c.same_site);
        if (c.same_site != "none" && c.same_site != "lax" && c.same_site != "strict") {
          st.invalid("same_site", "same_site must be \"none\", \"lax\" or \"strict\".");
        }
      }
      long long max_age = 0;
      if (st.read("max_age", &max_age, 0, 400LL * 24 * 3600)) c.max_age = static_cast<int>(max_age);
      st.read("path", &c.path);
      s.balance.sticky = c;
    }
    return s;
  }

  const hcl::EvalContext& ctx_;
  hcl::Diagnostics& diags_;
};

}  // namespace

Result<IngressConfig> parse_ingress_file(std::string source, std::string filename) {
  hcl::Diagnostics diags;
  std::string text = source;
  std::unique_ptr<hcl::File> file = hcl::parse_file(std::move(source), filename, diags);
  if (file == nullptr || diags.has_errors()) return diags.to_status(&text, filename);
  std::filesystem::path base = std::filesystem::path(filename).parent_path();
  hcl::FunctionTable functions = hcl::standard_functions(base.empty() ? "." : base);
  hcl::EvalContext ctx;
  ctx.functions = &functions;
  ctx.keep_runtime_references = false;
  IngressConfig config = IngressDecoder(ctx, diags).decode(file->body);
  if (diags.has_errors()) return diags.to_status(&text, filename);
  return config;
}

Result<IngressConfig> load_ingress_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return invalid_argument("cannot read the ingress file \"" + path.string() +
                            "\": it does not exist or is not readable");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_ingress_file(text.str(), path.string());
}

}  // namespace caravan::proxy
