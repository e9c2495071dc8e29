// DatasetSchema: a parsed, checked Personalize Avro schema, and the dataset types it serves.
//
// ParseAvroSchema() checks everything that can be checked from the schema text alone (Avro
// syntax, Personalize's supported field types, unions with null, field names and their
// uniqueness, the categorical/textual attributes).
// CheckSchemaForDatasetType() adds the rules that depend on the dataset type (record name,
// required and reserved fields and their types), because Personalize only learns the type when
// a dataset is created with the schema.
//
// Thread-safety: immutable values once built; share freely.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kindred {

enum class DatasetType { kInteractions, kItems, kUsers };

// "Interactions", "Items", "Users" (the spelling Personalize returns in datasetType).
std::string_view DatasetTypeName(DatasetType type);
// Accepts the names case-insensitively, as Personalize does.
std::optional<DatasetType> ParseDatasetType(std::string_view name);

enum class FieldType { kString, kInt, kLong, kFloat, kDouble, kBoolean };

// The Avro spelling: "string", "int", "long", "float", "double", "boolean".
std::string_view FieldTypeName(FieldType type);

struct SchemaField {
  std::string name;
  FieldType type = FieldType::kString;
  bool nullable = false;     // declared as a union with "null"
  bool categorical = false;  // "categorical": true (strings only); values split on '|'
  bool textual = false;      // "textual": true (strings only, Items dataset)
};

struct DatasetSchema {
  std::vector<SchemaField> fields;  // in declaration order
  std::string record_name;          // the Avro record's "name"

  // Index of the field called `name` (exact, case-sensitive), or -1.
  int FieldIndex(std::string_view name) const;
};

// Parses and checks Avro JSON text as Personalize does at CreateSchema time.
// Errors are kInvalidInput with a message naming the offending field.
Result<DatasetSchema> ParseAvroSchema(std::string_view avro_json);

// Checks that `schema` may back a dataset of `type` in a custom dataset group: record name,
// required fields, reserved keywords and their types, metadata-field counts. The rules and the
// guide pages they come from are listed in docs/schemas.md. Errors are kInvalidInput and name
// the offending field.
Status CheckSchemaForDatasetType(const DatasetSchema& schema, DatasetType type);

}  // namespace kindred
