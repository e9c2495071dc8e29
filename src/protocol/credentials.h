// Credentials: the access-key/secret pairs that kindred accepts, and where `serve` finds them.
//
// A CredentialsProvider answers one question for the SigV4 verifier (sigv4.h): what is the secret
// for this access key id? LoadCredentials() builds one from the first source that yields keys:
//   1. an explicit pair (the --access-key-id / --secret-access-key flags);
//   2. the environment: KINDRED_ACCESS_KEY_ID and KINDRED_SECRET_ACCESS_KEY (both, or neither);
//   3. `<data_dir>/credentials.json`:
//        {"keys": [{"accessKeyId": "AKK...", "secretAccessKey": "..."}, ...]}
//   4. nothing: one pair is generated, written to `<data_dir>/credentials.json` (mode 0600, written
//      atomically) and reported with `generated = true` so that `serve` can print it once.
// A credentials.json that exists but does not decode is an error; it is never overwritten.
//
//   Result<LoadedCredentials> creds = LoadCredentials(data_dir, std::nullopt);
//   if (!creds.ok()) return creds.status();
//   SigV4Verifier verifier(*creds->provider, SystemClock::Get());
//
// Thread-safety: providers are immutable after construction; SecretFor() may be called from any
// thread. LoadCredentials() reads the process environment and must not race with setenv().
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace kindred {

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // The secret access key for `access_key_id`, or nullopt when the key is unknown.
  virtual std::optional<std::string> SecretFor(std::string_view access_key_id) const = 0;
};

// A fixed set of (access key id, secret) pairs.
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(std::vector<std::pair<std::string, std::string>> keys);
  std::optional<std::string> SecretFor(std::string_view access_key_id) const override;

 private:
  std::map<std::string, std::string, std::less<>> secrets_;
};

struct LoadedCredentials {
  std::unique_ptr<CredentialsProvider> provider;  // never null
  std::string source;                             // where the keys came from, for logs
  bool generated = false;                         // true when step 4 created a new pair
  std::string generated_access_key;               // set only when generated
  std::string generated_secret;                   // set only when generated
};

// The name of the credentials file inside the data directory.
inline constexpr std::string_view kCredentialsFileName = "credentials.json";

// Loads credentials from the sources above. Errors: kInvalidInput for an explicit pair or
// environment with an empty/missing half, kCorruption for a credentials.json that does not decode
// (the message names the file), kIoError when the file cannot be read or written.
[[nodiscard]] Result<LoadedCredentials> LoadCredentials(
    const std::string& data_dir, std::optional<std::pair<std::string, std::string>> explicit_pair);

}  // namespace kindred
