#include "data/dataset_store.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/random.h"

namespace kindred {
namespace {

constexpr char kBlockFormat = 1;         // first byte of every block value
constexpr int kManifestFormat = 1;       // "format" of the manifest JSON
constexpr int64_t kBlockRows = 4096;     // a block is flushed at this many rows...
constexpr size_t kBlockBytes = 1 << 20;  // ...or this many bytes, whichever comes first

constexpr std::array<std::string_view, 3> kInteractionsRequired = {"USER_ID", "ITEM_ID",
                                                                   "TIMESTAMP"};
constexpr std::array<std::string_view, 1> kItemsRequired = {"ITEM_ID"};
constexpr std::array<std::string_view, 1> kUsersRequired = {"USER_ID"};

// "d/" + the dataset key with every byte outside [A-Za-z0-9:._-] written as %XX + "/". The
// escaped key holds no '/', so no dataset's prefix is a prefix of another's.
std::string DatasetPrefix(std::string_view dataset_key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "d/";
  for (char ch : dataset_key) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == ':' || c == '.' || c == '_' || c == '-';
    if (plain) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  out.push_back('/');
  return out;
}

std::string ManifestKey(const std::string& dataset_prefix) { return dataset_prefix + "m"; }

std::string SegmentPrefix(const std::string& dataset_prefix, std::string_view segment_id) {
  return dataset_prefix + "s/" + std::string(segment_id) + "/";
}

std::string BlockKey(const std::string& dataset_prefix, std::string_view segment_id,
                     int64_t block) {
  char num[17];
  std::snprintf(num, sizeof num, "%08llx", static_cast<unsigned long long>(block));
  return SegmentPrefix(dataset_prefix, segment_id) + num;
}

std::string LivePrefix(const std::string& dataset_prefix) { return dataset_prefix + "l/"; }

std::string LiveKey(const std::string& dataset_prefix, uint64_t seq) {
  char num[17];
  std::snprintf(num, sizeof num, "%016llx", static_cast<unsigned long long>(seq));
  return LivePrefix(dataset_prefix) + num;
}

// Where the next unreserved live sequence number is kept (decimal). Escaped dataset keys never
// hold '=', so this is no dataset's key.
constexpr std::string_view kLiveSeqKey = "d/=live-seq";
constexpr uint64_t kLiveSeqReservation = 1 << 16;

}  // namespace

std::span<const std::string_view> RequiredRowFields(DatasetType type) {
  switch (type) {
    case DatasetType::kInteractions:
      return kInteractionsRequired;
    case DatasetType::kItems:
      return kItemsRequired;
    case DatasetType::kUsers:
      return kUsersRequired;
  }
  return {};
}

Result<std::vector<DatasetStore::Segment>> DatasetStore::ParseManifest(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("format") || j["format"] != kManifestFormat ||
      !j.contains("segments") || !j["segments"].is_array()) {
    return Status::Corruption("dataset manifest is not readable");
  }
  std::vector<Segment> segments;
  for (const nlohmann::json& s : j["segments"]) {
    if (!s.is_object() || !s.contains("id") || !s["id"].is_string() || !s.contains("rows") ||
        !s["rows"].is_number_integer()) {
      return Status::Corruption("dataset manifest lists a malformed segment");
    }
    segments.push_back({s["id"].get<std::string>(), s["rows"].get<int64_t>()});
  }
  return segments;
}

std::string DatasetStore::SerializeManifest(const std::vector<Segment>& segments) {
  nlohmann::json list = nlohmann::json::array();
  for (const Segment& s : segments) list.push_back({{"id", s.id}, {"rows", s.rows}});
  return nlohmann::json{{"format", kManifestFormat}, {"segments", std::move(list)}}.dump();
}

DatasetStore::DatasetStore(KvStore& kv) : kv_(kv) {}

Result<std::vector<DatasetStore::Segment>> DatasetStore::LoadManifest(
    const std::string& dataset_prefix) {
  Result<std::optional<std::string>> raw = kv_.Get(ManifestKey(dataset_prefix));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::vector<Segment>();
  return ParseManifest(**raw);
}

