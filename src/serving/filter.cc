#include "serving/filter.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <functional>
#include <optional>

namespace kindred {
namespace {

// Calls f with the comparison (x, v) -> bool that `op` applies to numbers: IN, NOT IN (which the
// caller inverts) and = test equality. NaN (null) never compares true.
template <typename F>
void WithComparison(FilterOp op, F&& f) {
  switch (op) {
    case FilterOp::kLt:
      return f(std::less<double>());
    case FilterOp::kLe:
      return f(std::less_equal<double>());
    case FilterOp::kGt:
      return f(std::greater<double>());
    case FilterOp::kGe:
      return f(std::greater_equal<double>());
    default:
      return f(std::equal_to<double>());
  }
}

std::string Name(const FilterCondition& c) {
  return std::string(c.dataset == FilterDataset::kItems          ? "Items."
                     : c.dataset == FilterDataset::kInteractions ? "Interactions."
                                                                 : "CurrentUser.") +
         c.field;
}

// A set of item indices as a bit per item, so that AND, OR and NOT are word operations.
class ItemBits {
 public:
  explicit ItemBits(size_t n, bool value = false)
      : n_(n), words_((n + 63) / 64, value ? ~uint64_t{0} : 0) {
    Trim();
  }
  void Set(size_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  void OrWord(size_t w, uint64_t bits) { words_[w] |= bits; }
  void And(const ItemBits& o) {
    for (size_t w = 0; w < words_.size(); ++w) words_[w] &= o.words_[w];
  }
  void Or(const ItemBits& o) {
    for (size_t w = 0; w < words_.size(); ++w) words_[w] |= o.words_[w];
  }
  void Invert() {
    for (uint64_t& w : words_) w = ~w;
    Trim();
  }
  // Writes only the minority bits: filling a std::vector<bool> is cheap, setting bits one by
  // one is not.
  std::vector<bool> ToVector() const {
    size_t ones = 0;
    for (uint64_t w : words_) ones += std::popcount(w);
    bool mostly_set = ones > n_ / 2;
    std::vector<bool> out(n_, mostly_set);
    for (size_t w = 0; w < words_.size(); ++w) {
      uint64_t minority = mostly_set ? ~words_[w] : words_[w];
      if (w + 1 == words_.size() && n_ % 64 != 0) minority &= (uint64_t{1} << (n_ % 64)) - 1;
      while (minority != 0) {
        out[w * 64 + std::countr_zero(minority)] = !mostly_set;
        minority &= minority - 1;
      }
    }
    return out;
  }

 private:
  void Trim() {
    if (n_ % 64 != 0) words_.back() &= (uint64_t{1} << (n_ % 64)) - 1;
  }

  size_t n_;
  std::vector<uint64_t> words_;
};

// Sets the bits of the entries x of `column` for which `x op v` holds (never for NaN, null).
void Scan(std::span<const double> column, FilterOp op, double v, ItemBits* bits) {
  WithComparison(op, [&](auto holds) {  // 64 entries at a time, without branches
    for (size_t start = 0; start < column.size(); start += 64) {
      size_t end = std::min(column.size(), start + 64);
      uint64_t word = 0;
      for (size_t i = start; i < end; ++i) word |= uint64_t{holds(column[i], v)} << (i - start);
      bits->OrWord(start / 64, word);
    }
  });
}

// A field of a dataset, resolved against its schema.
struct FieldRef {
  int index = -1;
  bool numeric = false;
  bool key = false;  // ITEM_ID / USER_ID: matched through the table's ids
};

Result<FieldRef> Resolve(const DatasetSchema* schema, std::string_view dataset,
                         std::string_view prefix, const std::string& field,
                         std::string_view key_name) {
  std::string name = std::string(prefix) + "." + field;
  if (schema == nullptr) {
    return Status::InvalidInput("The filter uses " + name + " but the dataset group has no " +
                                std::string(dataset) + " dataset");
  }
  int index = schema->FieldIndex(field);
  if (index < 0) {
    std::string hint;
    for (const SchemaField& f : schema->fields) {
      if (EqualsIgnoreAsciiCase(f.name, field))
        hint = " (field names are case-sensitive: " + f.name + ")";
    }
    return Status::InvalidInput("The filter uses " + name + " but the " + std::string(dataset) +
                                " schema has no field " + field + hint);
  }
  const SchemaField& f = schema->fields[index];
  if (f.type == FieldType::kBoolean) {
    return Status::InvalidInput("The filter uses " + name +
                                ", a boolean field; filters cannot use boolean fields (store "
                                "\"True\"/\"False\" strings or 0/1 numbers instead)");
  }
  if (f.textual) {
    return Status::InvalidInput("The filter uses " + name +
                                ", a textual field; filters cannot use unstructured text");
  }
  return FieldRef{index, f.type != FieldType::kString, f.name == key_name};
}

Result<double> ToNumber(const FilterValue& v, const FilterCondition& c,
                        const std::string& placeholder) {
  if (std::optional<double> x = FilterNumber(v)) return *x;
  std::string from = placeholder.empty() ? "" : " (from placeholder $" + placeholder + ")";
  return Status::InvalidInput(Name(c) + " is a numeric field but the value \"" + v.text + "\"" +
                              from + " is not a number");
}

// The fields of a condition (and of its CurrentItem operand) resolved against the schemas, with
// the checks that need the schema: operators and literal values suit the field's type.
struct Binding {
  FieldRef field;
  FieldRef source;  // CurrentItem operand
};

Result<Binding> Bind(const FilterCondition& c, const DatasetSchema* items,
                     const DatasetSchema* users) {
  Binding b;
  if (c.dataset == FilterDataset::kInteractions) return b;
  bool on_items = c.dataset == FilterDataset::kItems;
  Result<FieldRef> field = on_items ? Resolve(items, "Items", "Items", c.field, "ITEM_ID")
                                    : Resolve(users, "Users", "CurrentUser", c.field, "USER_ID");
  if (!field.ok()) return field.status();
  b.field = *field;
  if (IsRangeOp(c.op) && !b.field.numeric) {
    return Status::InvalidInput(Name(c) + " is a string field; " + std::string(FilterOpName(c.op)) +
                                " compares numbers (int, long, float or double fields)");
  }
  if (c.operand.kind == FilterOperand::Kind::kCurrentItem) {
    Result<FieldRef> source = Resolve(items, "Items", "CurrentItem", c.operand.name, "ITEM_ID");
    if (!source.ok()) return source.status();
    b.source = *source;
    if (b.source.numeric != b.field.numeric) {
      return Status::InvalidInput(Name(c) + " and CurrentItem." + c.operand.name +
                                  " cannot be compared: one is numeric and the other a string");
    }
  }
  if (b.field.numeric && c.operand.kind == FilterOperand::Kind::kValues) {
    for (const FilterValue& v : c.operand.values) {
      Result<double> x = ToNumber(v, c, "");
      if (!x.ok()) return x.status();
    }
  }
  return b;
}

// Operand values in the form the field needs: strings for string fields, numbers otherwise.
struct Operands {
  std::vector<std::string> texts;
  std::vector<double> numbers;
};

// Evaluates the clauses of one filter for one request (FilterContext); caches the request's
// event window between conditions. One use, one thread.
class Evaluator {
 public:
  explicit Evaluator(const FilterContext& ctx) : ctx_(ctx), n_(ctx.items.size()) {}

