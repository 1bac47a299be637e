// Collection functions: lists, maps and sets (sets are lists kept sorted and
// free of duplicates).
#include <algorithm>
#include <cmath>

#include "hcl/convert.h"
#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"
#include "hcl/internal/utf8.h"

namespace caravan::hcl::internal {

namespace {

Result<Value> alltrue(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  for (size_t i = 0; i < items->size(); ++i) {
    const Value& v = (*items)[i];
    if (v.is_null()) return Value::boolean(false);
    auto b = convert_to_bool(v);
    if (!b) return arg_error(0, "element " + std::to_string(i) + ": " + b.error().message());
    if (!*b) return Value::boolean(false);
  }
  return Value::boolean(true);
}

Result<Value> anytrue(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  bool any = false;
  for (size_t i = 0; i < items->size(); ++i) {
    const Value& v = (*items)[i];
    if (v.is_null()) continue;
    auto b = convert_to_bool(v);
    if (!b) return arg_error(0, "element " + std::to_string(i) + ": " + b.error().message());
    any = any || *b;
  }
  return Value::boolean(any);
}

Result<Value> chunklist(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  long long size = CARAVAN_TRY(integer_arg(args, 1));
  if (size < 0) return arg_error(1, "(the chunk size) must not be negative");
  ValueList out;
  if (size == 0) {
    out.push_back(Value::list(*items));
    return Value::list(std::move(out));
  }
  for (size_t i = 0; i < items->size(); i += static_cast<size_t>(size)) {
    size_t end = std::min(items->size(), i + static_cast<size_t>(size));
    out.push_back(Value::list(
        ValueList(items->begin() + static_cast<long>(i), items->begin() + static_cast<long>(end))));
  }
  return Value::list(std::move(out));
}

bool is_primitive(const Value& v) { return v.is_string() || v.is_number() || v.is_bool(); }

Result<Value> coalesce(const Args& args) {
  // cty unifies the argument types: mixed primitives make the result a string.
  bool mixed = false;
  const Value* first_kind = nullptr;
  for (size_t i = 0; i < args.size(); ++i) {
    const Value& v = args[i];
    if (v.is_null()) continue;
    if (first_kind == nullptr) {
      first_kind = &v;
    } else if (v.kind() != first_kind->kind()) {
      if (!is_primitive(v) || !is_primitive(*first_kind)) {
        return arg_error(i, std::string("must have the same type as the others (") +
                                first_kind->type_name() + "), got " + v.type_name());
      }
      mixed = true;
    }
  }
  for (const Value& v : args) {
    if (v.is_null()) continue;
    if (v.is_string() && v.as_string().empty()) continue;
    if (mixed) return Value::string(convert_to_string(v).value());
    return v;
  }
  return invalid_argument("no non-null, non-empty-string arguments");
}

Result<Value> coalescelist(const Args& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_null()) continue;
    const ValueList* items = CARAVAN_TRY(list_arg(args, i));
    if (!items->empty()) return args[i];
  }
  return invalid_argument("no non-null, non-empty list arguments");
}

Result<Value> compact(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  ValueList out;
  for (size_t i = 0; i < items->size(); ++i) {
    const Value& v = (*items)[i];
    if (v.is_null()) continue;
    auto s = convert_to_string(v);
    if (!s) return arg_error(0, "element " + std::to_string(i) + ": " + s.error().message());
    if (!s->empty()) out.push_back(Value::string(std::move(s).value()));
  }
  return Value::list(std::move(out));
}

Result<Value> concat(const Args& args) {
  ValueList out;
  for (size_t i = 0; i < args.size(); ++i) {
    const ValueList* items = CARAVAN_TRY(list_arg(args, i));
    out.insert(out.end(), items->begin(), items->end());
  }
  return Value::list(std::move(out));
}

Result<Value> contains(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  return Value::boolean(list_contains(*items, args[1]));
}

Result<Value> distinct(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  ValueList out;
  for (const Value& v : *items) {
    if (!list_contains(out, v)) out.push_back(v);
  }
  return Value::list(std::move(out));
}

