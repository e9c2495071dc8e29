#include "recipes/interaction_files.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kindred {
namespace {

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

}  // namespace

const std::vector<std::string>& InteractionFileFormats() {
  static const std::vector<std::string> kFormats{"games", "personalize-csv", "movielens"};
  return kFormats;
}

// Reads `in` in `format` into `builder`; a malformed line is an error naming its number.
Status ReadInteractions(std::istream& in, const std::string& format, TrainingDataBuilder* builder) {
  std::string line;
  int64_t number = 0;
  int user = -1, item = -1, timestamp = -1, event_type = -1, rating = -1;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto bad = [&] { return Status::InvalidInput("line " + std::to_string(number) + ": " + line); };
    if (format == "games") {
      std::istringstream fields(line);
      std::string u, i;
      if (!(fields >> u >> i)) return bad();
      builder->AddInteraction(u, i, number);
      continue;
    }
    std::vector<std::string> fields = SplitCsv(line);
    if (number == 1) {  // header: find the columns by name
      for (int c = 0; c < static_cast<int>(fields.size()); ++c) {
        const std::string name = Upper(fields[c]);
        if (name == "USER_ID" || name == "USERID") user = c;
        if (name == "ITEM_ID" || name == "MOVIEID") item = c;
        if (name == "TIMESTAMP") timestamp = c;
        if (name == "EVENT_TYPE") event_type = c;
        if (name == "RATING" && format == "movielens") rating = c;
      }
      if (user < 0 || item < 0 || timestamp < 0) {
        return Status::InvalidInput("the header needs user, item and timestamp columns: " + line);
      }
      continue;
    }
    const int needed = std::max({user, item, timestamp, event_type, rating});
    if (static_cast<int>(fields.size()) <= needed) return bad();
    char* end = nullptr;
    const long long ts = std::strtoll(fields[timestamp].c_str(), &end, 10);
    if (end == fields[timestamp].c_str() || *end != '\0') return bad();
    const float value = rating >= 0 ? std::strtof(fields[rating].c_str(), nullptr) : 0.0f;
    builder->AddInteraction(fields[user], fields[item], ts,
                            event_type >= 0 ? fields[event_type] : std::string(), value);
  }
  return Status::Ok();
}

Result<TrainingData> ReadInteractionFile(const std::string& path, const std::string& format) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read " + path);
  TrainingDataBuilder builder;
  KINDRED_RETURN_IF_ERROR(ReadInteractions(in, format, &builder));
  return std::move(builder).Finish();
}

Result<HyperParameters> ParseHyperParameterArgs(const std::vector<std::string>& params) {
  HyperParameters out;
  for (const std::string& p : params) {
    const size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidInput("--param needs name=value, got '" + p + "'");
    }
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return out;
}

}  // namespace kindred
