#include "domain/scheduling.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace practica::domain {
namespace {

// FSRS-5's forgetting curve is a power law with a fixed decay. FACTOR = 0.9^(1/DECAY) − 1
// = 100/81 − 1 = 19/81 makes R(S, S) = 0.9, which is what "stability" means.
constexpr double kDecay = -0.5;
constexpr double kFactor = 19.0 / 81.0;
constexpr int64_t kSecondsPerDay = 86400;

// The ranges the reference implementation (fsrs-rs) holds the memory state to.
constexpr double kMinStability = 0.01;
constexpr double kMaxStability = 36500;
constexpr double kMinDifficulty = 1;
constexpr double kMaxDifficulty = 10;

using Weights = std::array<double, 19>;

int Grade(Rating rating) { return static_cast<int>(rating); }

// Like std::clamp, but a NaN becomes `low`: a corrupt stored value must not spread through
// every later review.
double Hold(double value, double low, double high) {
  if (!(value >= low)) return low;
  return std::min(value, high);
}

// Initial difficulty D0(G) = w4 − e^(w5·(G−1)) + 1, before it is held to 1..10 (mean reversion
// targets the unheld D0(easy), as the reference does).
double InitialDifficulty(const Weights& w, int grade) {
  return w[4] - std::exp(w[5] * (grade - 1)) + 1;
}

// Next difficulty: ΔD = −w6·(G − 3), damped linearly so D approaches 10 ever more slowly
// (D' = D + ΔD·(10 − D)/9), then mean reversion D'' = w7·D0(easy) + (1 − w7)·D'.
double NextDifficulty(const Weights& w, double difficulty, int grade) {
  const double delta = -w[6] * (grade - 3);
  const double damped = difficulty + delta * (10 - difficulty) / 9;
  const double reverted = w[7] * InitialDifficulty(w, Grade(Rating::kEasy)) + (1 - w[7]) * damped;
  return Hold(reverted, kMinDifficulty, kMaxDifficulty);
}

// Stability after a successful recall (hard, good, easy): the increase is larger for easier
// cards, smaller for already stable ones, and larger the more was forgotten (lower R).
double RecallStability(const Weights& w, double difficulty, double stability, double retrievability,
                       Rating rating) {
  const double hard_penalty = rating == Rating::kHard ? w[15] : 1;
  const double easy_bonus = rating == Rating::kEasy ? w[16] : 1;
  return stability * (std::exp(w[8]) * (11 - difficulty) * std::pow(stability, -w[9]) *
                          (std::exp(w[10] * (1 - retrievability)) - 1) * hard_penalty * easy_bonus +
                      1);
}

// Post-lapse stability. FSRS-5 caps it at the stability before the lapse: forgetting never
// leaves a memory more stable than it was.
double ForgetStability(const Weights& w, double difficulty, double stability,
                       double retrievability) {
  const double forgotten = w[11] * std::pow(difficulty, -w[12]) *
                           (std::pow(stability + 1, w[13]) - 1) *
                           std::exp(w[14] * (1 - retrievability));
  return std::min(forgotten, stability);
}

// Short-term stability for a review within a day of the last: S' = S·e^(w17·(G − 3 + w18)).
// R is ~1 then, which would make the recall formula a no-op.
double ShortTermStability(const Weights& w, double stability, int grade) {
  return stability * std::exp(w[17] * (grade - 3 + w[18]));
}

struct MemoryState {
  double stability = 0;
  double difficulty = 0;
};

MemoryState NextMemoryState(const Card& card, Rating rating, int64_t now, const Weights& w) {
  const int grade = Grade(rating);
  if (card.reps <= 0) {
    return {Hold(w[grade - 1], kMinStability, kMaxStability),
            Hold(InitialDifficulty(w, grade), kMinDifficulty, kMaxDifficulty)};
  }
  const double stability = Hold(card.stability, kMinStability, kMaxStability);
  const double difficulty = Hold(card.difficulty, kMinDifficulty, kMaxDifficulty);
  const double elapsed_days =
      static_cast<double>(now - card.last_review) / static_cast<double>(kSecondsPerDay);
  double next_stability = 0;
  if (elapsed_days < 1) {
    next_stability = ShortTermStability(w, stability, grade);
  } else {
    const double retrievability = Retrievability(elapsed_days, stability);
    next_stability = rating == Rating::kAgain
                         ? ForgetStability(w, difficulty, stability, retrievability)
                         : RecallStability(w, difficulty, stability, retrievability, rating);
  }
  return {Hold(next_stability, kMinStability, kMaxStability), NextDifficulty(w, difficulty, grade)};
}

// The longest interval NextIntervalDays may return: the configured maximum in whole days, at
// least 1, and small enough for an int.
int MaximumIntervalDays(const FsrsParameters& parameters) {
  constexpr double kLargest = std::numeric_limits<int>::max();
  return static_cast<int>(Hold(std::floor(parameters.maximum_interval_days), 1, kLargest));
}

}  // namespace

