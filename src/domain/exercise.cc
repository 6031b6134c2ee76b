#include "domain/exercise.h"

#include <array>
#include <type_traits>

namespace practica::domain {
namespace {

constexpr std::array<std::string_view, kExerciseTypeCount> kTypeNames = {
    "single_choice", "multiple_choice", "true_false", "numeric", "short_text",
    "cloze",         "ordering",        "matching",   "formula", "essay"};

}  // namespace

std::string_view ToString(ExerciseType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<ExerciseType> ParseExerciseType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<ExerciseType>(i);
  }
  return std::nullopt;
}

std::string_view ToString(Scoring scoring) {
  return scoring == Scoring::kPartial ? "partial" : "all_or_nothing";
}

std::optional<Scoring> ParseScoring(std::string_view name) {
  if (name == "partial") return Scoring::kPartial;
  if (name == "all_or_nothing") return Scoring::kAllOrNothing;
  return std::nullopt;
}

bool IsValidSlug(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace practica::domain

namespace practica::domain {
static_assert(std::variant_size_v<ExerciseSpec> == kExerciseTypeCount,
              "ExerciseSpec alternatives must follow ExerciseType order");
static_assert(std::is_same_v<
              std::variant_alternative_t<static_cast<size_t>(ExerciseType::kFormula), ExerciseSpec>,
              Formula>);
static_assert(std::is_same_v<
              std::variant_alternative_t<static_cast<size_t>(ExerciseType::kCloze), ExerciseSpec>,
              Cloze>);
static_assert(std::is_same_v<
              std::variant_alternative_t<static_cast<size_t>(ExerciseType::kEssay), ExerciseSpec>,
              Essay>);
}  // namespace practica::domain
