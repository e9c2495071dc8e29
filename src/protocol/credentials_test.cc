#include "protocol/credentials.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

namespace kindred {
namespace {

namespace fs = std::filesystem;

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/kindred_creds_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    ClearEnv();
  }
  void TearDown() override {
    ClearEnv();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static void ClearEnv() {
    ::unsetenv("KINDRED_ACCESS_KEY_ID");
    ::unsetenv("KINDRED_SECRET_ACCESS_KEY");
  }
  std::string FilePath() const { return dir_ + "/credentials.json"; }
  void WriteFile(const std::string& text) const { std::ofstream(FilePath()) << text; }
  std::string ReadFile() const {
    std::ifstream in(FilePath());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string dir_;
};

TEST_F(CredentialsTest, ExplicitPairWinsOverEnvironmentAndFile) {
  ::setenv("KINDRED_ACCESS_KEY_ID", "ENVKEY", 1);
  ::setenv("KINDRED_SECRET_ACCESS_KEY", "envsecret", 1);
  WriteFile(R"({"keys":[{"accessKeyId":"FILEKEY","secretAccessKey":"filesecret"}]})");
  auto creds =
      LoadCredentials(dir_, std::make_pair(std::string("FLAGKEY"), std::string("flagsecret")));
  ASSERT_TRUE(creds.ok()) << creds.status().message();
  EXPECT_EQ(creds->provider->SecretFor("FLAGKEY"), "flagsecret");
  EXPECT_EQ(creds->provider->SecretFor("ENVKEY"), std::nullopt);
  EXPECT_EQ(creds->provider->SecretFor("FILEKEY"), std::nullopt);
  EXPECT_FALSE(creds->generated);
  EXPECT_NE(creds->source.find("flag"), std::string::npos);
}

TEST_F(CredentialsTest, ExplicitPairWithAnEmptyHalfIsRejected) {
  auto creds = LoadCredentials(dir_, std::make_pair(std::string("KEY"), std::string()));
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidInput);
  EXPECT_FALSE(fs::exists(FilePath()));
}

TEST_F(CredentialsTest, EnvironmentWinsOverFile) {
  ::setenv("KINDRED_ACCESS_KEY_ID", "ENVKEY", 1);
  ::setenv("KINDRED_SECRET_ACCESS_KEY", "envsecret", 1);
  WriteFile(R"({"keys":[{"accessKeyId":"FILEKEY","secretAccessKey":"filesecret"}]})");
  auto creds = LoadCredentials(dir_, std::nullopt);
  ASSERT_TRUE(creds.ok()) << creds.status().message();
  EXPECT_EQ(creds->provider->SecretFor("ENVKEY"), "envsecret");
  EXPECT_EQ(creds->provider->SecretFor("FILEKEY"), std::nullopt);
  EXPECT_NE(creds->source.find("KINDRED_ACCESS_KEY_ID"), std::string::npos);
}

TEST_F(CredentialsTest, HalfSetEnvironmentIsAnError) {
  ::setenv("KINDRED_ACCESS_KEY_ID", "ENVKEY", 1);
  auto creds = LoadCredentials(dir_, std::nullopt);
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(creds.status().message().find("KINDRED_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST_F(CredentialsTest, FileWithSeveralKeysIsUsed) {
  WriteFile(R"({"keys":[{"accessKeyId":"K1","secretAccessKey":"s1"},
                       {"accessKeyId":"K2","secretAccessKey":"s2"}]})");
  auto creds = LoadCredentials(dir_, std::nullopt);
  ASSERT_TRUE(creds.ok()) << creds.status().message();
  EXPECT_EQ(creds->provider->SecretFor("K1"), "s1");
  EXPECT_EQ(creds->provider->SecretFor("K2"), "s2");
  EXPECT_EQ(creds->provider->SecretFor("K3"), std::nullopt);
  EXPECT_EQ(creds->source, FilePath());
  EXPECT_FALSE(creds->generated);
}

TEST_F(CredentialsTest, GeneratesAPrivateFileOnceAndReusesIt) {
  const std::string data_dir = dir_ + "/not/yet/there";
  auto first = LoadCredentials(data_dir, std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->generated);
  EXPECT_TRUE(std::regex_match(first->generated_access_key, std::regex("AKK[A-Z0-9]{17}")))
      << first->generated_access_key;
  EXPECT_TRUE(std::regex_match(first->generated_secret, std::regex("[A-Za-z0-9+/]{40}")))
      << first->generated_secret;
  EXPECT_EQ(first->provider->SecretFor(first->generated_access_key), first->generated_secret);

  const std::string path = data_dir + "/credentials.json";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(data_dir)) ++entries;
  EXPECT_EQ(entries, 1u) << "no temporary file may be left behind";

  auto second = LoadCredentials(data_dir, std::nullopt);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_FALSE(second->generated);
  EXPECT_TRUE(second->generated_access_key.empty());
  EXPECT_EQ(second->provider->SecretFor(first->generated_access_key), first->generated_secret);
}

TEST_F(CredentialsTest, CorruptFileIsAClearErrorAndIsLeftAlone) {
  for (const std::string& bad : {
           std::string("{not json"),
           std::string(R"({"keys":[]})"),
           std::string(R"({"keys":[{"accessKeyId":"K1"}]})"),
           std::string(R"({"keys":[{"accessKeyId":"K1","secretAccessKey":7}]})"),
           std::string(R"(["K1","s1"])"),
       }) {
    WriteFile(bad);
    auto creds = LoadCredentials(dir_, std::nullopt);
    EXPECT_EQ(creds.status().code(), StatusCode::kCorruption) << bad;
    EXPECT_NE(creds.status().message().find(FilePath()), std::string::npos)
        << creds.status().message();
    EXPECT_EQ(ReadFile(), bad) << "a corrupt file must not be overwritten";
  }
}

TEST(StaticCredentialsProviderTest, LooksUpExactKeys) {
  StaticCredentialsProvider provider(
      std::vector<std::pair<std::string, std::string>>{{"AKK1", "one"}, {"AKK2", "two"}});
  EXPECT_EQ(provider.SecretFor("AKK1"), "one");
  EXPECT_EQ(provider.SecretFor("AKK2"), "two");
  EXPECT_EQ(provider.SecretFor("akk1"), std::nullopt);
  EXPECT_EQ(provider.SecretFor(""), std::nullopt);
}

}  // namespace
}  // namespace kindred
