#include "jobspec/decoder.h"

#include <fmt/format.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/strings.h"

namespace caravan::jobspec {

bool Schema::has_attribute(std::string_view name) const {
  for (std::string_view a : attributes) {
    if (a == name) return true;
  }
  return false;
}

bool Schema::has_map(std::string_view name) const {
  for (std::string_view m : maps) {
    if (m == name) return true;
  }
  return false;
}

const BlockSpec* Schema::find_block(std::string_view type) const {
  for (const BlockSpec& b : blocks) {
    if (b.type == type) return &b;
  }
  return nullptr;
}

// ---- conversions (cty's rules and wording) ---------------------------------

std::optional<std::string> value_to_string(const hcl::Value& v, std::string* why) {
  switch (v.kind()) {
    case hcl::ValueKind::kString:
      return v.as_string();
    case hcl::ValueKind::kNumber:
      return hcl::number_to_string(v.as_number());
    case hcl::ValueKind::kBool:
      return std::string(v.as_bool() ? "true" : "false");
    default:
      *why = "string required";
      return std::nullopt;
  }
}

std::optional<double> value_to_number(const hcl::Value& v, std::string* why) {
  if (v.is_number()) return v.as_number();
  if (v.is_string()) {
    const std::string& s = v.as_string();
    std::string_view t = trim(s);
    if (!t.empty() && t.size() == s.size()) {
      std::string copy(t);
      char* end = nullptr;
      double d = std::strtod(copy.c_str(), &end);
      bool hex = copy.find_first_of("xXpP") != std::string::npos;
      if (end == copy.c_str() + copy.size() && !hex && std::isfinite(d)) return d;
    }
    *why = "a number is required";
    return std::nullopt;
  }
  *why = "number required";
  return std::nullopt;
}

std::optional<int64_t> value_to_integer(const hcl::Value& v, std::string* why) {
  std::optional<double> d = value_to_number(v, why);
  if (!d) return std::nullopt;
  if (std::floor(*d) != *d || std::fabs(*d) > 9.0e15) {
    *why = "a whole number is required";
    return std::nullopt;
  }
  return static_cast<int64_t>(*d);
}

std::optional<bool> value_to_bool(const hcl::Value& v, std::string* why) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_string()) {
    if (v.as_string() == "true") return true;
    if (v.as_string() == "false") return false;
    *why = "a bool is required";
    return std::nullopt;
  }
  *why = "bool required";
  return std::nullopt;
}

// ---- shape checks ------------------------------------------------------------

namespace {

std::vector<std::string> candidate_names(const Schema& schema, bool blocks) {
  std::vector<std::string> names;
  if (blocks) {
    for (const BlockSpec& b : schema.blocks) names.emplace_back(b.type);
  } else {
    for (std::string_view a : schema.attributes) names.emplace_back(a);
  }
  for (std::string_view m : schema.maps) names.emplace_back(m);
  return names;
}

SourceRange missing_item_range(const hcl::Body& body) {
  SourceRange r = body.range;
  r.end = r.start;
  return r;
}

std::string position(const SourceRange& r) {
  return fmt::format("{}:{}", r.start.line, r.start.column);
}

std::string label_list(const BlockSpec& spec) {
  std::vector<std::string> names(spec.labels.begin(), spec.labels.end());
  return join(names, ", ");
}

}  // namespace

BodyDecoder::BodyDecoder(const hcl::Body& body, const Schema& schema, const hcl::EvalContext& ctx,
                         hcl::Diagnostics& diags, SourceMap* sources, std::string path,
                         const SourceRange* owner)
    : body_(body),
      schema_(schema),
      ctx_(ctx),
      diags_(diags),
      sources_(sources),
      path_(std::move(path)),
      owner_(owner) {
  check_shape();
}

