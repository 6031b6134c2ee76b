#include "app/origin_secret.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace practica::app {
namespace {

using namespace std::chrono_literals;

// A secret whose versions the test sets, read through ReadOriginSecretValues as the server does.
class OriginSecretTest : public ::testing::Test {
 protected:
  OriginSecret Make() {
    return OriginSecret(
        [this](bool every_stage) -> Result<std::vector<std::string>> {
          ++reads_;
          if (unreachable_) return Error::Unavailable("Secrets Manager cannot be reached");
          return ReadOriginSecretValues(
              [this](std::string_view stage) -> Result<std::string> {
                ++stage_reads_;
                auto found = stages_.find(std::string(stage));
                if (found == stages_.end()) {
                  return Error::NotFound("no version " + std::string(stage));
                }
                return found->second;
              },
              every_stage);
        },
        OriginSecret::Options{5min, 30s}, [this] { return now_; });
  }

  std::map<std::string, std::string> stages_{{"AWSCURRENT", "first"}};
  bool unreachable_ = false;
  int reads_ = 0;
  int stage_reads_ = 0;
  std::chrono::steady_clock::time_point now_{};
};

TEST_F(OriginSecretTest, AcceptsOnlyAValueTheSecretHolds) {
  OriginSecret origin = Make();
  ASSERT_TRUE(origin.Load().ok());
  EXPECT_TRUE(origin.Accepts("first"));
  EXPECT_FALSE(origin.Accepts(""));
  EXPECT_FALSE(origin.Accepts("firs"));
  EXPECT_FALSE(origin.Accepts("first "));
}

TEST_F(OriginSecretTest, StartUpReadsTheCurrentValueAloneAndTheRestAtTheFirstMismatch) {
  // A process starting while edges still send the previous value.
  stages_ = {{"AWSCURRENT", "second"}, {"AWSPREVIOUS", "first"}};
  OriginSecret origin = Make();
  ASSERT_TRUE(origin.Load().ok());
  EXPECT_EQ(stage_reads_, 1);  // one call on a cold start
  EXPECT_TRUE(origin.Accepts("second"));
  EXPECT_EQ(stage_reads_, 1);
  EXPECT_TRUE(origin.Accepts("first"));  // at once, not min_refresh later
  EXPECT_EQ(stage_reads_, 4);
  EXPECT_FALSE(origin.Accepts("guess"));
  EXPECT_EQ(stage_reads_, 4);
}

TEST_F(OriginSecretTest, AFailedFirstReadOfEveryStageIsNotRetriedForEveryRequest) {
  OriginSecret origin = Make();
  ASSERT_TRUE(origin.Load().ok());
  unreachable_ = true;
  const int before = reads_;
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(origin.Accepts("guess"));
  EXPECT_EQ(reads_, before + 1);
  EXPECT_TRUE(origin.Accepts("first"));
}

TEST_F(OriginSecretTest, ARotationIsAcceptedWithoutARestartAndTheOldValueStaysValid) {
  OriginSecret origin = Make();
  ASSERT_TRUE(origin.Load().ok());
  EXPECT_FALSE(origin.Accepts("unknown"));  // the first mismatch reads every stage
  // The rotation function made a pending value and put it on the distribution.
  stages_["AWSPENDING"] = "second";
  now_ += 1s;
  // Too soon after the last read to ask again: an unknown value is refused.
  EXPECT_FALSE(origin.Accepts("second"));
  now_ += 30s;
  EXPECT_TRUE(origin.Accepts("second"));  // read again because nothing matched
  EXPECT_TRUE(origin.Accepts("first"));   // edges not yet switched over
  // finishSecret: the new value is current, the old one previous.
  stages_ = {{"AWSCURRENT", "second"}, {"AWSPREVIOUS", "first"}};
  now_ += 5min;
  EXPECT_TRUE(origin.Accepts("first"));
  EXPECT_TRUE(origin.Accepts("second"));
  // The next rotation pushes "first" out of every stage.
  stages_ = {{"AWSCURRENT", "third"}, {"AWSPREVIOUS", "second"}};
  now_ += 5min;
  EXPECT_FALSE(origin.Accepts("first"));
  EXPECT_TRUE(origin.Accepts("third"));
}

TEST_F(OriginSecretTest, WrongValuesCannotMakeEveryRequestASecretsManagerCall) {
  OriginSecret origin = Make();
  ASSERT_TRUE(origin.Load().ok());
  EXPECT_FALSE(origin.Accepts("unknown"));  // the first mismatch reads every stage
  const int before = reads_;
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(origin.Accepts("guess"));
  EXPECT_EQ(reads_, before);  // within min_refresh of the load
  now_ += 31s;
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(origin.Accepts("guess"));
  EXPECT_EQ(reads_, before + 1);
  // A request without the header never causes a read at all.
  now_ += 31s;
  EXPECT_FALSE(origin.Accepts(""));
  EXPECT_EQ(reads_, before + 1);
}

TEST_F(OriginSecretTest, AnOutageKeepsTheValuesAlreadyKnown) {
  OriginSecret origin = Make();
  ASSERT_TRUE(origin.Load().ok());
  unreachable_ = true;
  now_ += 10min;
  EXPECT_TRUE(origin.Accepts("first"));
  EXPECT_FALSE(origin.Accepts("other"));
}

TEST_F(OriginSecretTest, StartUpNeedsTheCurrentValue) {
  stages_.clear();
  OriginSecret missing = Make();
  EXPECT_EQ(missing.Load().error().code, ErrorCode::kNotFound);
  unreachable_ = true;
  OriginSecret unreachable = Make();
  EXPECT_EQ(unreachable.Load().error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace practica::app
