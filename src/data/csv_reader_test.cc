#include "data/csv_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace kindred {
namespace {

using Records = std::vector<std::vector<std::string>>;

// All records of `data`; fails the test on a reader error.
Records ReadAll(std::string_view data, std::vector<bool>* malformed = nullptr) {
  CsvReader reader(data);
  CsvRecord record;
  Records out;
  for (;;) {
    Result<bool> more = reader.Next(&record);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) return out;
    EXPECT_EQ(record.number, static_cast<int64_t>(out.size()) + 1);
    out.emplace_back(record.fields.begin(), record.fields.end());
    if (malformed != nullptr) malformed->push_back(record.malformed);
  }
}

// The error a reader reports for `data`, or "" when it reads it all.
std::string ReadError(std::string_view data) {
  CsvReader reader(data);
  CsvRecord record;
  for (;;) {
    Result<bool> more = reader.Next(&record);
    if (!more.ok()) return more.status().message();
    if (!*more) return "";
  }
}

TEST(CsvReaderTest, SplitsPlainRecordsOnLfCrlfAndLoneCr) {
  EXPECT_EQ(ReadAll("a,b\n1,2\r\n3,4\r5,6"),
            (Records{{"a", "b"}, {"1", "2"}, {"3", "4"}, {"5", "6"}}));
}

TEST(CsvReaderTest, FinalTerminatorIsOptionalAndEmptyFieldsAreKept) {
  EXPECT_EQ(ReadAll("a,,c\n,\n"), (Records{{"a", "", "c"}, {"", ""}}));
  EXPECT_EQ(ReadAll("x,"), (Records{{"x", ""}}));
  EXPECT_TRUE(ReadAll("").empty());
}

TEST(CsvReaderTest, QuotedFieldsHoldSeparatorsNewlinesAndDoubledQuotes) {
  EXPECT_EQ(ReadAll("\"a,b\",\"line1\nline2\",\"say \"\"hi\"\"\"\r\nz,\"\",\"\"\"\""),
            (Records{{"a,b", "line1\nline2", "say \"hi\""}, {"z", "", "\""}}));
}

TEST(CsvReaderTest, SeveralEscapedFieldsInOneRecordStayIntact) {
  std::string long_text(100, 'x');
  std::string data = "\"a\"\"b\",plain,\"" + long_text + "\"\"" + long_text + "\",\"c\"\"\"\n";
  EXPECT_EQ(ReadAll(data), (Records{{"a\"b", "plain", long_text + "\"" + long_text, "c\""}}));
}

TEST(CsvReaderTest, StripsUtf8ByteOrderMark) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFUSER_ID,ITEM_ID\n"), (Records{{"USER_ID", "ITEM_ID"}}));
}

TEST(CsvReaderTest, KeepsQuoteInsideUnquotedField) {
  EXPECT_EQ(ReadAll("5\" screen,b\n"), (Records{{"5\" screen", "b"}}));
}

TEST(CsvReaderTest, MarksTextAfterClosingQuoteAsMalformed) {
  std::vector<bool> malformed;
  EXPECT_EQ(ReadAll("\"ab\"cd,e\nf,g\n", &malformed), (Records{{"ab", "e"}, {"f", "g"}}));
  EXPECT_EQ(malformed, (std::vector<bool>{true, false}));
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheRecordWhereItOpened) {
  // Record 2 spans two lines; the unterminated quote opens in record 3 on line 4.
  EXPECT_EQ(ReadError("h1,h2\n\"multi\nline\",x\ny,\"open\nmore text\n"),
            "row 3: unterminated quoted field");
}

TEST(CsvReaderTest, InvalidUtf8NamesTheRecord) {
  EXPECT_EQ(ReadError("h\nok\nbad\xC3\n"), "row 3: the file is not valid UTF-8");
  EXPECT_EQ(ReadError("h\n\xE2\x80\n"), "row 2: the file is not valid UTF-8");
  EXPECT_EQ(ReadError("h\nd\xC3\xA9j\xC3\xA0 vu \xE2\x80\x93 \xF0\x9F\x98\x80\n"), "");
}

TEST(Utf8Test, RejectsOverlongSurrogatesAndOutOfRange) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text longer than eight"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xE2\x80\x93\xF4\x8F\xBF\xBF"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\x80"), 2u);        // overlong NUL
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\xAF"), 0u);      // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xF0\x80\x80\xAF"), 0u);  // overlong, 4 bytes
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);     // UTF-16 surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);  // invalid lead byte
  EXPECT_EQ(FindInvalidUtf8("0123456789\x80"), 10u);   // stray continuation
  EXPECT_EQ(FindInvalidUtf8("\xE2\x80"), 0u);          // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xE2\x28\xA1"), 0u);      // bad continuation
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("2006\xE2\x80\x93"
                            "2007"),
            9u);
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);
}

TEST(MappedFileTest, MapsContentsAndReportsMissingFiles) {
  auto dir = std::filesystem::temp_directory_path();
  std::string path = (dir / "kindred_mapped_file_test.csv").string();
  std::ofstream(path, std::ios::binary) << "a,b\n";
  Result<MappedFile> file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->data(), "a,b\n");

  std::ofstream(path, std::ios::trunc);
  Result<MappedFile> empty = MappedFile::Open(path);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->data().empty());
  std::filesystem::remove(path);

  Result<MappedFile> missing = MappedFile::Open(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
}

}  // namespace
}  // namespace kindred
