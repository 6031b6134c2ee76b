#include "sample_content.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace practica::store::testing {
namespace {

using domain::RichText;

RichText Rich(const std::string& markdown) { return {markdown, "<p>" + markdown + "</p>\n"}; }

domain::NumericAnswer ValueAnswer(double value, double tolerance, bool relative, double score) {
  domain::NumericAnswer answer;
  answer.value = value;
  answer.tolerance = {tolerance, relative};
  answer.score = score;
  answer.feedback = Rich("Close: " + std::to_string(value));
  return answer;
}

domain::NumericAnswer RangeAnswer(double low, double high, double score) {
  domain::NumericAnswer answer;
  answer.range = std::make_pair(low, high);
  answer.score = score;
  return answer;
}

domain::Numeric NumericSpec() {
  domain::Numeric numeric;
  numeric.answers = {ValueAnswer(3.14159, 0.01, false, 1), ValueAnswer(0.1, 0.05, true, 0.5),
                     RangeAnswer(-0.0, 1e-310, 0.25),
                     RangeAnswer(-std::numeric_limits<double>::infinity(), -1e300, 0.125)};
  // Both a value and a range: the codec must not assume they exclude each other.
  domain::NumericAnswer both = ValueAnswer(2.5, 0, false, 0.75);
  both.range = std::make_pair(2.0, 3.0);
  numeric.answers.push_back(both);
  return numeric;
}

domain::ShortText ShortTextSpec() {
  domain::ShortText short_text;
  short_text.answers = {
      {"Photosynthèse", "", 1, Rich("Exactly.")},
      {"", "photo ?synth[eè]s[ei]s?", 0.8, Rich("Watch the spelling.")},
      {"a \"quoted\"\\ answer\twith\ncontrol \x01 chars", "", 0.1, {}},
  };
  short_text.case_sensitive = true;
  short_text.accents_strict = true;
  return short_text;
}

domain::ChoiceOption Option(const std::string& id, const std::string& text, bool correct,
                            std::optional<double> score = std::nullopt) {
  return {id, Rich(text), correct, Rich(correct ? "Yes: " + text : "No: " + text), score};
}

domain::Item ItemOf(const std::string& id, const std::string& text) { return {id, Rich(text)}; }

domain::Exercise Base(const std::string& id, const std::string& prompt) {
  domain::Exercise exercise;
  exercise.id = id;
  exercise.prompt = Rich(prompt);
  exercise.hints = {Rich("First hint for " + id), Rich("Second hint, with `code` and $x^2$")};
  exercise.explanation = Rich("Because " + id + ".");
  exercise.max_attempts = 3;
  exercise.penalty = 0.2;
  exercise.tags = {"tag-" + id, "statistics"};
  return exercise;
}

}  // namespace

std::vector<domain::Exercise> EveryTypeExercises(const std::string& id_prefix) {
  std::vector<domain::Exercise> exercises;

  domain::Exercise single = Base(id_prefix + "single-choice", "Which is the mean of 1, 2, 3?");
  single.spec = domain::SingleChoice{{Option("a", "1", false, -0.25), Option("b", "2", true),
                                      Option("c", "<b>3</b> & more", false, 1.0 / 3.0)},
                                     false};
  exercises.push_back(single);

  domain::Exercise multiple = Base(id_prefix + "multiple-choice", "Pick the primes.");
  multiple.max_attempts.reset();  // unlimited
  multiple.spec = domain::MultipleChoice{
      {Option("two", "2", true), Option("three", "3", true), Option("four", "4", false)},
      domain::Scoring::kAllOrNothing,
      false};
  exercises.push_back(multiple);

  domain::Exercise true_false = Base(id_prefix + "true-false", "The median is robust.");
  true_false.spec =
      domain::TrueFalse{false, Rich("Outliers pull the mean, not the median."), Rich("Right.")};
  true_false.hints.clear();
  true_false.tags.clear();
  exercises.push_back(true_false);

  domain::Exercise numeric = Base(id_prefix + "numeric", "What is pi to two decimals?");
  numeric.max_attempts = 0;
  numeric.penalty = 1.0 / 3.0;
  numeric.spec = NumericSpec();
  exercises.push_back(numeric);

  domain::Exercise short_text = Base(id_prefix + "short-text", "Name the process. 日本語 ✓");
  short_text.spec = ShortTextSpec();
  exercises.push_back(short_text);

  domain::Exercise cloze = Base(id_prefix + "cloze", "The mean of {{1}} and 4 is {{2}}, a {{3}}.");
  domain::Cloze cloze_spec;
  cloze_spec.gaps.push_back({NumericSpec()});
  cloze_spec.gaps.push_back({ShortTextSpec()});
  cloze_spec.gaps.push_back({domain::ChoiceGap{{"statistic", "parameter", ""}, "statistic"}});
  cloze.spec = cloze_spec;
  exercises.push_back(cloze);

  domain::Exercise ordering = Base(id_prefix + "ordering", "Order the steps.");
  ordering.spec = domain::Ordering{
      {ItemOf("collect", "Collect"), ItemOf("clean", "Clean"), ItemOf("model", "Model")},
      domain::Scoring::kAllOrNothing};
  exercises.push_back(ordering);

  domain::Exercise matching = Base(id_prefix + "matching", "Match the measures.");
  matching.spec =
      domain::Matching{{{ItemOf("mean", "Mean"), ItemOf("avg", "Average")},
                        {ItemOf("sd", "Standard deviation"), ItemOf("spread", "Spread")}},
                       {ItemOf("mode", "Most frequent"), ItemOf("none", "")}};
  exercises.push_back(matching);

  domain::Exercise formula = Base(id_prefix + "formula", "Differentiate $x^2 y$ by x.");
  formula.spec = domain::Formula{"2*x*y", {{"x", -3.5, 7.25}, {"y", 1e-9, 1e9}}, 37, 1e-9};
  exercises.push_back(formula);

  domain::Exercise essay = Base(id_prefix + "essay", "Explain, in your own words, why.");
  essay.spec = domain::Essay{};
  exercises.push_back(essay);

  return exercises;
}

