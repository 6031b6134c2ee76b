#include "auth/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "auth/crypto.h"

namespace practica::auth {
namespace {

namespace fs = std::filesystem;

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "practica-keys-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    path_ = directory_ / "keys.json";
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Writes `text` as the key file with `mode`.
  void WriteKeyFile(const std::string& text,
                    fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) {
    std::ofstream(path_) << text;
    fs::permissions(path_, mode);
  }

  std::string KeyFileProblem() {
    const Result<NodeKeys> keys = LoadOrCreateNodeKeys(path_);
    if (keys.ok()) return "ok";
    EXPECT_EQ(keys.error().code, ErrorCode::kInvalid);
    return keys.error().message;
  }

  fs::path directory_;
  fs::path path_;
};

const std::string kSeedText = Base64UrlEncode(std::string(32, '\x11'));
const std::string kDataKeyText = Base64UrlEncode(std::string(32, '\x22'));

TEST_F(KeyFileTest, CreatesAnOwnerOnlyFileWithOneSigningKeyAndADataKey) {
  const Result<NodeKeys> keys = LoadOrCreateNodeKeys(path_);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  ASSERT_EQ(keys->signing_keys.size(), 1u);
  EXPECT_EQ(keys->signing_keys[0].kid.size(), 8u);
  EXPECT_EQ(keys->signing_keys[0].seed.size(), 32u);
  EXPECT_EQ(keys->data_key.size(), 32u);
  EXPECT_NE(keys->data_key, keys->signing_keys[0].seed);

  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_TRUE(S_ISREG(info.st_mode));
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  // Nothing but the key file is left behind (no temporary sibling).
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1);
}

TEST_F(KeyFileTest, ReloadsTheSameKeys) {
  const Result<NodeKeys> created = LoadOrCreateNodeKeys(path_);
  ASSERT_TRUE(created.ok());
  const Result<NodeKeys> reloaded = LoadOrCreateNodeKeys(path_);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  ASSERT_EQ(reloaded->signing_keys.size(), 1u);
  EXPECT_EQ(reloaded->signing_keys[0].kid, created->signing_keys[0].kid);
  EXPECT_EQ(reloaded->signing_keys[0].seed, created->signing_keys[0].seed);
  EXPECT_EQ(reloaded->data_key, created->data_key);
}

TEST_F(KeyFileTest, ReadsTheDocumentedFormat) {
  WriteKeyFile(R"({"signing_keys":[{"kid":"2026-11-25","seed":")" + kSeedText +
               R"("}],"data_key":")" + kDataKeyText + R"(","comment":"ignored"})");
  const Result<NodeKeys> keys = LoadOrCreateNodeKeys(path_);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  ASSERT_EQ(keys->signing_keys.size(), 1u);
  EXPECT_EQ(keys->signing_keys[0].kid, "2026-11-25");
  EXPECT_EQ(keys->signing_keys[0].seed, std::string(32, '\x11'));
  EXPECT_EQ(keys->data_key, std::string(32, '\x22'));
}

TEST_F(KeyFileTest, RefusesAFileReadableByOthers) {
  ASSERT_TRUE(LoadOrCreateNodeKeys(path_).ok());
  fs::permissions(path_, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  const std::string problem = KeyFileProblem();
  EXPECT_NE(problem.find("mode 0644"), std::string::npos) << problem;
  EXPECT_NE(problem.find("chmod 600"), std::string::npos) << problem;
  fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_write);
  EXPECT_NE(KeyFileProblem().find("mode 0620"), std::string::npos);
  fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(KeyFileProblem(), "ok");
}

TEST_F(KeyFileTest, RefusesASymbolicLink) {
  const fs::path target = directory_ / "elsewhere.json";
  ASSERT_TRUE(LoadOrCreateNodeKeys(target).ok());
  fs::create_symlink(target, path_);
  EXPECT_NE(KeyFileProblem().find("symbolic link"), std::string::npos);
}

