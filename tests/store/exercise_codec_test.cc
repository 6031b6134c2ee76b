#include "store/exercise_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "sample_content.h"

namespace practica::store {
namespace {

using domain::Exercise;
using domain::LessonBlock;

TEST(ExerciseCodecTest, EveryTypeRoundTrips) {
  const std::vector<Exercise> exercises = testing::EveryTypeExercises();
  ASSERT_EQ(exercises.size(), static_cast<size_t>(domain::kExerciseTypeCount));
  for (const Exercise& exercise : exercises) {
    SCOPED_TRACE(exercise.id);
    const std::string json = EncodeExercise(exercise);
    Result<Exercise> decoded = DecodeExercise(json);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message << "\n" << json;
    EXPECT_EQ(*decoded, exercise);
    EXPECT_EQ(EncodeExercise(*decoded), json);
  }
}

TEST(ExerciseCodecTest, DefaultExerciseOfEachTypeRoundTrips) {
  for (int t = 0; t < domain::kExerciseTypeCount; ++t) {
    Exercise exercise;
    exercise.id = "x";
    switch (static_cast<domain::ExerciseType>(t)) {
      case domain::ExerciseType::kSingleChoice:
        exercise.spec = domain::SingleChoice{};
        break;
      case domain::ExerciseType::kMultipleChoice:
        exercise.spec = domain::MultipleChoice{};
        break;
      case domain::ExerciseType::kTrueFalse:
        exercise.spec = domain::TrueFalse{};
        break;
      case domain::ExerciseType::kNumeric:
        exercise.spec = domain::Numeric{};
        break;
      case domain::ExerciseType::kShortText:
        exercise.spec = domain::ShortText{};
        break;
      case domain::ExerciseType::kCloze:
        exercise.spec = domain::Cloze{};
        break;
      case domain::ExerciseType::kOrdering:
        exercise.spec = domain::Ordering{};
        break;
      case domain::ExerciseType::kMatching:
        exercise.spec = domain::Matching{};
        break;
      case domain::ExerciseType::kFormula:
        exercise.spec = domain::Formula{};
        break;
      case domain::ExerciseType::kEssay:
        exercise.spec = domain::Essay{};
        break;
    }
    ASSERT_EQ(static_cast<int>(exercise.type()), t);
    Result<Exercise> decoded = DecodeExercise(EncodeExercise(exercise));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, exercise);
  }
}

TEST(ExerciseCodecTest, WritesTheDocumentedShape) {
  Exercise exercise;
  exercise.id = "tf";
  exercise.prompt = {"Is it?", "<p>Is it?</p>"};
  exercise.spec = domain::TrueFalse{false, {}, {}};
  EXPECT_EQ(
      EncodeExercise(exercise),
      R"({"id":"tf","type":"true_false","prompt":{"markdown":"Is it?","html":"<p>Is it?</p>"},)"
      R"("hints":[],"explanation":{"markdown":"","html":""},"penalty":0E0,"tags":[],)"
      R"("spec":{"answer":false,"true_feedback":{"markdown":"","html":""},)"
      R"("false_feedback":{"markdown":"","html":""}}})");
}

// Documents written before option scores and true/false feedback existed still decode.
TEST(ExerciseCodecTest, ReadsDocumentsWithoutTheLaterOptionalFields) {
  Result<Exercise> tf = DecodeExercise(
      R"({"id":"tf","type":"true_false","prompt":{"markdown":"","html":""},"hints":[],)"
      R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],"spec":{"answer":true}})");
  ASSERT_TRUE(tf.ok()) << tf.error().message;
  EXPECT_TRUE(std::get<domain::TrueFalse>(tf->spec).true_feedback.empty());
  Result<Exercise> choice = DecodeExercise(
      R"({"id":"c","type":"single_choice","prompt":{"markdown":"","html":""},"hints":[],)"
      R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],"spec":{"options":[)"
      R"({"id":"a","text":{"markdown":"","html":""},"correct":true,)"
      R"("feedback":{"markdown":"","html":""}}],"shuffle":true}})");
  ASSERT_TRUE(choice.ok()) << choice.error().message;
  EXPECT_EQ(std::get<domain::SingleChoice>(choice->spec).options[0].score, std::nullopt);
}

