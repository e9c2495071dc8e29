#include "resources/hpo.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "recipes/offline_metrics.h"

namespace kindred {
namespace {

using Kind = HyperParameterSpec::Kind;
using nlohmann::json;

constexpr int kPersonalizeMaxTrainingJobs = 40;
constexpr const char* kMetricKeys[] = {"coverage",
                                       "mean_reciprocal_rank_at_25",
                                       "normalized_discounted_cumulative_gain_at_5",
                                       "normalized_discounted_cumulative_gain_at_10",
                                       "normalized_discounted_cumulative_gain_at_25",
                                       "precision_at_5",
                                       "precision_at_10",
                                       "precision_at_25"};

std::string FormatNumber(double v) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(v);
}

Status Invalid(const std::string& what) {
  return Status::InvalidInput("solutionConfig.hpoConfig." + what);
}

// Narrows the searched spec named by `range` (an entry of the `list` ranges, of `kind`).
Status ApplyRange(const json& range, const char* list, Kind kind, const RecipeInfo& recipe,
                  const HyperParameters& fixed, HpoPlan* plan) {
  const std::string where = std::string("algorithmHyperParameterRanges.") + list;
  if (!range.is_object() || !range.contains("name") || !range["name"].is_string()) {
    return Invalid(where + ": every range needs a name");
  }
  const std::string name = range["name"];
  auto spec = std::find_if(recipe.hyperparameters.begin(), recipe.hyperparameters.end(),
                           [&](const HyperParameterSpec& s) { return s.name == name; });
  if (spec == recipe.hyperparameters.end()) {
    return Invalid(where + ": " + name + " is not a hyperparameter of recipe " + recipe.name);
  }
  if (!spec->tunable) return Invalid(where + ": " + name + " is not tunable");
  if (spec->kind != kind) return Invalid(where + ": " + name + " is not of this kind");
  if (fixed.contains(name)) {
    return Invalid(where + ": " + name +
                   " is set in algorithmHyperParameters; a parameter is either set or tuned");
  }
  auto searched = std::find_if(plan->searched.begin(), plan->searched.end(),
                               [&](const HyperParameterSpec& s) { return s.name == name; });
  if (kind == Kind::kCategorical) {
    const json values = range.value("values", json::array());
    if (!values.is_array() || values.empty()) return Invalid(where + ": " + name + " needs values");
    searched->values.clear();
    for (const json& v : values) {
      const std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      if (std::find(spec->values.begin(), spec->values.end(), text) == spec->values.end()) {
        return Invalid(where + ": " + text + " is not a value of " + name);
      }
      searched->values.push_back(text);
    }
    return Status::Ok();
  }
  const json lo = range.value("minValue", json(spec->min)),
             hi = range.value("maxValue", json(spec->max));
  if (!lo.is_number() || !hi.is_number()) {
    return Invalid(where + ": minValue and maxValue of " + name + " must be numbers");
  }
  const double min = lo.get<double>(), max = hi.get<double>();
  if (!(min <= max) || min < spec->min || max > spec->max) {
    return Invalid(where + ": the range [" + FormatNumber(min) + ", " + FormatNumber(max) +
                   "] of " + name + " is empty or outside the recipe's [" +
                   FormatNumber(spec->min) + ", " + FormatNumber(spec->max) + "]");
  }
  if (kind == Kind::kInteger && std::ceil(min) > std::floor(max)) {
    return Invalid(where + ": the range of " + name + " holds no integer");
  }
  searched->min = min;
  searched->max = max;
  return Status::Ok();
}

Result<int> TrainingJobs(const json& resource) {
  auto it = resource.find("maxNumberOfTrainingJobs");
  if (it == resource.end()) return kDefaultHpoTrainingJobs;
  const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
  int jobs = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), jobs);
  if (ec != std::errc() || ptr != text.data() + text.size() || jobs < 1 ||
      jobs > kPersonalizeMaxTrainingJobs) {
    return Invalid(
        "hpoResourceConfig.maxNumberOfTrainingJobs must be an integer in [1, 40], got '" + text +
        "'");
  }
  return std::min(jobs, kMaxHpoTrainingJobs);
}