  size_t size() const { return n_; }

  // The clause's items; nullopt when the clause does not apply to this request.
  Result<std::optional<ItemBits>> Clause(const FilterClause& clause) {
    for (const std::string& name : clause.placeholders) {
      if (ctx_.values != nullptr && ctx_.values->count(name) > 0) continue;
      if (!clause.include) return std::optional<ItemBits>();
      return Status::InvalidInput(
          "filterValues has no value for placeholder " + name + " ($" + name +
          "), which an INCLUDE expression of the filter uses; INCLUDE expressions need values "
          "for all their placeholders");
    }
    for (const FilterCondition& c : clause.user) {
      Result<bool> holds = UserCondition(c);
      if (!holds.ok()) return holds.status();
      if (!*holds) return std::optional<ItemBits>();
    }
    ItemBits any(n_);
    for (const std::vector<FilterCondition>& group : clause.where) {
      ItemBits all(n_, true);
      for (const FilterCondition& c : group) {
        Result<ItemBits> bits =
            c.dataset == FilterDataset::kInteractions ? Interactions(c) : ItemCondition(c);
        if (!bits.ok()) return bits.status();
        all.And(*bits);
      }
      any.Or(all);
    }
    return std::optional<ItemBits>(std::move(any));
  }

 private:
  const DatasetSchema* ItemsSchema() const {
    return ctx_.items.schema() ? &*ctx_.items.schema() : nullptr;
  }
  const DatasetSchema* UsersSchema() const {
    return ctx_.users && ctx_.users->schema() ? &*ctx_.users->schema() : nullptr;
  }

