#include "recipes/popularity_count.h"

#include "recipes/model_codec.h"

namespace kindred {
namespace {

constexpr std::string_view kMagic = "KPOP";
constexpr uint32_t kVersion = 1;

class PopularityModel : public Model {
 public:
  PopularityModel(std::vector<std::string> item_ids, std::vector<uint32_t> counts)
      : item_ids_(std::move(item_ids)),
        counts_(std::move(counts)),
        scores_(counts_.begin(), counts_.end()) {}

  const std::vector<std::string>& item_ids() const override { return item_ids_; }

  Status Score(const ModelQuery& query, std::vector<float>* scores) const override {
    scores->assign(scores_.begin(), scores_.end());  // a copy, not a conversion per request
    return Status::Ok();
  }

  std::string Serialize() const override {
    ByteWriter w;
    w.Raw(kMagic);
    w.U32(kVersion);
    w.Strings(item_ids_);
    for (uint32_t c : counts_) w.U32(c);
    return std::move(w).Take();
  }

 private:
  std::vector<std::string> item_ids_;
  std::vector<uint32_t> counts_;
  std::vector<float> scores_;  // counts_ as scores
};

}  // namespace

std::vector<uint32_t> UniqueUserCounts(const TrainingData& data) {
  std::vector<uint32_t> counts(data.num_items(), 0);
  std::vector<int32_t> last_user(data.num_items(), -1);  // the last user counted for each item
  for (const Interaction& x : data.interactions) {
    if (last_user[x.item] == x.user) continue;
    last_user[x.item] = x.user;
    ++counts[x.item];
  }
  return counts;
}

const RecipeInfo& PopularityCountRecipe::info() const {
  static const RecipeInfo kInfo{
      .name = "aws-popularity-count",
      .recipe_type = "USER_PERSONALIZATION",
      .description = "Recommends the items that the most unique users interacted with; the same "
                     "items for every user. A baseline for comparing other recipes.",
      .hyperparameters = {},
      .feature_transformation = "sims",  // as Personalize documents it
  };
  return kInfo;
}

Result<std::unique_ptr<Model>> PopularityCountRecipe::Train(const TrainingData& data,
                                                            const HyperParameters& params,
                                                            const TrainingControl& control) const {
  Result<HyperParameters> resolved = ResolveHyperParameters(info(), params);
  if (!resolved.ok()) return resolved.status();
  KINDRED_RETURN_IF_ERROR(CheckCancelled(control));
  std::unique_ptr<Model> model =
      std::make_unique<PopularityModel>(data.items.names(), UniqueUserCounts(data));
  if (control.progress) control.progress(1.0);
  return model;
}

Result<std::unique_ptr<Model>> PopularityCountRecipe::Load(std::string_view bytes) const {
  ByteReader r(bytes);
  uint32_t version = 0;
  std::vector<std::string> ids;
  if (!r.Expect(kMagic) || !r.U32(&version) || version != kVersion || !r.Strings(&ids)) {
    return Status::Corruption("not an aws-popularity-count model");
  }
  std::vector<uint32_t> counts(ids.size());
  for (uint32_t& c : counts) {
    if (!r.U32(&c)) return Status::Corruption("aws-popularity-count model is truncated");
  }
  if (!r.done()) return Status::Corruption("aws-popularity-count model has trailing bytes");
  std::unique_ptr<Model> model =
      std::make_unique<PopularityModel>(std::move(ids), std::move(counts));
  return model;
}

}  // namespace kindred
