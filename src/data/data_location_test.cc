#include "data/data_location.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/random.h"

namespace kindred {
namespace {

namespace fs = std::filesystem;

class DataLocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("kindred_location_" + NewUuid());
    root_ = base_ / "s3";
    fs::create_directories(root_);
    options_.s3_root = root_.string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(base_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(base_, ec);
  }

  // Creates `relative` (under the base directory) with a CSV header.
  fs::path Write(const std::string& relative) {
    fs::path path = base_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "USER_ID,ITEM_ID,TIMESTAMP\n";
    return path;
  }

  Result<std::vector<std::string>> Resolve(const std::string& location) {
    return ResolveDataLocation(location, options_);
  }

  // Expects `code` with a message naming both the location and the local path.
  void ExpectError(const std::string& location, StatusCode code, const fs::path& local) {
    Result<std::vector<std::string>> r = Resolve(location);
    ASSERT_FALSE(r.ok()) << location;
    EXPECT_EQ(r.status().code(), code) << r.status().message();
    EXPECT_NE(r.status().message().find(location), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(local.string()), std::string::npos) << r.status().message();
  }

  fs::path base_;
  fs::path root_;
  DataLocationOptions options_;
};

TEST_F(DataLocationTest, S3KeyResolvesUnderTheObjectRoot) {
  fs::path file = Write("s3/bucket/data/interactions.csv");
  Result<std::vector<std::string>> r = Resolve("s3://bucket/data/interactions.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, std::vector<std::string>{file.string()});
}

TEST_F(DataLocationTest, S3KeyNeedNotEndInCsv) {
  fs::path file = Write("s3/bucket/export.txt");
  Result<std::vector<std::string>> r = Resolve("s3://bucket/export.txt");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, std::vector<std::string>{file.string()});
}

TEST_F(DataLocationTest, S3FolderListsItsOwnCsvFilesSorted) {
  fs::path b = Write("s3/bucket/in/b.csv");
  fs::path a = Write("s3/bucket/in/a.csv");
  fs::path upper = Write("s3/bucket/in/C.CSV");
  Write("s3/bucket/in/notes.txt");
  Write("s3/bucket/in/nested/deeper.csv");                 // sub-folders are not read
  fs::create_directories(root_ / "bucket/in/folder.csv");  // a folder, not an object
  Result<std::vector<std::string>> r = Resolve("s3://bucket/in/");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, (std::vector<std::string>{upper.string(), a.string(), b.string()}));
}

TEST_F(DataLocationTest, BucketRootIsAFolder) {
  fs::path file = Write("s3/bucket/top.csv");
  for (const char* location : {"s3://bucket/", "s3://bucket"}) {
    Result<std::vector<std::string>> r = Resolve(location);
    ASSERT_TRUE(r.ok()) << location << ": " << r.status().message();
    EXPECT_EQ(*r, std::vector<std::string>{file.string()});
  }
}

