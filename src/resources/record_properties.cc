#include "resources/record_properties.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace kindred {
namespace {

// "NUMBER_OF_RATINGS" and "numberOfRatings" both become "numberofratings".
std::string Normalise(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c != '_') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// The JSON value converted to `field`'s type; kInvalidInput naming the field otherwise.
Result<FieldValue> Convert(const SchemaField& field, const nlohmann::json& v,
                           const std::string& where) {
  if (v.is_null()) return FieldValue();
  auto bad = [&] {
    return Status::InvalidInput(where + ": " + field.name + " must be " +
                                std::string(FieldTypeName(field.type)) + ", got " + v.dump());
  };
  const std::string text = v.is_string() ? v.get<std::string>() : "";
  switch (field.type) {
    case FieldType::kString:
      if (!v.is_string()) return bad();
      return FieldValue(text);
    case FieldType::kInt:
    case FieldType::kLong: {
      if (v.is_number_integer()) return FieldValue(v.get<int64_t>());
      char* end = nullptr;
      const long long n = std::strtoll(text.c_str(), &end, 10);
      if (!v.is_string() || text.empty() || end != text.c_str() + text.size()) return bad();
      return FieldValue(static_cast<int64_t>(n));
    }
    case FieldType::kFloat:
    case FieldType::kDouble: {
      if (v.is_number()) return FieldValue(v.get<double>());
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (!v.is_string() || text.empty() || end != text.c_str() + text.size() ||
          !std::isfinite(d)) {
        return bad();
      }
      return FieldValue(d);
    }
    case FieldType::kBoolean:
      if (v.is_boolean()) return FieldValue(v.get<bool>());
      if (text == "true" || text == "false") return FieldValue(text == "true");
      return bad();
  }
  return bad();
}

}  // namespace

Result<Row> RowFromRecord(const DatasetSchema& schema,
                          const std::map<std::string, FieldValue>& fixed,
                          std::string_view properties, const std::string& what) {
  Row row;
  row.values.resize(schema.fields.size());
  for (const auto& [name, value] : fixed) {
    const int index = schema.FieldIndex(name);
    if (index >= 0) row.values[index] = value;
  }
  if (!properties.empty()) {
    nlohmann::json j = nlohmann::json::parse(properties, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) {
      return Status::InvalidInput(what + ".properties must be a JSON object, got " +
                                  std::string(properties.substr(0, 100)));
    }
    for (const auto& [key, value] : j.items()) {
      int index = -1;
      for (size_t f = 0; f < schema.fields.size(); ++f) {
        if (Normalise(schema.fields[f].name) == Normalise(key)) index = static_cast<int>(f);
      }
      if (index < 0) {
        return Status::InvalidInput(what + ".properties: " + key +
                                    " is not a field of the dataset's schema");
      }
      if (fixed.contains(schema.fields[index].name)) {
        return Status::InvalidInput(what + ".properties: " + key +
                                    " cannot be set through properties");
      }
      Result<FieldValue> v = Convert(schema.fields[index], value, what + ".properties");
      if (!v.ok()) return v.status();
      row.values[index] = std::move(v).value();
    }
  }
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    if (!schema.fields[f].nullable && std::holds_alternative<std::monostate>(row.values[f])) {
      return Status::InvalidInput(what + ": " + schema.fields[f].name +
                                  " is required by the dataset's schema and was not given");
    }
  }
  return row;
}

}  // namespace kindred