Result<DatasetStore::RowShape> DatasetStore::RowShape::Of(const DatasetSchema& schema,
                                                          DatasetType type) {
  RowShape shape;
  for (const SchemaField& f : schema.fields) {
    switch (f.type) {
      case FieldType::kString:
        shape.kinds.push_back(Kind::kString);
        break;
      case FieldType::kInt:
      case FieldType::kLong:
        shape.kinds.push_back(Kind::kInt);
        break;
      case FieldType::kFloat:
      case FieldType::kDouble:
        shape.kinds.push_back(Kind::kDouble);
        break;
      case FieldType::kBoolean:
        shape.kinds.push_back(Kind::kBool);
        break;
    }
  }
  for (std::string_view name : RequiredRowFields(type)) {
    int index = schema.FieldIndex(name);
    if (index < 0) {
      return Status::InvalidInput("the schema has no " + std::string(name) + " field, which " +
                                  std::string(DatasetTypeName(type)) + " datasets require");
    }
    shape.required.push_back(static_cast<size_t>(index));
  }
  return shape;
}

Status DatasetStore::RowShape::Check(std::span<const FieldRef> values) const {
  if (values.size() != kinds.size()) {
    return Status::InvalidInput("row has " + std::to_string(values.size()) + " values, schema " +
                                std::to_string(kinds.size()) + " fields");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    size_t index = values[i].index();
    if (index != 0 && index != static_cast<size_t>(kinds[i])) {
      return Status::InvalidInput("value " + std::to_string(i) + " has the wrong type");
    }
  }
  for (size_t i : required) {
    if (values[i].index() == 0) {
      return Status::InvalidInput("required value " + std::to_string(i) + " is null");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<DatasetStore::SegmentWriter>> DatasetStore::BeginSegment(
    std::string_view dataset_key, const DatasetSchema& schema, DatasetType type) {
  Result<RowShape> shape = RowShape::Of(schema, type);
  if (!shape.ok()) return shape.status();
  std::string segment_id = NewUuid();
  {
    std::lock_guard<std::mutex> lock(flight_mu_);
    in_flight_.insert(segment_id);
  }
  return std::unique_ptr<SegmentWriter>(new SegmentWriter(
      this, DatasetPrefix(dataset_key), std::move(segment_id), std::move(shape).value()));
}

void DatasetStore::EndFlight(const std::string& segment_id) {
  std::lock_guard<std::mutex> lock(flight_mu_);
  in_flight_.erase(segment_id);
}

DatasetStore::SegmentWriter::SegmentWriter(DatasetStore* store, std::string dataset_prefix,
                                           std::string segment_id, RowShape shape)
    : store_(store),
      dataset_prefix_(std::move(dataset_prefix)),
      segment_id_(std::move(segment_id)),
      shape_(std::move(shape)) {
  block_.push_back(kBlockFormat);
}

DatasetStore::SegmentWriter::~SegmentWriter() {
  if (!finished_) Abort();
}

void DatasetStore::SegmentWriter::Abort() {
  finished_ = true;
  if (blocks_ > 0) {
    WriteBatch batch;
    batch.DeletePrefix(SegmentPrefix(dataset_prefix_, segment_id_));
    // Best effort: whatever survives is unreferenced garbage that CollectGarbage() removes.
    (void)store_->kv_.Write(batch, /*durable=*/false);
  }
  store_->EndFlight(segment_id_);
}

Status DatasetStore::SegmentWriter::Append(const Row& row) {
  std::vector<FieldRef> refs = RefsOf(row);
  return CheckAndEncode(refs);
}

Status DatasetStore::SegmentWriter::Append(std::span<const FieldRef> values) {
  return CheckAndEncode(values);
}

Status DatasetStore::SegmentWriter::CheckAndEncode(std::span<const FieldRef> values) {
  if (finished_) return Status::Internal("append to a finished segment");
  KINDRED_RETURN_IF_ERROR(shape_.Check(values));
  EncodeRow(values, &block_);
  ++block_rows_;
  ++rows_;
  if (block_rows_ >= kBlockRows || block_.size() >= kBlockBytes) return FlushBlock();
  return Status::Ok();
}

Status DatasetStore::SegmentWriter::FlushBlock() {
  if (block_rows_ == 0) return Status::Ok();
  KINDRED_RETURN_IF_ERROR(
      store_->kv_.Put(BlockKey(dataset_prefix_, segment_id_, blocks_), block_, /*durable=*/false));
  ++blocks_;
  block_.resize(1);  // keeps the format byte
  block_rows_ = 0;
  return Status::Ok();
}

Status DatasetStore::SegmentWriter::Commit(ImportMode mode, const BatchWriter& write) {
  if (finished_) return Status::Internal("commit of a finished segment");
  Status s = FlushBlock();
  if (s.ok()) s = store_->kv_.Sync();
  if (!s.ok()) {
    Abort();
    return s;
  }
  std::unique_lock<std::shared_mutex> lock(store_->data_mu_);
  Result<std::vector<Segment>> old = store_->LoadManifest(dataset_prefix_);
  if (!old.ok()) {
    lock.unlock();
    Abort();
    return old.status();
  }
  WriteBatch batch;
  std::vector<Segment> next;
  for (const Segment& seg : *old) {
    if (mode == ImportMode::kFull) {
      batch.DeletePrefix(SegmentPrefix(dataset_prefix_, seg.id));
    } else {
      next.push_back(seg);
    }
  }
  if (rows_ > 0) next.push_back({segment_id_, rows_});
  batch.Put(ManifestKey(dataset_prefix_), SerializeManifest(next));
  // Whatever the outcome, the blocks stay: if the write failed they are unreferenced garbage
  // for CollectGarbage(); deleting them here could race a write that did reach the log.
  finished_ = true;
  s = write ? write(batch) : store_->kv_.Write(batch, /*durable=*/true);
  store_->EndFlight(segment_id_);
  return s;
}

Status DatasetStore::ScanRows(const std::string& dataset_prefix,
                              const std::vector<Segment>& segments, size_t field_count,
                              const std::function<bool(const Row&)>& visit) {
  Row row;
  for (const Segment& seg : segments) {
    Status decode = Status::Ok();
    bool stopped = false;
    KINDRED_RETURN_IF_ERROR(kv_.Scan(SegmentPrefix(dataset_prefix, seg.id),
                                     [&](std::string_view, std::string_view block) {
                                       if (block.empty() || block.front() != kBlockFormat) {
                                         decode = Status::Corruption("row block of unknown format");
                                         return false;
                                       }
                                       block.remove_prefix(1);
                                       while (!block.empty()) {
                                         decode = DecodeRow(&block, field_count, &row);
                                         if (!decode.ok()) return false;
                                         if (!visit(row)) {
                                           stopped = true;
                                           return false;
                                         }
                                       }
                                       return true;
                                     }));
    KINDRED_RETURN_IF_ERROR(decode);
    if (stopped) break;
  }
  return Status::Ok();
}

Status DatasetStore::ScanLive(const std::string& dataset_prefix, size_t field_count,
                              const SeqVisitor& visit) {
  Row row;
  Status decode = Status::Ok();
  const std::string prefix = LivePrefix(dataset_prefix);
  KINDRED_RETURN_IF_ERROR(kv_.Scan(prefix, [&](std::string_view key, std::string_view value) {
    const uint64_t seq = std::strtoull(std::string(key.substr(prefix.size())).c_str(), nullptr, 16);
    if (seq == 0 || value.empty() || value.front() != kBlockFormat) {
      decode = Status::Corruption("live row of unknown format");
      return false;
    }
    value.remove_prefix(1);
    decode = DecodeRow(&value, field_count, &row);
    if (decode.ok() && !value.empty()) decode = Status::Corruption("live row with trailing bytes");
    return decode.ok() && visit(row, seq);
  }));
  return decode;
}

Status DatasetStore::ForEachRow(std::string_view dataset_key, const DatasetSchema& schema,
                                DatasetType type, const std::function<bool(const Row&)>& visit) {
  return ForEachRowWithSeq(dataset_key, schema, type,
                           [&](const Row& row, uint64_t) { return visit(row); });
}

Status DatasetStore::ForEachRowWithSeq(std::string_view dataset_key, const DatasetSchema& schema,
                                       DatasetType type, const SeqVisitor& visit) {
  std::shared_lock<std::shared_mutex> lock(data_mu_);
  const std::string prefix = DatasetPrefix(dataset_key);
  Result<std::vector<Segment>> segments = LoadManifest(prefix);
  if (!segments.ok()) return segments.status();
  const size_t n = schema.fields.size();
  // Imported rows, then live rows; stops when `fn` returns false.
  auto scan_all = [&](const SeqVisitor& fn) -> Status {
    bool stopped = false;
    KINDRED_RETURN_IF_ERROR(
        ScanRows(prefix, *segments, n, [&](const Row& row) { return !(stopped = !fn(row, 0)); }));
    return stopped ? Status::Ok() : ScanLive(prefix, n, fn);
  };
  if (type == DatasetType::kInteractions) return scan_all(visit);

  // Items and Users: two passes; the first finds the position of each id's newest row.
  int key = schema.FieldIndex(RequiredRowFields(type).front());
  if (key < 0) return Status::InvalidInput("the schema has no id field");
  const size_t k = static_cast<size_t>(key);
  std::unordered_map<std::string, uint64_t> newest;
  uint64_t ordinal = 0;
  bool ids_ok = true;
  KINDRED_RETURN_IF_ERROR(scan_all([&](const Row& row, uint64_t) {
    const auto* id = std::get_if<std::string>(&row.values[k]);
    if (id == nullptr) return ids_ok = false;
    newest.insert_or_assign(*id, ordinal++);
    return true;
  }));
  if (!ids_ok) return Status::Corruption("stored row without an id");
  ordinal = 0;
  // Under the shared lock (Items and Users rows only change under the exclusive one) the second
  // pass reads exactly the rows of the first.
  return scan_all([&](const Row& row, uint64_t seq) {
    uint64_t me = ordinal++;
    return newest.find(std::get<std::string>(row.values[k]))->second != me || visit(row, seq);
  });
}

Result<uint64_t> DatasetStore::AllocateLiveSeqs(uint64_t n) {
  std::lock_guard<std::mutex> lock(seq_mu_);
  if (next_seq_ == 0) {
    Result<std::optional<std::string>> stored = kv_.Get(kLiveSeqKey);
    if (!stored.ok()) return stored.status();
    next_seq_ = stored->has_value() ? std::strtoull((*stored)->c_str(), nullptr, 10) : 1;
    if (next_seq_ == 0) return Status::Corruption("unreadable live sequence number");
    reserved_until_ = next_seq_;
  }
  if (next_seq_ + n > reserved_until_) {
    const uint64_t until = next_seq_ + n + kLiveSeqReservation;
    KINDRED_RETURN_IF_ERROR(kv_.Put(kLiveSeqKey, std::to_string(until), /*durable=*/true));
    reserved_until_ = until;
  }
  const uint64_t first = next_seq_;
  next_seq_ += n;
  return first;
}

Result<uint64_t> DatasetStore::AppendLive(std::string_view dataset_key, const DatasetSchema& schema,
                                          DatasetType type, std::span<const Row> rows,
                                          const SegmentWriter::BatchWriter& write) {
  Result<RowShape> shape = RowShape::Of(schema, type);
  if (!shape.ok()) return shape.status();
  std::string value;
  std::vector<std::string> values;
  for (const Row& row : rows) {
    const std::vector<FieldRef> refs = RefsOf(row);
    KINDRED_RETURN_IF_ERROR(shape->Check(refs));
    value.assign(1, kBlockFormat);
    EncodeRow(refs, &value);
    values.push_back(value);
  }
  // Items and Users rows take the exclusive lock, which keeps ForEachRow's two passes equal.
  std::shared_lock<std::shared_mutex> shared(data_mu_, std::defer_lock);
  std::unique_lock<std::shared_mutex> exclusive(data_mu_, std::defer_lock);
  if (type == DatasetType::kInteractions) {
    shared.lock();
  } else {
    exclusive.lock();
  }
  Result<uint64_t> first = AllocateLiveSeqs(rows.size());
  if (!first.ok()) return first.status();
  const std::string prefix = DatasetPrefix(dataset_key);
  WriteBatch batch;
  for (size_t i = 0; i < values.size(); ++i) batch.Put(LiveKey(prefix, *first + i), values[i]);
  KINDRED_RETURN_IF_ERROR(write ? write(batch) : kv_.Write(batch, /*durable=*/true));
  return *first;
}

Result<int64_t> DatasetStore::CountRows(std::string_view dataset_key, const DatasetSchema& schema,
                                        DatasetType type) {
  int64_t count = 0;
  if (type == DatasetType::kInteractions) {
    std::shared_lock<std::shared_mutex> lock(data_mu_);
    const std::string prefix = DatasetPrefix(dataset_key);
    Result<std::vector<Segment>> segments = LoadManifest(prefix);
    if (!segments.ok()) return segments.status();
    for (const Segment& s : *segments) count += s.rows;
    KINDRED_RETURN_IF_ERROR(kv_.Scan(LivePrefix(prefix), [&](std::string_view, std::string_view) {
      ++count;
      return true;
    }));
    return count;
  }
  KINDRED_RETURN_IF_ERROR(ForEachRow(dataset_key, schema, type, [&](const Row&) {
    ++count;
    return true;
  }));
  return count;
}

Status DatasetStore::Drop(std::string_view dataset_key) {
  std::unique_lock<std::shared_mutex> lock(data_mu_);
  WriteBatch batch;
  batch.DeletePrefix(DatasetPrefix(dataset_key));
  return kv_.Write(batch, /*durable=*/true);
}

Status DatasetStore::CollectGarbage() {
  std::unique_lock<std::shared_mutex> lock(data_mu_);
  WriteBatch garbage;
  std::string dataset;            // prefix of the dataset being walked
  std::vector<std::string> live;  // its manifest's segment ids
  std::string start = "d/";
  Status parse = Status::Ok();
  for (;;) {
    // Each segment ends one scan; the next resumes after it, so block values are not read.
    bool resumed = false;
    KINDRED_RETURN_IF_ERROR(kv_.Scan(
        "d/",
        [&](std::string_view key, std::string_view value) {
          size_t slash = key.find('/', 2);
          if (slash == std::string_view::npos) return true;
          std::string_view prefix = key.substr(0, slash + 1);
          std::string_view rest = key.substr(slash + 1);
          if (prefix != dataset) {
            dataset = std::string(prefix);
            live.clear();
          }
          if (rest == "m") {
            Result<std::vector<Segment>> m = ParseManifest(value);
            if (!m.ok()) {
              parse = m.status();
              return false;
            }
            for (Segment& s : *m) live.push_back(std::move(s.id));
            return true;
          }
          if (rest.starts_with("l/")) {  // live rows are never garbage: skip to the manifest
            start = std::string(prefix) + "m";
            resumed = true;
            return false;
          }
          size_t end = rest.find('/', 2);
          if (!rest.starts_with("s/") || end == std::string_view::npos) return true;
          std::string id(rest.substr(2, end - 2));
          std::string segment = std::string(key.substr(0, slash + 1 + end + 1));
          bool listed = std::find(live.begin(), live.end(), id) != live.end();
          bool writing;
          {
            std::lock_guard<std::mutex> flight(flight_mu_);
            writing = in_flight_.count(id) > 0;
          }
          if (!listed && !writing) garbage.DeletePrefix(segment);
          start = segment;
          start.back() = '/' + 1;  // the smallest key after every key of this segment
          resumed = true;
          return false;
        },
        start));
    KINDRED_RETURN_IF_ERROR(parse);
    if (!resumed) break;
  }
  if (garbage.empty()) return Status::Ok();
  return kv_.Write(garbage, /*durable=*/true);
}

}  // namespace kindred