Result<Value> element(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  long long index = CARAVAN_TRY(integer_arg(args, 1));
  if (items->empty()) return invalid_argument("cannot use element function with an empty list");
  if (index < 0) return arg_error(1, "(the index) must not be negative");
  return (*items)[static_cast<size_t>(index) % items->size()];
}

void flatten_into(ValueList& out, const ValueList& items) {
  for (const Value& v : items) {
    if (v.is_list()) {
      flatten_into(out, v.as_list());
    } else {
      out.push_back(v);
    }
  }
}

Result<Value> flatten(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  ValueList out;
  flatten_into(out, *items);
  return Value::list(std::move(out));
}

Result<Value> index_fn(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  for (size_t i = 0; i < items->size(); ++i) {
    if ((*items)[i] == args[1]) return Value::number(static_cast<double>(i));
  }
  return invalid_argument("item " + to_display_string(args[1]) + " not found in the list");
}

Result<Value> keys(const Args& args) {
  const ValueMap* attrs = CARAVAN_TRY(object_arg(args, 0));
  ValueList out;
  for (const auto& [key, v] : *attrs) out.push_back(Value::string(key));
  return Value::list(std::move(out));
}

Result<Value> values(const Args& args) {
  const ValueMap* attrs = CARAVAN_TRY(object_arg(args, 0));
  ValueList out;
  for (const auto& [key, v] : *attrs) out.push_back(v);
  return Value::list(std::move(out));
}

Result<Value> length(const Args& args) {
  const Value& v = args[0];
  switch (v.kind()) {
    case ValueKind::kList:
      return Value::number(static_cast<double>(v.as_list().size()));
    case ValueKind::kObject:
      return Value::number(static_cast<double>(v.as_object().size()));
    case ValueKind::kString:
      return Value::number(static_cast<double>(code_point_count(v.as_string())));
    default:
      return arg_error(0, std::string("must be a string, list or map, got ") + v.type_name());
  }
}

Result<Value> list_fn(const Args& args) { return Value::list(args); }

Result<Value> map_fn(const Args& args) {
  if (args.size() % 2 != 0) {
    return invalid_argument("map requires an even number of arguments: key1, value1, key2, ...");
  }
  ValueMap out;
  for (size_t i = 0; i < args.size(); i += 2) {
    std::string key = CARAVAN_TRY(string_arg(args, i));
    if (out.count(key) != 0) return arg_error(i, "repeats the key \"" + key + "\"");
    out.insert_or_assign(key, args[i + 1]);
  }
  return Value::object(std::move(out));
}

Result<Value> lookup(const Args& args) {
  const ValueMap* attrs = CARAVAN_TRY(object_arg(args, 0));
  std::string key = CARAVAN_TRY(string_arg(args, 1));
  auto it = attrs->find(key);
  if (it != attrs->end()) return it->second;
  if (args.size() == 3) return args[2];
  return invalid_argument("the map has no key \"" + key +
                          "\"; add a default value as the third argument");
}

Result<Value> matchkeys(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  const ValueList* keys_list = CARAVAN_TRY(list_arg(args, 1));
  const ValueList* search = CARAVAN_TRY(list_arg(args, 2));
  if (items->size() != keys_list->size()) {
    return invalid_argument("the values and keys lists must have the same length");
  }
  ValueList out;
  for (size_t i = 0; i < items->size(); ++i) {
    if (list_contains(*search, (*keys_list)[i])) out.push_back((*items)[i]);
  }
  return Value::list(std::move(out));
}

Result<Value> merge(const Args& args) {
  ValueMap out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_null()) continue;
    const ValueMap* attrs = CARAVAN_TRY(object_arg(args, i));
    for (const auto& [key, v] : *attrs) out.insert_or_assign(key, v);
  }
  return Value::object(std::move(out));
}

Result<Value> one(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  if (items->empty()) return Value::null();
  if (items->size() == 1) return items->front();
  return arg_error(0, "must have zero or one elements, got " + std::to_string(items->size()));
}

