#include "api/exercise_view.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <map>
#include <set>
#include <string>

namespace practica::api {
namespace {

domain::RichText Text(std::string s) { return {s, "<p>" + s + "</p>"}; }

domain::Exercise Base(std::string id, domain::ExerciseSpec spec) {
  domain::Exercise exercise;
  exercise.id = std::move(id);
  exercise.prompt = Text("Prompt");
  exercise.hints = {Text("secret hint one"), Text("secret hint two")};
  exercise.explanation = Text("secret explanation");
  exercise.max_attempts = 3;
  exercise.penalty = 0.25;
  exercise.spec = std::move(spec);
  return exercise;
}

// Nothing in the public JSON may reveal the key, feedback, hints or explanation.
void ExpectNoSecrets(const boost::json::object& view) {
  const std::string text = boost::json::serialize(view);
  for (const char* secret :
       {"secret", "\"correct\"", "\"answer\"", "\"answers\"", "tolerance", "\"feedback\"",
        "explanation", "\"hints\"", "penalty", "regex", "\"score\"", "0.75", "_feedback"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  }
}

TEST(PublicExercise, ChoiceListsOptionsWithoutCorrectFlagsOrFeedback) {
  domain::SingleChoice spec;
  spec.options = {{"a", Text("Mean"), true, Text("secret yes"), std::nullopt},
                  {"b", Text("Median"), false, Text("secret no"), 0.75}};
  const auto view = PublicExercise(Base("pick", spec), "c");
  ExpectNoSecrets(view);
  EXPECT_EQ(view.at("type").as_string(), "single_choice");
  EXPECT_EQ(view.at("ref").as_string(), "c.pick");
  EXPECT_EQ(view.at("hint_count").as_int64(), 2);
  EXPECT_EQ(view.at("max_attempts").as_int64(), 3);
  ASSERT_EQ(view.at("options").as_array().size(), 2u);
  EXPECT_EQ(view.at("options").as_array()[0].at("text_html").as_string(), "<p>Mean</p>");
}

TEST(PublicExercise, WeightedMultipleChoiceShowsNoScores) {
  domain::MultipleChoice spec;
  spec.options = {{"a", Text("Two"), true, {}, 0.75},
                  {"b", Text("Three"), true, {}, 0.25},
                  {"c", Text("Four"), false, Text("secret"), -1}};
  const auto view = PublicExercise(Base("primes", spec), "c");
  ExpectNoSecrets(view);
  EXPECT_EQ(view.at("options").as_array().size(), 3u);
}

TEST(PublicExercise, TrueFalseFeedbackAndEssaysShowOnlyThePrompt) {
  const auto tf =
      PublicExercise(Base("tf", domain::TrueFalse{true, Text("secret t"), Text("secret f")}), "c");
  ExpectNoSecrets(tf);
  const auto essay = PublicExercise(Base("why", domain::Essay{}), "c");
  ExpectNoSecrets(essay);
  EXPECT_EQ(essay.at("type").as_string(), "essay");
  EXPECT_EQ(essay.at("prompt_html").as_string(), "<p>Prompt</p>");
  EXPECT_EQ(essay.size(), 6u);  // id, ref, type, prompt_html, hint_count, max_attempts
}

// The display order is seeded by a secret of the process: were it a function of the exercise's
// id, anyone with the code could invert it and read the answer. Every order is possible, the
// authored one included (leaving it out would give two-item exercises away).
TEST(PublicExercise, OrderingIsShownInAnyOrderTheSameWayEachTime) {
  domain::Ordering spec;
  spec.items = {{"i1", Text("one")}, {"i2", Text("two")}, {"i3", Text("three")}};
  std::map<std::string, int> seen;
  int differs_by_course = 0;
  for (int i = 0; i < 600; ++i) {
    const std::string id = "order-" + std::to_string(i);
    const auto view = PublicExercise(Base(id, spec), "c");
    ExpectNoSecrets(view);
    std::string order;
    for (const auto& item : view.at("items").as_array()) order += item.at("id").as_string();
    ++seen[order];
    // Deterministic, so responses can be cached.
    EXPECT_EQ(boost::json::serialize(view),
              boost::json::serialize(PublicExercise(Base(id, spec), "c")));
    if (view.at("items") != PublicExercise(Base(id, spec), "d").at("items")) ++differs_by_course;
  }
  ASSERT_EQ(seen.size(), 6u);  // every permutation of three, the authored "i1i2i3" among them
  for (const auto& [order, count] : seen) {
    EXPECT_GT(count, 50) << order;  // 100 expected of each
    EXPECT_LT(count, 150) << order;
  }
  EXPECT_GT(differs_by_course, 400);  // the same id in another course: another order (5 in 6)
}

TEST(PublicExercise, MatchingShufflesTheRightColumnWithDistractors) {
  domain::Matching spec;
  spec.pairs = {{{"l1", Text("Mean")}, {"r1", Text("Sum over count")}},
                {{"l2", Text("Median")}, {"r2", Text("Middle value")}}};
  spec.distractors = {{"r3", Text("Most frequent")}};
  const auto view = PublicExercise(Base("match", spec), "c");
  ExpectNoSecrets(view);
  EXPECT_EQ(view.at("left").as_array().size(), 2u);
  std::set<std::string> right;
  for (const auto& entry : view.at("right").as_array())
    right.insert(entry.at("id").as_string().c_str());
  EXPECT_EQ(right, (std::set<std::string>{"r1", "r2", "r3"}));
}

TEST(PublicExercise, ClozeShowsGapKindsAndChoiceWordsOnly) {
  domain::Cloze spec;
  domain::Numeric numeric;
  numeric.answers = {{2.0, {0.1, false}, std::nullopt, 1, Text("secret")}};
  domain::ShortText text;
  text.answers = {{"Paris", "", 1, {}}};
  spec.gaps = {{numeric}, {text}, {domain::ChoiceGap{{"x", "y"}, "x"}}};
  const auto view = PublicExercise(Base("gaps", spec), "c");
  ExpectNoSecrets(view);
  const auto& gaps = view.at("gaps").as_array();
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_EQ(gaps[0].at("type").as_string(), "numeric");
  EXPECT_EQ(gaps[1].at("type").as_string(), "short_text");
  EXPECT_EQ(gaps[2].at("type").as_string(), "choice");
  EXPECT_EQ(gaps[2].at("options").as_array().size(), 2u);
  EXPECT_EQ(boost::json::serialize(view).find("Paris"), std::string::npos);
}

TEST(PublicExercise, KeylessTypesShowOnlyThePrompt) {
  domain::Formula formula{"(x + 1)^2", {{"x", -10, 10}}, 20, 1e-6};
  auto view = PublicExercise(Base("f", formula), "c");
  ExpectNoSecrets(view);
  EXPECT_EQ(view.at("variables").as_array().size(), 1u);
  EXPECT_EQ(boost::json::serialize(view).find("(x + 1)"), std::string::npos);

  domain::Numeric numeric;
  numeric.answers = {{42.0, {}, std::nullopt, 1, {}}};
  view = PublicExercise(Base("n", numeric), "c");
  ExpectNoSecrets(view);
  EXPECT_EQ(boost::json::serialize(view).find("42"), std::string::npos);
  auto no_limit = Base("t", domain::TrueFalse{false, {}, {}});
  no_limit.max_attempts.reset();
  view = PublicExercise(no_limit, "c");
  EXPECT_TRUE(view.at("max_attempts").is_null());
}

}  // namespace
}  // namespace practica::api