TEST_F(DataLocationTest, PercentEncodedKeysAreLiteral) {
  fs::path literal = Write("s3/bucket/a%20b.csv");
  Result<std::vector<std::string>> r = Resolve("s3://bucket/a%20b.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, std::vector<std::string>{literal.string()});
  ExpectError("s3://bucket/a%2Fb.csv", StatusCode::kIoError, root_ / "bucket/a%2Fb.csv");
}

TEST_F(DataLocationTest, MissingObjectsAndFoldersAreIoErrors) {
  ExpectError("s3://bucket/missing.csv", StatusCode::kIoError, root_ / "bucket/missing.csv");
  ExpectError("s3://nobucket/in/", StatusCode::kIoError, root_ / "nobucket/in");
}

TEST_F(DataLocationTest, FolderWithoutCsvFilesIsAnIoError) {
  Write("s3/bucket/empty/readme.txt");
  ExpectError("s3://bucket/empty/", StatusCode::kIoError, root_ / "bucket/empty");
}

TEST_F(DataLocationTest, FolderWithoutTrailingSlashAndFileWithOneAreRefused) {
  Write("s3/bucket/in/a.csv");
  ExpectError("s3://bucket/in", StatusCode::kIoError, root_ / "bucket/in");
  ExpectError("s3://bucket/in/a.csv/", StatusCode::kIoError, root_ / "bucket/in/a.csv");
}

TEST_F(DataLocationTest, UnreadableFileIsAnIoError) {
  fs::path file = Write("s3/bucket/secret.csv");
  fs::permissions(file, fs::perms::none);
  // Root reads any file, so the check runs in a child that gives up root first (uid "nobody").
  EXPECT_EXIT(
      {
        if (geteuid() == 0 && setresuid(65534, 65534, 65534) != 0) _exit(2);
        Result<std::vector<std::string>> r = Resolve("s3://bucket/secret.csv");
        bool ok = !r.ok() && r.status().code() == StatusCode::kIoError &&
                  r.status().message().find("not readable") != std::string::npos &&
                  r.status().message().find(file.string()) != std::string::npos;
        _exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(DataLocationTest, UnsupportedSchemesAreInvalidInput) {
  for (const char* location : {"https://example.com/data.csv", "http://example.com/data.csv",
                               "ftp://x/y.csv", "/abs/path.csv", "S3://bucket/key.csv"}) {
    Result<std::vector<std::string>> r = Resolve(location);
    ASSERT_FALSE(r.ok()) << location;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(r.status().message().find(location), std::string::npos);
    EXPECT_NE(r.status().message().find("s3://"), std::string::npos);
    EXPECT_NE(r.status().message().find(root_.string()), std::string::npos);
  }
}

TEST_F(DataLocationTest, EmptyBucketIsInvalidInput) {
  for (const char* location : {"s3://", "s3:///key.csv"}) {
    Result<std::vector<std::string>> r = Resolve(location);
    ASSERT_FALSE(r.ok()) << location;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(r.status().message().find("empty bucket"), std::string::npos);
  }
}

TEST_F(DataLocationTest, DotDotSegmentsAreRefused) {
  Write("outside.csv");
  Write("s3/bucket/ok.csv");
  ExpectError("s3://bucket/../../outside.csv", StatusCode::kInvalidInput,
              root_ / "bucket/../../outside.csv");
  ExpectError("s3://bucket/sub/../ok.csv", StatusCode::kInvalidInput,
              root_ / "bucket/sub/../ok.csv");
  Result<std::vector<std::string>> r = Resolve("s3://../outside.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

TEST_F(DataLocationTest, SymlinksOutOfTheRootAreRefused) {
  fs::path outside = Write("outside/data.csv");
  fs::create_directories(root_ / "bucket");
  fs::create_symlink(outside, root_ / "bucket/link.csv");
  fs::create_directory_symlink(outside.parent_path(), root_ / "bucket/dir");
  ExpectError("s3://bucket/link.csv", StatusCode::kInvalidInput, root_ / "bucket/link.csv");
  ExpectError("s3://bucket/dir/", StatusCode::kInvalidInput, root_ / "bucket/dir");
  fs::create_directory_symlink(base_ / "outside", root_ / "linkedbucket");
  ExpectError("s3://linkedbucket/data.csv", StatusCode::kInvalidInput,
              root_ / "linkedbucket/data.csv");
}

TEST_F(DataLocationTest, SymlinkedFileInFolderPointingOutIsRefused) {
  fs::path outside = Write("outside/data.csv");
  Write("s3/bucket/in/a.csv");
  fs::create_symlink(outside, root_ / "bucket/in/b.csv");
  ExpectError("s3://bucket/in/", StatusCode::kInvalidInput, root_ / "bucket/in/b.csv");
}

TEST_F(DataLocationTest, SymlinksInsideTheRootAreFollowed) {
  fs::path target = Write("s3/bucket/real.csv");
  fs::create_symlink(target, root_ / "bucket/alias.csv");
  Result<std::vector<std::string>> r = Resolve("s3://bucket/alias.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, std::vector<std::string>{(root_ / "bucket/alias.csv").string()});
}

TEST_F(DataLocationTest, FileUrlsReadAbsolutePaths) {
  fs::path file = Write("local/x.csv");
  fs::path other = Write("local/w.csv");
  Result<std::vector<std::string>> one = Resolve("file://" + file.string());
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(*one, std::vector<std::string>{file.string()});
  Result<std::vector<std::string>> folder = Resolve("file://" + (base_ / "local").string() + "/");
  ASSERT_TRUE(folder.ok()) << folder.status().message();
  EXPECT_EQ(*folder, (std::vector<std::string>{other.string(), file.string()}));
  ExpectError("file://" + (base_ / "local/none.csv").string(), StatusCode::kIoError,
              base_ / "local/none.csv");
}

TEST_F(DataLocationTest, RelativeFileUrlIsInvalidInput) {
  for (const char* location : {"file://relative/path.csv", "file://"}) {
    Result<std::vector<std::string>> r = Resolve(location);
    ASSERT_FALSE(r.ok()) << location;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(r.status().message().find("absolute"), std::string::npos);
  }
}

}  // namespace
}  // namespace kindred