TEST_F(KeyFileTest, RefusesMalformedContentWithoutQuotingIt) {
  const std::string secret_looking = Base64UrlEncode(std::string(31, '\x33'));
  const std::pair<std::string, std::string> cases[] = {
      {"", "is not valid JSON"},
      {"{\"signing_keys\":[", "is not valid JSON"},
      {"[]", "must hold a JSON object"},
      {R"({"data_key":")" + kDataKeyText + R"("})", "\"signing_keys\" must be a non-empty array"},
      {R"({"signing_keys":[],"data_key":")" + kDataKeyText + R"("})",
       "\"signing_keys\" must be a non-empty array"},
      {R"({"signing_keys":["k"],"data_key":")" + kDataKeyText + R"("})",
       "\"signing_keys\"[0] must be an object"},
      {R"({"signing_keys":[{"seed":")" + kSeedText + R"("}],"data_key":")" + kDataKeyText + R"("})",
       "\"signing_keys\"[0].kid must be"},
      {R"({"signing_keys":[{"kid":"a b","seed":")" + kSeedText + R"("}],"data_key":")" +
           kDataKeyText + R"("})",
       "\"signing_keys\"[0].kid must be"},
      {R"({"signing_keys":[{"kid":"a","seed":")" + kSeedText + R"("},{"kid":"a","seed":")" +
           kSeedText + R"("}],"data_key":")" + kDataKeyText + R"("})",
       "\"signing_keys\"[1].kid is used twice"},
      {R"({"signing_keys":[{"kid":"a","seed":")" + secret_looking + R"("}],"data_key":")" +
           kDataKeyText + R"("})",
       "\"signing_keys\"[0].seed must be 32 bytes"},
      {R"({"signing_keys":[{"kid":"a","seed":")" + kSeedText + R"(="}],"data_key":")" +
           kDataKeyText + R"("})",
       "\"signing_keys\"[0].seed must be 32 bytes"},
      {R"({"signing_keys":[{"kid":"a","seed":")" + kSeedText + R"("}],"data_key":")" +
           secret_looking + R"("})",
       "\"data_key\" must be 32 bytes"},
      {R"({"signing_keys":[{"kid":"a","seed":")" + kSeedText + R"("}]})",
       "\"data_key\" must be 32 bytes"},
  };
  for (const auto& [text, expected] : cases) {
    WriteKeyFile(text);
    const std::string problem = KeyFileProblem();
    EXPECT_NE(problem.find(expected), std::string::npos) << text << "\n→ " << problem;
    EXPECT_NE(problem.find(path_.string()), std::string::npos) << problem;
    EXPECT_EQ(problem.find(kSeedText.substr(0, 12)), std::string::npos) << problem;
    EXPECT_EQ(problem.find(kDataKeyText.substr(0, 12)), std::string::npos) << problem;
    EXPECT_EQ(problem.find(secret_looking.substr(0, 12)), std::string::npos) << problem;
  }
}

TEST_F(KeyFileTest, RotationPutsANewKeyFirstAndKeepsTheOldOnes) {
  const Result<NodeKeys> created = LoadOrCreateNodeKeys(path_);
  ASSERT_TRUE(created.ok());
  const Result<NodeKeys> rotated = RotateSigningKey(path_);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  ASSERT_EQ(rotated->signing_keys.size(), 2u);
  EXPECT_NE(rotated->signing_keys[0].kid, created->signing_keys[0].kid);
  EXPECT_NE(rotated->signing_keys[0].seed, created->signing_keys[0].seed);
  EXPECT_EQ(rotated->signing_keys[1].kid, created->signing_keys[0].kid);
  EXPECT_EQ(rotated->signing_keys[1].seed, created->signing_keys[0].seed);
  EXPECT_EQ(rotated->data_key, created->data_key);

  const Result<NodeKeys> reloaded = LoadOrCreateNodeKeys(path_);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  ASSERT_EQ(reloaded->signing_keys.size(), 2u);
  EXPECT_EQ(reloaded->signing_keys[0].kid, rotated->signing_keys[0].kid);
  EXPECT_EQ(reloaded->signing_keys[0].seed, rotated->signing_keys[0].seed);

  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1);
}

