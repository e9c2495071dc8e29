#include "serving/filter.h"

#include <gtest/gtest.h>

namespace kindred {
namespace {

DatasetSchema ItemsSchema() {
  DatasetSchema s;
  s.record_name = "Items";
  s.fields = {{"ITEM_ID", FieldType::kString},
              {"GENRE", FieldType::kString, true, /*categorical=*/true},
              {"STUDIO", FieldType::kString, true},
              {"PRICE", FieldType::kDouble, true},
              {"YEAR", FieldType::kInt, true},
              {"KIDS", FieldType::kBoolean, true},
              {"DESCRIPTION", FieldType::kString, true, false, /*textual=*/true}};
  return s;
}

DatasetSchema UsersSchema() {
  DatasetSchema s;
  s.record_name = "Users";
  s.fields = {{"USER_ID", FieldType::kString},
              {"AGE", FieldType::kInt, true},
              {"TIER", FieldType::kString, true, /*categorical=*/true}};
  return s;
}

class FilterTest : public ::testing::Test {
 protected:
  FilterTest() : items_("ITEM_ID", ItemsSchema()), users_("USER_ID", UsersSchema()) {
    // i0..i3 with metadata (i3 all null), i4 seen only in interactions.
    Add("i0", std::string("Comedy|Drama"), std::string("A"), 10.0, int64_t{1999});
    Add("i1", std::string("Drama"), std::string("B"), 20.0, int64_t{2005});
    Add("i2", std::string("Horror"), std::string("A"), 5.0, int64_t{2010});
    Add("i3", std::monostate(), std::monostate(), std::monostate(), std::monostate());
    items_.Intern("i4");
    EXPECT_TRUE(
        users_.Upsert(Row{{std::string("adult"), int64_t{25}, std::string("Premium")}}).ok());
    EXPECT_TRUE(
        users_.Upsert(Row{{std::string("teen"), int64_t{15}, std::string("Free|Trial")}}).ok());
    users_.Intern("no-metadata");
  }

  void Add(std::string id, FieldValue genre, FieldValue studio, FieldValue price, FieldValue year) {
    Result<int32_t> r =
        items_.Upsert(Row{{std::move(id), std::move(genre), std::move(studio), std::move(price),
                           std::move(year), std::monostate(), std::monostate()}});
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  FilterContext Context() {
    FilterContext ctx{items_};
    ctx.users = &users_;
    ctx.events = events_;
    ctx.values = &values_;
    return ctx;
  }

  // The ids the filter allows, in index order.
  std::vector<std::string> Allowed(std::string_view expression, const FilterContext& ctx) {
    Result<Filter> f = Filter::Parse(expression);
    EXPECT_TRUE(f.ok()) << f.status().message();
    if (!f.ok()) return {"<parse error>"};
    Result<std::vector<bool>> allowed = f->Evaluate(ctx);
    EXPECT_TRUE(allowed.ok()) << expression << ": " << allowed.status().message();
    if (!allowed.ok()) return {"<error>"};
    EXPECT_EQ(allowed->size(), static_cast<size_t>(ctx.items.size()));
    std::vector<std::string> ids;
    for (size_t i = 0; i < allowed->size(); ++i) {
      if ((*allowed)[i]) ids.push_back(ctx.items.Id(static_cast<int32_t>(i)));
    }
    return ids;
  }
  std::vector<std::string> Allowed(std::string_view expression) {
    return Allowed(expression, Context());
  }

  // The error Evaluate gives for `expression`.
  std::string EvalError(std::string_view expression, const FilterContext& ctx) {
    Result<Filter> f = Filter::Parse(expression);
    EXPECT_TRUE(f.ok()) << f.status().message();
    if (!f.ok()) return "";
    Result<std::vector<bool>> allowed = f->Evaluate(ctx);
    EXPECT_FALSE(allowed.ok()) << expression;
    if (allowed.ok()) return "";
    EXPECT_EQ(allowed.status().code(), StatusCode::kInvalidInput);
    return allowed.status().message();
  }
  std::string EvalError(std::string_view expression) { return EvalError(expression, Context()); }

  using Ids = std::vector<std::string>;
  MetadataTable items_;
  MetadataTable users_;
  std::vector<FilterEvent> events_;
  std::map<std::string, std::string> values_;
};

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

TEST_F(FilterTest, CategoricalValuesMatchWhenAnyValueMatches) {
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.GENRE IN ("Drama"))"), (Ids{"i0", "i1"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.GENRE IN ("Horror", "Comedy"))"),
            (Ids{"i0", "i2"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.GENRE = "Comedy")"), (Ids{"i0"}));
  // Exact strings: case matters for metadata.
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.GENRE IN ("drama"))"), Ids{});
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Items.GENRE IN ("Drama"))"), (Ids{"i2", "i3", "i4"}));
}

