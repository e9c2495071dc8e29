#include "data/row_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kindred {
namespace {

Row Sample() {
  return Row{{std::monostate(), std::string("user-1"), std::string(), int64_t{-1},
              std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 2.5, -0.0,
              true, false, std::string(300, 'z')}};
}

TEST(RowCodecTest, RoundTripsEveryValueKind) {
  Row row = Sample();
  std::string bytes;
  EncodeRow(row, &bytes);
  std::string_view in = bytes;
  Row back;
  ASSERT_TRUE(DecodeRow(&in, row.values.size(), &back).ok());
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(back, row);
  EXPECT_TRUE(std::signbit(std::get<double>(back.values[7])));
}

TEST(RowCodecTest, ConsecutiveRowsDecodeInOrderReusingTheRow) {
  std::string bytes;
  EncodeRow(Row{{std::string("a"), int64_t{1}}}, &bytes);
  EncodeRow(Row{{std::monostate(), int64_t{300}}}, &bytes);
  EncodeRow(Row{{std::string("ccc"), std::monostate()}}, &bytes);
  std::string_view in = bytes;
  Row row;
  std::vector<Row> seen;
  while (!in.empty()) {
    ASSERT_TRUE(DecodeRow(&in, 2, &row).ok());
    seen.push_back(row);
  }
  EXPECT_EQ(seen, (std::vector<Row>{Row{{std::string("a"), int64_t{1}}},
                                    Row{{std::monostate(), int64_t{300}}},
                                    Row{{std::string("ccc"), std::monostate()}}}));
}

TEST(RowCodecTest, BorrowedValuesEncodeLikeOwnedOnes) {
  Row row = Sample();
  std::vector<FieldRef> refs = RefsOf(row);
  std::string owned, borrowed;
  EncodeRow(row, &owned);
  EncodeRow(refs, &borrowed);
  EXPECT_EQ(owned, borrowed);
}

TEST(RowCodecTest, RejectsCorruptBytes) {
  std::string bytes;
  EncodeRow(Row{{std::string("abcdef"), int64_t{5}}}, &bytes);
  Row row;
  std::string_view truncated = std::string_view(bytes).substr(0, 4);
  EXPECT_EQ(DecodeRow(&truncated, 2, &row).code(), StatusCode::kCorruption);
  std::string_view too_few = bytes;
  EXPECT_EQ(DecodeRow(&too_few, 3, &row).code(), StatusCode::kCorruption);
  std::string bad_tag = "\x09";
  std::string_view in = bad_tag;
  EXPECT_EQ(DecodeRow(&in, 1, &row).code(), StatusCode::kCorruption);
  std::string short_double = "\x03\x01\x02";
  in = short_double;
  EXPECT_EQ(DecodeRow(&in, 1, &row).code(), StatusCode::kCorruption);
}

TEST(SplitCategoricalTest, SplitsOnBarAndDropsEmptyParts) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(SplitCategorical("Adventure|Animation|Children"),
            (V{"Adventure", "Animation", "Children"}));
  EXPECT_EQ(SplitCategorical("solo"), (V{"solo"}));
  EXPECT_EQ(SplitCategorical(""), V{});
  EXPECT_EQ(SplitCategorical("a||b|"), (V{"a", "b"}));
}

}  // namespace
}  // namespace kindred
