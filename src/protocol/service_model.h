// ServiceModel: one AWS service's API description, parsed from botocore's service-2.json format
// (operations, their HTTP bindings, and the shapes that type every input and output), plus the
// three Personalize models kindred serves, embedded at build time.
//
// The control-plane model returned by PersonalizeModel() already has kindred's overlay
// (model/kindred-extensions.json) applied: DeleteResourceTree, and file:// in S3Location.
//
//   const ServiceModel& m = PersonalizeModel();
//   const ServiceModel::Operation* op = m.FindOperation("CreateSchema");
//   const ServiceModel::Shape* input = m.FindShape(op->input_shape);
//
// Thread-safety: a ServiceModel is immutable once parsed and overlaid; const methods may be called
// from any thread. The embedded models are parsed on first use (thread-safe static init).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "protocol/java_pattern.h"

namespace kindred {

class ServiceModel {
 public:
  struct Operation {
    std::string name;
    std::string http_method;   // "POST", ...
    std::string request_uri;   // "/" for the json protocol, e.g. "/recommendations" for rest-json
    std::string input_shape;   // empty when the operation takes no input
    std::string output_shape;  // empty when the operation returns no output
  };

  // A botocore shape, reduced to what validation needs.
  struct Shape {
    enum class Type {
      kStructure,
      kList,
      kMap,
      kString,
      kInteger,
      kLong,
      kFloat,
      kDouble,
      kBoolean,
      kTimestamp,
      kBlob
    };
    struct Member {
      std::string name;
      std::string shape;
    };
    std::string name;
    Type type = Type::kStructure;
    std::vector<Member> members;        // structure members, in model order
    std::vector<std::string> required;  // structure members that must be present and non-null
    std::string member_shape;           // list element shape
    std::string key_shape;              // map key shape
    std::string value_shape;            // map value shape
    // Length (strings, in code points; lists; maps) or value (numbers) bounds.
    std::optional<double> min;
    std::optional<double> max;
    std::optional<JavaPattern> pattern;  // strings: must match in full
    std::vector<std::string> enum_values;
    bool sensitive = false;     // values must not be echoed in error messages
    int error_http_status = 0;  // exception shapes: the model's error.httpStatusCode, else 0
  };

  // Parses a botocore service-2.json document. kInvalidInput when it is not one, when a shape
  // reference dangles, or when a pattern cannot be compiled.
  static Result<ServiceModel> Parse(std::string_view service_json);

  // Merges an overlay: {"documentation": "...", "operations": {...}, "shapes": {...}} whose entries
  // (botocore format) replace or add to the model's. On error the model is left unchanged.
  [[nodiscard]] Status ApplyOverlay(std::string_view overlay_json);

  const std::string& target_prefix() const { return target_prefix_; }  // empty for rest-json
  const std::string& protocol() const { return protocol_; }            // "json" or "rest-json"

  // nullptr when the model has no such operation / shape.
  const Operation* FindOperation(std::string_view name) const;
  const Shape* FindShape(std::string_view name) const;
  // The operation bound to `method` and `path` (no query string) by its http.requestUri.
  // Request URIs with {labels} are not supported; none of the Personalize models has one.
  const Operation* FindRoute(std::string_view method, std::string_view path) const;

  std::vector<std::string> OperationNames() const;  // sorted

  // The HTTP status the model gives error shape `error_shape`, else 400.
  int ErrorHttpStatus(std::string_view error_shape) const;

 private:
  ServiceModel() = default;
  // Adds or replaces operations and shapes from botocore-format JSON text objects.
  [[nodiscard]] Status Merge(std::string_view json_text, bool is_overlay);
  [[nodiscard]] Status CheckReferences() const;

  std::string protocol_;
  std::string target_prefix_;
  std::map<std::string, Operation, std::less<>> operations_;
  std::map<std::string, Shape, std::less<>> shapes_;
};

// The embedded models, parsed once. A model that does not parse is a build defect: the process
// logs it and aborts on first use.
const ServiceModel& PersonalizeModel();  // control plane, overlay applied
const ServiceModel& RuntimeModel();      // personalize-runtime (GetRecommendations, ...)
const ServiceModel& EventsModel();       // personalize-events (PutEvents, ...)

}  // namespace kindred
