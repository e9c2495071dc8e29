// Status and Result<T>: how every kindred layer reports failure without exceptions.
//
// A Status is a code plus a human-readable message. The codes mirror the error kinds that the
// Personalize API exposes, so that only the protocol layer has to translate them into `__type`
// strings and HTTP status codes; no other layer knows about HTTP.
//
//   Result<Schema> r = ParseSchema(text);
//   if (!r.ok()) return r.status();
//   Use(r.value());
//
// Thread-safety: values; safe to copy and move between threads.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kindred {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,        // the caller sent something wrong; message names the field
  kNotFound,            // a named resource does not exist
  kAlreadyExists,       // a resource with that name/ARN already exists
  kInUse,               // the resource is busy or has dependants
  kLimitExceeded,       // a documented quota would be exceeded
  kInvalidNextToken,    // a pagination token we did not issue
  kTooManyTags,         // more tags than a resource may carry
  kTooManyTagKeys,      // more tag keys in one request than allowed
  kIoError,             // reading or writing storage or input files failed
  kCorruption,          // stored bytes do not decode
  kInternal,            // a bug: an invariant did not hold
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status InUse(std::string m) { return {StatusCode::kInUse, std::move(m)}; }
  static Status LimitExceeded(std::string m) { return {StatusCode::kLimitExceeded, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none. Never holds an ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kindred

// Returns early from the enclosing function with the Status of `expr` when it is not ok.
#define KINDRED_RETURN_IF_ERROR(expr)            \
  do {                                           \
    ::kindred::Status kindred_status_ = (expr);  \
    if (!kindred_status_.ok()) return kindred_status_; \
  } while (0)
