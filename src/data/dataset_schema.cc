#include "data/dataset_schema.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "common/strings.h"

namespace kindred {
namespace {

using Json = nlohmann::json;

// Avro names: [A-Za-z_][A-Za-z0-9_]*.
bool IsAvroName(std::string_view name) {
  if (name.empty()) return false;
  auto is_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  if (!is_start(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) {
    return is_start(c) || std::isdigit(static_cast<unsigned char>(c));
  });
}

// Avro namespaces: dot-separated Avro names.
bool IsAvroNamespace(std::string_view ns) {
  size_t start = 0;
  while (true) {
    size_t dot = ns.find('.', start);
    if (!IsAvroName(ns.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// The name with everything but letters and digits removed: Personalize treats two fields whose
// names agree on their alphanumeric characters (GENRES_FIELD_1, GENRESFIELD1) as duplicates.
std::string AlphanumericKey(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) key.push_back(c);
  }
  return key;
}

std::optional<FieldType> PrimitiveType(std::string_view name) {
  if (name == "string") return FieldType::kString;
  if (name == "int") return FieldType::kInt;
  if (name == "long") return FieldType::kLong;
  if (name == "float") return FieldType::kFloat;
  if (name == "double") return FieldType::kDouble;
  if (name == "boolean") return FieldType::kBoolean;
  return std::nullopt;
}

// The type name of one Avro type declaration: a JSON string ("long") or an object whose "type"
// names it ({"type": "long"}; complex types such as {"type": "array", ...} land here too).
// Empty when the declaration is neither.
std::string TypeNameOf(const Json& decl) {
  if (decl.is_string()) return decl.get<std::string>();
  if (decl.is_object()) {
    auto it = decl.find("type");
    if (it != decl.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

Status UnsupportedType(const std::string& field, const Json& type) {
  return Status::InvalidInput("Schema field " + field + " has unsupported type " + type.dump() +
                              "; supported types are string, int, long, float, double and " +
                              "boolean, optionally in a union with null");
}

// Fills type/nullable of `out` from the field's "type" declaration.
Status ParseFieldType(const Json& type, SchemaField& out) {
  if (!type.is_array()) {
    std::optional<FieldType> primitive = PrimitiveType(TypeNameOf(type));
    if (!primitive) return UnsupportedType(out.name, type);
    out.type = *primitive;
    return Status::Ok();
  }
  // A union: exactly one supported primitive and "null", in either order.
  std::optional<FieldType> primitive;
  int nulls = 0;
  for (const Json& member : type) {
    std::string name = TypeNameOf(member);
    if (name == "null") {
      ++nulls;
    } else if (std::optional<FieldType> p = PrimitiveType(name); p && !primitive) {
      primitive = p;
    } else {
      return UnsupportedType(out.name, type);
    }
  }
  if (!primitive || nulls != 1) return UnsupportedType(out.name, type);
  out.type = *primitive;
  out.nullable = true;
  return Status::Ok();
}

// Reads an optional boolean attribute such as "categorical".
Result<bool> BoolAttribute(const Json& field, const char* key, const std::string& field_name) {
  auto it = field.find(key);
  if (it == field.end()) return false;
  if (!it->is_boolean()) {
    return Status::InvalidInput("Schema field " + field_name + " attribute \"" + key +
                                "\" must be true or false");
  }
  return it->get<bool>();
}

Result<SchemaField> ParseField(const Json& field, size_t index) {
  if (!field.is_object()) {
    return Status::InvalidInput("Schema field #" + std::to_string(index + 1) +
                                " must be a JSON object");
  }
  auto name_it = field.find("name");
  if (name_it == field.end() || !name_it->is_string()) {
    return Status::InvalidInput("Schema field #" + std::to_string(index + 1) +
                                " must have a string \"name\"");
  }
  SchemaField out;
  out.name = name_it->get<std::string>();
  if (!IsAvroName(out.name)) {
    return Status::InvalidInput("Schema field name \"" + out.name +
                                "\" is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*)");
  }
  auto type_it = field.find("type");
  if (type_it == field.end()) {
    return Status::InvalidInput("Schema field " + out.name + " has no \"type\"");
  }
  KINDRED_RETURN_IF_ERROR(ParseFieldType(*type_it, out));

  Result<bool> categorical = BoolAttribute(field, "categorical", out.name);
  if (!categorical.ok()) return categorical.status();
  Result<bool> textual = BoolAttribute(field, "textual", out.name);
  if (!textual.ok()) return textual.status();
  out.categorical = *categorical;
  out.textual = *textual;
  if ((out.categorical || out.textual) && out.type != FieldType::kString) {
    return Status::InvalidInput(
        "Schema field " + out.name + " is " + (out.categorical ? "categorical" : "textual") +
        " and so must be of type string, not " + std::string(FieldTypeName(out.type)));
  }
  if (out.categorical && out.textual) {
    return Status::InvalidInput("Schema field " + out.name +
                                " cannot be both categorical and textual");
  }
  return out;
}

Result<DatasetSchema> ParseRecord(const Json& root) {
  if (!root.is_object()) return Status::InvalidInput("Schema must be a JSON object");
  auto type_it = root.find("type");
  if (type_it == root.end() || *type_it != "record") {
    return Status::InvalidInput("Schema must be an Avro record (\"type\": \"record\")");
  }
  DatasetSchema schema;
  auto name_it = root.find("name");
  if (name_it == root.end() || !name_it->is_string() || !IsAvroName(name_it->get<std::string>())) {
    return Status::InvalidInput("Schema record must have a \"name\" that is a valid Avro name");
  }
  schema.record_name = name_it->get<std::string>();
  if (auto ns = root.find("namespace"); ns != root.end()) {
    if (!ns->is_string() || !IsAvroNamespace(ns->get<std::string>())) {
      return Status::InvalidInput("Schema \"namespace\" must be dot-separated Avro names");
    }
  }
  auto fields_it = root.find("fields");
  if (fields_it == root.end() || !fields_it->is_array() || fields_it->empty()) {
    return Status::InvalidInput("Schema must have a non-empty \"fields\" array");
  }
  std::map<std::string, std::string> seen;  // alphanumeric key -> first field name
  for (size_t i = 0; i < fields_it->size(); ++i) {
    Result<SchemaField> field = ParseField((*fields_it)[i], i);
    if (!field.ok()) return field.status();
    auto [it, inserted] = seen.emplace(AlphanumericKey(field->name), field->name);
    if (!inserted) {
      return Status::InvalidInput(
          it->second == field->name
              ? "Schema field " + field->name + " is declared more than once"
              : "Schema fields " + it->second + " and " + field->name +
                    " have the same alphanumeric name; field names must be unique");
    }
    schema.fields.push_back(std::move(field).value());
  }
  return schema;
}

// A required field or reserved keyword of one dataset type.
struct KeywordRule {
  std::string_view name;
  FieldType type;
  bool required;  // must be present
  bool nullable;  // may be declared as a union with null
};

struct TypeRules {
  std::vector<KeywordRule> keywords;
  size_t min_metadata;  // fields that are neither required nor reserved
  size_t max_metadata;
  size_t max_textual;  // 0: textual fields are not allowed
};

// Custom dataset groups; see docs/schemas.md for the guide pages behind each number.
const TypeRules& RulesFor(DatasetType type) {
  static const TypeRules kInteractions{
      .keywords = {{"USER_ID", FieldType::kString, true, false},
                   {"ITEM_ID", FieldType::kString, true, false},
                   {"TIMESTAMP", FieldType::kLong, true, false},
                   {"EVENT_TYPE", FieldType::kString, false, false},
                   {"EVENT_VALUE", FieldType::kFloat, false, true},
                   {"IMPRESSION", FieldType::kString, false, true},
                   {"RECOMMENDATION_ID", FieldType::kString, false, true},
                   {"EVENT_ATTRIBUTION_SOURCE", FieldType::kString, false, true}},
      .min_metadata = 0,
      .max_metadata = 5,
      .max_textual = 0};
  static const TypeRules kItems{
      .keywords = {{"ITEM_ID", FieldType::kString, true, false},
                   {"CREATION_TIMESTAMP", FieldType::kLong, false, false}},
      .min_metadata = 1,
      .max_metadata = 100,
      .max_textual = 1};
  static const TypeRules kUsers{.keywords = {{"USER_ID", FieldType::kString, true, false}},
                                .min_metadata = 1,
                                .max_metadata = 25,
                                .max_textual = 0};
  switch (type) {
    case DatasetType::kInteractions:
      return kInteractions;
    case DatasetType::kItems:
      return kItems;
    case DatasetType::kUsers:
      break;
  }
  return kUsers;
}

Status CheckKeywordField(const SchemaField& field, const KeywordRule& rule) {
  std::string expected(FieldTypeName(rule.type));
  if (field.type != rule.type) {
    return Status::InvalidInput("Schema field " + field.name + " must be of type " + expected +
                                ", not " + std::string(FieldTypeName(field.type)));
  }
  if (field.nullable && !rule.nullable) {
    return Status::InvalidInput("Schema field " + field.name + " must be of type " + expected +
                                " and cannot be nullable; remove \"null\" from its type");
  }
  if (field.categorical || field.textual) {
    return Status::InvalidInput("Schema field " + field.name +
                                " is a required or reserved field and cannot be " +
                                (field.categorical ? "categorical" : "textual"));
  }
  return Status::Ok();
}

// Checks one metadata field and adds it to the `metadata` and `textual` counts.
Status CheckMetadataField(const SchemaField& field, const TypeRules& rules, DatasetType type,
                          size_t& metadata, size_t& textual) {
  std::string type_name(DatasetTypeName(type));
  if (++metadata > rules.max_metadata) {
    return Status::InvalidInput(type_name + " schema allows at most " +
                                std::to_string(rules.max_metadata) + " metadata fields; field " +
                                field.name + " is one too many");
  }
  if (field.textual) {
    if (rules.max_textual == 0) {
      return Status::InvalidInput("Schema field " + field.name + " is textual, but only Items " +
                                  "schemas may have textual fields");
    }
    if (++textual > rules.max_textual) {
      return Status::InvalidInput(type_name + " schema allows at most " +
                                  std::to_string(rules.max_textual) + " textual field; field " +
                                  field.name + " is one too many");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view DatasetTypeName(DatasetType type) {
  switch (type) {
    case DatasetType::kInteractions:
      return "Interactions";
    case DatasetType::kItems:
      return "Items";
    case DatasetType::kUsers:
      return "Users";
  }
  return "";
}

std::optional<DatasetType> ParseDatasetType(std::string_view name) {
  for (DatasetType type : {DatasetType::kInteractions, DatasetType::kItems, DatasetType::kUsers}) {
    if (EqualsIgnoreAsciiCase(name, DatasetTypeName(type))) return type;
  }
  return std::nullopt;
}

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kInt:
      return "int";
    case FieldType::kLong:
      return "long";
    case FieldType::kFloat:
      return "float";
    case FieldType::kDouble:
      return "double";
    case FieldType::kBoolean:
      return "boolean";
  }
  return "";
}

int DatasetSchema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Result<DatasetSchema> ParseAvroSchema(std::string_view avro_json) {
  Json root = Json::parse(avro_json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Status::InvalidInput("Schema is not valid JSON");
  try {
    return ParseRecord(root);
  } catch (const std::exception& e) {  // nlohmann type errors should not happen; stay safe
    return Status::InvalidInput(std::string("Schema could not be read: ") + e.what());
  }
}

Status CheckSchemaForDatasetType(const DatasetSchema& schema, DatasetType type) {
  std::string type_name(DatasetTypeName(type));
  if (!EqualsIgnoreAsciiCase(schema.record_name, type_name)) {
    return Status::InvalidInput("Schema record name \"" + schema.record_name +
                                "\" does not match dataset type " + type_name +
                                "; the record must be named \"" + type_name + "\"");
  }
  const TypeRules& rules = RulesFor(type);
  for (const KeywordRule& rule : rules.keywords) {
    if (rule.required && schema.FieldIndex(rule.name) < 0) {
      return Status::InvalidInput(type_name + " schema is missing required field " +
                                  std::string(rule.name) + " (type " +
                                  std::string(FieldTypeName(rule.type)) + ")");
    }
  }
  size_t metadata = 0;
  size_t textual = 0;
  for (const SchemaField& field : schema.fields) {
    auto rule = std::find_if(rules.keywords.begin(), rules.keywords.end(),
                             [&](const KeywordRule& r) { return r.name == field.name; });
    KINDRED_RETURN_IF_ERROR(rule != rules.keywords.end()
                                ? CheckKeywordField(field, *rule)
                                : CheckMetadataField(field, rules, type, metadata, textual));
  }
  if (metadata < rules.min_metadata) {
    return Status::InvalidInput(type_name + " schema needs at least " +
                                std::to_string(rules.min_metadata) + " metadata field besides " +
                                std::string(rules.keywords.front().name) +
                                " and the reserved fields");
  }
  return Status::Ok();
}

}  // namespace kindred
