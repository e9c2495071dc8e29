#include "protocol/credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/random.h"

namespace kindred {
namespace {

namespace fs = std::filesystem;

constexpr char kAccessKeyEnv[] = "KINDRED_ACCESS_KEY_ID";
constexpr char kSecretEnv[] = "KINDRED_SECRET_ACCESS_KEY";
constexpr char kAccessKeyAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr char kSecretAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

LoadedCredentials FromPairs(std::vector<std::pair<std::string, std::string>> keys,
                            std::string source) {
  LoadedCredentials out;
  out.provider = std::make_unique<StaticCredentialsProvider>(std::move(keys));
  out.source = std::move(source);
  return out;
}

std::string EnvOrEmpty(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

// Parses the credentials file format; every problem is reported as kCorruption naming `path`.
Result<std::vector<std::pair<std::string, std::string>>> ParseCredentialsFile(
    const std::string& text, const std::string& path) {
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption(path + " is not a valid credentials file (" + why +
                              "); fix it or delete it to generate a new key pair");
  };
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return corrupt("not JSON");
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return corrupt("expected an object with a \"keys\" array");
  }
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& entry : doc["keys"]) {
    if (!entry.is_object()) return corrupt("each key must be an object");
    const auto id = entry.find("accessKeyId");
    const auto secret = entry.find("secretAccessKey");
    if (id == entry.end() || secret == entry.end() || !id->is_string() || !secret->is_string() ||
        id->get_ref<const std::string&>().empty() ||
        secret->get_ref<const std::string&>().empty()) {
      return corrupt("each key needs non-empty string accessKeyId and secretAccessKey");
    }
    keys.emplace_back(id->get<std::string>(), secret->get<std::string>());
  }
  if (keys.empty()) return corrupt("the \"keys\" array is empty");
  return keys;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoStatus("cannot open", path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return ErrnoStatus("cannot read", path);
  return buf.str();
}

// Writes `contents` to `path` with mode 0600 so that a crash leaves either the old state or the
// complete new file: temp file in the same directory, fsync, rename, fsync the directory.
Status WriteFileAtomically(const std::string& dir, const std::string& path,
                           const std::string& contents) {
  const std::string tmp = path + ".tmp-" + RandomString(8, kAccessKeyAlphabet);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot create", tmp);
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = ErrnoStatus("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
    Status s = ErrnoStatus("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return ErrnoStatus("cannot close", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = ErrnoStatus("cannot rename into", path);
    ::unlink(tmp.c_str());
    return s;
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return ErrnoStatus("cannot open directory", dir);
  const bool synced = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  return synced ? Status::Ok() : ErrnoStatus("cannot sync directory", dir);
}

Result<LoadedCredentials> GenerateCredentials(const std::string& data_dir,
                                              const std::string& path) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return Status::IoError("cannot create data directory " + data_dir + ": " + ec.message());
  std::string access_key;
  std::string secret;
  try {
    access_key = "AKK" + RandomString(17, kAccessKeyAlphabet);
    secret = RandomString(40, kSecretAlphabet);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("cannot generate credentials: ") + e.what());
  }
  const nlohmann::json doc = {{"keys", nlohmann::json::array({{{"accessKeyId", access_key},
                                                               {"secretAccessKey", secret}}})}};
  KINDRED_RETURN_IF_ERROR(WriteFileAtomically(data_dir, path, doc.dump(2) + "\n"));
  LoadedCredentials out = FromPairs({{access_key, secret}}, "generated " + path);
  out.generated = true;
  out.generated_access_key = std::move(access_key);
  out.generated_secret = std::move(secret);
  return out;
}

}  // namespace

StaticCredentialsProvider::StaticCredentialsProvider(
    std::vector<std::pair<std::string, std::string>> keys) {
  for (auto& [id, secret] : keys) secrets_.emplace(std::move(id), std::move(secret));
}

std::optional<std::string> StaticCredentialsProvider::SecretFor(
    std::string_view access_key_id) const {
  const auto it = secrets_.find(access_key_id);
  if (it == secrets_.end()) return std::nullopt;
  return it->second;
}

Result<LoadedCredentials> LoadCredentials(
    const std::string& data_dir, std::optional<std::pair<std::string, std::string>> explicit_pair) {
  if (explicit_pair.has_value()) {
    if (explicit_pair->first.empty() || explicit_pair->second.empty()) {
      return Status::InvalidInput(
          "--access-key-id and --secret-access-key must both be given and non-empty");
    }
    return FromPairs({std::move(*explicit_pair)}, "command-line flags");
  }

  const std::string env_key = EnvOrEmpty(kAccessKeyEnv);
  const std::string env_secret = EnvOrEmpty(kSecretEnv);
  if (!env_key.empty() || !env_secret.empty()) {
    if (env_key.empty() || env_secret.empty()) {
      return Status::InvalidInput(std::string(kAccessKeyEnv) + " and " + kSecretEnv +
                                  " must be set together");
    }
    return FromPairs({{env_key, env_secret}}, std::string("environment (") + kAccessKeyEnv + ")");
  }

  const std::string path = (fs::path(data_dir) / kCredentialsFileName).string();
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (ec) return Status::IoError("cannot check " + path + ": " + ec.message());
  if (!exists) return GenerateCredentials(data_dir, path);

  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  auto keys = ParseCredentialsFile(*text, path);
  if (!keys.ok()) return keys.status();
  return FromPairs(std::move(keys).value(), path);
}

}  // namespace kindred