domain::Course FullCourse(const std::string& slug, int generation) {
  const std::string gen = " (generation " + std::to_string(generation) + ")";
  domain::Course course;
  course.slug = slug;
  course.title = "Statistics for everyone" + gen;
  course.summary = "Means, medians and more.\nA second line with \"quotes\".";
  course.language = "fr";
  course.tags = {"maths", "statistics", "débutant"};

  std::vector<domain::Exercise> all = EveryTypeExercises();
  for (domain::Exercise& exercise : all) exercise.prompt.markdown += gen;

  // Lesson 1: the first four exercises; lesson 2: the rest; lesson 3: Markdown only; lesson 4:
  // empty. Blocks interleave text and exercises.
  const std::size_t split = 4;
  for (int l = 0; l < 4; ++l) {
    domain::Lesson lesson;
    lesson.slug = "lesson-" + std::to_string(l + 1);
    lesson.title = "Lesson " + std::to_string(l + 1) + gen;
    lesson.file_name = "0" + std::to_string(l + 1) + "-lesson";
    if (l < 2) {
      const std::size_t first = l == 0 ? 0 : split;
      const std::size_t last = l == 0 ? split : all.size();
      lesson.blocks.push_back(
          {domain::LessonBlock::Kind::kMarkdown, Rich("# Introduction" + gen), ""});
      for (std::size_t i = first; i < last; ++i) {
        lesson.exercises.push_back(all[i]);
        lesson.blocks.push_back({domain::LessonBlock::Kind::kExercise, {}, all[i].id});
        lesson.blocks.push_back(
            {domain::LessonBlock::Kind::kMarkdown, Rich("Text after " + all[i].id + gen), ""});
      }
    } else if (l == 2) {
      lesson.blocks.push_back({domain::LessonBlock::Kind::kMarkdown, Rich("Only text" + gen), ""});
    }
    course.lessons.push_back(std::move(lesson));
  }
  return course;
}

domain::Course SmallCourse(const std::string& slug, int lesson_count) {
  domain::Course course;
  course.slug = slug;
  course.title = "Course " + slug;
  course.summary = "Summary of " + slug;
  course.tags = {"small"};
  for (int l = 0; l < lesson_count; ++l) {
    const std::string n = std::to_string(l + 1);
    domain::Lesson lesson;
    lesson.slug = "lesson-" + n;
    lesson.title = "Lesson " + n;
    lesson.file_name = lesson.slug;
    domain::Exercise exercise;
    exercise.id = "exercise-" + n;
    exercise.prompt = Rich("Statement " + n + " is true.");
    exercise.spec = domain::TrueFalse{true, {}, {}};
    lesson.blocks = {{domain::LessonBlock::Kind::kMarkdown, Rich("Text " + n), ""},
                     {domain::LessonBlock::Kind::kExercise, {}, exercise.id}};
    lesson.exercises.push_back(std::move(exercise));
    course.lessons.push_back(std::move(lesson));
  }
  return course;
}

}  // namespace practica::store::testing
