#include "serving/filter_syntax.h"

#include <gtest/gtest.h>

namespace kindred {
namespace {

FilterSyntax Parsed(std::string_view text) {
  Result<FilterSyntax> r = ParseFilterSyntax(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
  return r.ok() ? std::move(r).value() : FilterSyntax();
}

// The error message for `text`, which must not parse.
std::string Error(std::string_view text) {
  Result<FilterSyntax> r = ParseFilterSyntax(text);
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  return r.status().message();
}

#define EXPECT_ERROR(text, needle) \
  EXPECT_NE(Error(text).find(needle), std::string::npos) << Error(text)

TEST(FilterSyntaxTest, InteractionsConditionWithLiteralList) {
  FilterSyntax f = Parsed(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream"))");
  ASSERT_EQ(f.clauses.size(), 1u);
  const FilterClause& c = f.clauses[0];
  EXPECT_FALSE(c.include);
  ASSERT_EQ(c.where.size(), 1u);
  ASSERT_EQ(c.where[0].size(), 1u);
  const FilterCondition& cond = c.where[0][0];
  EXPECT_EQ(cond.dataset, FilterDataset::kInteractions);
  EXPECT_EQ(cond.field, "EVENT_TYPE");
  EXPECT_EQ(cond.op, FilterOp::kIn);
  EXPECT_EQ(cond.position, 21u);
  ASSERT_EQ(cond.operand.values.size(), 2u);
  EXPECT_EQ(cond.operand.values[1].text, "stream");
  EXPECT_TRUE(cond.operand.values[1].quoted);
  EXPECT_TRUE(c.user.empty());
  EXPECT_EQ(f.fields, std::vector<std::string>{"Interactions.EVENT_TYPE"});
}

TEST(FilterSyntaxTest, EveryOperatorAndOperandForm) {
  FilterSyntax f = Parsed(
      "INCLUDE ItemID WHERE Items.A IN (\"x\") AND Items.B NOT IN (\"y\", 5) AND Items.C = \"z\" "
      "AND Items.D < 1 AND Items.E <= (2.5) AND Items.F > -3 AND Items.G >= 1e3 AND "
      "Items.H IN $H AND Items.I = ($I) AND Items.J IN CurrentItem.J AND "
      "Items.A < (CurrentItem.D)");
  const std::vector<FilterCondition>& all = f.clauses[0].where.at(0);
  ASSERT_EQ(all.size(), 11u);
  std::vector<FilterOp> ops;
  for (const FilterCondition& c : all) ops.push_back(c.op);
  EXPECT_EQ(ops,
            (std::vector<FilterOp>{FilterOp::kIn, FilterOp::kNotIn, FilterOp::kEq, FilterOp::kLt,
                                   FilterOp::kLe, FilterOp::kGt, FilterOp::kGe, FilterOp::kIn,
                                   FilterOp::kEq, FilterOp::kIn, FilterOp::kLt}));
  EXPECT_FALSE(all[1].operand.values[1].quoted);
  EXPECT_EQ(all[1].operand.values[1].text, "5");
  EXPECT_EQ(all[5].operand.values[0].text, "-3");
  EXPECT_EQ(all[6].operand.values[0].text, "1e3");
  EXPECT_EQ(all[7].operand.kind, FilterOperand::Kind::kPlaceholder);
  EXPECT_EQ(all[7].operand.name, "H");
  EXPECT_EQ(all[8].operand.name, "I");
  EXPECT_EQ(all[9].operand.kind, FilterOperand::Kind::kCurrentItem);
  EXPECT_EQ(all[10].operand.name, "D");
  EXPECT_EQ(f.fields.size(), 10u);
  EXPECT_EQ(f.placeholders, (std::vector<std::string>{"H", "I"}));
  EXPECT_EQ(f.clauses[0].placeholders, (std::vector<std::string>{"H", "I"}));
}

TEST(FilterSyntaxTest, AndBindsTighterThanOr) {
  FilterSyntax f = Parsed(
      "INCLUDE ItemID WHERE Items.A IN (\"1\") OR Items.B IN (\"2\") AND Items.C IN "
      "(\"3\") OR Items.D IN (\"4\")");
  const auto& where = f.clauses[0].where;
  ASSERT_EQ(where.size(), 3u);
  EXPECT_EQ(where[0].size(), 1u);
  EXPECT_EQ(where[1].size(), 2u);
  EXPECT_EQ(where[2][0].field, "D");
}

TEST(FilterSyntaxTest, IfConditionsOnTheCurrentUser) {
  FilterSyntax f = Parsed(
      "EXCLUDE ItemID WHERE Items.DOWNLOADS < 20 IF CurrentUser.AGE > 18 AND CurrentUser.AGE < "
      "30 AND CurrentUser.TIER = $TIER");
  const FilterClause& c = f.clauses[0];
  ASSERT_EQ(c.user.size(), 3u);
  EXPECT_EQ(c.user[0].dataset, FilterDataset::kCurrentUser);
  EXPECT_EQ(c.user[2].operand.name, "TIER");
  EXPECT_EQ(f.fields, (std::vector<std::string>{"Items.DOWNLOADS", "Users.AGE", "Users.TIER"}));
}

TEST(FilterSyntaxTest, PipeSeparatesExpressionsAndKeywordsIgnoreCase) {
  FilterSyntax f = Parsed(
      "include itemid where items.GENRE in ($G) | Exclude ItemId Where INTERACTIONS.event_type "
      "= \"*\"");
  ASSERT_EQ(f.clauses.size(), 2u);
  EXPECT_TRUE(f.clauses[0].include);
  EXPECT_EQ(f.clauses[0].where[0][0].field, "GENRE");
  EXPECT_FALSE(f.clauses[1].include);
  EXPECT_EQ(f.clauses[1].where[0][0].field, "EVENT_TYPE");
  EXPECT_EQ(f.clauses[1].where[0][0].op, FilterOp::kEq);
  EXPECT_EQ(f.clauses[0].placeholders, std::vector<std::string>{"G"});
  EXPECT_TRUE(f.clauses[1].placeholders.empty());
}

TEST(FilterSyntaxTest, StringsUnescapeQuotesAndBackslashes) {
  FilterSyntax f = Parsed(R"(INCLUDE ItemID WHERE Items.T IN ("say \"hi\"", "a\\b", "a|b"))");
  const auto& v = f.clauses[0].where[0][0].operand.values;
  EXPECT_EQ(v[0].text, "say \"hi\"");
  EXPECT_EQ(v[1].text, "a\\b");
  EXPECT_EQ(v[2].text, "a|b");  // a '|' inside quotes is not a separator
}

TEST(FilterSyntaxTest, SyntaxErrorsNameThePositionAndToken) {
  EXPECT_ERROR("", "character 1 (the end of the expression): expected INCLUDE or EXCLUDE");
  EXPECT_ERROR("KEEP ItemID WHERE Items.A IN (\"x\")", "character 1 ('KEEP')");
  EXPECT_ERROR("INCLUDE UserID WHERE Users.A IN (\"x\")", "character 9 ('UserID'): kindred");
  EXPECT_ERROR("INCLUDE ItemID Items.A IN (\"x\")", "character 16 ('Items'): expected WHERE");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A LIKE (\"x\")",
               "character 30 ('LIKE'): expected IN, NOT IN, =, <, <=, > or >=");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN (\"x\"",
               "(the end of the expression): expected ')'");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN (\"x)", "character 34: the string that starts");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN (x)",
               "character 34 ('x'): expected a double-quoted value");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A != 3", "character 30: '!=' is not an operator");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN (\"x\") Items.B IN (\"y\")",
               "character 39 ('Items'): expected AND, OR, IF, '|'");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN ($)", "character 34: '$' must be followed");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN (\"x\") ; DROP", "unexpected character ';'");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN (\"x\") |", "expected INCLUDE or EXCLUDE");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.P < 12abc", "'12a' is not a number");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items IN (\"x\")", "expected a dataset field");
}

