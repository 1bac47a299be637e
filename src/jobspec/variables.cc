#include "jobspec/variables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/strings.h"
#include "hcl/parser.h"
#include "hcl/types.h"
#include "jobspec/decoder.h"
#include "jobspec/internal/references.h"

namespace caravan::jobspec {
namespace {

const Schema& variable_schema() {
  static const Schema kSchema{
      .attributes = {"type", "default", "description", "sensitive", "nullable"},
      .blocks = {{.type = "validation"}},
  };
  return kSchema;
}

const Schema& validation_schema() {
  static const Schema kSchema{
      .attributes = {"condition", "error_message"},
      .required = {"condition", "error_message"},
  };
  return kSchema;
}

struct Declaration {
  std::string name;
  SourceRange def_range;  // the `variable` keyword
  std::optional<hcl::TypeConstraint> type;
  bool has_default = false;
  hcl::Value default_value;
  SourceRange default_range;
  bool nullable = true;
  const hcl::Block* block = nullptr;  // null for `variables { }` entries
  std::vector<const hcl::Block*> validations;
  std::optional<hcl::Value> value;  // the winning value from env / var-file / -var
  SourceRange value_range;          // where that value came from
};

// A value given outside the job file (env, -var) is located in a pseudo file.
SourceRange pseudo_range(std::string name) {
  SourceRange r;
  r.filename = std::make_shared<const std::string>(std::move(name));
  return r;
}

bool takes_raw_string(const Declaration& decl) {
  return !decl.type || decl.type->kind == hcl::TypeConstraint::Kind::kAny ||
         decl.type->kind == hcl::TypeConstraint::Kind::kString;
}

std::string where(const SourceRange& r) {
  return fmt::format("{}:{}:{}", r.file(), r.start.line, r.start.column);
}

class VariableEvaluator {
 public:
  VariableEvaluator(const ParseOptions& options, const std::filesystem::path& base_dir,
                    hcl::EvalContext& ctx, hcl::Diagnostics& diags)
      : options_(options), base_dir_(base_dir), ctx_(ctx), diags_(diags) {
    plain_.functions = ctx.function_table();
    plain_.keep_runtime_references = true;
  }

  void run(const hcl::Body& body) {
    declare(body);
    apply_env();
    for (const std::string& path : options_.var_files) apply_var_file(path);
    for (const std::string& arg : options_.var_args) apply_var_arg(arg);
    finish();
  }

 private:
  void declare(const hcl::Body& body) {
    for (const hcl::Block& block : body.blocks) {
      if (block.type == "variable" && block.labels.size() == 1) {
        declare_variable(block);
      } else if (block.type == "variables" && block.labels.empty()) {
        for (const hcl::Block& inner : block.body.blocks) {
          diags_.error(inner.type_range, "Unsupported block type",
                       fmt::format("Blocks of type \"{}\" are not expected here: a variables "
                                   "block holds only `name = default` arguments.",
                                   inner.type));
        }
        for (const hcl::Attribute& attr : block.body.attributes) {
          Declaration decl;
          decl.name = attr.name;
          decl.def_range = attr.name_range;
          decl.has_default = true;
          decl.default_range = attr.expr->range;
          decl.default_value = hcl::evaluate(*attr.expr, plain_, diags_);
          add(std::move(decl), attr.name_range);
        }
      }
    }
  }

  void declare_variable(const hcl::Block& block) {
    BodyDecoder d(block.body, variable_schema(), plain_, diags_, nullptr, "");
    Declaration decl;
    decl.name = block.labels[0];
    decl.def_range = block.type_range;
    decl.block = &block;
    for (const hcl::Block* rule : d.blocks("validation")) {
      BodyDecoder check(rule->body, validation_schema(), plain_, diags_, nullptr, "");
      decl.validations.push_back(rule);
    }
    if (const hcl::Attribute* type = d.attribute("type")) {
      decl.type = hcl::parse_type_constraint(*type->expr, diags_);
    }
    d.read("nullable", "Nullable", &decl.nullable);
    std::string ignored_text;
    d.read("description", "Description", &ignored_text);
    bool ignored_flag = false;
    d.read("sensitive", "Sensitive", &ignored_flag);
    if (const hcl::Attribute* def = d.attribute("default")) {
      decl.has_default = true;
      decl.default_range = def->expr->range;
      hcl::Value v = hcl::evaluate(*def->expr, plain_, diags_);
      if (decl.type && !v.is_null() && !v.is_unknown()) {
        Result<hcl::Value> converted = hcl::convert_to_type(v, *decl.type);
        if (!converted) {
          diags_.error(def->expr->range, "Invalid default value for variable",
                       fmt::format("This default value is not compatible with the variable's "
                                   "type constraint {}: {}.",
                                   decl.type->to_string(), converted.error().message()));
          v = hcl::Value::unknown();
        } else {
          v = std::move(converted).value();
        }
      }
      decl.default_value = std::move(v);
    }
    add(std::move(decl), block.label_ranges.empty() ? block.type_range : block.label_ranges[0]);
  }