TEST_F(KeyFileTest, RotationNeedsAnExistingFile) {
  const Result<NodeKeys> rotated = RotateSigningKey(path_);
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(rotated.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(KeyFileTest, RotationRefusesAFileReadableByOthers) {
  ASSERT_TRUE(LoadOrCreateNodeKeys(path_).ok());
  fs::permissions(path_, fs::perms::others_read, fs::perm_options::add);
  const Result<NodeKeys> rotated = RotateSigningKey(path_);
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(rotated.error().code, ErrorCode::kInvalid);
}

TEST(KeySecret, APassphraseGivesTheSameRingInEveryProcess) {
  const std::string passphrase(64, 'x');
  Result<NodeKeys> first = ParseKeySecret(passphrase);
  ASSERT_TRUE(first.ok()) << first.error().message;
  Result<NodeKeys> again = ParseKeySecret(passphrase + "\n");  // as `echo` would store it
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(first->signing_keys.size(), 1u);
  EXPECT_EQ(first->signing_keys[0].kid, kPassphraseKid);
  EXPECT_EQ(first->signing_keys[0].seed, again->signing_keys[0].seed);
  EXPECT_EQ(first->data_key, again->data_key);
  EXPECT_EQ(first->signing_keys[0].seed.size(), 32u);
  EXPECT_EQ(first->data_key.size(), 32u);
  EXPECT_NE(first->signing_keys[0].seed, first->data_key);
  Result<NodeKeys> other = ParseKeySecret(std::string(64, 'y'));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->signing_keys[0].seed, first->signing_keys[0].seed);
}

TEST(KeySecret, ARotatedRingSignsWithTheNewKeyAndKeepsTheOldOnes) {
  Result<NodeKeys> initial = ParseKeySecret(std::string(40, 'k'));
  ASSERT_TRUE(initial.ok());
  NodeKeys rotated = *initial;
  AddSigningKey(rotated);
  Result<NodeKeys> read = ParseKeySecret(FormatNodeKeys(rotated));
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->signing_keys.size(), 2u);
  EXPECT_NE(read->signing_keys[0].kid, kPassphraseKid);
  EXPECT_EQ(read->signing_keys[1].kid, kPassphraseKid);
  EXPECT_EQ(read->signing_keys[1].seed, initial->signing_keys[0].seed);
  EXPECT_EQ(read->data_key, initial->data_key);  // secrets at rest stay readable
}

TEST(KeySecret, RefusesWhatIsNeitherFormWithoutQuotingIt) {
  for (const std::string& text : {std::string("short passphrase"),
                                  std::string("{\"signing_keys\":[]}"), std::string("{not json")}) {
    Result<NodeKeys> keys = ParseKeySecret(text);
    ASSERT_FALSE(keys.ok()) << text;
    EXPECT_EQ(keys.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(keys.error().message.find(text), std::string::npos);
    EXPECT_NE(keys.error().message.find("key secret"), std::string::npos);
  }
}

TEST(KeySecret, ARotationInTwoStepsVerifiesTheNewKeyBeforeItSigns) {
  Result<NodeKeys> ring = ParseKeySecret(std::string(40, 'k'));
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ(PromoteSigningKey(*ring).error().code, ErrorCode::kInvalid);  // nothing to promote
  AddSigningKey(*ring, /*signing=*/false);
  ASSERT_EQ(ring->signing_keys.size(), 2u);
  EXPECT_EQ(ring->signing_keys[0].kid, kPassphraseKid);  // still signs
  const std::string added = ring->signing_keys[1].kid;
  ASSERT_TRUE(PromoteSigningKey(*ring).ok());
  EXPECT_EQ(ring->signing_keys[0].kid, added);
  EXPECT_EQ(ring->signing_keys[1].kid, kPassphraseKid);  // verifies tokens it signed
}

}  // namespace
}  // namespace practica::auth