Result<Value> range(const Args& args) {
  double start = 0;
  double limit = 0;
  double step = 1;
  if (args.size() == 1) {
    limit = CARAVAN_TRY(number_arg(args, 0));
  } else {
    start = CARAVAN_TRY(number_arg(args, 0));
    limit = CARAVAN_TRY(number_arg(args, 1));
  }
  if (args.size() == 3) {
    step = CARAVAN_TRY(number_arg(args, 2));
    if (step == 0) return arg_error(2, "(the step) must not be zero");
    if (start < limit && step < 0) {
      return arg_error(2, "(the step) must be positive when start is less than limit");
    }
    if (start > limit && step > 0) {
      return arg_error(2, "(the step) must be negative when start is greater than limit");
    }
  } else if (start > limit) {
    step = -1;
  }
  constexpr size_t kMaxElements = 1024;
  ValueList out;
  for (double v = start; step > 0 ? v < limit : v > limit; v += step) {
    if (out.size() == kMaxElements) {
      return invalid_argument("more than 1024 values were generated; use a larger step");
    }
    out.push_back(Value::number(v));
  }
  return Value::list(std::move(out));
}

Result<Value> reverse(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  return Value::list(ValueList(items->rbegin(), items->rend()));
}

Result<Value> setintersection(const Args& args) {
  ValueList out = *CARAVAN_TRY(list_arg(args, 0));
  for (size_t i = 1; i < args.size(); ++i) {
    const ValueList* other = CARAVAN_TRY(list_arg(args, i));
    ValueList kept;
    for (const Value& v : out) {
      if (list_contains(*other, v)) kept.push_back(v);
    }
    out = std::move(kept);
  }
  return Value::list(canonical_set(std::move(out)));
}

Result<Value> setproduct(const Args& args) {
  std::vector<const ValueList*> sets;
  for (size_t i = 0; i < args.size(); ++i) sets.push_back(CARAVAN_TRY(list_arg(args, i)));
  ValueList out;
  for (const ValueList* s : sets) {
    if (s->empty()) return Value::list({});
  }
  std::vector<size_t> index(sets.size(), 0);
  while (true) {
    ValueList row;
    for (size_t k = 0; k < sets.size(); ++k) row.push_back((*sets[k])[index[k]]);
    out.push_back(Value::list(std::move(row)));
    if (out.size() > 100000) return invalid_argument("the product has more than 100000 elements");
    size_t k = sets.size();
    while (k > 0) {
      --k;
      if (++index[k] < sets[k]->size()) break;
      index[k] = 0;
      if (k == 0) return Value::list(std::move(out));
    }
  }
}

Result<Value> setsubtract(const Args& args) {
  const ValueList* a = CARAVAN_TRY(list_arg(args, 0));
  const ValueList* b = CARAVAN_TRY(list_arg(args, 1));
  ValueList out;
  for (const Value& v : *a) {
    if (!list_contains(*b, v)) out.push_back(v);
  }
  return Value::list(canonical_set(std::move(out)));
}

Result<Value> setunion(const Args& args) {
  ValueList out;
  for (size_t i = 0; i < args.size(); ++i) {
    const ValueList* items = CARAVAN_TRY(list_arg(args, i));
    out.insert(out.end(), items->begin(), items->end());
  }
  return Value::list(canonical_set(std::move(out)));
}

Result<Value> slice(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  long long start = CARAVAN_TRY(integer_arg(args, 1));
  long long end = CARAVAN_TRY(integer_arg(args, 2));
  auto size = static_cast<long long>(items->size());
  if (start < 0) return arg_error(1, "(the start index) must not be negative");
  if (end > size) {
    return arg_error(2, "(the end index) must not be greater than the length of the list (" +
                            std::to_string(size) + ")");
  }
  if (start > end) {
    return arg_error(1, "(the start index) must be less than or equal to the end index");
  }
  return Value::list(ValueList(items->begin() + start, items->begin() + end));
}

