#include "resources/resource_registry.h"

namespace kindred {
namespace {

constexpr std::string_view kRecordPrefix = "r/";

std::string RecordKey(const std::string& arn) { return std::string(kRecordPrefix) + arn; }

std::string Encode(const Resource& r) {
  nlohmann::json j = {{"arn", r.arn},   {"type", r.type}, {"parent", r.parent_arn},
                      {"seq", r.seq},   {"body", r.body}, {"tags", r.tags}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Resource> Decode(std::string_view key, std::string_view bytes) {
  nlohmann::json j = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption("resource record " + std::string(key) + " is not valid JSON");
  }
  try {
    Resource r;
    r.arn = j.at("arn").get<std::string>();
    r.type = j.at("type").get<std::string>();
    r.parent_arn = j.at("parent").get<std::string>();
    r.seq = j.at("seq").get<int64_t>();
    r.body = j.at("body");
    r.tags = j.at("tags");
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption("resource record " + std::string(key) + ": " + e.what());
  }
}

}  // namespace

Status ResourceRegistry::Load() {
  std::lock_guard lock(mu_);
  Status decode_status;
  Status scan = store_.Scan(kRecordPrefix, [&](std::string_view key, std::string_view value) {
    Result<Resource> r = Decode(key, value);
    if (!r.ok()) {
      decode_status = r.status();
      return false;
    }
    next_seq_ = std::max(next_seq_, r->seq + 1);
    by_seq_[r->seq] = r->arn;
    std::string arn = r->arn;
    by_arn_[arn] = std::move(r).value();
    return true;
  });
  KINDRED_RETURN_IF_ERROR(scan);
  return decode_status;
}

Status ResourceRegistry::Persist(const Resource& r, const Committer& commit) {
  WriteBatch batch;
  batch.Put(RecordKey(r.arn), Encode(r));
  return commit ? commit(batch) : store_.Write(batch, /*durable=*/true);
}

Status ResourceRegistry::Create(Resource resource) {
  std::lock_guard lock(mu_);
  if (by_arn_.count(resource.arn)) {
    return Status::AlreadyExists("A resource with ARN " + resource.arn + " already exists");
  }
  resource.seq = next_seq_;
  KINDRED_RETURN_IF_ERROR(Persist(resource, nullptr));
  ++next_seq_;
  by_seq_[resource.seq] = resource.arn;
  std::string arn = resource.arn;
  by_arn_[arn] = std::move(resource);
  return Status::Ok();
}

Result<Resource> ResourceRegistry::Get(const std::string& arn) const {
  std::lock_guard lock(mu_);
  auto it = by_arn_.find(arn);
  if (it == by_arn_.end()) return Status::NotFound("Could not find resource with ARN " + arn);
  return it->second;
}

Result<Resource> ResourceRegistry::GetOfType(const std::string& arn,
                                             std::string_view type) const {
  std::lock_guard lock(mu_);
  auto it = by_arn_.find(arn);
  if (it == by_arn_.end() || it->second.type != type) {
    return Status::NotFound("Could not find " + std::string(type) + " with ARN " + arn);
  }
  return it->second;
}

Status ResourceRegistry::Update(const std::string& arn, const Mutator& mutate,
                                const Committer& commit) {
  std::lock_guard lock(mu_);
  auto it = by_arn_.find(arn);
  if (it == by_arn_.end()) return Status::NotFound("Could not find resource with ARN " + arn);
  Resource copy = it->second;
  KINDRED_RETURN_IF_ERROR(mutate(copy));
  copy.arn = it->second.arn;  // identity and order never change
  copy.seq = it->second.seq;
  KINDRED_RETURN_IF_ERROR(Persist(copy, commit));
  it->second = std::move(copy);
  return Status::Ok();
}

Status ResourceRegistry::Erase(const std::string& arn) {
  std::lock_guard lock(mu_);
  auto it = by_arn_.find(arn);
  if (it == by_arn_.end()) return Status::NotFound("Could not find resource with ARN " + arn);
  KINDRED_RETURN_IF_ERROR(store_.Delete(RecordKey(arn), /*durable=*/true));
  by_seq_.erase(it->second.seq);
  by_arn_.erase(it);
  return Status::Ok();
}

std::vector<Resource> ResourceRegistry::List(std::string_view type,
                                             std::optional<std::string> parent_arn,
                                             int64_t after_seq) const {
  std::lock_guard lock(mu_);
  std::vector<Resource> out;
  for (auto it = by_seq_.upper_bound(after_seq); it != by_seq_.end(); ++it) {
    const Resource& r = by_arn_.at(it->second);
    if (r.type != type) continue;
    if (parent_arn && r.parent_arn != *parent_arn) continue;
    out.push_back(r);
  }
  return out;
}

std::vector<Resource> ResourceRegistry::Children(const std::string& arn) const {
  std::lock_guard lock(mu_);
  std::vector<Resource> out;
  for (const auto& [seq, child_arn] : by_seq_) {
    const Resource& r = by_arn_.at(child_arn);
    if (r.parent_arn == arn) out.push_back(r);
  }
  return out;
}

std::vector<Resource> ResourceRegistry::All() const {
  std::lock_guard lock(mu_);
  std::vector<Resource> out;
  out.reserve(by_seq_.size());
  for (const auto& [seq, arn] : by_seq_) out.push_back(by_arn_.at(arn));
  return out;
}

}  // namespace kindred
