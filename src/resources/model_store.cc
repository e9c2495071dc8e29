#include "resources/model_store.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace kindred {
namespace {

// "m/" + the ARN with '%' and '/' escaped, + "/": no model's prefix is a prefix of another's.
std::string ModelPrefix(std::string_view arn) {
  std::string out = "m/";
  for (char c : arn) {
    if (c == '/') {
      out += "%2F";
    } else if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
  out += '/';
  return out;
}

std::string ChunkKey(const std::string& prefix, size_t index) {
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%08zx", index);
  return prefix + "c/" + hex;
}

}  // namespace

void AddModelWrites(std::string_view version_arn, std::string_view recipe, std::string_view bytes,
                    WriteBatch* batch) {
  std::string prefix = ModelPrefix(version_arn);
  batch->DeletePrefix(prefix);
  size_t chunks = (bytes.size() + kModelChunkBytes - 1) / kModelChunkBytes;
  for (size_t i = 0; i < chunks; ++i) {
    batch->Put(ChunkKey(prefix, i), bytes.substr(i * kModelChunkBytes, kModelChunkBytes));
  }
  nlohmann::json header = {
      {"format", 1}, {"recipe", recipe}, {"bytes", bytes.size()}, {"chunks", chunks}};
  batch->Put(prefix + "h", header.dump());
}

void AddModelDeletion(std::string_view version_arn, WriteBatch* batch) {
  batch->DeletePrefix(ModelPrefix(version_arn));
}

Result<std::optional<StoredModel>> ReadModel(KvStore& store, std::string_view version_arn) {
  std::string prefix = ModelPrefix(version_arn);
  Result<std::optional<std::string>> head = store.Get(prefix + "h");
  if (!head.ok()) return head.status();
  if (!head->has_value()) return std::optional<StoredModel>();
  nlohmann::json header = nlohmann::json::parse(**head, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object() || header.value("format", 0) != 1 || !header["bytes"].is_number() ||
      !header["chunks"].is_number() || !header["recipe"].is_string()) {
    return Status::Corruption("model header " + prefix + "h does not decode");
  }
  StoredModel model;
  model.recipe = header["recipe"].get<std::string>();
  size_t chunks = header["chunks"].get<size_t>();
  for (size_t i = 0; i < chunks; ++i) {
    Result<std::optional<std::string>> chunk = store.Get(ChunkKey(prefix, i));
    if (!chunk.ok()) return chunk.status();
    if (!chunk->has_value())
      return Status::Corruption("model chunk " + ChunkKey(prefix, i) + " is missing");
    model.bytes += **chunk;
  }
  if (model.bytes.size() != header["bytes"].get<size_t>()) {
    return Status::Corruption("model " + prefix + " has " + std::to_string(model.bytes.size()) +
                              " bytes, its header says " + header["bytes"].dump());
  }
  return std::optional<StoredModel>(std::move(model));
}

}  // namespace kindred
