#include "data/csv_importer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

#include "common/strings.h"
#include "data/csv_reader.h"

namespace kindred {
namespace {

// Length limits of the Personalize developer guide, in characters (Unicode code points).
constexpr size_t kMaxIdChars = 256;             // USER_ID, ITEM_ID
constexpr size_t kMaxCategoricalChars = 1000;   // a categorical field's value
constexpr size_t kMaxTextualChars = 20000;      // a textual (unstructured text) field's value
constexpr int64_t kCancelCheckInterval = 1024;  // records between polls of `cancel`

// `value` in quotes, cut to at most ~40 bytes on a UTF-8 boundary, for problem reasons.
std::string Quote(std::string_view value) {
  constexpr size_t kMax = 40;
  if (value.size() <= kMax) return "\"" + std::string(value) + "\"";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(value.substr(0, cut)) + "...\"";
}

// Parses `text` (non-empty) as a value of `type`; nullopt when it is not one.
std::optional<FieldRef> ParseValue(std::string_view text, FieldType type) {
  const char* first = text.data();
  const char* last = first + text.size();
  switch (type) {
    case FieldType::kString:
      return FieldRef(text);
    case FieldType::kInt:
    case FieldType::kLong: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(first, last, v);
      if (ec != std::errc() || end != last) return std::nullopt;
      if (type == FieldType::kInt &&
          (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())) {
        return std::nullopt;
      }
      return FieldRef(v);
    }
    case FieldType::kFloat:
    case FieldType::kDouble: {
      double v = 0;
      auto [end, ec] = std::from_chars(first, last, v);
      if (ec != std::errc() || end != last || !std::isfinite(v)) return std::nullopt;
      return FieldRef(v);
    }
    case FieldType::kBoolean:
      if (EqualsIgnoreAsciiCase(text, "true")) return FieldRef(true);
      if (EqualsIgnoreAsciiCase(text, "false")) return FieldRef(false);
      return std::nullopt;
  }
  return std::nullopt;
}

struct FieldPlan {
  const SchemaField* field;
  bool required;     // a bad value skips the row instead of being nulled
  size_t max_chars;  // 0: no limit
  int column = -1;   // CSV column in the current file; -1: absent (null)
};

class Importer {
 public:
  Importer(const DatasetSchema& schema, DatasetType type, const ImportOptions& options,
           const std::atomic<bool>* cancel, DatasetStore::SegmentWriter& writer,
           ImportReport& report)
      : options_(options), cancel_(cancel), writer_(writer), report_(report) {
    auto required = RequiredRowFields(type);
    for (const SchemaField& f : schema.fields) {
      bool req = std::find(required.begin(), required.end(), f.name) != required.end();
      size_t max = req && f.type == FieldType::kString ? kMaxIdChars
                   : f.categorical                     ? kMaxCategoricalChars
                   : f.textual                         ? kMaxTextualChars
                                                       : 0;
      plans_.push_back({&f, req, max});
    }
    // Required fields first, so a row that will be skipped has nothing nulled before.
    std::vector<size_t> rest;
    for (size_t i = 0; i < plans_.size(); ++i) (plans_[i].required ? order_ : rest).push_back(i);
    order_.insert(order_.end(), rest.begin(), rest.end());
    values_.resize(plans_.size());
  }

  Status CheckCancel() const {
    if (cancel_ == nullptr || !cancel_->load(std::memory_order_relaxed)) return Status::Ok();
    return Status::Internal("The import was cancelled");
  }

  Status ImportFile(const std::string& path) {
    KINDRED_RETURN_IF_ERROR(CheckCancel());
    Result<MappedFile> file = MappedFile::Open(path);
    if (!file.ok()) return file.status();
    CsvReader reader(file->data());
    CsvRecord record;
    Result<bool> more = reader.Next(&record);
    if (!more.ok()) return Status::InvalidInput(path + " " + more.status().message());
    if (!*more || (record.fields.size() == 1 && record.fields[0].empty())) {
      return Status::InvalidInput(path + " is empty: its first row must hold the column headers");
    }
    KINDRED_RETURN_IF_ERROR(MapHeader(path, record));
    for (;;) {
      more = reader.Next(&record);
      if (!more.ok()) return Status::InvalidInput(path + " " + more.status().message());
      if (!*more) return Status::Ok();
      if (record.number % kCancelCheckInterval == 0) KINDRED_RETURN_IF_ERROR(CheckCancel());
      if (record.fields.size() == 1 && record.fields[0].empty()) continue;  // blank line
      ++report_.rows_read;
      KINDRED_RETURN_IF_ERROR(ImportRecord(path, record));
    }
  }