TEST(ExerciseCodecTest, WritesAnOptionScoreOnlyWhenThereIsOne) {
  Exercise exercise;
  exercise.id = "c";
  domain::ChoiceOption plain;
  plain.id = "a";
  plain.correct = true;
  domain::ChoiceOption weighted;
  weighted.id = "b";
  weighted.score = 0.5;
  exercise.spec = domain::SingleChoice{{plain, weighted}, true};
  const std::string json = EncodeExercise(exercise);
  EXPECT_NE(json.find(R"("id":"b","text":{"markdown":"","html":""},"correct":false,)"
                      R"("feedback":{"markdown":"","html":""},"score":5E-1})"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find(R"("correct":true,"feedback":{"markdown":"","html":""},"score")"),
            std::string::npos)
      << json;
  Result<Exercise> back = DecodeExercise(json);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, exercise);
}

// Boost.JSON 1.81's own parser rounds some decimals to a neighbouring double; the codec must not.
TEST(ExerciseCodecTest, DoublesRoundTripBitForBit) {
  std::mt19937_64 random(20260101);
  std::vector<double> values = {0.0,
                                -0.0,
                                0.1,
                                1.0 / 3.0,
                                504.29040149605316,
                                -102.16784850444617,
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::lowest(),
                                std::numeric_limits<double>::epsilon(),
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                9007199254740993.0,
                                1e23};
  for (int i = 0; i < 2000; ++i) {
    const double d = std::bit_cast<double>(random());
    if (!std::isnan(d)) values.push_back(d);
    values.push_back(std::uniform_real_distribution<double>(-1000, 1000)(random));
  }
  Exercise exercise;
  exercise.id = "numbers";
  domain::Numeric numeric;
  for (double value : values) {
    domain::NumericAnswer answer;
    answer.value = value;
    answer.tolerance.value = -value;
    answer.range = std::make_pair(value / 7, value * 3);
    answer.score = value;
    numeric.answers.push_back(answer);
  }
  exercise.spec = numeric;
  exercise.penalty = values[3];
  Result<Exercise> decoded = DecodeExercise(EncodeExercise(exercise));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& answers = std::get<domain::Numeric>(decoded->spec).answers;
  ASSERT_EQ(answers.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const auto& want = numeric.answers[i];
    ASSERT_EQ(std::bit_cast<uint64_t>(*answers[i].value), std::bit_cast<uint64_t>(*want.value))
        << "value " << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(answers[i].tolerance.value),
              std::bit_cast<uint64_t>(want.tolerance.value));
    ASSERT_EQ(std::bit_cast<uint64_t>(answers[i].range->first),
              std::bit_cast<uint64_t>(want.range->first));
    ASSERT_EQ(std::bit_cast<uint64_t>(answers[i].range->second),
              std::bit_cast<uint64_t>(want.range->second));
  }
  EXPECT_EQ(decoded->penalty, exercise.penalty);
}

TEST(ExerciseCodecTest, NaNStaysNaN) {
  Exercise exercise;
  exercise.id = "nan";
  exercise.penalty = std::numeric_limits<double>::quiet_NaN();
  exercise.spec = domain::Formula{"x", {}, 1, -std::numeric_limits<double>::quiet_NaN()};
  const std::string json = EncodeExercise(exercise);
  EXPECT_NE(json.find(R"("penalty":"NaN")"), std::string::npos) << json;
  Result<Exercise> decoded = DecodeExercise(json);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(std::isnan(decoded->penalty));
  EXPECT_TRUE(std::isnan(std::get<domain::Formula>(decoded->spec).tolerance));
}

TEST(ExerciseCodecTest, StringsRoundTripByteForByte) {
  Exercise exercise;
  exercise.id = std::string("nul\0inside", 10);
  exercise.prompt.markdown = "invalid UTF-8: \xff\xfe \xc3( and a lone \xe2\x82";
  exercise.prompt.html = "\"\\/\b\f\n\r\t\x1f — ✓ 𝄞";
  exercise.tags = {"", std::string(1, '\0'), std::string(100000, 'x')};
  exercise.spec = domain::ShortText{{{"\xed\xa0\x80", "(a|b)*\\d+$", 1, {}}}, false, false};
  Result<Exercise> decoded = DecodeExercise(EncodeExercise(exercise));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, exercise);
}