Result<Value> sort(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  for (size_t i = 0; i < items->size(); ++i) {
    if ((*items)[i].is_null()) {
      return arg_error(0,
                       "element " + std::to_string(i) + " is null; null values cannot be sorted");
    }
  }
  std::vector<std::string> strings = CARAVAN_TRY(string_list_arg(args, 0));
  std::sort(strings.begin(), strings.end());
  ValueList out;
  for (std::string& s : strings) out.push_back(Value::string(std::move(s)));
  return Value::list(std::move(out));
}

Result<Value> sum(const Args& args) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, 0));
  if (items->empty()) return invalid_argument("cannot sum an empty list");
  double total = 0;
  for (size_t i = 0; i < items->size(); ++i) {
    auto n = convert_to_number((*items)[i]);
    if (!n) return arg_error(0, "element " + std::to_string(i) + ": " + n.error().message());
    total += *n;
  }
  return Value::number(total);
}

Result<Value> transpose(const Args& args) {
  const ValueMap* attrs = CARAVAN_TRY(object_arg(args, 0));
  std::map<std::string, ValueList, std::less<>> grouped;
  for (const auto& [key, v] : *attrs) {
    if (!v.is_list()) {
      return arg_error(0,
                       "element \"" + key + "\" must be a list of strings, got " + v.type_name());
    }
    for (const Value& item : v.as_list()) {
      auto s = convert_to_string(item);
      if (!s) return arg_error(0, "element \"" + key + "\": " + s.error().message());
      grouped[*s].push_back(Value::string(key));
    }
  }
  ValueMap out;
  for (auto& [key, list] : grouped) out.insert_or_assign(key, Value::list(std::move(list)));
  return Value::object(std::move(out));
}

Result<Value> zipmap(const Args& args) {
  std::vector<std::string> key_list = CARAVAN_TRY(string_list_arg(args, 0));
  const ValueList* value_list = CARAVAN_TRY(list_arg(args, 1));
  if (key_list.size() != value_list->size()) {
    return invalid_argument("the number of keys (" + std::to_string(key_list.size()) +
                            ") does not match the number of values (" +
                            std::to_string(value_list->size()) + ")");
  }
  ValueMap out;
  for (size_t i = 0; i < key_list.size(); ++i) out.insert_or_assign(key_list[i], (*value_list)[i]);
  return Value::object(std::move(out));
}

}  // namespace

void register_collection_functions(FunctionTable& table) {
  table.add("alltrue", {1, 1, alltrue});
  table.add("anytrue", {1, 1, anytrue});
  table.add("chunklist", {2, 2, chunklist});
  table.add("coalesce", {1, -1, coalesce});
  table.add("coalescelist", {1, -1, coalescelist});
  table.add("compact", {1, 1, compact});
  table.add("concat", {1, -1, concat});
  table.add("contains", {2, 2, contains});
  table.add("distinct", {1, 1, distinct});
  table.add("element", {2, 2, element});
  table.add("flatten", {1, 1, flatten});
  table.add("index", {2, 2, index_fn});
  table.add("keys", {1, 1, keys});
  table.add("length", {1, 1, length});
  table.add("list", {0, -1, list_fn});
  table.add("lookup", {2, 3, lookup});
  table.add("map", {0, -1, map_fn});
  table.add("matchkeys", {3, 3, matchkeys});
  table.add("merge", {0, -1, merge});
  table.add("one", {1, 1, one});
  table.add("range", {1, 3, range});
  table.add("reverse", {1, 1, reverse});
  table.add("setintersection", {1, -1, setintersection});
  table.add("setproduct", {2, -1, setproduct});
  table.add("setsubtract", {2, 2, setsubtract});
  table.add("setunion", {1, -1, setunion});
  table.add("slice", {3, 3, slice});
  table.add("sort", {1, 1, sort});
  table.add("sum", {1, 1, sum});
  table.add("transpose", {1, 1, transpose});
  table.add("values", {1, 1, values});
  table.add("zipmap", {2, 2, zipmap});
}

}  // namespace caravan::hcl::internal