  // The values of a literal list or placeholder, converted for a field of the given kind.
  Result<Operands> Values(const FilterCondition& c, bool numeric) {
    std::vector<FilterValue> parsed;
    const std::vector<FilterValue>* values = &c.operand.values;
    std::string placeholder;
    if (c.operand.kind == FilterOperand::Kind::kPlaceholder) {
      placeholder = c.operand.name;
      Result<std::vector<FilterValue>> r =
          ParseFilterValues(placeholder, ctx_.values->at(placeholder));
      if (!r.ok()) return r.status();
      parsed = std::move(r).value();
      values = &parsed;
      if (c.op != FilterOp::kIn && parsed.size() != 1) {
        return Status::InvalidInput("Placeholder " + placeholder + " ($" + placeholder +
                                    ") gives " + std::to_string(parsed.size()) + " values but " +
                                    std::string(FilterOpName(c.op)) + " compares with one");
      }
    }
    Operands out;
    for (const FilterValue& v : *values) {
      if (!numeric) {
        out.texts.push_back(v.text);
        continue;
      }
      Result<double> x = ToNumber(v, c, placeholder);
      if (!x.ok()) return x.status();
      out.numbers.push_back(*x);
    }
    return out;
  }

  // The values of the current item's `source` field.
  Result<Operands> CurrentItemValues(const FilterCondition& c, const FieldRef& source) {
    if (ctx_.current_item < 0 || ctx_.current_item >= ctx_.items.size()) {
      return Status::InvalidInput("The filter compares " + Name(c) + " with CurrentItem." +
                                  c.operand.name +
                                  ", which needs a request for items related to an itemId");
    }
    Operands out;
    if (source.numeric) {
      double x = ctx_.items.Numbers(source.index)[ctx_.current_item];
      if (!std::isnan(x)) out.numbers.push_back(x);
    } else if (source.key) {
      out.texts.push_back(ctx_.items.Id(ctx_.current_item));
    } else {
      for (std::string_view v : ctx_.items.Values(source.index, ctx_.current_item)) {
        out.texts.emplace_back(v);
      }
    }
    return out;
  }

  Result<ItemBits> ItemCondition(const FilterCondition& c) {
    Result<Binding> b = Bind(c, ItemsSchema(), UsersSchema());
    if (!b.ok()) return b.status();
    const FieldRef& field = b->field;
    Result<Operands> values = c.operand.kind == FilterOperand::Kind::kCurrentItem
                                  ? CurrentItemValues(c, b->source)
                                  : Values(c, field.numeric);
    if (!values.ok()) return values.status();
    ItemBits bits(n_);
    if (field.numeric) {
      std::span<const double> column = ctx_.items.Numbers(field.index);
      for (double v : values->numbers) {
        Scan(column, c.op, v, &bits);
      }
    } else {
      for (const std::string& v : values->texts) {
        if (field.key) {
          if (int32_t i = ctx_.items.Find(v); i >= 0) bits.Set(i);
          continue;
        }
        for (int32_t i : ctx_.items.Postings(field.index, v)) bits.Set(i);
      }
    }
    if (c.op == FilterOp::kNotIn) bits.Invert();
    return bits;
  }

  // Marks the events that Personalize considers: the latest N of each event type.
  const std::vector<char>& Window() {
    if (window_) return *window_;
    window_.emplace(ctx_.events.size(), 0);
    std::vector<std::pair<std::string_view, size_t>> seen;  // event type -> events kept
    for (size_t i = ctx_.events.size(); i-- > 0;) {
      std::string_view type = ctx_.events[i].event_type;
      auto it = std::find_if(seen.begin(), seen.end(),
                             [&](const auto& s) { return EqualsIgnoreAsciiCase(s.first, type); });
      if (it == seen.end()) it = seen.insert(seen.end(), {type, 0});
      if (it->second < kFilterInteractionsPerEventType) {
        ++it->second;
        (*window_)[i] = 1;
      }
    }
    return *window_;
  }

