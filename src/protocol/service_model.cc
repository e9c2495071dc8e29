#include "protocol/service_model.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace kindred {

namespace embedded {
// Defined in the embedded_models.cc that api.cmake generates from the botocore models.
extern const char kPersonalizeModel[];
extern const std::size_t kPersonalizeModelSize;
extern const char kRuntimeModel[];
extern const std::size_t kRuntimeModelSize;
extern const char kEventsModel[];
extern const std::size_t kEventsModelSize;
extern const char kPersonalizeOverlay[];
extern const std::size_t kPersonalizeOverlaySize;
}  // namespace embedded

namespace {

// ordered_json keeps structure members in model order, which is the order errors are reported in.
using Json = nlohmann::ordered_json;
using Shape = ServiceModel::Shape;

Result<Shape::Type> ParseType(const std::string& type) {
  static const std::map<std::string, Shape::Type, std::less<>> kTypes = {
      {"structure", Shape::Type::kStructure},
      {"list", Shape::Type::kList},
      {"map", Shape::Type::kMap},
      {"string", Shape::Type::kString},
      {"integer", Shape::Type::kInteger},
      {"long", Shape::Type::kLong},
      {"float", Shape::Type::kFloat},
      {"double", Shape::Type::kDouble},
      {"boolean", Shape::Type::kBoolean},
      {"timestamp", Shape::Type::kTimestamp},
      {"blob", Shape::Type::kBlob}};
  auto it = kTypes.find(type);
  if (it == kTypes.end()) return Status::InvalidInput("unsupported shape type " + type);
  return it->second;
}

// The referenced shape name in {"shape": "..."}, or empty when `j` lacks `key`.
std::string ShapeRef(const Json& j, const char* key) {
  return j.contains(key) ? j.at(key).at("shape").get<std::string>() : std::string();
}

// Throws nlohmann::json::exception on a malformed shape; the caller converts that to a Status.
Result<Shape> ParseShape(const std::string& name, const Json& j,
                         std::map<std::string, JavaPattern, std::less<>>& pattern_cache) {
  Shape shape;
  shape.name = name;
  Result<Shape::Type> type = ParseType(j.at("type").get<std::string>());
  if (!type.ok()) return Status::InvalidInput("shape " + name + ": " + type.status().message());
  shape.type = *type;
  if (j.contains("members")) {
    for (const auto& [member, ref] : j.at("members").items()) {
      shape.members.push_back({member, ref.at("shape").get<std::string>()});
    }
  }
  if (j.contains("required")) shape.required = j.at("required").get<std::vector<std::string>>();
  shape.member_shape = ShapeRef(j, "member");
  shape.key_shape = ShapeRef(j, "key");
  shape.value_shape = ShapeRef(j, "value");
  if (j.contains("min")) shape.min = j.at("min").get<double>();
  if (j.contains("max")) shape.max = j.at("max").get<double>();
  if (j.contains("enum")) shape.enum_values = j.at("enum").get<std::vector<std::string>>();
  shape.sensitive = j.value("sensitive", false);
  if (j.contains("error")) shape.error_http_status = j.at("error").value("httpStatusCode", 0);
  if (j.contains("pattern")) {
    const std::string source = j.at("pattern").get<std::string>();
    auto cached = pattern_cache.find(source);
    if (cached == pattern_cache.end()) {
      Result<JavaPattern> compiled = JavaPattern::Compile(source);
      if (!compiled.ok())
        return Status::InvalidInput("shape " + name + ": " + compiled.status().message());
      cached = pattern_cache.emplace(source, std::move(compiled).value()).first;
    }
    shape.pattern = cached->second;
  }
  return shape;
}

ServiceModel::Operation ParseOperation(const std::string& name, const Json& j) {
  ServiceModel::Operation op;
  op.name = name;
  const Json& http = j.at("http");
  op.http_method = http.at("method").get<std::string>();
  const std::string uri = http.at("requestUri").get<std::string>();
  op.request_uri = uri.substr(0, uri.find('?'));
  op.input_shape = ShapeRef(j, "input");
  op.output_shape = ShapeRef(j, "output");
  return op;
}

ServiceModel LoadOrDie(const char* what, std::string_view text,
                       std::optional<std::string_view> overlay) {
  Result<ServiceModel> model = ServiceModel::Parse(text);
  Status status = model.status();
  if (status.ok() && overlay) status = model->ApplyOverlay(*overlay);
  if (!status.ok()) {
    spdlog::critical("embedded {} model is broken: {}", what, status.message());
    std::abort();
  }
  return std::move(model).value();
}

}  // namespace

Result<ServiceModel> ServiceModel::Parse(std::string_view service_json) {
  ServiceModel model;
  KINDRED_RETURN_IF_ERROR(model.Merge(service_json, /*is_overlay=*/false));
  return model;
}