void BodyDecoder::check_shape() {
  for (const hcl::Attribute& attr : body_.attributes) {
    if (schema_.has_attribute(attr.name) || schema_.has_map(attr.name)) continue;
    std::string detail;
    if (schema_.find_block(attr.name) != nullptr) {
      detail = fmt::format(
          "An argument named \"{}\" is not expected here. Did you mean to define a block of "
          "type \"{}\"?",
          attr.name, attr.name);
    } else {
      detail = fmt::format("An argument named \"{}\" is not expected here.", attr.name);
      std::string suggestion = suggest_name(attr.name, candidate_names(schema_, false));
      if (!suggestion.empty()) detail += fmt::format(" Did you mean \"{}\"?", suggestion);
    }
    diags_.error(attr.name_range, "Unsupported argument", std::move(detail));
  }

  std::map<std::string_view, const hcl::Block*> seen_single;
  for (const hcl::Block& block : body_.blocks) {
    if (schema_.has_map(block.type)) {
      if (const hcl::Attribute* attr = body_.find_attribute(block.type)) {
        diags_.error(block.type_range, "Duplicate argument",
                     fmt::format("The argument \"{}\" was already set at {}. Each argument may "
                                 "be set only once.",
                                 block.type, position(attr->name_range)));
      }
      if (!block.labels.empty()) {
        diags_.error(block.label_ranges[0], fmt::format("Extraneous label for {}", block.type),
                     "No labels are expected for this block.");
      }
      continue;
    }
    const BlockSpec* spec = schema_.find_block(block.type);
    if (spec == nullptr) {
      std::string detail;
      if (schema_.has_attribute(block.type)) {
        detail = fmt::format(
            "Blocks of type \"{}\" are not expected here. Did you mean to define argument "
            "\"{}\"? If so, use the equals sign to assign it a value.",
            block.type, block.type);
      } else {
        detail = fmt::format("Blocks of type \"{}\" are not expected here.", block.type);
        std::string suggestion = suggest_name(block.type, candidate_names(schema_, true));
        if (!suggestion.empty()) detail += fmt::format(" Did you mean \"{}\"?", suggestion);
      }
      diags_.error(block.type_range, "Unsupported block type", std::move(detail));
      continue;
    }
    if (block.labels.size() < spec->labels.size()) {
      SourceRange where = block.body.range;
      where.end = where.start;
      diags_.error(where,
                   fmt::format("Missing {} for {}", spec->labels[block.labels.size()], block.type),
                   fmt::format("All {} blocks must have {} labels ({}).", block.type,
                               spec->labels.size(), label_list(*spec)));
      continue;
    }
    if (block.labels.size() > spec->labels.size()) {
      std::string detail = spec->labels.empty()
                               ? std::string("No more labels are expected.")
                               : fmt::format("Only {} labels ({}) are expected.",
                                             spec->labels.size(), label_list(*spec));
      diags_.error(block.label_ranges[spec->labels.size()],
                   fmt::format("Extraneous label for {}", block.type), std::move(detail));
      continue;
    }
    if (spec->single) {
      auto [it, inserted] = seen_single.emplace(spec->type, &block);
      if (!inserted) {
        diags_.error(block.type_range, fmt::format("Duplicate {} block", block.type),
                     fmt::format("Only one {} block is allowed. Another was defined at {}.",
                                 block.type, position(it->second->type_range)));
      }
    }
  }

  SourceRange missing = owner_ != nullptr ? *owner_ : missing_item_range(body_);
  for (std::string_view name : schema_.required) {
    if (body_.find_attribute(name) == nullptr) {
      diags_.error(
          missing, "Missing required argument",
          fmt::format("The argument \"{}\" is required, but no definition was found.", name));
    }
  }
  for (const BlockSpec& spec : schema_.blocks) {
    if (!spec.required) continue;
    bool found = false;
    for (const hcl::Block& block : body_.blocks) found = found || block.type == spec.type;
    if (!found) {
      diags_.error(missing, fmt::format("Missing {} block", spec.type),
                   fmt::format("A {} block is required.", spec.type));
    }
  }
}

// ---- reads -------------------------------------------------------------------

void BodyDecoder::record(const std::string& path, const SourceRange& range) {
  if (sources_ != nullptr) sources_->record(path, range);
}

void BodyDecoder::type_error(const hcl::Attribute& attr, std::string_view what) const {
  diags_.error(attr.expr->range, "Incorrect attribute value type",
               fmt::format("Inappropriate value for attribute \"{}\": {}.", attr.name, what));
}

const hcl::Attribute* BodyDecoder::attribute(std::string_view name) const {
  return body_.find_attribute(name);
}