TEST(FilterSyntaxTest, RulesOfPersonalizeAreEnforced) {
  EXPECT_ERROR("EXCLUDE ItemID WHERE Items.A IN (\"x\") AND Interactions.EVENT_TYPE IN (\"c\")",
               "character 43 ('Interactions'): conditions chained with AND or OR must use the "
               "dataset of the first condition");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Interactions.TIMESTAMP IN (\"1\")",
               "('TIMESTAMP'): interactions can be filtered by EVENT_TYPE only");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Items.A IN (\"*\")",
               "\"*\" (every value) can be used with "
               "Interactions.EVENT_TYPE only");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Items.A NOT IN ($A)",
               "character 38 ($A): a placeholder "
               "cannot be used with NOT IN");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Items.A = (\"x\", \"y\")", "= compares with one value");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Items.A < \"cheap\"", "\"cheap\" is not a number");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE > 3",
               "Interactions.EVENT_TYPE takes IN, NOT IN or =, not >");
  EXPECT_ERROR("EXCLUDE ItemID WHERE CurrentUser.AGE > 3", "only in an IF condition");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Users.AGE > 3", "expected Items or Interactions");
  EXPECT_ERROR("EXCLUDE ItemID WHERE CurrentItem.A IN (\"x\")",
               "CurrentItem can only be the value");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Items.A IN (\"x\") IF Items.B IN (\"y\")",
               "('Items'): an IF condition must test CurrentUser.<field>");
  EXPECT_ERROR("EXCLUDE ItemID WHERE Items.A IN (\"x\") IF CurrentUser.B IN CurrentItem.B",
               "CurrentItem can be compared with Items fields only");
  EXPECT_ERROR(
      "EXCLUDE ItemID WHERE Items.A IN (\"x\") IF CurrentUser.B IN (\"y\") OR "
      "CurrentUser.C IN (\"z\")",
      "('OR'): an IF condition can be extended with AND only");
  EXPECT_ERROR(
      "EXCLUDE ItemID WHERE Items.A IN (\"x\") IF CurrentUser.B IN (\"y\") IF "
      "CurrentUser.C IN (\"z\")",
      "IF comes once, at the end of an expression");
  // A quoted number is a number for range operators.
  Parsed("EXCLUDE ItemID WHERE Items.A < \"20\"");
}