std::string_view ToString(Rating rating) {
  switch (rating) {
    case Rating::kAgain:
      return "again";
    case Rating::kHard:
      return "hard";
    case Rating::kGood:
      return "good";
    case Rating::kEasy:
      return "easy";
  }
  return "again";
}

std::optional<Rating> ParseRating(std::string_view name) {
  for (Rating rating : {Rating::kAgain, Rating::kHard, Rating::kGood, Rating::kEasy}) {
    if (ToString(rating) == name) return rating;
  }
  return std::nullopt;
}

Rating RatingFromAttempt(bool correct, int attempt_number, int hints_used) {
  if (!correct) return Rating::kAgain;
  return attempt_number > 1 || hints_used > 0 ? Rating::kHard : Rating::kGood;
}

double Retrievability(double elapsed_days, double stability) {
  return std::pow(1 + kFactor * std::max(elapsed_days, 0.0) / stability, kDecay);
}

int NextIntervalDays(double stability, const FsrsParameters& parameters) {
  const double days =
      stability / kFactor * (std::pow(parameters.desired_retention, 1 / kDecay) - 1);
  return static_cast<int>(
      Hold(std::round(days), 1, static_cast<double>(MaximumIntervalDays(parameters))));
}

std::array<Card, 4> PreviewReview(const Card& card, int64_t now, const FsrsParameters& parameters) {
  std::array<Card, 4> next;
  std::array<int, 4> interval_days{};
  for (int grade = 1; grade <= 4; ++grade) {
    const auto rating = static_cast<Rating>(grade);
    const MemoryState state = NextMemoryState(card, rating, now, parameters.w);
    Card& after = next[grade - 1];
    after.stability = state.stability;
    after.difficulty = state.difficulty;
    after.last_review = now;
    after.reps = std::max(card.reps, 0) + 1;
    after.lapses = card.lapses + (rating == Rating::kAgain && card.reps > 0 ? 1 : 0);
    interval_days[grade - 1] = NextIntervalDays(state.stability, parameters);
  }
  // The published long-term scheduler keeps the four intervals in order: a better rating is never
  // due sooner than a worse one, nor (below the maximum) on the same day.
  const int maximum = MaximumIntervalDays(parameters);
  auto& [again, hard, good, easy] = interval_days;
  again = std::min(again, hard);
  hard = std::min(std::max(hard, again + 1), maximum);
  good = std::min(std::max(good, hard + 1), maximum);
  easy = std::min(std::max(easy, good + 1), maximum);
  for (int i = 0; i < 4; ++i) next[i].due = now + int64_t{interval_days[i]} * kSecondsPerDay;
  return next;
}

Card Review(const Card& card, Rating rating, int64_t now, const FsrsParameters& parameters) {
  // at(): a Rating outside the four is a bug, and throws rather than reads past the array.
  return PreviewReview(card, now, parameters).at(Grade(rating) - 1);
}

int XpForAttempt(double score, double previous_best) {
  score = Hold(score, 0, 1);
  previous_best = Hold(previous_best, 0, 1);
  if (score <= previous_best) return 0;
  const double points = previous_best == 0 ? 10 * score : 2 * score;
  return static_cast<int>(std::lround(points));
}

Streak AdvanceStreak(const Streak& streak, int64_t day) {
  if (streak.length <= 0) return {1, day};
  if (day <= streak.last_day) return streak;
  if (day - 1 == streak.last_day) return {streak.length + 1, day};
  return {1, day};
}

int64_t LocalDay(int64_t unix_seconds, int64_t utc_offset_seconds) {
  const int64_t local = unix_seconds + utc_offset_seconds;
  // Integer division truncates towards zero; step back a day for a negative remainder.
  return local / kSecondsPerDay - (local % kSecondsPerDay < 0 ? 1 : 0);
}

}  // namespace practica::domain
