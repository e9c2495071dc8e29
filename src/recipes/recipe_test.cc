#include "recipes/recipe.h"

#include <gtest/gtest.h>

#include "recipes/testing.h"

namespace kindred {
namespace {

TEST(RecipeRegistryTest, ListsEveryImplementedRecipe) {
  std::vector<std::string> names;
  for (const Recipe* r : AllRecipes()) names.push_back(r->info().name);
  EXPECT_EQ(names, (std::vector<std::string>{"aws-popularity-count", "aws-sims",
                                             "aws-similar-items", "aws-user-personalization",
                                             "aws-personalized-ranking"}));
  EXPECT_EQ(FindRecipe("aws-popularity-count")->info().recipe_type, "USER_PERSONALIZATION");
  EXPECT_EQ(FindRecipe("aws-sims")->info().recipe_type, "RELATED_ITEMS");
}

TEST(RecipeRegistryTest, FindsByNameOrArn) {
  const Recipe* sims = FindRecipe("aws-sims");
  ASSERT_NE(sims, nullptr);
  EXPECT_EQ(FindRecipe("arn:aws:personalize:::recipe/aws-sims"), sims);
  EXPECT_EQ(FindRecipe("aws-user-personalization")->info().recipe_type, "USER_PERSONALIZATION");
  EXPECT_EQ(FindRecipe("arn:aws:personalize:::recipe/aws-personalized-ranking")->info().recipe_type,
            "PERSONALIZED_RANKING");
  EXPECT_EQ(FindRecipe("aws-hrnn"), nullptr);
  EXPECT_EQ(FindRecipe("arn:aws:personalize:::recipe/aws-nope"), nullptr);
  EXPECT_EQ(FindRecipe("arn:aws:personalize:::algorithm/aws-sims"), nullptr);
  EXPECT_EQ(FindRecipe(""), nullptr);
}

TEST(RecipeRegistryTest, ArnsFollowPersonalize) {
  const RecipeInfo& sims = FindRecipe("aws-sims")->info();
  EXPECT_EQ(RecipeArn(sims), "arn:aws:personalize:::recipe/aws-sims");
  EXPECT_EQ(AlgorithmArn(sims), "arn:aws:personalize:::algorithm/aws-sims");
  EXPECT_EQ(FeatureTransformationArn(sims), "arn:aws:personalize:::feature-transformation/sims");
  const RecipeInfo& pop = FindRecipe("aws-popularity-count")->info();
  EXPECT_EQ(RecipeArn(pop), "arn:aws:personalize:::recipe/aws-popularity-count");
  EXPECT_EQ(AlgorithmArn(pop), "arn:aws:personalize:::algorithm/aws-popularity-count");
  EXPECT_EQ(FeatureTransformationArn(pop), "arn:aws:personalize:::feature-transformation/sims");
}

TEST(ResolveHyperParametersTest, FillsDefaultsAndKeepsGivenValues) {
  const RecipeInfo& sims = FindRecipe("aws-sims")->info();
  Result<HyperParameters> r = ResolveHyperParameters(sims, {{"min_cointeraction_count", "5"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->size(), sims.hyperparameters.size());
  EXPECT_EQ(r->at("min_cointeraction_count"), "5");
  EXPECT_EQ(r->at("popularity_discount_factor"), "0.5");
  EXPECT_EQ(NumericParam(*r, "popularity_discount_factor"), 0.5);
  EXPECT_EQ(NumericParam(*r, "min_cointeraction_count"), 5);
  EXPECT_EQ(NumericParam(*r, "absent"), 0);
}

TEST(ResolveHyperParametersTest, RejectsUnknownNamesNamingThem) {
  const RecipeInfo& pop = FindRecipe("aws-popularity-count")->info();
  Result<HyperParameters> r = ResolveHyperParameters(pop, {{"hidden_dimension", "100"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("hidden_dimension"), std::string::npos);
}

TEST(ResolveHyperParametersTest, ChecksIntegers) {
  const RecipeInfo& sims = FindRecipe("aws-sims")->info();
  for (const char* bad : {"abc", "2.5", "11", "-1", "", "3 "}) {
    Result<HyperParameters> r = ResolveHyperParameters(sims, {{"min_cointeraction_count", bad}});
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << bad;
  }
  Result<HyperParameters> bad = ResolveHyperParameters(sims, {{"min_cointeraction_count", "11"}});
  EXPECT_NE(bad.status().message().find("[0, 10]"), std::string::npos) << bad.status().message();
  EXPECT_TRUE(ResolveHyperParameters(sims, {{"min_cointeraction_count", "10"}}).ok());
  EXPECT_TRUE(ResolveHyperParameters(sims, {{"min_cointeraction_count", "0"}}).ok());
}

TEST(ResolveHyperParametersTest, ChecksContinuousValues) {
  const RecipeInfo& sims = FindRecipe("aws-sims")->info();
  for (const char* bad : {"1.5", "-0.1", "nan", "inf", "x"}) {
    EXPECT_FALSE(ResolveHyperParameters(sims, {{"popularity_discount_factor", bad}}).ok()) << bad;
  }
  for (const char* good : {"0", "1", "0.25", "1e-3"}) {
    EXPECT_TRUE(ResolveHyperParameters(sims, {{"popularity_discount_factor", good}}).ok()) << good;
  }
}

TEST(ResolveHyperParametersTest, ChecksCategoricalMembership) {
  RecipeInfo info;
  info.name = "test-recipe";
  info.hyperparameters.push_back(
      {"mode", HyperParameterSpec::Kind::kCategorical, "a", 0, 0, {"a", "b"}, true});
  Result<HyperParameters> defaulted = ResolveHyperParameters(info, {});
  ASSERT_TRUE(defaulted.ok());
  EXPECT_EQ(defaulted->at("mode"), "a");
  EXPECT_TRUE(ResolveHyperParameters(info, {{"mode", "b"}}).ok());
  Result<HyperParameters> bad = ResolveHyperParameters(info, {{"mode", "c"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("mode"), std::string::npos);
}

TEST(RecipeTest, EveryRecipeRejectsUnknownParametersAndHonoursCancel) {
  const TrainingData data = MakeHistories({{"a", "b"}, {"a", "b"}});
  std::atomic<bool> cancel{true};
  TrainingControl cancelled;
  cancelled.cancel = &cancel;
  for (const Recipe* recipe : AllRecipes()) {
    EXPECT_EQ(recipe->Train(data, {{"nope", "1"}}, {}).status().code(),
              StatusCode::kInvalidInput) << recipe->info().name;
    EXPECT_FALSE(recipe->Train(data, {}, cancelled).ok()) << recipe->info().name;
    EXPECT_TRUE(recipe->Train(data, {}, {}).ok()) << recipe->info().name;
    EXPECT_EQ(recipe->Load("garbage").status().code(), StatusCode::kCorruption)
        << recipe->info().name;
  }
}

}  // namespace
}  // namespace kindred