  void add(Declaration decl, const SourceRange& at) {
    auto it = index_.find(decl.name);
    if (it != index_.end()) {
      diags_.error(at, "Duplicate variable declaration",
                   fmt::format("A variable named \"{}\" was already declared at {}. Variable "
                               "names must be unique within a job file.",
                               decl.name, where(decls_[it->second].def_range)));
      return;
    }
    index_[decl.name] = decls_.size();
    decls_.push_back(std::move(decl));
  }

  Declaration* find(std::string_view name) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &decls_[it->second];
  }

  std::vector<std::string> declared_names() const {
    std::vector<std::string> names;
    for (const Declaration& d : decls_) names.push_back(d.name);
    return names;
  }

  std::string undeclared_detail(std::string_view name, std::string_view how) const {
    std::string detail = fmt::format(
        "A variable named \"{}\" was assigned {}, but the job file declares no such variable.",
        name, how);
    std::string suggestion = suggest_name(name, declared_names());
    if (!suggestion.empty()) {
      detail += fmt::format(" Did you mean \"{}\"?", suggestion);
    } else {
      detail +=
          fmt::format(" Declare it with a variable \"{}\" block, or remove the assignment.", name);
    }
    return detail;
  }

  // A value written as text (-var, NOMAD_VAR_): a raw string for string (and
  // untyped) variables, otherwise an HCL expression, as Nomad reads them.
  std::optional<hcl::Value> parse_text_value(const Declaration& decl, const std::string& text,
                                             const std::string& source_name) {
    if (takes_raw_string(decl)) return hcl::Value::string(text);
    hcl::Diagnostics local;
    hcl::ExprPtr expr = hcl::parse_expression(text, source_name, local);
    hcl::Value v;
    if (expr != nullptr && !local.has_errors()) v = hcl::evaluate(*expr, plain_, local);
    diags_.append(local);
    if (local.has_errors() || expr == nullptr) return std::nullopt;
    return v;
  }

  void apply_env() {
    std::map<std::string, std::string> process_env;
    const std::map<std::string, std::string>* env = nullptr;
    if (options_.env) {
      env = &*options_.env;
    } else {
      for (Declaration& decl : decls_) {
        std::string key = "NOMAD_VAR_" + decl.name;
        if (const char* value = std::getenv(key.c_str())) process_env[key] = value;
      }
      env = &process_env;
    }
    for (Declaration& decl : decls_) {
      std::string key = "NOMAD_VAR_" + decl.name;
      auto it = env->find(key);
      if (it == env->end()) continue;
      std::string source = "<environment variable " + key + ">";
      if (auto v = parse_text_value(decl, it->second, source)) {
        decl.value = std::move(*v);
        decl.value_range = pseudo_range(source);
      }
    }
  }

