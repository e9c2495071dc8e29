#include "serving/metadata_table.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kindred {
namespace {

DatasetSchema ItemsSchema() {
  DatasetSchema s;
  s.record_name = "Items";
  s.fields = {{"ITEM_ID", FieldType::kString},
              {"GENRE", FieldType::kString, /*nullable=*/true, /*categorical=*/true},
              {"STUDIO", FieldType::kString, /*nullable=*/true},
              {"PRICE", FieldType::kDouble, /*nullable=*/true},
              {"YEAR", FieldType::kInt},
              {"IN_STOCK", FieldType::kBoolean, /*nullable=*/true},
              {"DESCRIPTION", FieldType::kString, /*nullable=*/true, false, /*textual=*/true},
              {"CREATION_TIMESTAMP", FieldType::kLong, /*nullable=*/true}};
  return s;
}

Row Item(std::string id, FieldValue genre, FieldValue studio, FieldValue price, int64_t year,
         FieldValue created = std::monostate()) {
  return Row{{std::move(id), std::move(genre), std::move(studio), std::move(price), year, true,
              std::string("long text"), std::move(created)}};
}

std::vector<int32_t> Ids(std::span<const int32_t> s) { return {s.begin(), s.end()}; }

TEST(MetadataTableTest, InternAddsIdsWithoutMetadata) {
  MetadataTable t("ITEM_ID", ItemsSchema());
  EXPECT_EQ(t.Intern("a"), 0);
  EXPECT_EQ(t.Intern("b"), 1);
  EXPECT_EQ(t.Intern("a"), 0);
  EXPECT_EQ(t.size(), 2);
  EXPECT_EQ(t.Find("b"), 1);
  EXPECT_EQ(t.Find("zzz"), -1);
  EXPECT_EQ(t.Id(1), "b");
  int genre = t.schema()->FieldIndex("GENRE"), price = t.schema()->FieldIndex("PRICE");
  EXPECT_TRUE(t.Values(genre, 0).empty());
  EXPECT_TRUE(std::isnan(t.Numbers(price)[1]));
  EXPECT_TRUE(t.FeatureTokens(0).empty());
  EXPECT_EQ(t.CreationTimestamp(0), std::nullopt);
}

TEST(MetadataTableTest, UpsertIndexesCategoricalValuesAndNumbers) {
  MetadataTable t("ITEM_ID", ItemsSchema());
  t.Intern("cold");
  Result<int32_t> a = t.Upsert(Item("a", std::string("Comedy|Drama|Comedy"), std::string("X|Y"),
                                    9.5, 1999, int64_t{1700000000}));
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, 1);
  ASSERT_TRUE(t.Upsert(Item("b", std::string("Drama"), std::monostate(), int64_t{3}, 2005)).ok());
  const DatasetSchema& s = *t.schema();
  int genre = s.FieldIndex("GENRE"), studio = s.FieldIndex("STUDIO");
  int price = s.FieldIndex("PRICE"), year = s.FieldIndex("YEAR");
  EXPECT_EQ(Ids(t.Postings(genre, "Drama")), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(Ids(t.Postings(genre, "Comedy")), (std::vector<int32_t>{1}));
  EXPECT_TRUE(t.Postings(genre, "Horror").empty());
  // A non-categorical string is one value, '|' included.
  EXPECT_EQ(Ids(t.Postings(studio, "X|Y")), (std::vector<int32_t>{1}));
  EXPECT_TRUE(t.Postings(studio, "X").empty());
  EXPECT_EQ(t.Values(genre, 1), (std::vector<std::string_view>{"Comedy", "Drama"}));
  EXPECT_EQ(t.Numbers(price)[1], 9.5);
  EXPECT_EQ(t.Numbers(price)[2], 3.0);
  EXPECT_EQ(t.Numbers(year)[2], 2005.0);
  EXPECT_TRUE(t.IsIndexed(genre) && t.IsIndexed(studio));
  EXPECT_TRUE(t.IsNumeric(price) && t.IsNumeric(year));
  EXPECT_FALSE(t.IsIndexed(s.FieldIndex("DESCRIPTION")));  // textual
  EXPECT_FALSE(t.IsIndexed(s.FieldIndex("IN_STOCK")) || t.IsNumeric(s.FieldIndex("IN_STOCK")));
  EXPECT_EQ(t.CreationTimestamp(1), 1700000000);
  EXPECT_EQ(t.CreationTimestamp(2), std::nullopt);
}

TEST(MetadataTableTest, FeatureTokensAreTheCategoricalTokensTheRecipesTrainOn) {
  MetadataTable t("ITEM_ID", ItemsSchema());
  ASSERT_TRUE(t.Upsert(Item("a", std::string("Comedy||Drama"), std::string("X"), 1.0, 1)).ok());
  EXPECT_EQ(t.FeatureTokens(0), (std::vector<std::string>{FeatureToken("GENRE", "Comedy"),
                                                          FeatureToken("GENRE", "Drama")}));
}

TEST(MetadataTableTest, UpsertReplacesTheMetadataOfAnExistingId) {
  MetadataTable t("ITEM_ID", ItemsSchema());
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE(t.Upsert(Item(id, std::string("Drama"), std::string("S"), 1.0, 1)).ok());
  }
  Result<int32_t> again = t.Upsert(Item("b", std::string("Horror"), std::monostate(), 2.0, 2));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 1);
  EXPECT_EQ(t.size(), 3);
  int genre = t.schema()->FieldIndex("GENRE"), studio = t.schema()->FieldIndex("STUDIO");
  EXPECT_EQ(Ids(t.Postings(genre, "Drama")), (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(Ids(t.Postings(genre, "Horror")), (std::vector<int32_t>{1}));
  EXPECT_EQ(Ids(t.Postings(studio, "S")), (std::vector<int32_t>{0, 2}));
  // Back to Drama: the postings stay sorted.
  ASSERT_TRUE(t.Upsert(Item("b", std::string("Drama"), std::string("S"), 2.0, 2)).ok());
  EXPECT_EQ(Ids(t.Postings(genre, "Drama")), (std::vector<int32_t>{0, 1, 2}));
  EXPECT_TRUE(t.Postings(genre, "Horror").empty());
  EXPECT_EQ(t.Numbers(t.schema()->FieldIndex("PRICE"))[1], 2.0);
}

TEST(MetadataTableTest, RowsThatDoNotFitAreRefusedNamingTheField) {
  MetadataTable t("ITEM_ID", ItemsSchema());
  auto message = [&](const Row& row) {
    Result<int32_t> r = t.Upsert(row);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(message(Row{{std::string("a")}}).find("1 values but the schema has 8"),
            std::string::npos);
  EXPECT_NE(message(Item("a", int64_t{5}, std::monostate(), 1.0, 1)).find("GENRE"),
            std::string::npos);
  Row null_year = Item("a", std::monostate(), std::monostate(), 1.0, 1);
  null_year.values[4] = std::monostate();
  EXPECT_NE(message(null_year).find("YEAR is not nullable"), std::string::npos);
  Row null_key = Item("a", std::monostate(), std::monostate(), 1.0, 1);
  null_key.values[0] = std::monostate();
  EXPECT_NE(message(null_key).find("ITEM_ID must not be null"), std::string::npos);
  EXPECT_NE(message(Item("", std::monostate(), std::monostate(), 1.0, 1)).find("empty"),
            std::string::npos);
  EXPECT_EQ(t.size(), 0);

  MetadataTable ids_only("ITEM_ID", std::nullopt);
  Result<int32_t> r = ids_only.Upsert(Item("a", std::monostate(), std::monostate(), 1.0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no schema"), std::string::npos);
  EXPECT_EQ(ids_only.Intern("a"), 0);
  EXPECT_TRUE(ids_only.FeatureTokens(0).empty());
}

}  // namespace
}  // namespace kindred
