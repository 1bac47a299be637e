// IP network functions on CIDR prefixes, IPv4 and IPv6: cidrhost,
// cidrnetmask, cidrsubnet and cidrsubnets.
#include <arpa/inet.h>

#include <cstring>

#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"

namespace caravan::hcl::internal {

namespace {

using U128 = unsigned __int128;

struct Prefix {
  U128 network = 0;  // host bits cleared
  int length = 0;
  int bits = 32;  // 32 for IPv4, 128 for IPv6
};

U128 all_ones(int bits) { return bits == 128 ? ~U128(0) : (U128(1) << bits) - 1; }

U128 host_mask(int length, int bits) {
  if (length >= bits) return 0;
  return all_ones(bits) >> length;
}

U128 net_mask(int length, int bits) { return all_ones(bits) & ~host_mask(length, bits); }

Result<Prefix> parse_prefix(const Args& args, size_t index) {
  std::string text = CARAVAN_TRY(string_arg(args, index));
  auto fail = [&](const std::string& why) {
    return arg_error(index, "is not a valid CIDR prefix (\"" + text + "\"): " + why +
                                "; write it like \"10.0.0.0/16\" or \"fd00::/56\"");
  };
  size_t slash = text.find('/');
  if (slash == std::string::npos) return fail("no /length");
  std::string address = text.substr(0, slash);
  std::string length_text = text.substr(slash + 1);
  Prefix p;
  unsigned char bytes[16];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) {
    p.bits = 32;
    for (int i = 0; i < 4; ++i) p.network = (p.network << 8) | bytes[i];
  } else if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
    p.bits = 128;
    for (int i = 0; i < 16; ++i) p.network = (p.network << 8) | bytes[i];
  } else {
    return fail("\"" + address + "\" is not an IP address");
  }
  if (length_text.empty() || length_text.size() > 3 ||
      length_text.find_first_not_of("0123456789") != std::string::npos) {
    return fail("the prefix length is not a number");
  }
  p.length = std::stoi(length_text);
  if (p.length > p.bits) return fail("the prefix length is larger than " + std::to_string(p.bits));
  p.network &= net_mask(p.length, p.bits);
  return p;
}

std::string format_address(U128 address, int bits) {
  char buf[INET6_ADDRSTRLEN];
  if (bits == 32) {
    unsigned char bytes[4];
    for (int i = 3; i >= 0; --i) {
      bytes[i] = static_cast<unsigned char>(address & 0xFF);
      address >>= 8;
    }
    inet_ntop(AF_INET, bytes, buf, sizeof buf);
  } else {
    unsigned char bytes[16];
    for (int i = 15; i >= 0; --i) {
      bytes[i] = static_cast<unsigned char>(address & 0xFF);
      address >>= 8;
    }
    inet_ntop(AF_INET6, bytes, buf, sizeof buf);
  }
  return buf;
}

std::string format_prefix(U128 network, int length, int bits) {
  return format_address(network, bits) + "/" + std::to_string(length);
}

Result<Value> cidrhost(const Args& args) {
  Prefix p = CARAVAN_TRY(parse_prefix(args, 0));
  long long host = CARAVAN_TRY(integer_arg(args, 1));
  int host_bits = p.bits - p.length;
  U128 magnitude = host < 0 ? U128(-(host + 1)) + 1 : U128(host);
  bool fits = host_bits >= 64 || (host >= 0 ? magnitude < (U128(1) << host_bits)
                                            : magnitude <= (U128(1) << host_bits));
  if (!fits) {
    return invalid_argument("prefix of " + std::to_string(p.length) +
                            " does not accommodate a host numbered " + std::to_string(host));
  }
  U128 address = host >= 0 ? p.network + magnitude
                           : (p.network | host_mask(p.length, p.bits)) - (magnitude - 1);
  return Value::string(format_address(address & all_ones(p.bits), p.bits));
}

Result<Value> cidrnetmask(const Args& args) {
  Prefix p = CARAVAN_TRY(parse_prefix(args, 0));
  if (p.bits != 32) {
    return invalid_argument("IPv6 prefixes have no netmask; cidrnetmask accepts only IPv4");
  }
  return Value::string(format_address(net_mask(p.length, p.bits), p.bits));
}

Result<Value> cidrsubnet(const Args& args) {
  Prefix p = CARAVAN_TRY(parse_prefix(args, 0));
  long long newbits = CARAVAN_TRY(integer_arg(args, 1));
  long long netnum = CARAVAN_TRY(integer_arg(args, 2));
  if (newbits < 0) return arg_error(1, "(newbits) must not be negative");
  if (netnum < 0) return arg_error(2, "(netnum) must not be negative");
  if (p.length + newbits > p.bits) {
    return invalid_argument("insufficient address space to extend prefix of " +
                            std::to_string(p.length) + " by " + std::to_string(newbits));
  }
  int length = p.length + static_cast<int>(newbits);
  if (newbits < 63 && netnum >= (1LL << newbits)) {
    return invalid_argument("prefix extension of " + std::to_string(newbits) +
                            " does not accommodate a subnet numbered " + std::to_string(netnum));
  }
  U128 subnet = p.network;
  if (netnum != 0) subnet |= U128(netnum) << (p.bits - length);
  return Value::string(format_prefix(subnet, length, p.bits));
}

Result<Value> cidrsubnets(const Args& args) {
  Prefix p = CARAVAN_TRY(parse_prefix(args, 0));
  ValueList out;
  U128 current = p.network;
  int current_length = p.length;
  for (size_t i = 1; i < args.size(); ++i) {
    long long newbits = CARAVAN_TRY(integer_arg(args, i));
    if (newbits < 1) return arg_error(i, "(newbits) must extend the prefix by at least one bit");
    if (p.length + newbits > p.bits) {
      return arg_error(i, "would extend the prefix to " + std::to_string(p.length + newbits) +
                              " bits, which is too long for an IPv" + (p.bits == 32 ? "4" : "6") +
                              " address");
    }
    int length = p.length + static_cast<int>(newbits);
    if (i > 1) {
      // The next block of the new size that starts after the previous subnet.
      U128 last = current | host_mask(current_length, p.bits);
      U128 block_last = (last & net_mask(length, p.bits)) | host_mask(length, p.bits);
      U128 next = (block_last + 1) & all_ones(p.bits);
      if (next == 0 || (next & net_mask(p.length, p.bits)) != p.network) {
        return invalid_argument(
            "not enough remaining address space for a subnet with a prefix "
            "of " +
            std::to_string(length) + " bits after " +
            format_prefix(current, current_length, p.bits));
      }
      current = next;
    }
    current_length = length;
    out.push_back(Value::string(format_prefix(current, length, p.bits)));
  }
  return Value::list(std::move(out));
}

}  // namespace

void register_network_functions(FunctionTable& table) {
  table.add("cidrhost", {2, 2, cidrhost});
  table.add("cidrnetmask", {1, 1, cidrnetmask});
  table.add("cidrsubnet", {3, 3, cidrsubnet});
  table.add("cidrsubnets", {1, -1, cidrsubnets});
}

}  // namespace caravan::hcl::internal
