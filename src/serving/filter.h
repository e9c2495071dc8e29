// Filter: a parsed Personalize filter expression and its evaluation for one request — which
// items of the catalogue a recommendation may contain.
//
//   Result<Filter> f = Filter::Parse("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"buy\")");
//   FilterContext ctx{items};
//   ctx.events = user_events;
//   Result<std::vector<bool>> allowed = f->Evaluate(ctx);   // allowed[i] for each item index
//
// Semantics (docs/filters.md): each '|'-separated expression yields a set of items; the result
// is (union of the INCLUDE sets, or every item when no INCLUDE applies) minus the union of the
// EXCLUDE sets. An expression whose IF condition does not hold for the current user (or with no
// known user) does not apply; an EXCLUDE expression whose placeholders the request leaves out
// does not apply; an INCLUDE one is an error. Interactions conditions see the latest
// kFilterInteractionsPerEventType events of each event type (types compared case-insensitively);
// metadata values are compared exactly. A categorical value matches when any of its
// '|'-separated values does; a null value matches nothing, so NOT IN holds for it.
//
// Thread-safety: a parsed Filter is immutable; Evaluate may run concurrently (with const access
// to the tables in the context).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/dataset_schema.h"
#include "serving/filter_syntax.h"
#include "serving/metadata_table.h"

namespace kindred {

// Personalize considers the latest 100 interactions per user and event type.
inline constexpr size_t kFilterInteractionsPerEventType = 100;

struct FilterEvent {  // one event of the requesting user or session
  int32_t item;       // index in the items MetadataTable
  std::string_view event_type;
  int64_t timestamp;
};

struct FilterContext {
  const MetadataTable& items;
  const MetadataTable* users = nullptr;   // for CurrentUser.<field>; null when there is none
  int32_t user = -1;                      // index in *users; -1 for unknown/anonymous
  std::span<const FilterEvent> events{};  // oldest first; the evaluator applies Personalize's
                                          // "latest 100 interactions per event type" itself
  int32_t current_item = -1;              // CurrentItem.<field> (related-items requests)
  const std::map<std::string, std::string>* values = nullptr;  // the request's filterValues:
  // placeholder name without '$' -> Personalize's value string, e.g. "\"Comedy\",\"Drama\""
};

class Filter {
 public:
  // kInvalidInput naming the position (character offset and offending token) on a syntax error
  // or a violated limit.
  static Result<Filter> Parse(std::string_view expression);

  const std::vector<std::string>& placeholders() const { return syntax_.placeholders; }
  // The distinct dataset fields the filter uses ("Items.GENRE", "Users.AGE", ...).
  const std::vector<std::string>& fields() const { return syntax_.fields; }

  // Checks the fields the filter uses against the schemas of the Items and Users datasets
  // (null: that dataset does not exist yet and is not checked): each field exists, is not
  // boolean or textual, and suits its operator and values. kInvalidInput naming the field.
  Status CheckSchemas(const DatasetSchema* items, const DatasetSchema* users) const;

  // allowed[i] for every item index i < ctx.items.size(). kInvalidInput for a missing or
  // malformed filterValues entry (naming the placeholder) or a field the schema lacks.
  Result<std::vector<bool>> Evaluate(const FilterContext& ctx) const;

 private:
  explicit Filter(FilterSyntax syntax) : syntax_(std::move(syntax)) {}

  FilterSyntax syntax_;
};

}  // namespace kindred
