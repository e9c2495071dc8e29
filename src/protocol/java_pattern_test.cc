#include "protocol/java_pattern.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/unicode_category.h"

namespace kindred {
namespace {

JavaPattern MustCompile(std::string_view pattern) {
  Result<JavaPattern> p = JavaPattern::Compile(pattern);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return std::move(p).value();
}

TEST(UnicodeCategoryTest, ClassifiesAsciiAndBeyond) {
  EXPECT_EQ(UnicodeCategoryOf(U'a'), UnicodeCategory::kLetter);
  EXPECT_EQ(UnicodeCategoryOf(U'7'), UnicodeCategory::kNumber);
  EXPECT_EQ(UnicodeCategoryOf(U' '), UnicodeCategory::kSeparator);
  EXPECT_EQ(UnicodeCategoryOf(U'<'), UnicodeCategory::kOther);
  EXPECT_EQ(UnicodeCategoryOf(U'é'), UnicodeCategory::kLetter);
  EXPECT_EQ(UnicodeCategoryOf(U'日'), UnicodeCategory::kLetter);
  EXPECT_EQ(UnicodeCategoryOf(U'\u0663'), UnicodeCategory::kNumber);  // Arabic-Indic three
  EXPECT_EQ(UnicodeCategoryOf(U'½'), UnicodeCategory::kNumber);
  EXPECT_EQ(UnicodeCategoryOf(U'\u00A0'), UnicodeCategory::kSeparator);   // no-break space
  EXPECT_EQ(UnicodeCategoryOf(U'\u0301'), UnicodeCategory::kOther);       // combining acute
  EXPECT_EQ(UnicodeCategoryOf(U'\U0001F600'), UnicodeCategory::kOther);   // emoji
  EXPECT_EQ(UnicodeCategoryOf(U'\U00020000'), UnicodeCategory::kLetter);  // CJK extension B
  EXPECT_EQ(UnicodeCategoryOf(0x10FFFF), UnicodeCategory::kOther);
}

TEST(JavaPatternTest, MatchesWholeSubjectEvenWithoutAnchors) {
  JavaPattern name = MustCompile(R"(^[a-zA-Z0-9][a-zA-Z0-9\-_]*)");
  EXPECT_TRUE(name.FullMatch("my-name_1"));
  EXPECT_FALSE(name.FullMatch("a b"));
  EXPECT_FALSE(name.FullMatch("-leading"));
  EXPECT_FALSE(name.FullMatch(""));
  EXPECT_EQ(name.source(), R"(^[a-zA-Z0-9][a-zA-Z0-9\-_]*)");
}

TEST(JavaPatternTest, TagPatternAcceptsUnicodeLettersNumbersAndSpaces) {
  JavaPattern tag = MustCompile(R"(^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$)");
  EXPECT_TRUE(tag.FullMatch("café"));
  EXPECT_TRUE(tag.FullMatch("日本"));
  EXPECT_TRUE(tag.FullMatch("team: data/science = 42 @home"));
  EXPECT_TRUE(tag.FullMatch("\u0663\u00BD"));     // numbers beyond ASCII
  EXPECT_TRUE(tag.FullMatch("a\u00A0b\u2028c"));  // Zs and Zl separators
  EXPECT_TRUE(tag.FullMatch(""));
  EXPECT_FALSE(tag.FullMatch("<"));
  EXPECT_FALSE(tag.FullMatch("wow!"));
  EXPECT_FALSE(tag.FullMatch("\U0001F600"));
  EXPECT_FALSE(tag.FullMatch("e\u0301"));  // a combining mark is not a letter
  EXPECT_FALSE(tag.FullMatch("\xff"));     // invalid UTF-8
}

TEST(JavaPatternTest, NegatedClassOutsideBrackets) {
  JavaPattern p = MustCompile(R"(\P{L}+)");
  EXPECT_TRUE(p.FullMatch("12 !"));
  EXPECT_FALSE(p.FullMatch("1é"));
}

TEST(JavaPatternTest, DotRefusesJavaLineTerminators) {
  JavaPattern p = MustCompile("(s3|http|https)://.+");
  EXPECT_TRUE(p.FullMatch("s3://bucket/ключ"));
  EXPECT_FALSE(p.FullMatch("ftp://bucket/key"));
  EXPECT_FALSE(p.FullMatch("s3://a\nb"));
  EXPECT_FALSE(p.FullMatch("s3://a\u2028b"));
  EXPECT_FALSE(p.FullMatch("s3://a\u0085b"));
}

TEST(JavaPatternTest, PrintableAsciiPatternOfTheEventsModel) {
  JavaPattern p = MustCompile(R"(^[\x20-\x7E]*[\x21-\x7E]+[\x20-\x7E]*$)");
  EXPECT_TRUE(p.FullMatch(" source 1 "));
  EXPECT_FALSE(p.FullMatch("   "));
  EXPECT_FALSE(p.FullMatch("caf\u00e9"));
}

TEST(JavaPatternTest, RejectsUnsupportedConstructs) {
  EXPECT_FALSE(JavaPattern::Compile(R"(\p{Lu})").ok());
  EXPECT_FALSE(JavaPattern::Compile(R"([\P{L}])").ok());
  EXPECT_FALSE(JavaPattern::Compile("[a[b]]").ok());
  EXPECT_FALSE(JavaPattern::Compile("é").ok());
  EXPECT_FALSE(JavaPattern::Compile("(unclosed").ok());
  EXPECT_FALSE(JavaPattern::Compile("trailing\\").ok());
}

TEST(JavaPatternTest, LongSubjectsNeverMatchAndDoNotCrash) {
  JavaPattern p = MustCompile("(s3|http|https)://.+");
  const std::string limit(JavaPattern::kMaxSubjectBytes - 5, 'x');
  EXPECT_TRUE(p.FullMatch("s3://" + limit));
  EXPECT_FALSE(p.FullMatch("s3://" + limit + "x"));
}

// FullMatch remembers results: asking again, from a copy, or after the remembered results were
// dropped for being too many must give the same answers as the first time.
TEST(JavaPatternTest, RememberedResultsAgreeWithMatching) {
  const JavaPattern arn = MustCompile(R"(arn:([a-z\d-]+):personalize:.*:.*:.+)");
  const JavaPattern copy = arn;
  const std::string good = "arn:aws:personalize:us-east-1:123456789012:campaign/c";
  const std::string bad = "arn:AWS:personalize:us-east-1:123456789012:campaign/c";
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(arn.FullMatch(good)) << round;
    EXPECT_FALSE(arn.FullMatch(bad)) << round;
    EXPECT_TRUE(copy.FullMatch(good)) << round;
    EXPECT_FALSE(copy.FullMatch(bad)) << round;
    EXPECT_FALSE(arn.FullMatch(good.substr(0, 20))) << round;  // a prefix of a remembered match
    EXPECT_TRUE(arn.FullMatch(good + "x")) << round;
  }
  // More distinct subjects than are remembered, each asked twice; every third does not match.
  const size_t n = JavaPattern::kRememberedResults + 100;
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < n; ++i) {
      const std::string subject =
          (i % 3 == 0 ? "arn:a_b:personalize:r:a:" : "arn:aws:personalize:r:a:") + std::to_string(i);
      EXPECT_EQ(arn.FullMatch(subject), i % 3 != 0) << subject;
    }
  }
  // Subjects too long to be remembered are still matched.
  const std::string long_subject =
      "arn:aws:personalize:us-east-1:1:" + std::string(JavaPattern::kMaxRememberedSubjectBytes, 'x');
  EXPECT_TRUE(arn.FullMatch(long_subject));
  EXPECT_FALSE(arn.FullMatch("ARN" + long_subject));
}

}  // namespace
}  // namespace kindred