const hcl::Attribute* BodyDecoder::evaluated(std::string_view name, hcl::Value* out) {
  const hcl::Attribute* attr = body_.find_attribute(name);
  if (attr == nullptr || attr->expr == nullptr) return nullptr;
  hcl::Value v = hcl::evaluate(*attr->expr, ctx_, diags_);
  if (v.is_null() || v.is_unknown()) return nullptr;
  *out = std::move(v);
  return attr;
}

std::optional<hcl::Value> BodyDecoder::value(std::string_view name) {
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return std::nullopt;
  return v;
}

bool BodyDecoder::read(std::string_view name, std::string_view field, std::string* out) {
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return false;
  std::string why;
  std::optional<std::string> s = value_to_string(v, &why);
  if (!s) {
    type_error(*attr, why);
    return false;
  }
  *out = std::move(*s);
  record(child_path(field), attr->expr->range);
  return true;
}

bool BodyDecoder::read(std::string_view name, std::string_view field, int64_t* out) {
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return false;
  std::string why;
  std::optional<int64_t> n = value_to_integer(v, &why);
  if (!n) {
    type_error(*attr, why);
    return false;
  }
  *out = *n;
  record(child_path(field), attr->expr->range);
  return true;
}

bool BodyDecoder::read(std::string_view name, std::string_view field, int* out) {
  int64_t wide = 0;
  const hcl::Attribute* attr = body_.find_attribute(name);
  if (!read(name, field, &wide)) return false;
  if (wide < INT32_MIN || wide > INT32_MAX) {
    type_error(*attr, "the number is out of range for a 32-bit integer");
    return false;
  }
  *out = static_cast<int>(wide);
  return true;
}

bool BodyDecoder::read(std::string_view name, std::string_view field, bool* out) {
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return false;
  std::string why;
  std::optional<bool> b = value_to_bool(v, &why);
  if (!b) {
    type_error(*attr, why);
    return false;
  }
  *out = *b;
  record(child_path(field), attr->expr->range);
  return true;
}

bool BodyDecoder::read(std::string_view name, std::string_view field, double* out) {
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return false;
  std::string why;
  std::optional<double> d = value_to_number(v, &why);
  if (!d) {
    type_error(*attr, why);
    return false;
  }
  *out = *d;
  record(child_path(field), attr->expr->range);
  return true;
}

bool BodyDecoder::read(std::string_view name, std::string_view field, Duration* out) {
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return false;
  if (v.is_number()) {
    if (!v.is_integer()) {
      type_error(*attr, "a duration such as \"10s\" or a whole number of nanoseconds is required");
      return false;
    }
    *out = Duration(v.as_integer());
  } else if (v.is_string()) {
    Result<Duration> d = parse_duration(v.as_string());
    if (!d) {
      diags_.error(attr->expr->range, "Unsuitable duration value",
                   fmt::format("Invalid value for \"{}\": {}. Use a number with a unit, such "
                               "as \"30s\", \"5m\" or \"1h30m\".",
                               attr->name, d.error().message()));
      return false;
    }
    *out = *d;
  } else {
    type_error(*attr, "string required");
    return false;
  }
  record(child_path(field), attr->expr->range);
  return true;
}

bool BodyDecoder::read(std::string_view name, std::string_view field,
                       std::vector<std::string>* out) {
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return false;
  if (!v.is_list()) {
    type_error(*attr, "list of string required");
    return false;
  }
  std::vector<std::string> items;
  for (const hcl::Value& item : v.as_list()) {
    if (item.is_unknown()) return false;
    std::string why;
    std::optional<std::string> s = item.is_null() ? std::nullopt : value_to_string(item, &why);
    if (!s) {
      type_error(*attr, "list of string required");
      return false;
    }
    items.push_back(std::move(*s));
  }
  *out = std::move(items);
  record(child_path(field), attr->expr->range);
  return true;
}

