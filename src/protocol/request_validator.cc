#include "protocol/request_validator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <regex>
#include <vector>

namespace kindred {
namespace {

using Json = nlohmann::json;
using Shape = ServiceModel::Shape;
using Type = Shape::Type;

size_t CodePointCount(const std::string& utf8) {
  size_t count = 0;
  for (char c : utf8) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// A bound as the model writes it: integral bounds without a decimal point.
std::string FormatBound(double bound) {
  if (std::trunc(bound) == bound && std::abs(bound) < 1e18) {
    return std::to_string(static_cast<int64_t>(bound));
  }
  return Json(bound).dump();
}

// A value the way Java's toString() shows it, which is how Coral quotes values.
std::string JavaString(const Json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  if (v.is_array() || v.is_object()) {
    std::string out = v.is_array() ? "[" : "{";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      if (v.is_object()) out += it.key() + "=";
      out += JavaString(*it);
    }
    return out + (v.is_array() ? "]" : "}");
  }
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool IsIsoTimestamp(const std::string& s) {
  static const std::regex kIso8601(
      R"(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)");
  return std::regex_match(s, kIso8601);
}

const char* TypeName(Type type) {
  switch (type) {
    case Type::kStructure:
      return "a structure (JSON object)";
    case Type::kList:
      return "a list (JSON array)";
    case Type::kMap:
      return "a map (JSON object)";
    case Type::kString:
      return "a String";
    case Type::kInteger:
      return "an Integer";
    case Type::kLong:
      return "a Long";
    case Type::kFloat:
      return "a Float";
    case Type::kDouble:
      return "a Double";
    case Type::kBoolean:
      return "a Boolean";
    case Type::kTimestamp:
      return "a Timestamp (epoch seconds or ISO-8601 string)";
    case Type::kBlob:
      return "a Blob (base64 string)";
  }
  return "a value";
}

bool HasJsonType(Type type, const Json& v) {
  switch (type) {
    case Type::kStructure:
    case Type::kMap:
      return v.is_object();
    case Type::kList:
      return v.is_array();
    case Type::kString:
    case Type::kBlob:
      return v.is_string();
    case Type::kInteger:
      return (v.is_number_integer() && !v.is_number_unsigned() &&
              v.get<int64_t>() >= std::numeric_limits<int32_t>::min() &&
              v.get<int64_t>() <= std::numeric_limits<int32_t>::max()) ||
             (v.is_number_unsigned() && v.get<uint64_t>() <= INT32_MAX);
    case Type::kLong:
      return v.is_number_integer() && (!v.is_number_unsigned() || v.get<uint64_t>() <= INT64_MAX);
    case Type::kFloat:
    case Type::kDouble:
      return v.is_number();
    case Type::kBoolean:
      return v.is_boolean();
    case Type::kTimestamp:
      return v.is_number() || (v.is_string() && IsIsoTimestamp(v.get_ref<const std::string&>()));
  }
  return false;
}

bool IsScalar(Type type) {
  return type != Type::kStructure && type != Type::kList && type != Type::kMap;
}

class Validator {
 public:
  explicit Validator(const ServiceModel& model) : model_(model) {}

  std::optional<ValidationFailure> Run(const Shape& input_shape, const Json& input) {
    CheckValue(input_shape, input, "", /*hidden=*/false);
    if (serialization_error_) {
      return ValidationFailure{ValidationFailure::kSerialization, *serialization_error_};
    }
    if (violation_count_ == 0) return std::nullopt;
    std::string message = std::to_string(violation_count_) +
                          (violation_count_ == 1 ? " validation error" : " validation errors") +
                          " detected: ";
    for (size_t i = 0; i < violations_.size(); ++i) {
      message += (i == 0 ? "" : "; ") + violations_[i];
    }
    return ValidationFailure{ValidationFailure::kValidation, std::move(message)};
  }

 private:
  const Shape& ShapeOf(const std::string& name) const {
    return *model_.FindShape(name);  // ServiceModel::Parse guarantees references resolve
  }

  // Whether a value of `shape` may be quoted in a message: neither it nor what it holds is
  // sensitive. Structures are never quoted.
  bool Quotable(const Shape& shape) const {
    auto plain = [this](const std::string& ref) {
      const Shape& s = ShapeOf(ref);
      return IsScalar(s.type) && !s.sensitive;
    };
    switch (shape.type) {
      case Type::kStructure:
        return false;
      case Type::kList:
        return !shape.sensitive && plain(shape.member_shape);
      case Type::kMap:
        return !shape.sensitive && plain(shape.key_shape) && plain(shape.value_shape);
      default:
        return !shape.sensitive;
    }
  }

  // `value` is null for a missing member; `hidden` when an enclosing shape is sensitive.
  void AddViolation(const Shape& shape, const Json* value, bool hidden, const std::string& path,
                    const std::string& constraint) {
    ++violation_count_;
    if (violations_.size() >= static_cast<size_t>(kMaxReportedViolations)) return;
    std::string quoted = value == nullptr             ? " null"
                         : hidden || !Quotable(shape) ? ""
                                                      : " '" + JavaString(*value) + "'";
    violations_.push_back("Value" + quoted + " at '" + path +
                          "' failed to satisfy constraint: " + constraint);
  }

  // False (after recording a serialization error) when `v` cannot be of `shape`'s type.
  bool CheckJsonType(const Shape& shape, const Json& v, const std::string& path) {
    if (HasJsonType(shape.type, v)) return true;
    if (!serialization_error_) {
      serialization_error_ = "Expected " + std::string(TypeName(shape.type)) + " at '" + path +
                             "' but found a JSON " + v.type_name();
    }
    return false;
  }

  // The declared constraints a scalar or a container's size breaks, in Coral's order.
  std::vector<std::string> BrokenConstraints(const Shape& shape, const Json& v) const {
    std::vector<std::string> broken;
    const bool is_number = shape.type == Type::kInteger || shape.type == Type::kLong ||
                           shape.type == Type::kFloat || shape.type == Type::kDouble;
    if (shape.type == Type::kString) {
      const auto& s = v.get_ref<const std::string&>();
      if (shape.pattern && !shape.pattern->FullMatch(s)) {
        broken.push_back("Member must satisfy regular expression pattern: " +
                         shape.pattern->source());
      }
      if (!shape.enum_values.empty() &&
          std::find(shape.enum_values.begin(), shape.enum_values.end(), s) ==
              shape.enum_values.end()) {
        std::string set;
        for (const std::string& e : shape.enum_values) set += (set.empty() ? "" : ", ") + e;
        broken.push_back("Member must satisfy enum value set: [" + set + "]");
      }
    }
    if (is_number) {
      const double value = v.get<double>();
      if (shape.min && value < *shape.min) {
        broken.push_back("Member must have value greater than or equal to " +
                         FormatBound(*shape.min));
      }
      if (shape.max && value > *shape.max) {
        broken.push_back("Member must have value less than or equal to " + FormatBound(*shape.max));
      }
    } else if (shape.type == Type::kString || shape.type == Type::kList ||
               shape.type == Type::kMap) {
      const double length =
          v.is_string() ? static_cast<double>(CodePointCount(v.get_ref<const std::string&>()))
                        : static_cast<double>(v.size());
      if (shape.min && length < *shape.min) {
        broken.push_back("Member must have length greater than or equal to " +
                         FormatBound(*shape.min));
      }
      if (shape.max && length > *shape.max) {
        broken.push_back("Member must have length less than or equal to " +
                         FormatBound(*shape.max));
      }
    }
    return broken;
  }

  void CheckValue(const Shape& shape, const Json& v, const std::string& path, bool hidden) {
    if (!CheckJsonType(shape, v, path)) return;
    hidden = hidden || shape.sensitive;
    for (const std::string& c : BrokenConstraints(shape, v)) {
      AddViolation(shape, &v, hidden, path, c);
    }
    switch (shape.type) {
      case Type::kStructure:
        CheckMembers(shape, v, path, hidden);
        break;
      case Type::kList: {
        std::vector<std::pair<std::string, const Json*>> elements;
        for (size_t i = 0; i < v.size(); ++i) {
          elements.emplace_back(Join(path, std::to_string(i + 1) + ".member"), &v[i]);
        }
        CheckElements(shape, v, path, hidden, ShapeOf(shape.member_shape), elements, "Member");
        break;
      }
      case Type::kMap: {
        std::vector<std::pair<std::string, const Json*>> keys, values;
        std::vector<Json> key_values;  // keys as JSON strings, for the checks above
        key_values.reserve(v.size());
        for (auto it = v.begin(); it != v.end(); ++it) key_values.emplace_back(it.key());
        size_t i = 0;
        for (auto it = v.begin(); it != v.end(); ++it, ++i) {
          keys.emplace_back(Join(path, it.key()), &key_values[i]);
          values.emplace_back(Join(path, it.key()), &it.value());
        }
        CheckElements(shape, v, path, hidden, ShapeOf(shape.key_shape), keys, "Map keys");
        CheckElements(shape, v, path, hidden, ShapeOf(shape.value_shape), values, "Map value");
        break;
      }
      default:
        break;
    }
  }

  // Absent optional members cost one lookup: their shape and path are not looked at.
  void CheckMembers(const Shape& shape, const Json& v, const std::string& path, bool hidden) {
    for (const Shape::Member& member : shape.members) {
      auto it = v.find(member.name);
      if (it == v.end() || it->is_null()) {
        if (std::find(shape.required.begin(), shape.required.end(), member.name) !=
            shape.required.end()) {
          AddViolation(ShapeOf(member.shape), nullptr, hidden, Join(path, member.name),
                       "Member must not be null");
        }
        continue;
      }
      CheckValue(ShapeOf(member.shape), *it, Join(path, member.name), hidden);
    }
  }

  // Elements of a list or map. Composite elements are checked at their own paths; scalar ones
  // are gathered into one violation of the container, as Coral reports them.
  void CheckElements(const Shape& container, const Json& v, const std::string& path, bool hidden,
                     const Shape& element,
                     const std::vector<std::pair<std::string, const Json*>>& elements,
                     const char* what) {
    std::vector<std::string> broken;
    auto note = [&broken](const std::string& c) {
      if (std::find(broken.begin(), broken.end(), c) == broken.end()) broken.push_back(c);
    };
    for (const auto& [element_path, value] : elements) {
      if (value->is_null()) {
        note("Member must not be null");
      } else if (!IsScalar(element.type)) {
        CheckValue(element, *value, element_path, hidden);
      } else if (CheckJsonType(element, *value, element_path)) {
        for (const std::string& c : BrokenConstraints(element, *value)) note(c);
      }
    }
    if (broken.empty()) return;
    std::string list;
    for (const std::string& c : broken) list += (list.empty() ? "" : ", ") + c;
    AddViolation(container, &v, hidden, path,
                 std::string(what) + " must satisfy constraint: [" + list + "]");
  }

  static std::string Join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }

  const ServiceModel& model_;
  std::optional<std::string> serialization_error_;
  std::vector<std::string> violations_;
  int violation_count_ = 0;
};

}  // namespace

std::optional<ValidationFailure> ValidateInput(const ServiceModel& model,
                                               const ServiceModel::Operation& op,
                                               const nlohmann::json& input) {
  if (op.input_shape.empty()) return std::nullopt;
  return Validator(model).Run(*model.FindShape(op.input_shape), input);
}

}  // namespace kindred
