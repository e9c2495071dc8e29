// The syntax of Personalize filter expressions and of the filterValues a request gives their
// placeholders: text -> a checked syntax tree. Meaning (which items pass) is serving/filter.h's.
//
// Grammar (docs/filters.md; keywords and dataset names are case-insensitive, field names are
// not):
//   filter     := clause ('|' clause)*
//   clause     := (INCLUDE | EXCLUDE) ItemID WHERE where [IF user]
//   where      := all (OR all)*            AND binds tighter than OR; no parentheses
//   all        := condition (AND condition)*
//   condition  := (Items | Interactions) '.' FIELD op operand
//   user       := CurrentUser '.' FIELD op operand (AND CurrentUser '.' FIELD op operand)*
//   op         := IN | NOT IN | '=' | '<' | '<=' | '>' | '>='
//   operand    := inner | '(' inner ')'
//   inner      := value (',' value)* | '$'NAME | CurrentItem '.' FIELD
//   value      := "double-quoted string" (\" and \\ escape) | number
// Checked here: every rule that needs no schema (one dataset per WHERE, Interactions only on
// EVENT_TYPE, "*" only there, one value for '=' and ranges, numbers for ranges, no placeholder
// with NOT IN, CurrentItem only in WHERE on Items, CurrentUser only after IF) and the limits
// below. Errors are kInvalidInput naming the character position (1-based) and the token.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/strings.h"

namespace kindred {

// Limits (docs/filters.md lists their sources).
inline constexpr size_t kMaxFilterExpressionLength = 2500;  // CreateFilter filterExpression
inline constexpr size_t kMaxFilterFields = 10;              // distinct dataset fields in one filter
inline constexpr size_t kMaxFilterPlaceholders = 25;  // GetRecommendations filterValues entries
inline constexpr size_t kMaxPlaceholderNameLength = 50;

enum class FilterDataset { kItems, kInteractions, kCurrentUser };
enum class FilterOp { kIn, kNotIn, kEq, kLt, kLe, kGt, kGe };

// True for <, <=, > and >=, which compare numbers.
bool IsRangeOp(FilterOp op);

// "IN", "NOT IN", "=", "<", ...
std::string_view FilterOpName(FilterOp op);

struct FilterValue {
  std::string text;     // unescaped string, or a number as written
  bool quoted = false;  // a "string" rather than a bare number
};

struct FilterOperand {
  enum class Kind { kValues, kPlaceholder, kCurrentItem };
  Kind kind = Kind::kValues;
  std::vector<FilterValue> values;  // kValues
  std::string name;                 // placeholder name without '$', or the CurrentItem field
};

struct FilterCondition {
  FilterDataset dataset = FilterDataset::kItems;
  std::string field;
  FilterOp op = FilterOp::kIn;
  FilterOperand operand;
  size_t position = 0;  // 0-based offset of the condition in the expression text
};

// One INCLUDE/EXCLUDE expression (the text between '|' separators).
struct FilterClause {
  bool include = true;
  std::vector<std::vector<FilterCondition>> where;  // OR of AND-groups
  std::vector<FilterCondition> user;                // IF: all must hold (empty: no IF)
  std::vector<std::string> placeholders;            // used by this clause, without '$'
};

struct FilterSyntax {
  std::vector<FilterClause> clauses;
  std::vector<std::string> placeholders;  // distinct, in order of first use
  std::vector<std::string> fields;        // distinct dataset fields: "Items.GENRE",
                                          // "Interactions.EVENT_TYPE", "Users.AGE"
};

Result<FilterSyntax> ParseFilterSyntax(std::string_view expression);

// The values a request gives placeholder `name`: a comma-separated list of double-quoted strings
// and bare numbers, e.g. "\"Comedy\",\"Drama\"" or "20". kInvalidInput naming the placeholder and
// the position when the text is not such a list.
Result<std::vector<FilterValue>> ParseFilterValues(std::string_view name, std::string_view text);

// The number a value holds: a bare number, or a quoted one ("20", " -1.5e3 "); nullopt for any
// other text.
std::optional<double> FilterNumber(const FilterValue& value);

}  // namespace kindred