TEST(ExerciseCodecTest, ExtremeIntegersRoundTrip) {
  for (int max_attempts :
       {0, 1, std::numeric_limits<int>::max(), std::numeric_limits<int>::min()}) {
    Exercise exercise;
    exercise.id = "ints";
    exercise.max_attempts = max_attempts;
    exercise.spec = domain::Formula{"x", {}, -(max_attempts / 2), 0};
    Result<Exercise> decoded = DecodeExercise(EncodeExercise(exercise));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, exercise);
  }
}

TEST(ExerciseCodecTest, LessonBlocksRoundTrip) {
  using Kind = LessonBlock::Kind;
  const std::vector<LessonBlock> blocks = {
      {Kind::kMarkdown, {"# Title", "<h1>Title</h1>\n"}, ""},
      {Kind::kExercise, {}, "ex-1"},
      {Kind::kMarkdown, {}, ""},
      // Stray fields of the other kind survive too: the codec is lossless, not a validator.
      {Kind::kExercise, {"stray", ""}, "ex-2"},
      {Kind::kMarkdown, {"text", "<p>text</p>"}, "stray-id"},
      {Kind::kExercise, {}, ""},
  };
  const std::string json = EncodeLessonBlocks(blocks);
  Result<std::vector<LessonBlock>> decoded = DecodeLessonBlocks(json);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, blocks);
  EXPECT_EQ(EncodeLessonBlocks({}), "[]");
  Result<std::vector<LessonBlock>> empty = DecodeLessonBlocks("[]");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ExerciseCodecTest, CoursesRoundTrip) {
  domain::Course course = testing::FullCourse("statistics", 3);
  course.summary = "Means, medians \"and\" spread";
  course.language = "pt-BR";
  course.lessons[0].file_name = "01-averages";
  course.lessons.push_back({});  // a lesson with nothing set survives too
  const std::string json = EncodeCourse(course);
  Result<domain::Course> decoded = DecodeCourse(json);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, course);
  EXPECT_EQ(EncodeCourse(*decoded), json);

  const domain::Course empty;
  Result<domain::Course> empty_back = DecodeCourse(EncodeCourse(empty));
  ASSERT_TRUE(empty_back.ok()) << empty_back.error().message;
  EXPECT_EQ(*empty_back, empty);
}

TEST(ExerciseCodecTest, ACourseDocumentErrorSaysWhere) {
  domain::Course course = testing::SmallCourse("alpha", 2);
  std::string json = EncodeCourse(course);
  // The second lesson's exercise loses its prompt's HTML.
  const std::string html = R"("html":)";
  const size_t last_prompt = json.rfind(R"("prompt":)");
  ASSERT_NE(last_prompt, std::string::npos);
  const size_t html_at = json.find(html, last_prompt);
  json.replace(html_at, html.size(), R"("htnl":)");
  Result<domain::Course> decoded = DecodeCourse(json);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::kInvalid);
  EXPECT_NE(decoded.error().message.find("lessons[1].exercises[0].prompt.html: missing"),
            std::string::npos)
      << decoded.error().message;
  EXPECT_FALSE(DecodeCourse(R"({"slug":"a"})").ok());
  EXPECT_FALSE(DecodeCourse("[]").ok());
  EXPECT_FALSE(DecodeCourse("").ok());
}

TEST(ExerciseCodecTest, StringsListRoundTrips) {
  const std::vector<std::string> tags = {"maths", "", "é", "with \"quote\""};
  Result<std::vector<std::string>> decoded = DecodeStrings(EncodeStrings(tags));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, tags);
  EXPECT_FALSE(DecodeStrings(R"(["a", 1])").ok());
  EXPECT_FALSE(DecodeStrings(R"({"a": "b"})").ok());
}

struct GarbageCase {
  const char* json;
  const char* message_part;  // the error names what is wrong, and where
};

