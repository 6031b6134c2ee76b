// Spaced repetition with FSRS-5 (the Free Spaced Repetition Scheduler, as in Anki), and the
// motivation counters: XP and the daily streak. Pure: times are passed in; no clock, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace practica::domain {

enum class Rating { kAgain = 1, kHard = 2, kGood = 3, kEasy = 4 };
std::string_view ToString(Rating rating);  // "again" | "hard" | "good" | "easy"
// Exactly the names ToString gives (lowercase); anything else is nullopt.
std::optional<Rating> ParseRating(std::string_view name);

// The rating a graded attempt implies when the learner does not rate it: a wrong answer is
// "again"; a right one "good", or "hard" when it took more than one try or hints. Never "easy":
// only the learner can say that.
Rating RatingFromAttempt(bool correct, int attempt_number, int hints_used);

// An FSRS card's memory state. A new card has reps == 0; its other fields are then ignored.
struct Card {
  double stability = 0;   // days for retrievability to fall to 90 %
  double difficulty = 0;  // 1..10
  int64_t due = 0;        // Unix seconds
  int64_t last_review = 0;
  int reps = 0;    // reviews so far, the first rating included
  int lapses = 0;  // "again" ratings of a card that had been reviewed before
  friend bool operator==(const Card&, const Card&) = default;
};

struct FsrsParameters {
  // FSRS-5 default weights w0..w18, as published with the algorithm (checked against
  // DEFAULT_PARAMETERS of the FSRS-5 release of open-spaced-repetition/fsrs-rs, the
  // implementation Anki uses and the optimizer fits).
  std::array<double, 19> w = {0.40255, 1.18385, 3.173,  15.69105, 7.1949, 0.5345, 1.4604,
                              0.0046,  1.54575, 0.1192, 1.01925,  1.9395, 0.11,   0.29605,
                              2.2698,  0.2315,  2.9898, 0.51655,  0.6621};
  double desired_retention = 0.9;  // in (0, 1]
  double maximum_interval_days = 36500;
};

// R(t, S) = (1 + FACTOR · t / S)^DECAY with DECAY = −0.5, FACTOR = 19/81 (so R(S, S) = 0.9).
// REQUIRES: stability > 0. A negative elapsed time counts as 0 (R = 1).
double Retrievability(double elapsed_days, double stability);

// The next interval in whole days for the desired retention: I = S / FACTOR · (r^(1/DECAY) − 1)
// (= S at r = 0.9), rounded to the nearest day, then held to [1, maximum_interval_days].
int NextIntervalDays(double stability, const FsrsParameters& parameters = {});

// The card after a review with `rating` at `now` (Unix seconds): FSRS-5's memory model as its
// reference implementation (fsrs-rs, Anki's) computes it, scheduled like the published long-term
// scheduler (no learning steps, no fuzz):
// - a new card (reps == 0) takes the initial stability w[G−1] and initial difficulty D0(G);
// - otherwise, with t = (now − last_review) / 86400 in fractional days (the reference counts
//   whole days; domain knows no time zone to count them in): a review less than a day after the
//   last one (or before it: a clock that went back) uses the short-term stability formula;
//   later ones use recall stability (hard, good, easy) or post-lapse stability (again, never
//   above the stability before it) at R(t, S); difficulty moves by rating with linear damping
//   and mean reversion to D0(easy), held to 1..10;
// - stability is held to [0.01, 36500] days, and a stored state out of range is brought back
//   into it before use, as the reference does;
// - every rating, "again" included, is due after NextIntervalDays of the new stability, with
//   the four ratings' intervals kept in order (again <= hard < good < easy, none past the
//   maximum), so a better rating never comes back sooner;
// - reps + 1; lapses + 1 on "again" unless the card was new; last_review = now.
Card Review(const Card& card, Rating rating, int64_t now, const FsrsParameters& parameters = {});

// The card after each possible rating at `now`, indexed by rating − 1 (what a review screen shows
// on its buttons): element r − 1 equals Review(card, r, now, parameters).
std::array<Card, 4> PreviewReview(const Card& card, int64_t now,
                                  const FsrsParameters& parameters = {});

// XP for a graded attempt, given its score (after the retry penalty) and the learner's best
// score on the exercise before it, both in [0, 1]: 10 × score for a first solve (the first
// attempt that scores at all: previous_best == 0), 2 × score for a later improvement
// (score > previous_best), 0 otherwise (so repeating a solved exercise does not farm points).
// Rounded to the nearest point; scores outside [0, 1] are held to it.
int XpForAttempt(double score, double previous_best);

// The daily streak after activity on `day` (days since the epoch in the learner's time zone):
// 1 for the first activity (length == 0), unchanged on the same day or an earlier one (a clock
// or time-zone change must not break a streak), +1 the day after the last active day, otherwise
// 1 (a day was missed). Any day number is valid, negative ones included.
struct Streak {
  int length = 0;
  int64_t last_day = -1;
  friend bool operator==(const Streak&, const Streak&) = default;
};
Streak AdvanceStreak(const Streak& streak, int64_t day);

// The learner's local day number for a Unix time, given the zone's UTC offset at that time in
// seconds (the offset is looked up by the caller: domain has no time-zone database). Rounds
// towards the past, so times before the epoch fall on negative days.
int64_t LocalDay(int64_t unix_seconds, int64_t utc_offset_seconds);

}  // namespace practica::domain