TEST_F(FilterTest, NotInHoldsForNullAndMissingMetadata) {
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.GENRE NOT IN ("Drama"))"),
            (Ids{"i2", "i3", "i4"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.STUDIO NOT IN ("A"))"), (Ids{"i1", "i3", "i4"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.YEAR NOT IN (1999, 2010))"),
            (Ids{"i1", "i3", "i4"}));
}

TEST_F(FilterTest, NumericComparisonsSkipNulls) {
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE < 10"), (Ids{"i2"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE <= 10"), (Ids{"i0", "i2"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE > 10"), (Ids{"i1"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE >= \"10\""), (Ids{"i0", "i1"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.YEAR = 2005"), (Ids{"i1"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.YEAR IN (1999, \"2010\")"), (Ids{"i0", "i2"}));
  EXPECT_EQ(Allowed("EXCLUDE ItemID WHERE Items.PRICE > 6"), (Ids{"i2", "i3", "i4"}));
}

TEST_F(FilterTest, AndBindsTighterThanOr) {
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.STUDIO IN ("A") AND Items.PRICE > 6 OR )"
                    R"(Items.GENRE IN ("Drama") AND Items.YEAR > 2000)"),
            (Ids{"i0", "i1"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.STUDIO IN ("A") AND Items.PRICE > 6)"),
            (Ids{"i0"}));
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Items.GENRE IN ("Comedy") AND Items.STUDIO NOT IN )"
                    R"(("B"))"),
            (Ids{"i1", "i2", "i3", "i4"}));
}

TEST_F(FilterTest, ItemIdIsMatchedThroughTheIds) {
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Items.ITEM_ID IN ("i1", "i4", "nope"))"),
            (Ids{"i0", "i2", "i3"}));
}

TEST_F(FilterTest, InteractionsSelectTheUsersItemsByEventTypeIgnoringCase) {
  events_ = {{0, "click", 1}, {1, "watch", 2}, {2, "CLICK", 3}, {4, "buy", 4}, {99, "click", 5}};
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Click"))"),
            (Ids{"i1", "i3", "i4"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))"),
            (Ids{"i0", "i1", "i2", "i4"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Interactions.EVENT_TYPE = "buy")"), (Ids{"i4"}));
  // NOT IN: items the user interacted with through another event type.
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("click"))"),
            (Ids{"i1", "i4"}));
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") AND )"
                    R"(Interactions.EVENT_TYPE IN ("watch"))"),
            Ids{});
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy") OR )"
                    R"(Interactions.EVENT_TYPE IN ("watch"))"),
            (Ids{"i1", "i4"}));
  events_.clear();
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))"), Ids{});
}

TEST_F(FilterTest, OnlyTheLatestHundredInteractionsOfEachTypeCount) {
  events_.push_back({2, "watch", 0});  // old, but the only watch: it counts
  events_.push_back({0, "click", 1});  // the 101st latest click: forgotten
  for (int i = 0; i < 100; ++i) events_.push_back({1, i % 2 ? "click" : "Click", 2 + i});
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "watch"))"),
            (Ids{"i0", "i3", "i4"}));
  events_.pop_back();  // now i0's click is among the latest 100
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click"))"),
            (Ids{"i2", "i3", "i4"}));
}

