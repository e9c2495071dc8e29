// AWS Signature Version 4: verifying that a request was signed with a known secret, and signing
// requests (for tests and for kindred's own client).
//
// The canonical request is built the way botocore builds it for non-S3 services:
//   - canonical URI: the path as received (still percent-encoded), dot segments and empty segments
//     removed, then every byte except RFC 3986 unreserved characters and '/' percent-encoded again;
//   - canonical query: each name and value decoded, re-encoded per RFC 3986, sorted;
//   - canonical headers: the headers named in SignedHeaders, lower-cased, values trimmed with inner
//     whitespace runs collapsed, repeated headers joined with ',';
//   - payload hash: hex SHA-256 of the body. A request whose x-amz-content-sha256 header carries
//     anything else (including UNSIGNED-PAYLOAD) therefore fails verification: kindred never
//     accepts a body the signature does not cover.
// X-Amz-Date (or, failing that, an RFC 1123 Date header) must lie within 15 minutes of the clock.
//
//   SigV4Verifier verifier(provider, SystemClock::Get());
//   if (auto err = verifier.Verify(request)) return ErrorResponse(err->http_status, err->type,
//                                                                 err->message);
//
// Thread-safety: Verify() may be called concurrently as long as the provider and clock the
// verifier was given are safe to read concurrently; the verifier's only mutable state is its
// thread-safe cache of signing keys (signing_key.h), which makes a request cost one HMAC instead
// of five. SignRequest() is a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "protocol/credentials.h"
#include "protocol/http_message.h"
#include "protocol/signing_key.h"

namespace kindred {

// Why a request was refused, in the shape of an AWS JSON error.
struct AuthError {
  int http_status;
  std::string type;  // e.g. "InvalidSignatureException"
  std::string message;
};

class SigV4Verifier {
 public:
  // `provider` and `clock` must outlive the verifier.
  SigV4Verifier(const CredentialsProvider& provider, const Clock& clock,
                std::string service = "personalize");

  // nullopt when the request carries a valid signature from a known key; otherwise the error to
  // send back (MissingAuthenticationTokenException, IncompleteSignatureException,
  // UnrecognizedClientException or InvalidSignatureException, with AWS's status codes).
  [[nodiscard]] std::optional<AuthError> Verify(const HttpRequest& req) const;

 private:
  const CredentialsProvider& provider_;
  const Clock& clock_;
  std::string service_;
  mutable SigningKeyCache signing_keys_;
};

// Signs `req` in place as botocore would: sets X-Amz-Date from `now_millis` and Authorization,
// signing every header present except User-Agent, Expect and X-Amzn-Trace-Id. The caller sets
// Host (and any other header) before signing.
void SignRequest(HttpRequest& req, std::string_view access_key, std::string_view secret,
                 std::string_view region, std::string_view service, int64_t now_millis);

// The SigV4 timestamp form of `millis`: "YYYYMMDDTHHMMSSZ" (UTC).
std::string FormatAmzDate(int64_t millis);

}  // namespace kindred
