// Spaced repetition with FSRS-5 (the Free Spaced Repetition Scheduler, as in Anki), and the
// motivation counters: XP and the daily streak. Pure: times are passed in.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace practica::domain {

enum class Rating { kAgain = 1, kHard = 2, kGood = 3, kEasy = 4 };
std::string_view ToString(Rating rating);  // "again" | "hard" | "good" | "easy"
std::optional<Rating> ParseRating(std::string_view name);

// The rating a graded attempt implies when the learner does not rate it: a wrong answer is
// "again"; a right one "good", or "hard" when it took more than one try or hints.
Rating RatingFromAttempt(bool correct, int attempt_number, int hints_used);

// An FSRS card's memory state. A new card has reps == 0.
struct Card {
  double stability = 0;   // days for retrievability to fall to 90 %
  double difficulty = 0;  // 1..10
  int64_t due = 0;        // Unix seconds
  int64_t last_review = 0;
  int reps = 0;
  int lapses = 0;
  friend bool operator==(const Card&, const Card&) = default;
};

struct FsrsParameters {
  // FSRS-5 default weights w0..w18, as published with the algorithm.
  std::array<double, 19> w = {0.40255, 1.18385, 3.173,  15.69105, 7.1949,  0.5345,  1.4604,
                              0.0046,  1.54575, 0.1192, 1.01925,  1.9395,  0.11,    0.29605,
                              2.2698,  0.2315,  2.9898, 0.51655,  0.6621};
  double desired_retention = 0.9;
  double maximum_interval_days = 36500;
};

// R(t, S) = (1 + FACTOR · t / S)^DECAY with DECAY = −0.5, FACTOR = 19/81 (so R(S, S) = 0.9).
double Retrievability(double elapsed_days, double stability);

// The next interval in whole days (at least 1) for the desired retention.
int NextIntervalDays(double stability, const FsrsParameters& parameters = {});

// The card after a review with `rating` at `now` (Unix seconds). Same-day reviews use the
// short-term stability formula of FSRS-5.
Card Review(const Card& card, Rating rating, int64_t now, const FsrsParameters& parameters = {});

// XP for a graded attempt: 10 × score for a first solve, 2 × score for a later improvement,
// 0 otherwise (so repeating a solved exercise does not farm points).
int XpForAttempt(double score, double previous_best);

// The daily streak after activity on `day` (days since the epoch in the learner's time zone):
// unchanged on the same day, +1 the day after the last active day, otherwise 1.
struct Streak {
  int length = 0;
  int64_t last_day = -1;
  friend bool operator==(const Streak&, const Streak&) = default;
};
Streak AdvanceStreak(const Streak& streak, int64_t day);

// The learner's local day number for a Unix time, given the zone's UTC offset at that time in
// seconds (the offset is looked up by the caller: domain has no time-zone database).
int64_t LocalDay(int64_t unix_seconds, int64_t utc_offset_seconds);

}  // namespace practica::domain
