#include "api/exercise_view.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <charconv>
#include <cstdint>
#include <random>
#include <type_traits>

#include "api/course_index.h"
#include "auth/crypto.h"
#include "auth/random.h"

namespace practica::api {
namespace json = boost::json;
namespace {

// The order an ordering exercise's items, or a matching exercise's right column, are shown in: a
// permutation of 0..n-1 that only this process can compute. Were it a function of public data
// alone (the exercise's id, say), anyone running the same code could invert it and read the
// authored order, which is the answer; so it is seeded from a secret drawn once per process, and
// every permutation is possible, the authored order included (leaving that one out would tell
// the learner one wrong answer, and for two items the right one). The same process always shows
// an exercise the same way, so cached responses stay valid; another process (a restart, another
// Lambda instance) may show it differently, which costs only a cache miss.
std::vector<size_t> DisplayOrder(size_t n, std::string_view course, std::string_view exercise_id) {
  static const std::string kSecret = auth::RandomBytes(32);
  std::string message = kSecret;
  message.append(course).push_back('\0');
  message.append(exercise_id);
  const std::string digest = auth::Sha256Hex(message);
  uint64_t seed = 0;
  std::from_chars(digest.data(), digest.data() + 16, seed, 16);
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

json::object Entry(std::string_view id, const domain::RichText& text) {
  return {{"id", id}, {"text_html", text.html}};
}

json::array Options(const std::vector<domain::ChoiceOption>& options) {
  json::array out;
  for (const auto& option : options) out.push_back(Entry(option.id, option.text));
  return out;
}

std::string_view GapType(const domain::ClozeGap& gap) {
  switch (gap.spec.index()) {
    case 0:
      return "numeric";
    case 1:
      return "short_text";
    default:
      return "choice";
  }
}

void AddTypeFields(json::object& out, const domain::Exercise& exercise, std::string_view course) {
  std::visit(
      [&](const auto& spec) {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, domain::SingleChoice> ||
                      std::is_same_v<T, domain::MultipleChoice>) {
          out["options"] = Options(spec.options);
          out["shuffle"] = spec.shuffle;
        } else if constexpr (std::is_same_v<T, domain::Cloze>) {
          json::array gaps;
          for (const auto& gap : spec.gaps) {
            json::object g{{"type", GapType(gap)}};
            if (const auto* choice = std::get_if<domain::ChoiceGap>(&gap.spec)) {
              json::array words;
              for (const auto& word : choice->options) words.emplace_back(word);
              g["options"] = std::move(words);
            }
            gaps.push_back(std::move(g));
          }
          out["gaps"] = std::move(gaps);
        } else if constexpr (std::is_same_v<T, domain::Ordering>) {
          json::array items;
          for (size_t i : DisplayOrder(spec.items.size(), course, exercise.id)) {
            items.push_back(Entry(spec.items[i].id, spec.items[i].text));
          }
          out["items"] = std::move(items);
        } else if constexpr (std::is_same_v<T, domain::Matching>) {
          json::array left;
          std::vector<const domain::Item*> rights;
          for (const auto& pair : spec.pairs) {
            left.push_back(Entry(pair.left.id, pair.left.text));
            rights.push_back(&pair.right);
          }
          for (const auto& distractor : spec.distractors) rights.push_back(&distractor);
          json::array right;
          for (size_t i : DisplayOrder(rights.size(), course, exercise.id)) {
            right.push_back(Entry(rights[i]->id, rights[i]->text));
          }
          out["left"] = std::move(left);
          out["right"] = std::move(right);
        } else if constexpr (std::is_same_v<T, domain::Formula>) {
          json::array names;
          for (const auto& variable : spec.variables) names.emplace_back(variable.name);
          out["variables"] = std::move(names);
        }
        // true_false, numeric, short_text and essay show nothing beyond the prompt; option
        // scores, like `correct`, are never shown.
      },
      exercise.spec);
}

}  // namespace

json::object PublicExercise(const domain::Exercise& exercise, std::string_view course) {
  json::object out;
  out["id"] = exercise.id;
  out["ref"] = MakeExerciseRef(course, exercise.id);
  out["type"] = domain::ToString(exercise.type());
  out["prompt_html"] = exercise.prompt.html;
  out["hint_count"] = static_cast<int64_t>(exercise.hints.size());
  if (exercise.max_attempts) {
    out["max_attempts"] = *exercise.max_attempts;
  } else {
    out["max_attempts"] = nullptr;
  }
  AddTypeFields(out, exercise, course);
  return out;
}

}  // namespace practica::api