bool BodyDecoder::read_string_map_block(const hcl::Block& block, std::string_view field,
                                        std::map<std::string, std::string>* out) {
  // The block form holds only `key = value` arguments.
  for (const hcl::Block& inner : block.body.blocks) {
    diags_.error(inner.type_range, "Unsupported block type",
                 fmt::format("Blocks of type \"{}\" are not expected here: a {} block holds "
                             "only `key = \"value\"` arguments.",
                             inner.type, block.type));
  }
  std::string base = child_path(field);
  record(base, block.type_range);
  bool ok = true;
  for (const hcl::Attribute& attr : block.body.attributes) {
    hcl::Value v = hcl::evaluate(*attr.expr, ctx_, diags_);
    if (v.is_unknown()) {
      ok = false;
      continue;
    }
    if (v.is_null()) continue;
    std::string why;
    std::optional<std::string> s = value_to_string(v, &why);
    if (!s) {
      type_error(attr, why);
      ok = false;
      continue;
    }
    (*out)[attr.name] = std::move(*s);
    record(key_path(base, attr.name), attr.expr->range);
  }
  return ok;
}

bool BodyDecoder::read(std::string_view name, std::string_view field,
                       std::map<std::string, std::string>* out) {
  for (const hcl::Block& block : body_.blocks) {
    if (block.type == name) read_string_map_block(block, field, out);
  }
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return !out->empty();
  if (!v.is_object()) {
    type_error(*attr, "map of string required");
    return false;
  }
  std::string base = child_path(field);
  std::map<std::string, std::string> items;
  for (const auto& [key, item] : v.as_object()) {
    if (item.is_unknown()) return false;
    if (item.is_null()) continue;
    std::string why;
    std::optional<std::string> s = value_to_string(item, &why);
    if (!s) {
      type_error(*attr, fmt::format("element \"{}\": {}", key, why));
      return false;
    }
    items[key] = std::move(*s);
  }
  for (auto& [key, s] : items) {
    record(key_path(base, key), attr->expr->range);
    (*out)[key] = std::move(s);
  }
  record(base, attr->expr->range);
  return true;
}

bool BodyDecoder::read(std::string_view name, std::string_view field,
                       std::map<std::string, std::vector<std::string>>* out) {
  std::string base = child_path(field);
  auto convert_list = [&](const hcl::Attribute& attr, const hcl::Value& item,
                          std::vector<std::string>* dest) {
    std::string why;
    if (item.is_list()) {
      for (const hcl::Value& element : item.as_list()) {
        std::optional<std::string> s = value_to_string(element, &why);
        if (!s) {
          type_error(attr, "map of list of string required");
          return false;
        }
        dest->push_back(std::move(*s));
      }
      return true;
    }
    std::optional<std::string> s = value_to_string(item, &why);
    if (!s) {
      type_error(attr, "map of list of string required");
      return false;
    }
    dest->push_back(std::move(*s));
    return true;
  };
  bool any = false;
  for (const hcl::Block& block : body_.blocks) {
    if (block.type != name) continue;
    record(base, block.type_range);
    for (const hcl::Attribute& attr : block.body.attributes) {
      hcl::Value v = hcl::evaluate(*attr.expr, ctx_, diags_);
      if (v.is_unknown() || v.is_null()) continue;
      std::vector<std::string> items;
      if (convert_list(attr, v, &items)) {
        (*out)[attr.name] = std::move(items);
        any = true;
      }
    }
  }
  hcl::Value v;
  const hcl::Attribute* attr = evaluated(name, &v);
  if (attr == nullptr) return any;
  if (!v.is_object()) {
    type_error(*attr, "map of list of string required");
    return false;
  }
  for (const auto& [key, item] : v.as_object()) {
    if (item.is_unknown() || item.is_null()) continue;
    std::vector<std::string> items;
    if (!convert_list(*attr, item, &items)) return false;
    (*out)[key] = std::move(items);
  }
  record(base, attr->expr->range);
  return true;
}

std::vector<const hcl::Block*> BodyDecoder::blocks(std::string_view type) const {
  std::vector<const hcl::Block*> out;
  const BlockSpec* spec = schema_.find_block(type);
  size_t labels = spec != nullptr ? spec->labels.size() : 0;
  for (const hcl::Block& block : body_.blocks) {
    if (block.type == type && block.labels.size() == labels) out.push_back(&block);
  }
  return out;
}

const hcl::Block* BodyDecoder::block(std::string_view type) const {
  std::vector<const hcl::Block*> all = blocks(type);
  return all.empty() ? nullptr : all.front();
}

}  // namespace caravan::jobspec