  std::optional<std::string> read_var_file(const std::string& path, std::string* shown) {
    std::filesystem::path p(path);
    std::error_code ec;
    if (p.is_relative() && !std::filesystem::exists(p, ec) &&
        std::filesystem::exists(base_dir_ / p, ec)) {
      p = base_dir_ / p;
    }
    *shown = p.string();
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  void apply_var_file(const std::string& path) {
    std::string shown;
    std::optional<std::string> text = read_var_file(path, &shown);
    if (!text) {
      diags_.error(pseudo_range(path), "Failed to read variable values file",
                   fmt::format("Cannot read the -var-file \"{}\": the file does not exist or is "
                               "not readable.",
                               path));
      return;
    }
    std::string_view trimmed = trim(*text);
    if (shown.ends_with(".json") || trimmed.starts_with("{")) {
      apply_json_var_file(shown, *text);
      return;
    }
    auto file = hcl::parse_file(std::move(*text), shown, diags_);
    if (file == nullptr) return;
    var_files_.push_back(std::move(file));
    const hcl::Body& body = var_files_.back()->body;
    for (const hcl::Block& block : body.blocks) {
      diags_.error(block.type_range, "Unexpected block in variable values file",
                   fmt::format("A -var-file holds only `name = value` assignments; blocks of "
                               "type \"{}\" are not allowed there.",
                               block.type));
    }
    hcl::EvalContext file_ctx;
    file_ctx.functions = plain_.function_table();
    file_ctx.keep_runtime_references = false;
    for (const hcl::Attribute& attr : body.attributes) {
      Declaration* decl = find(attr.name);
      if (decl == nullptr) {
        diags_.error(attr.name_range, "Undefined variable",
                     undeclared_detail(attr.name, "a value in a -var-file"));
        continue;
      }
      hcl::Value v = hcl::evaluate(*attr.expr, file_ctx, diags_);
      if (v.is_unknown()) continue;
      decl->value = std::move(v);
      decl->value_range = attr.expr->range;
    }
  }

  static hcl::Value json_to_value(const nlohmann::json& j) {
    switch (j.type()) {
      case nlohmann::json::value_t::boolean:
        return hcl::Value::boolean(j.get<bool>());
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned:
      case nlohmann::json::value_t::number_float:
        return hcl::Value::number(j.get<double>());
      case nlohmann::json::value_t::string:
        return hcl::Value::string(j.get<std::string>());
      case nlohmann::json::value_t::array: {
        hcl::ValueList items;
        for (const auto& item : j) items.push_back(json_to_value(item));
        return hcl::Value::list(std::move(items));
      }
      case nlohmann::json::value_t::object: {
        hcl::ValueMap members;
        for (const auto& [k, item] : j.items()) members[k] = json_to_value(item);
        return hcl::Value::object(std::move(members));
      }
      default:
        return hcl::Value::null();
    }
  }

  void apply_json_var_file(const std::string& path, const std::string& text) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      diags_.error(pseudo_range(path), "Invalid variable values file",
                   fmt::format("The -var-file \"{}\" is not valid JSON: it must hold one object "
                               "of variable names and values.",
                               path));
      return;
    }
    for (const auto& [name, item] : doc.items()) {
      Declaration* decl = find(name);
      if (decl == nullptr) {
        diags_.error(pseudo_range(path), "Undefined variable",
                     undeclared_detail(name, "a value in a -var-file"));
        continue;
      }
      decl->value = json_to_value(item);
      decl->value_range = pseudo_range(path);
    }
  }

