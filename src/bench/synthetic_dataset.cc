#include "bench/synthetic_dataset.h"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace kindred {
namespace {

// A CSV file written through a large buffer; Close() reports whether every write succeeded.
class CsvFile {
 public:
  explicit CsvFile(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (file_ != nullptr) std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  ~CsvFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void Text(std::string_view text) {
    if (file_ != nullptr) std::fwrite(text.data(), 1, text.size(), file_);
  }
  void Number(int64_t n) {
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
    Text({buffer, end});
  }
  Status Close() {
    const bool ok = file_ != nullptr && !std::ferror(file_) && std::fclose(file_) == 0;
    file_ = nullptr;
    return ok ? Status::Ok() : Status::IoError("cannot write " + path_);
  }

 private:
  std::string path_;
  std::FILE* file_;
};

}  // namespace

std::string SyntheticUserId(int32_t user) { return "u" + std::to_string(user); }
std::string SyntheticItemId(int32_t item) { return "i" + std::to_string(item); }
const char* SyntheticEventType(const SyntheticEvent& event) {
  return event.watch ? "watch" : "click";
}

Result<SimulationStats> WriteSyntheticCsv(const GeneratorOptions& options, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir + ": " + ec.message());
  SyntheticWorld world = BuildWorld(options);

  CsvFile items((std::filesystem::path(dir) / "items.csv").string());
  items.Text("ITEM_ID,GENRE,CREATION_TIMESTAMP\n");
  for (int32_t i = 0; i < world.catalogue.size(); ++i) {
    items.Text(SyntheticItemId(i));
    items.Text(",");
    items.Text(Catalogue::GenreName(world.catalogue.Genre(i)));
    items.Text(",");
    items.Number(world.catalogue.Creation(i));
    items.Text("\n");
  }
  KINDRED_RETURN_IF_ERROR(items.Close());

  CsvFile interactions((std::filesystem::path(dir) / "interactions.csv").string());
  interactions.Text("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n");
  const SimulationStats stats = Simulate(options, &world, [&](const SyntheticEvent& e) {
    interactions.Text(SyntheticUserId(e.user));
    interactions.Text(",");
    interactions.Text(SyntheticItemId(e.item));
    interactions.Text(",");
    interactions.Number(e.timestamp);
    interactions.Text(e.watch ? ",watch\n" : ",click\n");
  });
  KINDRED_RETURN_IF_ERROR(interactions.Close());
  return stats;
}

TrainingData SyntheticTrainingData(const GeneratorOptions& options) {
  SyntheticWorld world = BuildWorld(options);
  TrainingDataBuilder builder;
  for (int32_t i = 0; i < world.catalogue.size(); ++i) {
    const std::string id = SyntheticItemId(i);
    builder.AddItemFeature(id, "GENRE", Catalogue::GenreName(world.catalogue.Genre(i)));
    builder.SetItemCreation(id, world.catalogue.Creation(i));
  }
  Simulate(options, &world, [&](const SyntheticEvent& e) {
    builder.AddInteraction(SyntheticUserId(e.user), SyntheticItemId(e.item), e.timestamp,
                           SyntheticEventType(e));
  });
  return std::move(builder).Finish();
}

}  // namespace kindred
