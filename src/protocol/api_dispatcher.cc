#include "protocol/api_dispatcher.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <exception>
#include <utility>

#include "common/random.h"
#include "protocol/request_validator.h"

namespace kindred {
namespace {

using Json = nlohmann::json;

// The Personalize error type for a handler's Status, or nullptr for server-side failures.
const char* ErrorType(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidInput:
      return "InvalidInputException";
    case StatusCode::kNotFound:
      return "ResourceNotFoundException";
    case StatusCode::kAlreadyExists:
      return "ResourceAlreadyExistsException";
    case StatusCode::kInUse:
      return "ResourceInUseException";
    case StatusCode::kLimitExceeded:
      return "LimitExceededException";
    case StatusCode::kInvalidNextToken:
      return "InvalidNextTokenException";
    case StatusCode::kTooManyTags:
      return "TooManyTagsException";
    case StatusCode::kTooManyTagKeys:
      return "TooManyTagKeysException";
    case StatusCode::kOk:
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
    case StatusCode::kInternal:
      break;
  }
  return nullptr;
}

HttpResponse InternalFailure(const std::string& request_id) {
  return ErrorResponse(500, "InternalFailure",
                       "The request processing has failed because of an unknown error "
                       "(request id " +
                           request_id + ").");
}

}  // namespace

int ApiBatchClass(const HttpRequest& request) {
  if (request.method != "POST") return 0;
  const std::string_view path = request.Path();
  if (path == "/recommendations" || path == "/personalize-ranking") return 1;
  if (path == "/events") return 2;
  return 0;
}

ApiDispatcher::ApiDispatcher()
    : control_plane_(PersonalizeModel()), rest_json_models_{&RuntimeModel(), &EventsModel()} {}

void ApiDispatcher::SetRequestFilter(RequestFilter filter) { filter_ = std::move(filter); }

void ApiDispatcher::Register(std::string_view operation, OperationHandler handler) {
  bool known = control_plane_.FindOperation(operation) != nullptr;
  for (const ServiceModel* model : rest_json_models_) {
    known = known || model->FindOperation(operation) != nullptr;
  }
  if (!known) {
    spdlog::critical("ApiDispatcher::Register: no Personalize model has operation {}", operation);
    std::abort();
  }
  handlers_.insert_or_assign(std::string(operation), std::move(handler));
}

HttpResponse ApiDispatcher::Handle(const HttpRequest& request) const {
  const std::string request_id = NewUuid();
  HttpResponse response;
  try {
    response = Dispatch(request, request_id);
  } catch (const std::exception& e) {
    spdlog::error("request {} ({} {}) failed: {}", request_id, request.method, request.target,
                  e.what());
    response = InternalFailure(request_id);
  } catch (...) {
    spdlog::error("request {} ({} {}) failed with a non-standard exception", request_id,
                  request.method, request.target);
    response = InternalFailure(request_id);
  }
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  return response;
}

HttpResponse ApiDispatcher::Dispatch(const HttpRequest& request,
                                     const std::string& request_id) const {
  if (filter_) {
    if (std::optional<HttpResponse> rejection = filter_(request)) return *std::move(rejection);
  }
  const std::string_view path = request.Path();
  if (path == "/") {
    if (request.method != "POST") {
      HttpResponse r = ErrorResponse(405, "MethodNotAllowedException",
                                     "Amazon Personalize accepts only POST requests on /");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    const std::string_view target = request.Header("X-Amz-Target");
    const size_t dot = target.find('.');
    const ServiceModel::Operation* op = nullptr;
    if (dot != std::string_view::npos && target.substr(0, dot) == control_plane_.target_prefix()) {
      op = control_plane_.FindOperation(target.substr(dot + 1));
    }
    if (op == nullptr) {
      return ErrorResponse(400, "UnknownOperationException",
                           "Unknown operation (X-Amz-Target: '" + std::string(target) + "')");
    }
    return Invoke(control_plane_, *op, request, request_id);
  }
  for (const ServiceModel* model : rest_json_models_) {
    if (const ServiceModel::Operation* op = model->FindRoute(request.method, path)) {
      return Invoke(*model, *op, request, request_id);
    }
  }
  HttpResponse r =
      ErrorResponse(404, "UnknownOperationException",
                    "No operation is bound to " + request.method + " " + std::string(path));
  r.content_type = "application/json";
  return r;
}

HttpResponse ApiDispatcher::Invoke(const ServiceModel& model, const ServiceModel::Operation& op,
                                   const HttpRequest& request,
                                   const std::string& request_id) const {
  const char* content_type =
      model.protocol() == "json" ? "application/x-amz-json-1.1" : "application/json";
  auto error = [&](std::string_view type, std::string_view message) {
    HttpResponse r = ErrorResponse(model.ErrorHttpStatus(type), type, message);
    r.content_type = content_type;
    return r;
  };
  auto handler = handlers_.find(op.name);
  if (handler == handlers_.end()) {
    return error("UnknownOperationException", "kindred does not implement " + op.name + " yet");
  }
  Json input = request.body.empty() ? Json::object() : Json::parse(request.body, nullptr, false);
  if (input.is_discarded() || !input.is_object()) {
    return error("SerializationException", "The request body must be a JSON object");
  }
  if (std::optional<ValidationFailure> failure = ValidateInput(model, op, input)) {
    return error(failure->kind == ValidationFailure::kSerialization ? "SerializationException"
                                                                    : "InvalidInputException",
                 failure->message);
  }
  Result<Json> output = handler->second(input);
  if (!output.ok()) {
    const Status& status = output.status();
    if (const char* type = ErrorType(status.code())) return error(type, status.message());
    spdlog::error("request {} ({}) failed: {}", request_id, op.name, status.message());
    HttpResponse r = InternalFailure(request_id);
    r.content_type = content_type;
    return r;
  }
  HttpResponse r;
  r.content_type = content_type;
  r.body = output->is_null() ? "{}" : output->dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

}  // namespace kindred