TEST(ExerciseCodecTest, GarbageIsAnErrorThatSaysWhere) {
  const GarbageCase cases[] = {
      {"", "malformed JSON"},
      {"{", "malformed JSON"},
      {"not json", "malformed JSON"},
      {"null", "expected an object"},
      {"[]", "expected an object"},
      {"{}", "type: missing"},
      {R"({"type": 7})", "type: expected a string"},
      {R"({"type": "description"})", "unknown exercise type \"description\""},
      {R"({"type": "true_false", "id": "x"})", "prompt: missing"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"m"},"hints":[],"explanation":{},)"
       R"("penalty":0,"tags":[],"spec":{}})",
       "prompt.html: missing"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"","html":""},"hints":[{}],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],"spec":{}})",
       "hints[0].markdown: missing"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":"high","tags":[],"spec":{}})",
       "penalty: expected a number"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],"spec":{"answer":1}})",
       "spec.answer: expected true or false"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],"max_attempts":1.5,)"
       R"("spec":{"answer":true}})",
       "max_attempts: expected an integer"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],)"
       R"("max_attempts":3000000000,"spec":{"answer":true}})",
       "max_attempts: out of range"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":1e999,"tags":[],)"
       R"("spec":{"answer":true}})",
       "out of the range of a double"},
      {R"({"type":"multiple_choice","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],)"
       R"("spec":{"options":[],"scoring":"most","shuffle":true}})",
       "spec.scoring: unknown scoring \"most\""},
      {R"({"type":"cloze","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],)"
       R"("spec":{"gaps":[{"type":"choice","options":["a"],"answer":"a"},{"type":"dropdown"}]}})",
       "spec.gaps[1].type: unknown gap type \"dropdown\""},
      {R"({"type":"numeric","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],)"
       R"("spec":{"answers":[{"range":[1],"tolerance":{"value":0,"relative":false},"score":1,)"
       R"("feedback":{"markdown":"","html":""}}]}})",
       "spec.answers[0].range: expected [low, high]"},
      {R"({"type":"true_false","id":"x","prompt":{"markdown":"","html":""},"hints":[],)"
       R"("explanation":{"markdown":"","html":""},"penalty":0,"tags":[],"spec":{"answer":true}} x)",
       "unexpected text after the JSON value"},
      {R"({"type":"true_false"} {"type":"true_false"})", "unexpected text after the JSON value"},
      {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]"
       "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
       "malformed JSON"},
  };
  for (const GarbageCase& c : cases) {
    SCOPED_TRACE(c.json);
    Result<Exercise> decoded = DecodeExercise(c.json);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalid);
    EXPECT_NE(decoded.error().message.find(c.message_part), std::string::npos)
        << decoded.error().message;
  }
  EXPECT_FALSE(DecodeLessonBlocks(R"([{"kind":"video"}])").ok());
  EXPECT_FALSE(DecodeLessonBlocks(R"([{"kind":"exercise"}])").ok());
  EXPECT_FALSE(DecodeLessonBlocks(R"([{"kind":"markdown"}])").ok());
  EXPECT_FALSE(DecodeLessonBlocks(R"({"kind":"markdown"})").ok());
}

// Every truncation of a valid document is rejected, and no mutation crashes the decoder.
TEST(ExerciseCodecTest, TruncatedAndMutatedInputNeverCrashes) {
  std::mt19937 random(7);
  for (const Exercise& exercise : testing::EveryTypeExercises()) {
    const std::string json = EncodeExercise(exercise);
    for (size_t length = 0; length < json.size(); ++length) {
      ASSERT_FALSE(DecodeExercise(std::string_view(json).substr(0, length)).ok()) << length;
    }
    for (int i = 0; i < 300; ++i) {
      std::string mutated = json;
      for (int edits = 0; edits < 3; ++edits) {
        const size_t at = random() % mutated.size();
        mutated[at] = static_cast<char>(random() % 256);
      }
      Result<Exercise> decoded = DecodeExercise(mutated);
      if (!decoded.ok()) {
        EXPECT_EQ(decoded.error().code, ErrorCode::kInvalid);
      }
    }
  }
  const std::string blocks = EncodeLessonBlocks(testing::FullCourse("c").lessons[0].blocks);
  for (size_t length = 0; length < blocks.size(); ++length) {
    ASSERT_FALSE(DecodeLessonBlocks(std::string_view(blocks).substr(0, length)).ok()) << length;
  }
}

}  // namespace
}  // namespace practica::store