TEST(FilterSyntaxTest, Limits) {
  std::string ok = "INCLUDE ItemID WHERE Items.A IN (\"" + std::string(2500 - 36, 'x') + "\")";
  ASSERT_EQ(ok.size(), kMaxFilterExpressionLength);
  Parsed(ok);
  EXPECT_ERROR(ok + " ",
               "at character 2501: an expression may have at most 2500 characters, "
               "this one has 2501");

  std::string fields = "INCLUDE ItemID WHERE Items.F0 IN (\"x\")";
  for (int i = 1; i < 10; ++i) fields += " AND Items.F" + std::to_string(i) + " IN (\"x\")";
  EXPECT_EQ(Parsed(fields + " AND Items.F3 IN (\"y\")").fields.size(), 10u);  // repeats count once
  EXPECT_ERROR(fields + " IF CurrentUser.F0 IN (\"x\")",
               "('CurrentUser'): a filter may use at most 10 distinct dataset fields; Users.F0 "
               "would be one more");

  std::string placeholders = "INCLUDE ItemID WHERE Items.A IN ($P0)";
  for (int i = 1; i < 25; ++i) placeholders += " OR Items.A IN ($P" + std::to_string(i) + ")";
  EXPECT_EQ(Parsed(placeholders).placeholders.size(), 25u);
  EXPECT_ERROR(placeholders + " OR Items.A IN ($P25)",
               "($P25): a filter may use at most 25 "
               "distinct placeholders");
  EXPECT_ERROR("INCLUDE ItemID WHERE Items.A IN ($" + std::string(51, 'N') + ")",
               "is longer than 50 characters");
  Parsed("INCLUDE ItemID WHERE Items.A IN ($" + std::string(50, 'N') + ")");
}

TEST(FilterValuesTest, QuotedValuesAndNumbers) {
  Result<std::vector<FilterValue>> v = ParseFilterValues("G", R"("Comedy", "Dra\"ma",12.5 , "")");
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->size(), 4u);
  EXPECT_EQ((*v)[0].text, "Comedy");
  EXPECT_EQ((*v)[1].text, "Dra\"ma");
  EXPECT_EQ((*v)[2].text, "12.5");
  EXPECT_FALSE((*v)[2].quoted);
  EXPECT_EQ((*v)[3].text, "");
}

TEST(FilterValuesTest, NumbersAreTheNumbersOfTheExpressionLanguage) {
  EXPECT_EQ(FilterNumber({"20", false}), 20.0);
  EXPECT_EQ(FilterNumber({" -1.5e3 ", true}), -1500.0);
  EXPECT_EQ(FilterNumber({"+5", true}), 5.0);
  for (const char* text : {"nan", "inf", "", "1,5", "5 6", "0x10", "twenty"}) {
    EXPECT_EQ(FilterNumber({text, true}), std::nullopt) << text;
  }
}

TEST(FilterValuesTest, MalformedValuesNameThePlaceholder) {
  auto error = [](std::string_view text) {
    Result<std::vector<FilterValue>> v = ParseFilterValues("GENRE", text);
    EXPECT_FALSE(v.ok()) << text;
    return v.ok() ? std::string() : v.status().message();
  };
  EXPECT_NE(error("").find("placeholder GENRE: it has no values"), std::string::npos);
  EXPECT_NE(error("Comedy").find("placeholder GENRE at character 1: expected a double-quoted"),
            std::string::npos);
  EXPECT_NE(error("\"a\" \"b\"").find("at character 5: expected ','"), std::string::npos);
  EXPECT_NE(error("\"a\",").find("at character 5: expected a double-quoted"), std::string::npos);
  EXPECT_NE(error("\"a").find("placeholder GENRE at character 1: the string that starts here"),
            std::string::npos);
}

}  // namespace
}  // namespace kindred
