// DatasetStore: the rows of every dataset, kept in the KvStore as immutable segments.
//
// Each import writes a new segment through a SegmentWriter: rows packed into blocks of a few
// thousand, written non-durably while the import runs. Commit() syncs them and then, in ONE
// durable atomic write, replaces the dataset's manifest (its list of live segments, in commit
// order) and deletes the segments the commit supersedes. So a dataset is always exactly what
// its last commit made it: an import that fails, is abandoned or dies with the process leaves
// it untouched, and its half-written segment is garbage that CollectGarbage() removes.
//
//   FULL        -> the manifest lists only the new segment; older segments are deleted.
//   INCREMENTAL -> the new segment is appended to the manifest.
//
// Rows put one at a time (the events API) are "live rows": each is its own durable write, kept
// after the imported segments and across FULL imports (AppendLive).
//
// Readers see Interactions rows as stored. For Items and Users only the newest row for each
// ITEM_ID / USER_ID is live: later segments win over earlier ones, later rows of a segment over
// earlier rows, and live rows over imported ones.
//
// Key layout (all under "d/") is documented in docs/storage-layout.md.
//
// Thread-safety: every DatasetStore method may be called concurrently. Commits, Drop(),
// CollectGarbage() and AppendLive() of Items/Users rows are serialised, and wait for running
// ForEachRow/CountRows calls, which see a consistent dataset (Interactions live rows appended
// during a scan may or may not be visited). A SegmentWriter is used by one thread at a time, and
// must be destroyed before its DatasetStore.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/dataset_schema.h"
#include "data/row_codec.h"
#include "storage/kv_store.h"

namespace kindred {

enum class ImportMode { kFull, kIncremental };

// The fields every row of a dataset of `type` must carry non-null (in this order):
// Interactions USER_ID, ITEM_ID, TIMESTAMP; Items ITEM_ID; Users USER_ID.
std::span<const std::string_view> RequiredRowFields(DatasetType type);

class DatasetStore {
  // The value kinds and required fields of a schema: what a row must look like to be stored.
  struct RowShape {
    enum class Kind : uint8_t { kString = 1, kInt = 2, kDouble = 3, kBool = 4 };  // FieldRef index
    std::vector<Kind> kinds;       // per schema field
    std::vector<size_t> required;  // schema indices of RequiredRowFields
    // kInvalidInput when the schema lacks a required field.
    static Result<RowShape> Of(const DatasetSchema& schema, DatasetType type);
    // kInvalidInput unless `values` has one value per field, each null or of the field's kind,
    // and every required field non-null.
    Status Check(std::span<const FieldRef> values) const;
  };

 public:
  // `kv` must outlive the store.
  explicit DatasetStore(KvStore& kv);

  class SegmentWriter {
   public:
    SegmentWriter(const SegmentWriter&) = delete;
    SegmentWriter& operator=(const SegmentWriter&) = delete;
    // Deletes what was written unless Commit() succeeded.
    ~SegmentWriter();

    // Adds one row: one value per schema field, each null or of the field's type (int64_t for
    // int/long, double for float/double), required fields non-null. kInvalidInput otherwise.
    [[nodiscard]] Status Append(std::span<const FieldRef> values);
    [[nodiscard]] Status Append(const Row& row);

    // Makes the appended rows part of the dataset as described above. The writer is finished
    // afterwards, whatever the outcome; on error the dataset is unchanged.
    // `write`, when given, applies the final manifest batch instead of the store doing it, so
    // the caller can add its own ops (e.g. the import job's new status) to the same atomic write.
    using BatchWriter = std::function<Status(WriteBatch& batch)>;
    [[nodiscard]] Status Commit(ImportMode mode, const BatchWriter& write = nullptr);

    int64_t rows() const { return rows_; }

   private:
    friend class DatasetStore;
    SegmentWriter(DatasetStore* store, std::string dataset_prefix, std::string segment_id,
                  RowShape shape);
    [[nodiscard]] Status CheckAndEncode(std::span<const FieldRef> values);
    [[nodiscard]] Status FlushBlock();
    void Abort();