 private:
  Status MapHeader(const std::string& path, const CsvRecord& header) {
    if (header.malformed) return Status::InvalidInput(path + " row 1: malformed header");
    header_size_ = header.fields.size();
    for (FieldPlan& plan : plans_) plan.column = -1;
    for (size_t c = 0; c < header.fields.size(); ++c) {
      std::string_view name = header.fields[c];
      auto plan = std::find_if(plans_.begin(), plans_.end(),
                               [&](const FieldPlan& p) { return p.field->name == name; });
      if (plan == plans_.end()) {
        auto& ignored = report_.ignored_columns;
        if (std::find(ignored.begin(), ignored.end(), name) == ignored.end()) {
          ignored.emplace_back(name);
        }
        continue;
      }
      if (plan->column >= 0) {
        return Status::InvalidInput(path + " row 1: column " + std::string(name) +
                                    " appears more than once");
      }
      plan->column = static_cast<int>(c);
    }
    std::string missing;
    for (const FieldPlan& plan : plans_) {
      if (plan.column >= 0 || (plan.field->nullable && !plan.required)) continue;
      missing += (missing.empty() ? "" : ", ") + plan.field->name;
    }
    if (!missing.empty()) {
      return Status::InvalidInput("Input CSV is missing the following columns: [" + missing + "]");
    }
    return Status::Ok();
  }

  // Records a problem; in strict mode it fails the job.
  Status Problem(const std::string& path, int64_t row, std::string_view column,
                 std::string reason) {
    if (report_.problems.size() < kMaxReportedProblems) {
      report_.problems.push_back({path, row, std::string(column), reason});
    }
    if (!options_.strict) return Status::Ok();
    std::string where = path + " row " + std::to_string(row);
    if (!column.empty()) where += ", column " + std::string(column);
    return Status::InvalidInput(where + ": " + reason + " (strict import)");
  }

  Status Skip(const std::string& path, int64_t row, std::string_view column, std::string why) {
    ++report_.rows_skipped;
    return Problem(path, row, column, why + "; row skipped");
  }

  Status ImportRecord(const std::string& path, const CsvRecord& record) {
    const int64_t row = record.number;
    if (record.fields.size() != header_size_) {
      return Skip(path, row, {},
                  "expected " + std::to_string(header_size_) + " fields but found " +
                      std::to_string(record.fields.size()));
    }
    if (record.malformed) return Skip(path, row, {}, "text follows a closing quote");
    for (size_t i : order_) {
      const FieldPlan& plan = plans_[i];
      const SchemaField& f = *plan.field;
      if (plan.column < 0) {
        values_[i] = std::monostate();
        continue;
      }
      std::string_view text = record.fields[static_cast<size_t>(plan.column)];
      std::string why;
      std::optional<FieldRef> value;
      if (text.empty()) {
        if (!plan.required && f.nullable) {
          values_[i] = std::monostate();
          continue;
        }
        why = plan.required ? "empty value in a required field" : "empty value in a non-null field";
      } else if (plan.max_chars > 0 && text.size() > plan.max_chars &&
                 CountCodePoints(text) > plan.max_chars) {
        why = "value is longer than " + std::to_string(plan.max_chars) + " characters";
      } else {
        value = ParseValue(text, f.type);
        if (!value) why = Quote(text) + " is not a valid " + std::string(FieldTypeName(f.type));
      }
      if (value) {
        values_[i] = *value;
        continue;
      }
      if (plan.required) return Skip(path, row, f.name, why);
      ++report_.values_nulled;
      values_[i] = std::monostate();
      KINDRED_RETURN_IF_ERROR(Problem(path, row, f.name, why + "; stored as null"));
    }
    Status appended = writer_.Append(values_);
    if (!appended.ok()) return appended;
    ++report_.rows_imported;
    return Status::Ok();
  }

