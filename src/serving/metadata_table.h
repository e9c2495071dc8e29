// MetadataTable: the rows of an Items or Users dataset in memory, keyed by ITEM_ID / USER_ID,
// with column access for filters and for scoring cold items.
//
// Every id has a dense index (first-seen order). Ids added by Intern() alone (an item seen only in
// interactions) have null metadata. The columns are laid out for request-time work:
//   - every string field that is not textual has a dictionary of its values and, per value, the
//     sorted indices of the entries holding it (an inverted index); categorical fields hold each
//     of their '|'-separated values (SplitCategorical), other string fields their whole value;
//   - every numeric field (int, long, float, double) is an array of doubles, NaN for null;
//   - boolean and textual fields are checked on Upsert but not kept (filters cannot use them).
//
//   MetadataTable items("ITEM_ID", schema);
//   Result<int32_t> i = items.Upsert(row);          // row in schema order
//   for (int32_t j : items.Postings(genre_field, "Comedy")) ...
//
// Thread-safety: not synchronised; const methods may run concurrently with each other; writers
// (Intern, Upsert) need exclusive access (the owner holds a lock).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/dataset_schema.h"
#include "data/row_codec.h"
#include "recipes/training_data.h"

namespace kindred {

class MetadataTable {
 public:
  // key_field is "ITEM_ID" or "USER_ID"; schema may be std::nullopt (ids only, no metadata).
  MetadataTable(std::string key_field, std::optional<DatasetSchema> schema);

  // Index of id, added without metadata when new.
  int32_t Intern(std::string_view id);
  // -1 when absent.
  int32_t Find(std::string_view id) const { return ids_.Find(id); }
  const std::string& Id(int32_t index) const { return ids_.Name(index); }
  int32_t size() const { return ids_.size(); }

  // Inserts or replaces the metadata of the row's id (a Row in schema order as in
  // data/row_codec.h, key non-null) and returns its index; kInvalidInput naming the field when
  // the row does not fit the schema (or there is no schema).
  Result<int32_t> Upsert(const Row& row);

  // The "FIELD=value" tokens (recipes/training_data.h FeatureToken) of the categorical fields of
  // the entry, the same tokens the recipes train on (values split with SplitCategorical).
  std::vector<std::string> FeatureTokens(int32_t index) const;

  // CREATION_TIMESTAMP (seconds) when the schema has it and the row set it.
  std::optional<int64_t> CreationTimestamp(int32_t index) const;

  const std::optional<DatasetSchema>& schema() const { return schema_; }

  // --- Column access (field = index in schema().fields) ---

  // True for a string field that is not textual: it has a value dictionary and postings.
  bool IsIndexed(int field) const;
  // True for an int, long, float or double field: it has a number column.
  bool IsNumeric(int field) const;

  // The sorted indices of the entries whose `field` holds `value` (empty when none do).
  std::span<const int32_t> Postings(int field, std::string_view value) const;
  // The values `field` holds for entry `index` (none when null), each once.
  std::vector<std::string_view> Values(int field, int32_t index) const;
  // The number column of `field`: one double per entry, NaN for null.
  std::span<const double> Numbers(int field) const;

 private:
  struct StringColumn {
    IdIndex dictionary;                          // value -> value id
    std::vector<std::vector<int32_t>> postings;  // value id -> sorted entry indices
    std::vector<std::vector<int32_t>> of_entry;  // entry index -> its value ids
  };
  // Per schema field: which column holds it (-1: not kept).
  struct Slot {
    int string_column = -1;
    int number_column = -1;
  };

  Status CheckRow(const Row& row) const;
  void SetStrings(StringColumn& column, int32_t index, std::vector<int32_t> value_ids);

  std::string key_field_;
  std::optional<DatasetSchema> schema_;
  int key_ = -1;      // index of key_field_ in the schema
  int created_ = -1;  // index of CREATION_TIMESTAMP in the schema
  IdIndex ids_;
  int32_t column_rows_ = 0;  // entries the columns hold (== size())
  std::vector<Slot> slots_;
  std::vector<StringColumn> strings_;
  std::vector<std::vector<double>> numbers_;
};

}  // namespace kindred