  Result<ItemBits> Interactions(const FilterCondition& c) {
    Result<Operands> values = Values(c, /*numeric=*/false);
    if (!values.ok()) return values.status();
    bool every_type =
        std::find(values->texts.begin(), values->texts.end(), "*") != values->texts.end();
    const std::vector<char>& window = Window();
    ItemBits bits(n_);
    for (size_t i = 0; i < ctx_.events.size(); ++i) {
      const FilterEvent& e = ctx_.events[i];
      if (!window[i] || e.item < 0 || static_cast<size_t>(e.item) >= n_) continue;
      bool listed = every_type || std::any_of(values->texts.begin(), values->texts.end(),
                                              [&](const std::string& v) {
                                                return EqualsIgnoreAsciiCase(v, e.event_type);
                                              });
      if (listed != (c.op == FilterOp::kNotIn)) bits.Set(e.item);
    }
    return bits;
  }

  Result<bool> UserCondition(const FilterCondition& c) {
    Result<Binding> b = Bind(c, ItemsSchema(), UsersSchema());
    if (!b.ok()) return b.status();
    Result<Operands> values = Values(c, b->field.numeric);
    if (!values.ok()) return values.status();
    if (ctx_.user < 0 || ctx_.user >= ctx_.users->size()) return false;
    bool found = false;
    if (b->field.numeric) {
      double x = ctx_.users->Numbers(b->field.index)[ctx_.user];
      WithComparison(c.op, [&](auto holds) {
        for (double v : values->numbers) found = found || holds(x, v);
      });
    } else {
      std::vector<std::string_view> mine;
      if (b->field.key) {
        mine.push_back(ctx_.users->Id(ctx_.user));
      } else {
        mine = ctx_.users->Values(b->field.index, ctx_.user);
      }
      for (std::string_view v : mine) {
        found = found ||
                std::find(values->texts.begin(), values->texts.end(), v) != values->texts.end();
      }
    }
    return c.op == FilterOp::kNotIn ? !found : found;
  }

  const FilterContext& ctx_;
  size_t n_;
  std::optional<std::vector<char>> window_;
};

}  // namespace

Result<Filter> Filter::Parse(std::string_view expression) {
  Result<FilterSyntax> syntax = ParseFilterSyntax(expression);
  if (!syntax.ok()) return syntax.status();
  return Filter(std::move(syntax).value());
}

Status Filter::CheckSchemas(const DatasetSchema* items, const DatasetSchema* users) const {
  for (const FilterClause& clause : syntax_.clauses) {
    std::vector<const FilterCondition*> conditions;
    for (const auto& group : clause.where) {
      for (const FilterCondition& c : group) conditions.push_back(&c);
    }
    for (const FilterCondition& c : clause.user) conditions.push_back(&c);
    for (const FilterCondition* c : conditions) {
      bool known = c->dataset == FilterDataset::kItems         ? items != nullptr
                   : c->dataset == FilterDataset::kCurrentUser ? users != nullptr
                                                               : false;
      if (!known) continue;
      Result<Binding> b = Bind(*c, items, users);
      if (!b.ok()) return b.status();
    }
  }
  return Status::Ok();
}

Result<std::vector<bool>> Filter::Evaluate(const FilterContext& ctx) const {
  Evaluator evaluator(ctx);
  std::optional<ItemBits> included;
  ItemBits excluded(evaluator.size());
  for (const FilterClause& clause : syntax_.clauses) {
    Result<std::optional<ItemBits>> bits = evaluator.Clause(clause);
    if (!bits.ok()) return bits.status();
    if (!bits->has_value()) continue;
    if (!clause.include) {
      excluded.Or(**bits);
    } else if (included) {
      included->Or(**bits);
    } else {
      included = std::move(**bits);
    }
  }
  ItemBits allowed = included ? std::move(*included) : ItemBits(evaluator.size(), true);
  excluded.Invert();
  allowed.And(excluded);
  return allowed.ToVector();
}

}  // namespace kindred
