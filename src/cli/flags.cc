#include "cli/flags.h"

#include <charconv>
#include <optional>
#include <fmt/format.h>

namespace caravan::cli {

void FlagSet::add_bool(std::string name, bool* target, std::string help) {
  flags_.push_back({std::move(name), Kind::kBool, target, std::move(help)});
}
void FlagSet::add_string(std::string name, std::string* target, std::string help) {
  flags_.push_back({std::move(name), Kind::kString, target, std::move(help)});
}
void FlagSet::add_int(std::string name, int* target, std::string help) {
  flags_.push_back({std::move(name), Kind::kInt, target, std::move(help)});
}
void FlagSet::add_string_list(std::string name, std::vector<std::string>* target,
                              std::string help) {
  flags_.push_back({std::move(name), Kind::kStringList, target, std::move(help)});
}

const FlagSet::Flag* FlagSet::find(std::string_view name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<std::vector<std::string>> FlagSet::parse(const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') break;  // first positional argument
    std::string_view body(arg);
    body.remove_prefix(body.starts_with("--") ? 2 : 1);
    std::string_view name = body;
    std::optional<std::string> value;
    if (size_t eq = body.find('='); eq != std::string_view::npos) {
      name = body.substr(0, eq);
      value = std::string(body.substr(eq + 1));
    }
    if (name == "h" || name == "help") {
      help_requested_ = true;
      continue;
    }
    const Flag* flag = find(name);
    if (flag == nullptr) {
      return invalid_argument(fmt::format("flag provided but not defined: -{}", name));
    }
    if (flag->kind == Kind::kBool) {
      bool b = true;
      if (value) {
        if (*value == "true" || *value == "1") {
          b = true;
        } else if (*value == "false" || *value == "0") {
          b = false;
        } else {
          return invalid_argument(
              fmt::format("invalid boolean value \"{}\" for -{}: use true or false", *value, name));
        }
      }
      *static_cast<bool*>(flag->target) = b;
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return invalid_argument(fmt::format("flag needs an argument: -{}", name));
      }
      value = args[++i];
    }
    switch (flag->kind) {
      case Kind::kString:
        *static_cast<std::string*>(flag->target) = *value;
        break;
      case Kind::kStringList:
        static_cast<std::vector<std::string>*>(flag->target)->push_back(*value);
        break;
      case Kind::kInt: {
        int n = 0;
        auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
        if (ec != std::errc() || ptr != value->data() + value->size()) {
          return invalid_argument(
              fmt::format("invalid value \"{}\" for -{}: a whole number is required", *value,
                          name));
        }
        *static_cast<int*>(flag->target) = n;
        break;
      }
      case Kind::kBool:
        break;
    }
  }
  positional.insert(positional.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return positional;
}

std::string FlagSet::describe() const {
  std::string out;
  for (const Flag& f : flags_) {
    out += fmt::format("  -{}{}\n    {}\n\n", f.name, f.kind == Kind::kBool ? "" : " <value>",
                       f.help);
  }
  return out;
}

}  // namespace caravan::cli
