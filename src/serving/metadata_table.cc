#include "serving/metadata_table.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kindred {
namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

bool IsNumberType(FieldType type) {
  return type == FieldType::kInt || type == FieldType::kLong || type == FieldType::kFloat ||
         type == FieldType::kDouble;
}

// Whether `value` (non-null) has the C++ type that data/row_codec.h uses for `type`. Floating
// fields also take integers (an importer may hand over "3" for a double field).
bool Fits(const FieldValue& value, FieldType type) {
  switch (type) {
    case FieldType::kString:
      return std::holds_alternative<std::string>(value);
    case FieldType::kInt:
    case FieldType::kLong:
      return std::holds_alternative<int64_t>(value);
    case FieldType::kFloat:
    case FieldType::kDouble:
      return std::holds_alternative<double>(value) || std::holds_alternative<int64_t>(value);
    case FieldType::kBoolean:
      return std::holds_alternative<bool>(value);
  }
  return false;
}

}  // namespace

MetadataTable::MetadataTable(std::string key_field, std::optional<DatasetSchema> schema)
    : key_field_(std::move(key_field)), schema_(std::move(schema)) {
  if (!schema_) return;
  key_ = schema_->FieldIndex(key_field_);
  created_ = schema_->FieldIndex("CREATION_TIMESTAMP");
  slots_.resize(schema_->fields.size());
  for (size_t f = 0; f < schema_->fields.size(); ++f) {
    const SchemaField& field = schema_->fields[f];
    if (static_cast<int>(f) == key_) continue;
    if (field.type == FieldType::kString && !field.textual) {
      slots_[f].string_column = static_cast<int>(strings_.size());
      strings_.emplace_back();
    } else if (IsNumberType(field.type)) {
      slots_[f].number_column = static_cast<int>(numbers_.size());
      numbers_.emplace_back();
    }
  }
}

int32_t MetadataTable::Intern(std::string_view id) {
  int32_t index = ids_.Intern(id);
  if (index == column_rows_) {  // a new id: every column gets a null entry
    for (StringColumn& column : strings_) column.of_entry.emplace_back();
    for (std::vector<double>& column : numbers_) column.push_back(kNull);
    ++column_rows_;
  }
  return index;
}

Status MetadataTable::CheckRow(const Row& row) const {
  if (!schema_) {
    return Status::InvalidInput("The " + key_field_ +
                                " table has no schema, so rows with metadata cannot be stored");
  }
  const std::vector<SchemaField>& fields = schema_->fields;
  if (row.values.size() != fields.size()) {
    return Status::InvalidInput("The row has " + std::to_string(row.values.size()) +
                                " values but the schema has " + std::to_string(fields.size()) +
                                " fields");
  }
  if (key_ < 0) return Status::InvalidInput("The schema has no " + key_field_ + " field");
  for (size_t f = 0; f < fields.size(); ++f) {
    const FieldValue& value = row.values[f];
    if (std::holds_alternative<std::monostate>(value)) {
      if (static_cast<int>(f) == key_) {
        return Status::InvalidInput("Field " + key_field_ + " must not be null");
      }
      if (!fields[f].nullable) {
        return Status::InvalidInput("Field " + fields[f].name +
                                    " is not nullable in the schema but the row has null");
      }
      continue;
    }
    if (!Fits(value, fields[f].type)) {
      return Status::InvalidInput("Field " + fields[f].name + " must hold a value of type " +
                                  std::string(FieldTypeName(fields[f].type)));
    }
  }
  if (StringValue(row, key_)->empty()) {
    return Status::InvalidInput("Field " + key_field_ + " must not be empty");
  }
  return Status::Ok();
}

void MetadataTable::SetStrings(StringColumn& column, int32_t index,
                               std::vector<int32_t> value_ids) {
  for (int32_t old : column.of_entry[index]) {
    std::vector<int32_t>& list = column.postings[old];
    auto it = std::lower_bound(list.begin(), list.end(), index);
    if (it != list.end() && *it == index) list.erase(it);
  }
  for (int32_t id : value_ids) {
    if (static_cast<size_t>(id) >= column.postings.size()) column.postings.resize(id + 1);
    std::vector<int32_t>& list = column.postings[id];
    if (list.empty() || list.back() < index) {
      list.push_back(index);  // the common case: a new entry has the largest index
    } else {
      list.insert(std::lower_bound(list.begin(), list.end(), index), index);
    }
  }
  column.of_entry[index] = std::move(value_ids);
}

Result<int32_t> MetadataTable::Upsert(const Row& row) {
  KINDRED_RETURN_IF_ERROR(CheckRow(row));
  int32_t index = Intern(*StringValue(row, key_));
  for (size_t f = 0; f < slots_.size(); ++f) {
    int field = static_cast<int>(f);
    if (int c = slots_[f].number_column; c >= 0) {
      numbers_[c][index] = NumberValue(row, field).value_or(kNull);
    }
    int c = slots_[f].string_column;
    if (c < 0) continue;
    StringColumn& column = strings_[c];
    std::vector<int32_t> ids;
    if (std::optional<std::string_view> text = StringValue(row, field)) {
      std::vector<std::string_view> parts{*text};
      if (schema_->fields[f].categorical) parts = SplitCategorical(*text);
      for (std::string_view part : parts) {
        int32_t id = column.dictionary.Intern(part);
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      }
    }
    SetStrings(column, index, std::move(ids));
  }
  return index;
}

std::vector<std::string> MetadataTable::FeatureTokens(int32_t index) const {
  std::vector<std::string> tokens;
  if (!schema_) return tokens;
  for (size_t f = 0; f < slots_.size(); ++f) {
    if (!schema_->fields[f].categorical) continue;
    for (std::string_view value : Values(static_cast<int>(f), index)) {
      tokens.push_back(FeatureToken(schema_->fields[f].name, value));
    }
  }
  return tokens;
}

std::optional<int64_t> MetadataTable::CreationTimestamp(int32_t index) const {
  if (created_ < 0 || !IsNumeric(created_)) return std::nullopt;
  double t = numbers_[slots_[created_].number_column][index];
  if (std::isnan(t)) return std::nullopt;
  return static_cast<int64_t>(t);
}

bool MetadataTable::IsIndexed(int field) const {
  return field >= 0 && static_cast<size_t>(field) < slots_.size() &&
         slots_[field].string_column >= 0;
}

bool MetadataTable::IsNumeric(int field) const {
  return field >= 0 && static_cast<size_t>(field) < slots_.size() &&
         slots_[field].number_column >= 0;
}

std::span<const int32_t> MetadataTable::Postings(int field, std::string_view value) const {
  if (!IsIndexed(field)) return {};
  const StringColumn& column = strings_[slots_[field].string_column];
  int32_t id = column.dictionary.Find(value);
  if (id < 0 || static_cast<size_t>(id) >= column.postings.size()) return {};
  return column.postings[id];
}

std::vector<std::string_view> MetadataTable::Values(int field, int32_t index) const {
  std::vector<std::string_view> values;
  if (!IsIndexed(field)) return values;
  const StringColumn& column = strings_[slots_[field].string_column];
  for (int32_t id : column.of_entry[index]) values.push_back(column.dictionary.Name(id));
  return values;
}

std::span<const double> MetadataTable::Numbers(int field) const {
  if (!IsNumeric(field)) return {};
  return numbers_[slots_[field].number_column];
}

}  // namespace kindred