  void apply_var_arg(const std::string& arg) {
    size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      diags_.error(pseudo_range("<-var " + arg + ">"), "Invalid -var option",
                   fmt::format("The -var option \"{}\" is not of the form name=value, e.g. "
                               "-var 'image=nginx:1.25'.",
                               arg));
      return;
    }
    std::string name(trim(std::string_view(arg).substr(0, eq)));
    std::string text = arg.substr(eq + 1);
    std::string source = "<value for var." + name + ">";
    Declaration* decl = find(name);
    if (decl == nullptr) {
      diags_.error(pseudo_range(source), "Undefined variable",
                   undeclared_detail(name, "a value with -var"));
      return;
    }
    if (auto v = parse_text_value(*decl, text, source)) {
      decl->value = std::move(*v);
      decl->value_range = pseudo_range(source);
    }
  }

  void finish() {
    hcl::ValueMap vars;
    for (Declaration& decl : decls_) {
      hcl::Value v;
      SourceRange value_range = decl.default_range;
      if (decl.value && decl.value->is_null() && !decl.nullable && decl.has_default) {
        decl.value.reset();  // a non-nullable variable given null takes its default
      }
      if (decl.value) {
        v = *decl.value;
        value_range = decl.value_range;
        if (v.is_null() && !decl.nullable) {
          diags_.error(decl.value_range, "Invalid value for input variable",
                       fmt::format("The variable \"{}\" is not nullable, so it cannot be set "
                                   "to null.",
                                   decl.name));
          v = hcl::Value::unknown();
        } else if (decl.type && !v.is_null()) {
          Result<hcl::Value> converted = hcl::convert_to_type(v, *decl.type);
          if (!converted) {
            diags_.error(
                decl.value_range, "Invalid value for input variable",
                fmt::format("The given value is not suitable for var.{} declared at "
                            "{}: {}.",
                            decl.name, where(decl.def_range), converted.error().message()));
            v = hcl::Value::unknown();
          } else {
            v = std::move(converted).value();
          }
        }
      } else if (decl.has_default) {
        v = decl.default_value;
      } else {
        diags_.error(decl.def_range, "Missing required variable",
                     fmt::format("The variable \"{}\" has no default value and none was given. "
                                 "Set it with -var '{}=...', a -var-file, or the NOMAD_VAR_{} "
                                 "environment variable, or give it a default.",
                                 decl.name, decl.name, decl.name));
        v = hcl::Value::unknown();
      }
      if (!v.is_unknown() && decl.block != nullptr) validate(decl, v, value_range);
      vars[decl.name] = std::move(v);
    }
    ctx_.variables["var"] = hcl::Value::object(std::move(vars));
  }

  // A failing rule is reported at the value that failed it (the default, the
  // var-file entry, or the -var/env pseudo file), as Terraform and Nomad do.
  void validate(const Declaration& decl, const hcl::Value& v, const SourceRange& value_range) {
    for (const hcl::Block* rule : decl.validations) {
      const hcl::Attribute* condition = rule->body.find_attribute("condition");
      if (condition == nullptr) continue;
      hcl::EvalContext rule_ctx;
      rule_ctx.functions = plain_.function_table();
      rule_ctx.keep_runtime_references = false;
      rule_ctx.variables["var"] = hcl::Value::object({{decl.name, v}});
      hcl::Value ok = hcl::evaluate(*condition->expr, rule_ctx, diags_);
      if (ok.is_unknown()) continue;
      if (!ok.is_bool()) {
        diags_.error(condition->expr->range, "Invalid variable validation result",
                     "The validation condition must evaluate to true or false.");
        continue;
      }
      if (ok.as_bool()) continue;
      std::string message = "The value of this variable is not valid.";
      if (const hcl::Attribute* msg = rule->body.find_attribute("error_message")) {
        hcl::Value m = hcl::evaluate(*msg->expr, rule_ctx, diags_);
        if (m.is_string()) message = m.as_string();
      }
      diags_.error(value_range, "Invalid value for variable",
                   fmt::format("{}\n\nThis was checked by the validation rule at {}.", message,
                               where(condition->expr->range)));
    }
  }

  const ParseOptions& options_;
  std::filesystem::path base_dir_;
  hcl::EvalContext& ctx_;
  hcl::Diagnostics& diags_;
  hcl::EvalContext plain_;  // functions only: defaults, var-files, -var values
  std::vector<Declaration> decls_;
  std::map<std::string, size_t, std::less<>> index_;
  std::vector<std::unique_ptr<hcl::File>> var_files_;  // kept alive for their ranges
};

// ---- locals ------------------------------------------------------------------

class LocalsEvaluator {
 public:
  LocalsEvaluator(hcl::EvalContext& ctx, hcl::Diagnostics& diags) : ctx_(ctx), diags_(diags) {}

  void run(const hcl::Body& body) {
    for (const hcl::Block& block : body.blocks) {
      if (block.type != "locals") continue;
      for (const hcl::Block& inner : block.body.blocks) {
        diags_.error(inner.type_range, "Unsupported block type",
                     fmt::format("Blocks of type \"{}\" are not expected here: a locals block "
                                 "holds only `name = value` arguments.",
                                 inner.type));
      }
      for (const hcl::Attribute& attr : block.body.attributes) {
        if (auto it = defs_.find(attr.name); it != defs_.end()) {
          diags_.error(attr.name_range, "Duplicate local value definition",
                       fmt::format("A local value named \"{}\" was already defined at {}. Local "
                                   "value names must be unique within a job file.",
                                   attr.name, where(it->second->name_range)));
          continue;
        }
        defs_[attr.name] = &attr;
      }
    }
    for (const auto& [name, attr] : defs_) evaluate_local(name);
    ctx_.variables["local"] = hcl::Value::object(values_);
  }