TEST_F(FilterTest, PlaceholdersTakeTheRequestsValues) {
  values_ = {{"GENRE", R"("Horror","Comedy")"}, {"MAX", "\"15\""}, {"TYPES", R"("watch")"}};
  events_ = {{1, "watch", 1}};
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"), (Ids{"i0", "i2"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE < $MAX"), (Ids{"i0", "i2"}));
  EXPECT_EQ(Allowed("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($TYPES)"),
            (Ids{"i0", "i2", "i3", "i4"}));
  values_["MAX"] = "12";  // a bare number is fine too
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE <= ($MAX)"), (Ids{"i0", "i2"}));
}

TEST_F(FilterTest, MissingPlaceholderValues) {
  // An EXCLUDE expression without its values does not apply ...
  EXPECT_EQ(Allowed("EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"),
            (Ids{"i0", "i1", "i2", "i3", "i4"}));
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE )"
                    R"(Items.STUDIO IN ("A"))"),
            (Ids{"i1", "i3", "i4"}));
  FilterContext no_values = Context();
  no_values.values = nullptr;
  EXPECT_EQ(Allowed("EXCLUDE ItemID WHERE Items.PRICE > $P", no_values).size(), 5u);
  // ... while an INCLUDE expression needs them all.
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"),
             "filterValues has no value for placeholder GENRE ($GENRE)");
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)", no_values),
             "placeholder GENRE");
}

TEST_F(FilterTest, MalformedPlaceholderValuesNameThePlaceholder) {
  values_ = {{"GENRE", "Comedy"}, {"MAX", R"("cheap")"}, {"TWO", "1,2"}};
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"),
             "Invalid filterValues entry for placeholder GENRE at character 1");
  EXPECT_HAS(EvalError("EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"), "placeholder GENRE");
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.PRICE < $MAX"),
             "Items.PRICE is a numeric field but the value \"cheap\" (from placeholder $MAX) is "
             "not a number");
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.PRICE < $TWO"),
             "Placeholder TWO ($TWO) gives 2 values but < compares with one");
}

TEST_F(FilterTest, CurrentItemComparesWithTheRequestsItem) {
  FilterContext ctx = Context();
  ctx.current_item = items_.Find("i0");  // Comedy|Drama, studio A, price 10
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE", ctx),
            (Ids{"i0", "i1"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.STUDIO IN "
                    "(CurrentItem.STUDIO)",
                    ctx),
            (Ids{"i2"}));
  EXPECT_EQ(Allowed("EXCLUDE ItemID WHERE Items.ITEM_ID = CurrentItem.ITEM_ID", ctx),
            (Ids{"i1", "i2", "i3", "i4"}));
  ctx.current_item = items_.Find("i3");  // all null: nothing compares equal or less
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE", ctx), Ids{});
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.GENRE NOT IN CurrentItem.GENRE", ctx).size(), 5u);
  ctx.current_item = -1;
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE", ctx),
             "needs a request for items related to an itemId");
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.PRICE IN CurrentItem.GENRE", ctx),
             "Items.PRICE and CurrentItem.GENRE cannot be compared");
}

TEST_F(FilterTest, IfConditionsOnTheCurrentUserDecideWhetherAnExpressionApplies) {
  const char* adults_only_horror =
      "EXCLUDE ItemID WHERE Items.GENRE IN (\"Horror\") IF "
      "CurrentUser.AGE < 18";
  FilterContext ctx = Context();
  ctx.user = users_.Find("teen");
  EXPECT_EQ(Allowed(adults_only_horror, ctx), (Ids{"i0", "i1", "i3", "i4"}));
  ctx.user = users_.Find("adult");
  EXPECT_EQ(Allowed(adults_only_horror, ctx).size(), 5u);
  ctx.user = -1;  // anonymous: the condition does not hold
  EXPECT_EQ(Allowed(adults_only_horror, ctx).size(), 5u);
  ctx.user = users_.Find("no-metadata");
  EXPECT_EQ(Allowed(adults_only_horror, ctx).size(), 5u);

  values_ = {{"TIER", "\"Trial\""}};
  ctx.user = users_.Find("teen");
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE < 8 IF CurrentUser.TIER = $TIER AND "
                    "CurrentUser.AGE >= 15",
                    ctx),
            (Ids{"i2"}));
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE < 8 IF CurrentUser.TIER NOT IN "
                    "(\"Premium\") AND CurrentUser.AGE > 15",
                    ctx)
                .size(),
            5u);
  EXPECT_EQ(Allowed("INCLUDE ItemID WHERE Items.PRICE < 8 IF CurrentUser.USER_ID = \"teen\"", ctx),
            (Ids{"i2"}));

  ctx.users = nullptr;
  EXPECT_HAS(EvalError(adults_only_horror, ctx),
             "The filter uses CurrentUser.AGE but the dataset group has no Users dataset");
}

