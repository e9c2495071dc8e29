#include "cli/evaluate_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "recipes/offline_metrics.h"
#include "recipes/recipe.h"

namespace kindred {

CLI::App* AddEvaluateCommand(CLI::App& app, EvaluateOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Train a recipe on an interactions file and print its offline metrics");
  cmd->add_option("--input", o.input, "Interactions file")->required();
  cmd->add_option("--format", o.format, "Input format")
      ->check(CLI::IsMember({"games", "personalize-csv", "movielens"}))
      ->capture_default_str();
  cmd->add_option("--recipe", o.recipe, "Recipe name or ARN")->capture_default_str();
  cmd->add_option("--param", o.params, "Hyperparameter as name=value (repeatable)");
  cmd->add_option("--protocol", o.protocol, "Evaluation protocol")
      ->check(CLI::IsMember({"next-item", "personalize"}))
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Random seed of the split and the sampled negatives")
      ->capture_default_str();
  return cmd;
}

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

Result<HyperParameters> ParseParams(const std::vector<std::string>& params) {
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

void PrintRow(const std::string& name, double value) {
  std::printf("%-44s %10.4f\n", name.c_str(), value);
}

int Fail(const Status& status) {
  std::cerr << "kindred evaluate: " << status.message() << "\n";
  return 1;
}

}  // namespace

int RunEvaluate(const EvaluateOptions& o) {
  const Recipe* recipe = FindRecipe(o.recipe);
  if (recipe == nullptr) return Fail(Status::InvalidInput("unknown recipe " + o.recipe));
  Result<HyperParameters> params = ParseParams(o.params);
  if (!params.ok()) return Fail(params.status());
  Result<HyperParameters> resolved = ResolveHyperParameters(recipe->info(), *params);
  if (!resolved.ok()) return Fail(resolved.status());

  std::ifstream in(o.input);
  if (!in) return Fail(Status::IoError("cannot read " + o.input));
  TrainingDataBuilder builder;
  if (Status s = ReadInteractions(in, o.format, &builder); !s.ok()) return Fail(s);
  const TrainingData data = std::move(builder).Finish();
  std::printf("%s: %d users, %d items, %zu events\n", o.input.c_str(), data.num_users(),
              data.num_items(), data.interactions.size());
  std::printf("recipe %s, protocol %s", recipe->info().name.c_str(), o.protocol.c_str());
  for (const auto& [name, value] : *resolved) std::printf(", %s=%s", name.c_str(), value.c_str());
  std::printf("\n\n%-44s %10s\n", "metric", "value");

  const auto start = std::chrono::steady_clock::now();
  if (o.protocol == "personalize") {
    Result<std::map<std::string, double>> m =
        PersonalizeOfflineMetrics(data, *recipe, *resolved, {}, o.seed);
    if (!m.ok()) return Fail(m.status());
    for (const auto& [name, value] : *m) PrintRow(name, value);
  } else {
    NextItemOptions options;
    options.seed = o.seed;
    Result<NextItemMetrics> m = EvaluateNextItem(data, *recipe, *resolved, {}, options);
    if (!m.ok()) return Fail(m.status());
    std::printf("%-44s %10lld\n", "users evaluated", static_cast<long long>(m->users));
    PrintRow("HR@10 (full ranking)", m->hit_rate);
    PrintRow("NDCG@10 (full ranking)", m->ndcg);
    PrintRow("HR@10 (100 sampled negatives)", m->sampled_hit_rate);
    PrintRow("NDCG@10 (100 sampled negatives)", m->sampled_ndcg);
    PrintRow("training time (s)", m->train_seconds);
  }
  PrintRow("total time, training + evaluation (s)",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace kindred