 private:
  void evaluate_local(const std::string& name) {
    if (values_.contains(name)) return;
    auto def = defs_.find(name);
    if (def == defs_.end()) return;  // the evaluator reports the unknown reference
    if (std::find(stack_.begin(), stack_.end(), name) != stack_.end()) {
      std::vector<std::string> cycle;
      auto start = std::find(stack_.begin(), stack_.end(), name);
      for (auto it = start; it != stack_.end(); ++it) cycle.push_back("local." + *it);
      cycle.push_back("local." + name);
      diags_.error(def->second->name_range, "Cycle in local values",
                   fmt::format("The local value \"{}\" depends on itself: {}. Remove one of the "
                               "references to break the cycle.",
                               name, join(cycle, " → ")));
      for (const std::string& member : stack_) values_[member] = hcl::Value::unknown();
      return;
    }
    stack_.push_back(name);
    std::vector<internal::Reference> refs;
    internal::collect_references(*def->second->expr, "local", &refs);
    for (const internal::Reference& ref : refs) evaluate_local(ref.name);
    stack_.pop_back();
    if (values_.contains(name)) return;  // marked unknown by a cycle
    hcl::EvalContext local_ctx;
    local_ctx.parent = &ctx_;
    local_ctx.variables["local"] = hcl::Value::object(values_);
    values_[name] = hcl::evaluate(*def->second->expr, local_ctx, diags_);
  }

  hcl::EvalContext& ctx_;
  hcl::Diagnostics& diags_;
  std::map<std::string, const hcl::Attribute*> defs_;
  hcl::ValueMap values_;
  std::vector<std::string> stack_;
};

}  // namespace

void evaluate_variables(const hcl::Body& body, const ParseOptions& options,
                        const std::filesystem::path& base_dir, hcl::EvalContext& ctx,
                        hcl::Diagnostics& diags) {
  VariableEvaluator(options, base_dir, ctx, diags).run(body);
  evaluate_locals(body, ctx, diags);
}

namespace {

void collect_body_references(const hcl::Body& body, std::vector<internal::Reference>* vars,
                             std::vector<internal::Reference>* locals) {
  for (const hcl::Attribute& attr : body.attributes) {
    if (attr.expr == nullptr) continue;
    internal::collect_references(*attr.expr, "var", vars);
    internal::collect_references(*attr.expr, "local", locals);
  }
  for (const hcl::Block& block : body.blocks) {
    collect_body_references(block.body, vars, locals);
  }
}

}  // namespace

bool check_references(const hcl::Body& body, hcl::Diagnostics& diags) {
  std::vector<std::string> var_names;
  std::vector<std::string> local_names;
  std::vector<internal::Reference> vars;
  std::vector<internal::Reference> locals;
  for (const hcl::Block& block : body.blocks) {
    if (block.type == "variable") {
      if (block.labels.size() == 1) var_names.push_back(block.labels[0]);
      // A validation condition refers to its own variable only.
      collect_body_references(block.body, &vars, &locals);
    } else if (block.type == "variables") {
      for (const hcl::Attribute& attr : block.body.attributes) var_names.push_back(attr.name);
    } else {
      if (block.type == "locals") {
        for (const hcl::Attribute& attr : block.body.attributes) local_names.push_back(attr.name);
      }
      collect_body_references(block.body, &vars, &locals);
    }
  }
  bool ok = true;
  auto report = [&](const internal::Reference& ref, const std::vector<std::string>& names,
                    const char* summary, const char* what, const char* fix) {
    if (std::find(names.begin(), names.end(), ref.name) != names.end()) return;
    ok = false;
    std::string detail =
        fmt::format("{} with the name \"{}\" has not been declared.", what, ref.name);
    std::string suggestion = suggest_name(ref.name, names);
    if (!suggestion.empty()) {
      detail += fmt::format(" Did you mean \"{}\"?", suggestion);
    } else {
      detail += fmt::format(fmt::runtime(fix), ref.name);
    }
    diags.error(ref.range, summary, std::move(detail));
  };
  for (const internal::Reference& ref : vars) {
    report(ref, var_names, "Reference to undeclared input variable", "An input variable",
           " Declare it with a variable \"{}\" {{ … }} block.");
  }
  for (const internal::Reference& ref : locals) {
    report(ref, local_names, "Reference to undeclared local value", "A local value",
           " Define it in a locals {{ {} = … }} block.");
  }
  return ok;
}

void evaluate_locals(const hcl::Body& body, hcl::EvalContext& ctx, hcl::Diagnostics& diags) {
  LocalsEvaluator(ctx, diags).run(body);
}

}  // namespace caravan::jobspec