// splitmix64: the same draws on every platform, unlike <random>'s distributions.
class Draws {
 public:
  explicit Draws(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  uint64_t state_;
};

std::string Draw(const HyperParameterSpec& spec, Draws* draws) {
  switch (spec.kind) {
    case Kind::kInteger: {
      const auto lo = static_cast<long long>(std::ceil(spec.min));
      const auto hi = static_cast<long long>(std::floor(spec.max));
      return std::to_string(
          lo + static_cast<long long>(draws->Next() % static_cast<uint64_t>(hi - lo + 1)));
    }
    case Kind::kContinuous: {
      const double v = std::round((spec.min + draws->Unit() * (spec.max - spec.min)) * 1e6) / 1e6;
      return FormatNumber(std::clamp(v, spec.min, spec.max));
    }
    case Kind::kCategorical:
      return spec.values[draws->Next() % spec.values.size()];
  }
  return spec.default_value;
}

}  // namespace

Result<HpoPlan> ParseHpoPlan(const json& hpo_config, const RecipeInfo& recipe,
                             const HyperParameters& fixed) {
  if (!hpo_config.is_null() && !hpo_config.is_object()) {
    return Status::InvalidInput("solutionConfig.hpoConfig must be an object");
  }
  const json config = hpo_config.is_object() ? hpo_config : json::object();
  HpoPlan plan;
  for (const HyperParameterSpec& spec : recipe.hyperparameters) {
    if (spec.tunable && !fixed.contains(spec.name)) plan.searched.push_back(spec);
  }
  const json ranges = config.value("algorithmHyperParameterRanges", json::object());
  const std::pair<const char*, Kind> lists[] = {
      {"integerHyperParameterRanges", Kind::kInteger},
      {"continuousHyperParameterRanges", Kind::kContinuous},
      {"categoricalHyperParameterRanges", Kind::kCategorical}};
  for (const auto& [list, kind] : lists) {
    for (const json& range : ranges.value(list, json::array())) {
      KINDRED_RETURN_IF_ERROR(ApplyRange(range, list, kind, recipe, fixed, &plan));
    }
  }
  Result<int> jobs = TrainingJobs(config.value("hpoResourceConfig", json::object()));
  if (!jobs.ok()) return jobs.status();
  plan.training_jobs = *jobs;

  const json objective = config.value("hpoObjective", json::object());
  const std::string type = objective.value("type", "Maximize");
  if (type != "Maximize" && type != "Minimize") {
    return Invalid("hpoObjective.type must be Maximize or Minimize, got '" + type + "'");
  }
  plan.maximize = type == "Maximize";
  plan.metric = objective.value("metricName", plan.metric);
  if (std::find(std::begin(kMetricKeys), std::end(kMetricKeys), plan.metric) ==
      std::end(kMetricKeys)) {
    return Invalid("hpoObjective.metricName " + plan.metric +
                   " is not one of the metrics GetSolutionMetrics reports");
  }
  return plan;
}

std::vector<HyperParameters> HpoCandidates(const HpoPlan& plan, const RecipeInfo& recipe,
                                           const HyperParameters& fixed, uint64_t seed) {
  Draws draws(seed);
  const int n = plan.searched.empty() ? 1 : plan.training_jobs;
  std::vector<HyperParameters> candidates;
  for (int i = 0; i < n; ++i) {
    HyperParameters c = fixed;
    for (const HyperParameterSpec& spec : plan.searched) c[spec.name] = Draw(spec, &draws);
    for (const HyperParameterSpec& spec : recipe.hyperparameters) {
      c.try_emplace(spec.name, spec.default_value);
    }
    candidates.push_back(std::move(c));
  }
  return candidates;
}

Result<HpoOutcome> RunHpo(const TrainingData& data, const Recipe& recipe, const HpoPlan& plan,
                          const HyperParameters& fixed, const TrainingControl& control,
                          uint64_t seed) {
  std::optional<HpoOutcome> best;
  for (HyperParameters& candidate : HpoCandidates(plan, recipe.info(), fixed, seed)) {
    Result<std::map<std::string, double>> metrics =
        PersonalizeOfflineMetrics(data, recipe, candidate, control, seed);
    if (!metrics.ok()) return metrics.status();
    auto value = [&](const std::map<std::string, double>& m) { return m.at(plan.metric); };
    if (!metrics->contains(plan.metric)) {
      return Status::Internal("offline metrics lack the HPO objective " + plan.metric);
    }
    if (!best || (plan.maximize ? value(*metrics) > value(best->metrics)
                                : value(*metrics) < value(best->metrics))) {
      best = HpoOutcome{std::move(candidate), std::move(metrics).value()};
    }
  }
  return std::move(best).value();
}

}  // namespace kindred