TEST_F(FilterTest, ExpressionsCombineAsTheGuideSays) {
  events_ = {{1, "favorite", 1}, {2, "buy", 2}, {0, "buy", 3}};
  // INCLUDE A | INCLUDE B: union.
  EXPECT_EQ(Allowed(R"(INCLUDE ItemID WHERE Items.GENRE IN ("Horror") | INCLUDE ItemID WHERE )"
                    R"(Interactions.EVENT_TYPE IN ("favorite"))"),
            (Ids{"i1", "i2"}));
  // EXCLUDE A | EXCLUDE B: union of the exclusions.
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Items.GENRE IN ("Horror") | EXCLUDE ItemID WHERE )"
                    R"(Items.YEAR = 1999)"),
            (Ids{"i1", "i3", "i4"}));
  // INCLUDE A | EXCLUDE B | INCLUDE C: (A or C) minus B.
  EXPECT_EQ(
      Allowed(R"(INCLUDE ItemID WHERE Items.STUDIO IN ("A") | EXCLUDE ItemID WHERE )"
              R"(Interactions.EVENT_TYPE IN ("buy") | INCLUDE ItemID WHERE Items.YEAR > 2000)"),
      (Ids{"i1"}));
}

TEST_F(FilterTest, FieldsAreCheckedAgainstTheSchema) {
  EXPECT_HAS(EvalError(R"(INCLUDE ItemID WHERE Items.genre IN ("Drama"))"),
             "the Items schema has no field genre (field names are case-sensitive: GENRE)");
  EXPECT_HAS(EvalError(R"(INCLUDE ItemID WHERE Items.KIDS IN ("True"))"),
             "Items.KIDS, a boolean field");
  EXPECT_HAS(EvalError(R"(INCLUDE ItemID WHERE Items.DESCRIPTION IN ("x"))"), "a textual field");
  EXPECT_HAS(EvalError("INCLUDE ItemID WHERE Items.STUDIO > 3"),
             "Items.STUDIO is a string field; > compares numbers");
  EXPECT_HAS(EvalError(R"(INCLUDE ItemID WHERE Items.YEAR IN ("new"))"),
             "Items.YEAR is a numeric field but the value \"new\" is not a number");
  MetadataTable ids_only("ITEM_ID", std::nullopt);
  ids_only.Intern("x");
  FilterContext ctx{ids_only};
  EXPECT_HAS(EvalError(R"(INCLUDE ItemID WHERE Items.GENRE IN ("Drama"))", ctx),
             "no Items dataset");
  // Interactions filters need no Items metadata.
  EXPECT_EQ(Allowed(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x"))", ctx), Ids{"x"});
}

TEST_F(FilterTest, CheckSchemasChecksWhatExists) {
  DatasetSchema items = ItemsSchema(), users = UsersSchema();
  Result<Filter> f =
      Filter::Parse("INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE IF CurrentUser.AGE > 3");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->CheckSchemas(&items, &users).ok());
  EXPECT_TRUE(f->CheckSchemas(nullptr, nullptr).ok());
  Result<Filter> bad =
      Filter::Parse("INCLUDE ItemID WHERE Items.PRICE > 3 IF CurrentUser.TIER > 1");
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(bad->CheckSchemas(&items, nullptr).ok());
  Status s = bad->CheckSchemas(&items, &users);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_HAS(s.message(), "CurrentUser.TIER is a string field");
  EXPECT_EQ(f->placeholders(), std::vector<std::string>{});
  EXPECT_EQ(f->fields(), (std::vector<std::string>{"Items.GENRE", "Users.AGE"}));
}

}  // namespace
}  // namespace kindred
