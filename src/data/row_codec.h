// Row values of a dataset and their compact binary encoding.
//
// A Row holds one value per schema field, in schema order; std::monostate is null. Integer
// schema types (int, long) are held as int64_t, floating types (float, double) as double.
// FieldRef is the same with a borrowed string, so the importer can encode a row straight from
// the CSV buffer without allocating.
//
// Encoding (docs/storage-layout.md, "Row encoding"): each value is a tag byte followed by its
// payload, so a row is self-describing and a decoder can check it against the schema's field
// count. Rows are concatenated into blocks; the block framing belongs to dataset_store.
//
//   std::string block;
//   EncodeRow(row, &block);
//   std::string_view in = block;
//   Row back;
//   Status s = DecodeRow(&in, row.values.size(), &back);  // `in` now points past the row
//
// Thread-safety: stateless functions over caller-owned values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace kindred {

using FieldValue = std::variant<std::monostate, std::string, int64_t, double, bool>;
using FieldRef = std::variant<std::monostate, std::string_view, int64_t, double, bool>;

struct Row {
  std::vector<FieldValue> values;  // one per schema field, in schema order
  bool operator==(const Row&) const = default;
};

// Views of a row's values: strings borrowed from `row`, which must outlive the result.
std::vector<FieldRef> RefsOf(const Row& row);

// Appends the encoding of `values` to `*out`.
void EncodeRow(std::span<const FieldRef> values, std::string* out);
void EncodeRow(const Row& row, std::string* out);

// Decodes one row of exactly `field_count` values from the front of `*in` into `*row`, reusing
// its storage, and advances `*in` past it. kCorruption when the bytes do not form such a row.
[[nodiscard]] Status DecodeRow(std::string_view* in, size_t field_count, Row* row);

// The string value at `index` of `row`, or nullopt when the index is negative or the value is
// null or not a string.
std::optional<std::string_view> StringValue(const Row& row, int index);
// The numeric (int, long, float or double) value at `index` as a double, or nullopt.
std::optional<double> NumberValue(const Row& row, int index);

// Splits a categorical value on '|' ("a|b|c" -> {"a","b","c"}). Empty parts are dropped, so ""
// gives {} and "a||b" gives {"a","b"}. The views point into `value`.
std::vector<std::string_view> SplitCategorical(std::string_view value);

}  // namespace kindred