    DatasetStore* store_;
    std::string dataset_prefix_;
    std::string segment_id_;
    RowShape shape_;
    std::string block_;
    int64_t block_rows_ = 0;
    int64_t blocks_ = 0;
    int64_t rows_ = 0;
    bool finished_ = false;
  };

  // Starts a new segment for the dataset `dataset_key` (any bytes). kInvalidInput when the
  // schema lacks a field RequiredRowFields(type) names.
  [[nodiscard]] Result<std::unique_ptr<SegmentWriter>> BeginSegment(std::string_view dataset_key,
                                                                    const DatasetSchema& schema,
                                                                    DatasetType type);

  // Calls `visit` for every live row (see above), in commit order, until it returns false. The
  // row is only valid during the call. `schema` and `type` must be those the rows were written
  // with.
  [[nodiscard]] Status ForEachRow(std::string_view dataset_key, const DatasetSchema& schema,
                                  DatasetType type, const std::function<bool(const Row&)>& visit);

  // As ForEachRow, also passing each row's live sequence number (0 for imported rows).
  using SeqVisitor = std::function<bool(const Row& row, uint64_t live_seq)>;
  [[nodiscard]] Status ForEachRowWithSeq(std::string_view dataset_key, const DatasetSchema& schema,
                                         DatasetType type, const SeqVisitor& visit);

  // Appends `rows` to the dataset's live rows — records put one at a time through the events
  // API (PutEvents, PutItems, PutUsers) — in ONE durable atomic write; `write`, when given,
  // applies that batch instead of the store, so the caller can add its own ops to it. Live rows
  // come after the imported rows in ForEachRow, survive FULL imports (which replace imported
  // data only, as Personalize's bulk imports do) and go with Drop(). Each row gets a live
  // sequence number, unique in the store; the first is returned and the others follow
  // consecutively. kInvalidInput, with nothing written, when a row does not fit the schema.
  [[nodiscard]] Result<uint64_t> AppendLive(std::string_view dataset_key,
                                            const DatasetSchema& schema, DatasetType type,
                                            std::span<const Row> rows,
                                            const SegmentWriter::BatchWriter& write = nullptr);

  // The number of rows ForEachRow would visit.
  [[nodiscard]] Result<int64_t> CountRows(std::string_view dataset_key, const DatasetSchema& schema,
                                          DatasetType type);

  // Deletes all rows and the manifest of the dataset, atomically and durably. Must not run
  // while a SegmentWriter of the dataset may still commit.
  [[nodiscard]] Status Drop(std::string_view dataset_key);

  // Deletes every segment that no manifest lists and no live SegmentWriter is writing: the
  // leftovers of imports interrupted by a crash. Call at startup; safe at any time.
  [[nodiscard]] Status CollectGarbage();

 private:
  struct Segment {
    std::string id;
    int64_t rows = 0;
  };
  [[nodiscard]] static Result<std::vector<Segment>> ParseManifest(std::string_view json);
  static std::string SerializeManifest(const std::vector<Segment>& segments);
  [[nodiscard]] Result<std::vector<Segment>> LoadManifest(const std::string& dataset_prefix);
  // Visits the rows of `segments` in order, as stored (no newest-wins filtering).
  [[nodiscard]] Status ScanRows(const std::string& dataset_prefix,
                                const std::vector<Segment>& segments, size_t field_count,
                                const std::function<bool(const Row&)>& visit);
  // Visits the live rows of the dataset, in sequence order, with their sequence numbers.
  [[nodiscard]] Status ScanLive(const std::string& dataset_prefix, size_t field_count,
                                const SeqVisitor& visit);
  // Reserves `n` consecutive live sequence numbers and returns the first.
  [[nodiscard]] Result<uint64_t> AllocateLiveSeqs(uint64_t n);
  void EndFlight(const std::string& segment_id);

  KvStore& kv_;
  std::shared_mutex data_mu_;        // exclusive: manifest changes and deletions; shared: reads
  std::mutex flight_mu_;             // guards in_flight_; taken after data_mu_, never before
  std::set<std::string> in_flight_;  // ids of segments whose writer is not finished
  std::mutex seq_mu_;                // guards the two below
  uint64_t next_seq_ = 0;            // 0: not read from the store yet
  uint64_t reserved_until_ = 0;      // numbers below this are reserved durably
};

}  // namespace kindred