Status ServiceModel::ApplyOverlay(std::string_view overlay_json) {
  ServiceModel merged = *this;
  KINDRED_RETURN_IF_ERROR(merged.Merge(overlay_json, /*is_overlay=*/true));
  *this = std::move(merged);
  return Status::Ok();
}

Status ServiceModel::Merge(std::string_view json_text, bool is_overlay) {
  const char* what = is_overlay ? "model overlay: " : "service model: ";
  try {
    const Json doc = Json::parse(json_text);
    if (!is_overlay) {
      const Json& metadata = doc.at("metadata");
      protocol_ = metadata.at("protocol").get<std::string>();
      target_prefix_ = metadata.value("targetPrefix", "");
      if (protocol_ != "json" && protocol_ != "rest-json") {
        return Status::InvalidInput(what + ("unsupported protocol " + protocol_));
      }
    }
    std::map<std::string, JavaPattern, std::less<>> pattern_cache;
    const Json shapes = doc.value("shapes", Json::object());
    for (const auto& [name, shape_json] : shapes.items()) {
      Result<Shape> shape = ParseShape(name, shape_json, pattern_cache);
      if (!shape.ok()) return Status::InvalidInput(what + shape.status().message());
      shapes_.insert_or_assign(name, std::move(shape).value());
    }
    const Json operations = doc.value("operations", Json::object());
    for (const auto& [name, op_json] : operations.items()) {
      operations_.insert_or_assign(name, ParseOperation(name, op_json));
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidInput(what + std::string(e.what()));
  }
  return CheckReferences();
}

Status ServiceModel::CheckReferences() const {
  auto check = [this](const std::string& ref, const std::string& user) {
    if (ref.empty() || shapes_.count(ref) != 0) return Status::Ok();
    return Status::InvalidInput(user + " refers to unknown shape " + ref);
  };
  for (const auto& [name, op] : operations_) {
    KINDRED_RETURN_IF_ERROR(check(op.input_shape, "operation " + name));
    KINDRED_RETURN_IF_ERROR(check(op.output_shape, "operation " + name));
  }
  for (const auto& [name, shape] : shapes_) {
    for (const Shape::Member& member : shape.members) {
      KINDRED_RETURN_IF_ERROR(check(member.shape, "shape " + name));
    }
    KINDRED_RETURN_IF_ERROR(check(shape.member_shape, "shape " + name));
    KINDRED_RETURN_IF_ERROR(check(shape.key_shape, "shape " + name));
    KINDRED_RETURN_IF_ERROR(check(shape.value_shape, "shape " + name));
    const bool complete = (shape.type != Shape::Type::kList || !shape.member_shape.empty()) &&
                          (shape.type != Shape::Type::kMap ||
                           (!shape.key_shape.empty() && !shape.value_shape.empty()));
    if (!complete) return Status::InvalidInput("shape " + name + " lacks its element shapes");
  }
  return Status::Ok();
}

const ServiceModel::Operation* ServiceModel::FindOperation(std::string_view name) const {
  auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : &it->second;
}

const ServiceModel::Shape* ServiceModel::FindShape(std::string_view name) const {
  auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : &it->second;
}

const ServiceModel::Operation* ServiceModel::FindRoute(std::string_view method,
                                                       std::string_view path) const {
  for (const auto& [name, op] : operations_) {
    if (op.http_method == method && op.request_uri == path) return &op;
  }
  return nullptr;
}

std::vector<std::string> ServiceModel::OperationNames() const {
  std::vector<std::string> names;
  names.reserve(operations_.size());
  for (const auto& [name, op] : operations_) names.push_back(name);
  return names;
}

int ServiceModel::ErrorHttpStatus(std::string_view error_shape) const {
  const Shape* shape = FindShape(error_shape);
  return shape != nullptr && shape->error_http_status != 0 ? shape->error_http_status : 400;
}

const ServiceModel& PersonalizeModel() {
  static const ServiceModel model = LoadOrDie(
      "personalize", std::string_view(embedded::kPersonalizeModel, embedded::kPersonalizeModelSize),
      std::string_view(embedded::kPersonalizeOverlay, embedded::kPersonalizeOverlaySize));
  return model;
}

const ServiceModel& RuntimeModel() {
  static const ServiceModel model = LoadOrDie(
      "personalize-runtime", std::string_view(embedded::kRuntimeModel, embedded::kRuntimeModelSize),
      std::nullopt);
  return model;
}

const ServiceModel& EventsModel() {
  static const ServiceModel model =
      LoadOrDie("personalize-events",
                std::string_view(embedded::kEventsModel, embedded::kEventsModelSize), std::nullopt);
  return model;
}

}  // namespace kindred
