// ApiDispatcher: turns an HttpRequest into an HttpResponse for every Amazon Personalize API
// kindred serves. It routes by the service models (control plane: `POST /` with
// `X-Amz-Target: AmazonPersonalize.<Operation>`; runtime and events: rest-json method + path),
// parses and validates the JSON body against the operation's input shape, calls the registered
// handler, and renders its result or error as AWS does.
//
// Handler errors map to Personalize error types: kInvalidInput -> InvalidInputException,
// kNotFound -> ResourceNotFoundException, kAlreadyExists -> ResourceAlreadyExistsException,
// kInUse -> ResourceInUseException, kLimitExceeded -> LimitExceededException,
// kInvalidNextToken -> InvalidNextTokenException, kTooManyTags -> TooManyTagsException,
// kTooManyTagKeys -> TooManyTagKeysException, with the HTTP status the owning model gives that
// error (400 by default; e.g. 404 for ResourceNotFoundException in the runtime model).
// kIoError, kCorruption, kInternal and exceptions -> 500 InternalFailure with a generic message
// and the request id (the details are logged). Every response carries `x-amzn-RequestId`.
//
//   ApiDispatcher d;
//   d.Register("CreateSchema", [&](const nlohmann::json& in) { return schemas.Create(in); });
//   HttpResponse r = d.Handle(request);
//
// Thread-safety: Register and SetRequestFilter must finish before the first Handle; after that
// Handle may be called from any number of threads. Handlers and the filter must themselves be
// safe to call concurrently.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/operation_handler.h"
#include "common/status.h"
#include "protocol/http_message.h"
#include "protocol/service_model.h"

namespace kindred {


// The batch class (HttpServerOptions::batch_class) of a request to kindred's API: 1 for
// GetRecommendations and GetPersonalizedRanking, whose handlers only read, under shared locks,
// and share their catalogue scans in a batch (QuantizedItems); 2 for PutEvents, whose handler
// gathers on the batch's shared fsync only once its locks are released (SyncTogether); 0 (handled
// alone) for everything else.
int ApiBatchClass(const HttpRequest& request);

// Runs before routing; returns a response to send instead (e.g. an auth rejection), or nullopt
// to go on.
using RequestFilter = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

class ApiDispatcher {
 public:
  // Serves PersonalizeModel(), RuntimeModel() and EventsModel().
  ApiDispatcher();

  void SetRequestFilter(RequestFilter filter);

  // Installs the handler of `operation`, an operation of one of the three models (replacing any
  // earlier handler). Naming an operation no model has is a wiring bug: it is logged and the
  // process aborts.
  void Register(std::string_view operation, OperationHandler handler);

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  // Filters, routes and invokes; may throw (Handle catches).
  HttpResponse Dispatch(const HttpRequest& request, const std::string& request_id) const;
  // Parses, validates and runs one operation of `model`.
  HttpResponse Invoke(const ServiceModel& model, const ServiceModel::Operation& op,
                      const HttpRequest& request, const std::string& request_id) const;

  const ServiceModel& control_plane_;
  const std::vector<const ServiceModel*> rest_json_models_;
  std::map<std::string, OperationHandler, std::less<>> handlers_;
  RequestFilter filter_;
};

}  // namespace kindred
