// Exercise definitions: what an instructor wrote, including the answer key.
//
// These types are the server's private truth. What a learner may see before grading is produced
// by api/exercise_view.cc, which is the only code that turns an Exercise into public JSON.
// Text fields hold Markdown source together with its rendered HTML (RichText), so that export can
// write back exactly what was imported while serving never renders Markdown on the request path.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace practica::domain {

// Markdown as written plus the HTML the content layer rendered from it.
struct RichText {
  std::string markdown;
  std::string html;

  bool empty() const { return markdown.empty(); }
  friend bool operator==(const RichText&, const RichText&) = default;
};

enum class ExerciseType {
  kSingleChoice,
  kMultipleChoice,
  kTrueFalse,
  kNumeric,
  kShortText,
  kCloze,
  kOrdering,
  kMatching,
  kFormula,
  kEssay,
};

// The wire names of CONTENT-FORMAT.md and DESIGN.md ("single_choice", …).
std::string_view ToString(ExerciseType type);
std::optional<ExerciseType> ParseExerciseType(std::string_view name);
inline constexpr int kExerciseTypeCount = 10;

enum class Scoring {
  kPartial,       // partial credit, see each type
  kAllOrNothing,  // 1 for exactly right, else 0
};
std::string_view ToString(Scoring scoring);
std::optional<Scoring> ParseScoring(std::string_view name);

// A choice option. `score` (in [-1, 1]) is the option's weight, when the author gave one:
//   single_choice    the score of choosing this option; only options that are not `correct` have
//                    one (the correct option scores 1), and without one an option scores 0.
//   multiple_choice  when any option has a score, the raw score is the sum of the scores of the
//                    ticked options (options without one count 0), clamped to [0, 1], and within
//                    1e-6 of 1 counts as 1 (three options of 33.33333 % make a full score); the
//                    `correct` options are exactly those with a positive score.
// Scores are part of the answer key: exercise_view never shows them.
struct ChoiceOption {
  std::string id;
  RichText text;
  bool correct = false;
  RichText feedback;
  std::optional<double> score;
  friend bool operator==(const ChoiceOption&, const ChoiceOption&) = default;
};

struct SingleChoice {
  std::vector<ChoiceOption> options;  // exactly one is correct
  bool shuffle = true;
  friend bool operator==(const SingleChoice&, const SingleChoice&) = default;
};

struct MultipleChoice {
  std::vector<ChoiceOption> options;  // one or more are correct
  Scoring scoring = Scoring::kPartial;
  bool shuffle = true;
  friend bool operator==(const MultipleChoice&, const MultipleChoice&) = default;
};

struct TrueFalse {
  bool answer = true;
  RichText true_feedback;   // shown after the learner answered true
  RichText false_feedback;  // shown after the learner answered false
  friend bool operator==(const TrueFalse&, const TrueFalse&) = default;
};

// A numeric tolerance: absolute, or relative to the accepted value ("1%" is 0.01 relative).
struct Tolerance {
  double value = 0;
  bool relative = false;
  friend bool operator==(const Tolerance&, const Tolerance&) = default;
};

// One accepted numeric answer: either a value with a tolerance or an inclusive range.
struct NumericAnswer {
  std::optional<double> value;
  Tolerance tolerance;
  std::optional<std::pair<double, double>> range;
  double score = 1;
  RichText feedback;
  friend bool operator==(const NumericAnswer&, const NumericAnswer&) = default;
};

struct Numeric {
  std::vector<NumericAnswer> answers;  // never empty; checked in order, best score wins
  friend bool operator==(const Numeric&, const Numeric&) = default;
};

// One accepted text answer: a literal text or an anchored regular expression.
struct TextAnswer {
  std::string text;   // set for a literal answer
  std::string regex;  // set for a pattern answer
  double score = 1;
  RichText feedback;
  friend bool operator==(const TextAnswer&, const TextAnswer&) = default;
};

struct ShortText {
  std::vector<TextAnswer> answers;  // never empty
  bool case_sensitive = false;
  bool accents_strict = false;  // false: "é" matches "e"
  friend bool operator==(const ShortText&, const ShortText&) = default;
};

// A cloze gap that offers a fixed list of words.
struct ChoiceGap {
  std::vector<std::string> options;
  std::string answer;  // one of options
  friend bool operator==(const ChoiceGap&, const ChoiceGap&) = default;
};

struct ClozeGap {
  std::variant<Numeric, ShortText, ChoiceGap> spec;
  friend bool operator==(const ClozeGap&, const ClozeGap&) = default;
};

struct Cloze {
  std::vector<ClozeGap> gaps;  // gap k is marked {{k}} in the prompt, k = 1..n
  friend bool operator==(const Cloze&, const Cloze&) = default;
};

struct Item {
  std::string id;
  RichText text;
  friend bool operator==(const Item&, const Item&) = default;
};

struct Ordering {
  std::vector<Item> items;  // in the correct order
  Scoring scoring = Scoring::kPartial;
  friend bool operator==(const Ordering&, const Ordering&) = default;
};

struct MatchingPair {
  Item left;
  Item right;
  friend bool operator==(const MatchingPair&, const MatchingPair&) = default;
};

struct Matching {
  std::vector<MatchingPair> pairs;
  std::vector<Item> distractors;  // extra right-hand items that match nothing
  friend bool operator==(const Matching&, const Matching&) = default;
};

struct FormulaVariable {
  std::string name;
  double low = -10;
  double high = 10;
  friend bool operator==(const FormulaVariable&, const FormulaVariable&) = default;
};

struct Formula {
  std::string answer;  // an expression in the formula grammar
  std::vector<FormulaVariable> variables;
  int samples = 20;
  double tolerance = 1e-6;  // relative; absolute near zero
  friend bool operator==(const Formula&, const Formula&) = default;
};

// An open answer in the learner's own words, stored with the attempt and never graded by the
// platform: every attempt scores 0, is not correct, and counts as done (see grading.h).
struct Essay {
  friend bool operator==(const Essay&, const Essay&) = default;
};

// The alternatives are in ExerciseType order, so spec.index() is the type.
using ExerciseSpec = std::variant<SingleChoice, MultipleChoice, TrueFalse, Numeric, ShortText,
                                  Cloze, Ordering, Matching, Formula, Essay>;

struct Exercise {
  std::string id;  // [a-z0-9-]{1,64}, unique within its course
  RichText prompt;
  std::vector<RichText> hints;
  RichText explanation;
  std::optional<int> max_attempts;  // absent: unlimited
  double penalty = 0;               // in [0, 1], subtracted per retry
  std::vector<std::string> tags;
  ExerciseSpec spec;

  ExerciseType type() const { return static_cast<ExerciseType>(spec.index()); }
  // False for the types the platform does not grade (essay): their attempts score 0, are never
  // correct, count as done once answered, and are left out of review scheduling.
  bool IsAutoGraded() const { return type() != ExerciseType::kEssay; }
  friend bool operator==(const Exercise&, const Exercise&) = default;
};

// True when `id` matches [a-z0-9-]{1,64}, the rule for course, lesson and exercise ids.
bool IsValidSlug(std::string_view id);

}  // namespace practica::domain
