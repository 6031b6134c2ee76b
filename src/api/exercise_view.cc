#include "api/exercise_view.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cstdint>
#include <random>
#include <type_traits>

#include "api/course_index.h"
#include "common/text.h"

namespace practica::api {
namespace json = boost::json;
namespace {

// A permutation of 0..n-1 that is never the identity when n > 1: showing the authored order
// would give the answer away.
std::vector<size_t> DisplayOrder(size_t n, std::string_view exercise_id) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(Fnv1a64(exercise_id));
  std::shuffle(order.begin(), order.end(), rng);
  if (n > 1 && std::is_sorted(order.begin(), order.end())) {
    std::rotate(order.begin(), order.begin() + 1, order.end());
  }
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

void AddTypeFields(json::object& out, const domain::Exercise& exercise) {
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
          for (size_t i : DisplayOrder(spec.items.size(), exercise.id)) {
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
          for (size_t i : DisplayOrder(rights.size(), exercise.id)) {
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
  AddTypeFields(out, exercise);
  return out;
}

}  // namespace practica::api