  const ImportOptions& options_;
  const std::atomic<bool>* cancel_;
  DatasetStore::SegmentWriter& writer_;
  ImportReport& report_;
  std::vector<FieldPlan> plans_;  // per schema field
  std::vector<size_t> order_;     // schema indices, required fields first
  std::vector<FieldRef> values_;  // the row being built, reused
  size_t header_size_ = 0;
};

Status CheckInvalidFraction(const ImportReport& report, double max_fraction) {
  if (report.rows_read == 0) return Status::InvalidInput("Input CSV contains no data rows");
  if (static_cast<double>(report.rows_skipped) <=
      max_fraction * static_cast<double>(report.rows_read)) {
    return Status::Ok();
  }
  std::string msg = "Too many invalid rows: " + std::to_string(report.rows_skipped) + " of " +
                    std::to_string(report.rows_read) + " rows were skipped, more than " +
                    std::to_string(static_cast<int>(std::lround(max_fraction * 100))) + "%";
  for (const ImportProblem& p : report.problems) {
    if (!p.reason.ends_with("row skipped")) continue;
    msg += "; first: " + p.file + " row " + std::to_string(p.row) + ": " + p.reason;
    break;
  }
  return Status::InvalidInput(msg);
}

}  // namespace

ImportOutcome ImportCsvFiles(const std::vector<std::string>& files, const DatasetSchema& schema,
                             DatasetType type, DatasetStore& store, std::string_view dataset_key,
                             const ImportOptions& options, const std::atomic<bool>* cancel) {
  ImportOutcome out;
  Result<std::unique_ptr<DatasetStore::SegmentWriter>> writer =
      store.BeginSegment(dataset_key, schema, type);
  if (!writer.ok()) {
    out.status = writer.status();
    return out;
  }
  Importer importer(schema, type, options, cancel, **writer, out.report);
  for (const std::string& path : files) {
    out.status = importer.ImportFile(path);
    if (!out.status.ok()) return out;  // the writer's destructor discards the segment
  }
  out.status = CheckInvalidFraction(out.report, options.max_invalid_fraction);
  if (out.status.ok()) out.status = importer.CheckCancel();
  if (out.status.ok()) {
    DatasetStore::SegmentWriter::BatchWriter write;
    if (options.commit) {
      write = [&](WriteBatch& batch) { return options.commit(batch, out.report); };
    }
    out.status = (*writer)->Commit(options.mode, write);
  }
  return out;
}

nlohmann::json ImportReportToJson(const ImportReport& report) {
  nlohmann::json problems = nlohmann::json::array();
  for (const ImportProblem& p : report.problems) {
    problems.push_back(
        {{"file", p.file}, {"row", p.row}, {"column", p.column}, {"reason", p.reason}});
  }
  return {{"rowsRead", report.rows_read},
          {"rowsImported", report.rows_imported},
          {"rowsSkipped", report.rows_skipped},
          {"valuesNulled", report.values_nulled},
          {"ignoredColumns", report.ignored_columns},
          {"problems", std::move(problems)}};
}

std::string FormatImportReport(const nlohmann::json& report) {
  auto count = [&](const char* key) { return std::to_string(report.value(key, int64_t{0})); };
  std::string out = "Rows read: " + count("rowsRead") + ", imported: " + count("rowsImported") +
                    ", skipped: " + count("rowsSkipped") +
                    ", values stored as null: " + count("valuesNulled") + "\n";
  const nlohmann::json ignored = report.value("ignoredColumns", nlohmann::json::array());
  if (!ignored.empty()) {
    out += "Columns not in the schema (ignored):";
    for (const auto& c : ignored) out += " " + c.get<std::string>();
    out += "\n";
  }
  const nlohmann::json problems = report.value("problems", nlohmann::json::array());
  if (!problems.empty()) {
    out += "Problems (first " + std::to_string(kMaxReportedProblems) + " at most):\n";
    for (const auto& p : problems) {
      out += "  " + p.value("file", "") + " row " + std::to_string(p.value("row", int64_t{0}));
      if (!p.value("column", "").empty()) out += ", column " + p.value("column", "");
      out += ": " + p.value("reason", "") + "\n";
    }
  }
  return out;
}

}  // namespace kindred
