#include "domain/scheduling.h"

#include <gtest/gtest.h>

#include <limits>

namespace practica::domain {
namespace {

// Expected values are worked out from the FSRS-5 formulas with the default weights
// (w0..w18 = 0.40255 1.18385 3.173 15.69105 7.1949 0.5345 1.4604 0.0046 1.54575 0.1192 1.01925
// 1.9395 0.11 0.29605 2.2698 0.2315 2.9898 0.51655 0.6621), FACTOR = 19/81 = 0.2345679012,
// DECAY = −0.5; the arithmetic is in the comments.
constexpr int64_t kDay = 86400;
constexpr int64_t kT0 = 1'700'000'000;  // 2023-11-14T22:13:20Z
constexpr double kTolerance = 1e-4;

// D0(3) = w4 − e^(2·w5) + 1 = 7.1949 − e^1.069 + 1 = 7.1949 − 2.9124655777 + 1 = 5.2824344223
constexpr double kInitialDifficultyGood = 5.2824344223;
// D0(4) = 7.1949 − e^(3·w5) + 1 = 7.1949 − 4.9703984106 + 1 = 3.2245015894 (the mean-reversion
// target of every difficulty update).
constexpr double kInitialDifficultyEasy = 3.2245015894;

// A new card rated Good at kT0.
Card LearnedGood() { return Review(Card{}, Rating::kGood, kT0); }

TEST(Rating, WireNamesRoundTrip) {
  for (Rating rating : {Rating::kAgain, Rating::kHard, Rating::kGood, Rating::kEasy}) {
    EXPECT_EQ(ParseRating(ToString(rating)), rating);
  }
  EXPECT_EQ(ToString(Rating::kAgain), "again");
  EXPECT_EQ(ToString(Rating::kEasy), "easy");
  EXPECT_FALSE(ParseRating("Good"));
  EXPECT_FALSE(ParseRating("3"));
  EXPECT_FALSE(ParseRating(""));
}

TEST(RatingFromAttempt, WrongIsAgainRightIsGoodUnlessRetriedOrHinted) {
  EXPECT_EQ(RatingFromAttempt(false, 1, 0), Rating::kAgain);
  EXPECT_EQ(RatingFromAttempt(false, 3, 2), Rating::kAgain);
  EXPECT_EQ(RatingFromAttempt(true, 1, 0), Rating::kGood);
  EXPECT_EQ(RatingFromAttempt(true, 2, 0), Rating::kHard);
  EXPECT_EQ(RatingFromAttempt(true, 1, 1), Rating::kHard);
  EXPECT_EQ(RatingFromAttempt(true, 3, 2), Rating::kHard);
}

TEST(Retrievability, IsNinetyPercentAfterStabilityDays) {
  // (1 + 19/81)^−0.5 = (100/81)^−0.5 = 9/10, whatever S is.
  for (double stability : {0.5, 1.0, 3.173, 100.0}) {
    EXPECT_NEAR(Retrievability(stability, stability), 0.9, 1e-12) << stability;
  }
}

TEST(Retrievability, IsOneAtTimeZeroAndFallsWithTime) {
  EXPECT_DOUBLE_EQ(Retrievability(0, 3.173), 1.0);
  EXPECT_DOUBLE_EQ(Retrievability(-2, 3.173), 1.0);  // a clock that went back
  // R(10, 1) = (1 + 190/81)^−0.5 = (271/81)^−0.5 = 9/√271 = 0.5467110653
  EXPECT_NEAR(Retrievability(10, 1), 0.5467110653, 1e-9);
  EXPECT_GT(Retrievability(1, 10), Retrievability(2, 10));
}

TEST(NextIntervalDays, IsStabilityAtNinetyPercentRetention) {
  // 0.9^−2 − 1 = 19/81, so I = S / (19/81) · 19/81 = S.
  EXPECT_EQ(NextIntervalDays(1), 1);
  EXPECT_EQ(NextIntervalDays(10), 10);
  EXPECT_EQ(NextIntervalDays(100), 100);
}

TEST(NextIntervalDays, LowerRetentionGivesLongerIntervals) {
  FsrsParameters parameters;
  parameters.desired_retention = 0.8;
  // 0.8^−2 − 1 = 0.5625; 0.5625 / (19/81) = 2.3980263158 per day of stability.
  EXPECT_EQ(NextIntervalDays(1, parameters), 2);      // 2.398
  EXPECT_EQ(NextIntervalDays(10, parameters), 24);    // 23.980
  EXPECT_EQ(NextIntervalDays(100, parameters), 240);  // 239.803
}

TEST(NextIntervalDays, RoundsToTheNearestDayWithinOneAndTheMaximum) {
  EXPECT_EQ(NextIntervalDays(2.4), 2);
  EXPECT_EQ(NextIntervalDays(2.6), 3);
  EXPECT_EQ(NextIntervalDays(0.4), 1);  // rounds to 0; at least a day
  EXPECT_EQ(NextIntervalDays(1e6), 36500);
  FsrsParameters parameters;
  parameters.maximum_interval_days = 30;
  EXPECT_EQ(NextIntervalDays(100, parameters), 30);
  parameters.desired_retention = 1;  // 1^−2 − 1 = 0
  EXPECT_EQ(NextIntervalDays(100, parameters), 1);
}

TEST(Review, NewCardRatedGoodTakesTheInitialState) {
  const Card card = LearnedGood();
  EXPECT_DOUBLE_EQ(card.stability, 3.173);  // S0(3) = w2
  EXPECT_NEAR(card.difficulty, kInitialDifficultyGood, kTolerance);
  EXPECT_EQ(card.reps, 1);
  EXPECT_EQ(card.lapses, 0);
  EXPECT_EQ(card.last_review, kT0);
  EXPECT_EQ(card.due, kT0 + 3 * kDay);  // round(3.173)
}

TEST(Review, NewCardInitialStateForEveryRating) {
  const Card again = Review(Card{}, Rating::kAgain, kT0);
  const Card hard = Review(Card{}, Rating::kHard, kT0);
  const Card easy = Review(Card{}, Rating::kEasy, kT0);
  EXPECT_DOUBLE_EQ(again.stability, 0.40255);         // w0
  EXPECT_DOUBLE_EQ(hard.stability, 1.18385);          // w1
  EXPECT_DOUBLE_EQ(easy.stability, 15.69105);         // w3
  EXPECT_NEAR(again.difficulty, 7.1949, kTolerance);  // D0(1) = w4 − e^0 + 1 = w4
  // D0(2) = 7.1949 − e^0.5345 + 1 = 7.1949 − 1.7065947315 + 1 = 6.4883052685
  EXPECT_NEAR(hard.difficulty, 6.4883052685, kTolerance);
  EXPECT_NEAR(easy.difficulty, kInitialDifficultyEasy, kTolerance);
  // Intervals round(0.40255, 1.18385, 15.69105) = 0, 1, 16; at least 1 day, then kept in
  // order: Again 1 day, Hard one more than Again (2), Easy 16.
  EXPECT_EQ(again.due, kT0 + 1 * kDay);
  EXPECT_EQ(hard.due, kT0 + 2 * kDay);
  EXPECT_EQ(easy.due, kT0 + 16 * kDay);
  EXPECT_EQ(again.lapses, 0);  // nothing learned yet, so nothing lapsed
  EXPECT_EQ(again.reps, 1);
}

TEST(Review, GoodAfterExactlyThreeDays) {
  const Card card = Review(LearnedGood(), Rating::kGood, kT0 + 3 * kDay);
  // R = (1 + 19/81 · 3 / 3.173)^−0.5 = 1.2217786649^−0.5 = 0.9046982109
  // S'r = S · (e^w8 · (11 − D) · S^−w9 · (e^(w10·(1 − R)) − 1) + 1)
  //   e^1.54575 = 4.6914889246; 11 − 5.2824344223 = 5.7175655777;
  //   3.173^−0.1192 = 0.8714144704; e^(1.01925 · 0.0953017891) − 1 = 0.1020106209
  //   product = 2.3844708; S'r = 3.173 · 3.3844708 = 10.7389258461
  EXPECT_NEAR(card.stability, 10.7389258461, kTolerance);
  // ΔD = −w6 · (3 − 3) = 0, so D' = D; D'' = 0.0046 · 3.2245015894 + 0.9954 · 5.2824344223
  //   = 5.2729679313
  EXPECT_NEAR(card.difficulty, 5.2729679313, kTolerance);
  EXPECT_EQ(card.reps, 2);
  EXPECT_EQ(card.lapses, 0);
  EXPECT_EQ(card.last_review, kT0 + 3 * kDay);
  EXPECT_EQ(card.due, kT0 + 3 * kDay + 11 * kDay);  // round(10.739)
}

TEST(Review, HardAndEasyScaleTheRecallGain) {
  // The same review as above (R = 0.9046982109, gain term 2.3844708 for Good), with the hard
  // penalty w15 = 0.2315 or the easy bonus w16 = 2.9898 on the gain.
  const int64_t now = kT0 + 3 * kDay;
  const Card hard = Review(LearnedGood(), Rating::kHard, now);
  const Card easy = Review(LearnedGood(), Rating::kEasy, now);
  // Hard: 3.173 · (2.3844708 · 0.2315 + 1) = 3.173 · 1.5520050 = 4.9245118334
  EXPECT_NEAR(hard.stability, 4.9245118334, kTolerance);
  // Easy: 3.173 · (2.3844708 · 2.9898 + 1) = 3.173 · 8.1290908 = 25.7936050948
  EXPECT_NEAR(easy.stability, 25.7936050948, kTolerance);
  // Hard: ΔD = −1.4604 · (2 − 3) = 1.4604; D' = 5.2824344223 + 1.4604 · 4.7175655777 / 9
  //   = 6.0479380634; D'' = 0.0046 · 3.2245015894 + 0.9954 · 6.0479380634 = 6.0349502556
  EXPECT_NEAR(hard.difficulty, 6.0349502556, kTolerance);
  // Easy: ΔD = −1.4604; D' = 5.2824344223 − 1.4604 · 4.7175655777 / 9 = 4.5169307812;
  //   D'' = 0.0046 · 3.2245015894 + 0.9954 · 4.5169307812 = 4.5109856070
  EXPECT_NEAR(easy.difficulty, 4.5109856070, kTolerance);
  EXPECT_EQ(hard.due, now + 5 * kDay);   // round(4.925)
  EXPECT_EQ(easy.due, now + 26 * kDay);  // round(25.794)
}

TEST(Review, AgainAfterTenDaysUsesPostLapseStability) {
  const int64_t now = kT0 + 10 * kDay;
  const Card card = Review(LearnedGood(), Rating::kAgain, now);
  // R = (1 + 19/81 · 10 / 3.173)^−0.5 = 1.7392622163^−0.5 = 0.7582588167
  // S'f = w11 · D^−w12 · ((S + 1)^w13 − 1) · e^(w14 · (1 − R))
  //   = 1.9395 · 5.2824344223^−0.11 · (4.173^0.29605 − 1) · e^(2.2698 · 0.2417411833)
  //   = 1.9395 · 0.8326993918 · 0.5264540809 · 1.7310084157 = 1.4717624124 (< S = 3.173)
  EXPECT_NEAR(card.stability, 1.4717624124, kTolerance);
  // ΔD = −1.4604 · (1 − 3) = 2.9208; D' = 5.2824344223 + 2.9208 · 4.7175655777 / 9
  //   = 6.8134417045; D'' = 0.0046 · 3.2245015894 + 0.9954 · 6.8134417045 = 6.7969325799
  EXPECT_NEAR(card.difficulty, 6.7969325799, kTolerance);
  EXPECT_EQ(card.reps, 2);
  EXPECT_EQ(card.lapses, 1);
  // Again is scheduled by the interval formula like every rating: round(1.472) = 1 day.
  EXPECT_EQ(card.due, now + 1 * kDay);
}

TEST(Review, PostLapseStabilityNeverExceedsTheStabilityBefore) {
  const Card forgotten = Review(Card{}, Rating::kAgain, kT0);  // S = 0.40255, D = 7.1949
  const Card card = Review(forgotten, Rating::kAgain, kT0 + 30 * kDay);
  // R = (1 + 19/81 · 30 / 0.40255)^−0.5 = 18.4811502597^−0.5 = 0.2326138134
  // S'f = 1.9395 · 7.1949^−0.11 · (1.40255^0.29605 − 1) · e^(2.2698 · 0.7673861866)
  //     = 1.9395 · 0.8048728466 · 0.1053381973 · 5.7076830254 = 0.9385616154,
  // more than S = 0.40255, so FSRS-5's min(S'f, S) keeps 0.40255.
  EXPECT_DOUBLE_EQ(card.stability, 0.40255);
  // ΔD = 2.9208; D' = 7.1949 + 2.9208 · 2.8051 / 9 = 8.1052484533;
  //   D'' = 0.0046 · 3.2245015894 + 0.9954 · 8.1052484533 = 8.0827970178
  EXPECT_NEAR(card.difficulty, 8.0827970178, kTolerance);
  EXPECT_EQ(card.lapses, 1);
  EXPECT_EQ(card.due, kT0 + 30 * kDay + 1 * kDay);
}

TEST(Review, SameDayReviewUsesShortTermStability) {
  // Two hours after learning: S' = S · e^(w17 · (G − 3 + w18)), with S = 3.173.
  const int64_t now = kT0 + 2 * 3600;
  const Card again = Review(LearnedGood(), Rating::kAgain, now);
  const Card hard = Review(LearnedGood(), Rating::kHard, now);
  const Card good = Review(LearnedGood(), Rating::kGood, now);
  const Card easy = Review(LearnedGood(), Rating::kEasy, now);
  // Again: e^(0.51655 · (−2 + 0.6621)) = e^−0.6910922 = 0.5010285242 → 1.5897635073
  EXPECT_NEAR(again.stability, 1.5897635073, kTolerance);
  // Hard: e^(0.51655 · −0.3379) = e^−0.1745422 = 0.8398413744 → 2.6648166809
  EXPECT_NEAR(hard.stability, 2.6648166809, kTolerance);
  // Good: e^(0.51655 · 0.6621) = e^0.3420078 = 1.4077712147 → 4.4668580644
  EXPECT_NEAR(good.stability, 4.4668580644, kTolerance);
  // Easy: e^(0.51655 · 1.6621) = e^0.8585578 = 2.3597548936 → 7.4875022774
  EXPECT_NEAR(easy.stability, 7.4875022774, kTolerance);
  // Difficulty moves as on any review (see GoodAfterExactlyThreeDays and
  // AgainAfterTenDaysUsesPostLapseStability for the arithmetic).
  EXPECT_NEAR(good.difficulty, 5.2729679313, kTolerance);
  EXPECT_NEAR(again.difficulty, 6.7969325799, kTolerance);
  // Due after round(1.590, 2.665, 4.467, 7.488) = 2, 3, 4, 7 days, already in order.
  EXPECT_EQ(again.due, now + 2 * kDay);
  EXPECT_EQ(hard.due, now + 3 * kDay);
  EXPECT_EQ(good.due, now + 4 * kDay);
  EXPECT_EQ(easy.due, now + 7 * kDay);
  EXPECT_EQ(again.lapses, 1);  // a lapse of a card already learned, even on the same day
}

TEST(Review, OneDayIsTheBoundaryOfTheShortTermFormula) {
  const Card just_before = Review(LearnedGood(), Rating::kGood, kT0 + kDay - 1);
  EXPECT_NEAR(just_before.stability, 4.4668580644, kTolerance);  // short-term, as above
  const Card one_day = Review(LearnedGood(), Rating::kGood, kT0 + kDay);
  // R = (1 + 19/81 / 3.173)^−0.5 = 1.0739262216^−0.5 = 0.9649677003;
  // e^(1.01925 · 0.0350322997) − 1 = 0.0363518103;
  // S'r = 3.173 · (4.6914889246 · 5.7175655777 · 0.8714144704 · 0.0363518103 + 1)
  //     = 3.173 · 1.8497138 = 5.8691418226
  EXPECT_NEAR(one_day.stability, 5.8691418226, kTolerance);
}

TEST(Review, AClockThatWentBackCountsAsTheSameDay) {
  Card card = LearnedGood();
  card.last_review = kT0 + 600;
  const Card after = Review(card, Rating::kGood, kT0);
  EXPECT_NEAR(after.stability, 4.4668580644, kTolerance);  // 3.173 · 1.4077712147
  EXPECT_EQ(after.last_review, kT0);
}

TEST(Review, DifficultyIsHeldBetweenOneAndTen) {
  // Lower bound, default weights: D = 1 rated Easy: D' = 1 − 1.4604 · 9 / 9 = −0.4604;
  // D'' = 0.0046 · 3.2245015894 + 0.9954 · −0.4604 = −0.4434494527 → 1.
  Card easy_card = LearnedGood();
  easy_card.difficulty = 1;
  EXPECT_DOUBLE_EQ(Review(easy_card, Rating::kEasy, kT0 + 3 * kDay).difficulty, 1);

  // Upper bound needs a steeper w6 (linear damping keeps default updates below 10): w6 = 6,
  // D = 5 rated Again: ΔD = 12; D' = 5 + 12 · 5 / 9 = 11.6666666667;
  // D'' = 0.0046 · 3.2245015894 + 0.9954 · 11.6666666667 = 11.6278327073 → 10.
  FsrsParameters steep;
  steep.w[6] = 6;
  Card hard_card = LearnedGood();
  hard_card.difficulty = 5;
  EXPECT_DOUBLE_EQ(Review(hard_card, Rating::kAgain, kT0 + 3 * kDay, steep).difficulty, 10);

  // Initial difficulty too: w4 = 12 gives D0(1) = 12 − e^0 + 1 = 12 → 10; w5 = 1 gives
  // D0(4) = 7.1949 − e^3 + 1 = −11.8906369232 → 1.
  FsrsParameters high;
  high.w[4] = 12;
  EXPECT_DOUBLE_EQ(Review(Card{}, Rating::kAgain, kT0, high).difficulty, 10);
  FsrsParameters low;
  low.w[5] = 1;
  EXPECT_DOUBLE_EQ(Review(Card{}, Rating::kEasy, kT0, low).difficulty, 1);
}

TEST(Review, StabilityIsHeldAboveOneHundredthOfADay) {
  // Same-day Agains halve S each time (× 0.5010285242): 3.173 → 1.590 → 0.797 → 0.399 → 0.200
  // → 0.100 → 0.0502 → 0.0251 → 0.0126 → 0.00631, held at 0.01.
  Card card = LearnedGood();
  for (int i = 1; i <= 9; ++i) card = Review(card, Rating::kAgain, kT0 + i * 60);
  EXPECT_DOUBLE_EQ(card.stability, 0.01);
  EXPECT_EQ(card.reps, 10);
  EXPECT_EQ(card.lapses, 9);
  EXPECT_EQ(card.due, kT0 + 9 * 60 + kDay);
}

TEST(Review, AStoredStateOutOfRangeIsHeldBeforeUse) {
  Card card;
  card.reps = 3;
  card.stability = 0;
  card.difficulty = std::numeric_limits<double>::quiet_NaN();
  card.last_review = kT0;
  const Card after = Review(card, Rating::kGood, kT0 + kDay);
  // Used as S = 0.01, D = 1: R = (1 + 19/81 / 0.01)^−0.5 = 24.4567901235^−0.5 = 0.2022089023;
  // S'r = 0.01 · (4.6914889246 · 10 · 0.01^−0.1192 · (e^(1.01925 · 0.7977910977) − 1) + 1)
  //     = 0.01 · (4.6914889246 · 10 · 1.7314103129 · 1.2549968505 + 1) = 1.0294204262
  EXPECT_NEAR(after.stability, 1.0294204262, kTolerance);
  // D'' = 0.0046 · 3.2245015894 + 0.9954 · 1 = 1.0102327073
  EXPECT_NEAR(after.difficulty, 1.0102327073, kTolerance);
}

TEST(Review, TheMaximumIntervalCapsEveryRating) {
  FsrsParameters parameters;
  parameters.maximum_interval_days = 30;
  Card card = LearnedGood();
  card.stability = 100;
  card.difficulty = 5;
  const int64_t now = kT0 + 100 * kDay;  // R = 0.9
  // Good: S'r = 100 · (4.6914889246 · 6 · 100^−0.1192 · (e^0.101925 − 1) + 1) = 274.447 days;
  // Again: S'f = 1.9395 · 5^−0.11 · (101^0.29605 − 1) · e^0.22698 = 5.955 days.
  const std::array<Card, 4> next = PreviewReview(card, now, parameters);
  EXPECT_EQ(next[0].due, now + 6 * kDay);
  EXPECT_EQ(next[1].due, now + 30 * kDay);
  EXPECT_EQ(next[2].due, now + 30 * kDay);
  EXPECT_EQ(next[3].due, now + 30 * kDay);
  EXPECT_NEAR(next[2].stability, 274.4469465243, kTolerance);  // the memory is not capped
}

TEST(Review, IntervalsStayInRatingOrder) {
  // Weights that would send Again out later than Hard: S0 = 5, 2, 3.173, 15.69105 days give
  // intervals 5, 2, 3, 16; in order: Again min(5, 2) = 2, Hard max(2, 2 + 1) = 3,
  // Good max(3, 3 + 1) = 4, Easy max(16, 4 + 1) = 16.
  FsrsParameters odd;
  odd.w[0] = 5;
  odd.w[1] = 2;
  const std::array<Card, 4> next = PreviewReview(Card{}, kT0, odd);
  EXPECT_EQ(next[0].due, kT0 + 2 * kDay);
  EXPECT_EQ(next[1].due, kT0 + 3 * kDay);
  EXPECT_EQ(next[2].due, kT0 + 4 * kDay);
  EXPECT_EQ(next[3].due, kT0 + 16 * kDay);
  EXPECT_DOUBLE_EQ(next[0].stability, 5);  // the memory state itself is not reordered
}

TEST(Review, CountsRepsAndLapses) {
  Card card = Review(Card{}, Rating::kGood, kT0);
  card = Review(card, Rating::kGood, kT0 + 3 * kDay);
  card = Review(card, Rating::kAgain, kT0 + 20 * kDay);
  card = Review(card, Rating::kHard, kT0 + 21 * kDay);
  card = Review(card, Rating::kAgain, kT0 + 30 * kDay);
  EXPECT_EQ(card.reps, 5);
  EXPECT_EQ(card.lapses, 2);
  EXPECT_EQ(card.last_review, kT0 + 30 * kDay);
}

TEST(PreviewReview, MatchesReviewForEveryRating) {
  const Card learned = Review(LearnedGood(), Rating::kGood, kT0 + 3 * kDay);
  const int64_t now = kT0 + 20 * kDay;
  const std::array<Card, 4> next = PreviewReview(learned, now);
  for (Rating rating : {Rating::kAgain, Rating::kHard, Rating::kGood, Rating::kEasy}) {
    EXPECT_EQ(next[static_cast<int>(rating) - 1], Review(learned, rating, now)) << ToString(rating);
  }
  EXPECT_LT(next[0].due, next[1].due);
  EXPECT_LT(next[1].due, next[2].due);
  EXPECT_LT(next[2].due, next[3].due);
}

TEST(XpForAttempt, FirstSolvePaysTenTimesTheScore) {
  EXPECT_EQ(XpForAttempt(1, 0), 10);
  EXPECT_EQ(XpForAttempt(0.75, 0), 8);  // 7.5 rounds up
  EXPECT_EQ(XpForAttempt(0.74, 0), 7);
  EXPECT_EQ(XpForAttempt(0, 0), 0);
}

TEST(XpForAttempt, ImprovementPaysTwiceTheScore) {
  EXPECT_EQ(XpForAttempt(0.8, 0.5), 2);  // 1.6
  EXPECT_EQ(XpForAttempt(1, 0.5), 2);
  EXPECT_EQ(XpForAttempt(1, 0.2), 2);
}

TEST(XpForAttempt, RepeatingOrDoingWorsePaysNothing) {
  EXPECT_EQ(XpForAttempt(1, 1), 0);
  EXPECT_EQ(XpForAttempt(0.5, 0.8), 0);
  EXPECT_EQ(XpForAttempt(0.5, 0.5), 0);
}

TEST(XpForAttempt, ScoresAreHeldToZeroToOne) {
  EXPECT_EQ(XpForAttempt(1.5, 0), 10);
  EXPECT_EQ(XpForAttempt(1.5, 1), 0);
  EXPECT_EQ(XpForAttempt(-1, 0), 0);
  EXPECT_EQ(XpForAttempt(std::numeric_limits<double>::quiet_NaN(), 0), 0);
}

TEST(AdvanceStreak, FirstActivityStartsAtOne) {
  EXPECT_EQ(AdvanceStreak(Streak{}, 19000), (Streak{1, 19000}));
}

TEST(AdvanceStreak, SameDayKeepsNextDayGrowsGapRestarts) {
  const Streak streak{4, 19000};
  EXPECT_EQ(AdvanceStreak(streak, 19000), streak);
  EXPECT_EQ(AdvanceStreak(streak, 19001), (Streak{5, 19001}));
  EXPECT_EQ(AdvanceStreak(streak, 19002), (Streak{1, 19002}));
}

TEST(AdvanceStreak, AnEarlierDayLeavesItAlone) {
  const Streak streak{4, 19000};
  EXPECT_EQ(AdvanceStreak(streak, 18999), streak);
}

TEST(AdvanceStreak, NegativeDaysWork) {
  // Day −1 is 1969-12-31; the empty streak's last_day is also −1, which must not count as
  // activity on that day.
  EXPECT_EQ(AdvanceStreak(Streak{}, -1), (Streak{1, -1}));
  EXPECT_EQ(AdvanceStreak(Streak{1, -1}, 0), (Streak{2, 0}));
  EXPECT_EQ(AdvanceStreak(Streak{3, -10}, -9), (Streak{4, -9}));
  EXPECT_EQ(AdvanceStreak(Streak{3, -10}, -8), (Streak{1, -8}));
}

TEST(LocalDay, DividesTowardsThePast) {
  EXPECT_EQ(LocalDay(0, 0), 0);
  EXPECT_EQ(LocalDay(86399, 0), 0);
  EXPECT_EQ(LocalDay(86400, 0), 1);
  EXPECT_EQ(LocalDay(-1, 0), -1);
  EXPECT_EQ(LocalDay(-86400, 0), -1);
  EXPECT_EQ(LocalDay(-86401, 0), -2);
  EXPECT_EQ(LocalDay(1710072000, 0), 19792);  // 2024-03-10T12:00:00Z: 19792.5 days
}

TEST(LocalDay, AppliesTheOffset) {
  EXPECT_EQ(LocalDay(82800, 3600), 1);    // 23:00 UTC is midnight the next day at UTC+1
  EXPECT_EQ(LocalDay(90000, -18000), 0);  // 01:00 UTC day 1 is 20:00 day 0 at UTC−5
  EXPECT_EQ(LocalDay(3600, -7200), -1);   // 01:00 UTC 1970-01-01 is 23:00 the day before
  EXPECT_EQ(LocalDay(-3600, 7200), 0);    // and the other way round
}

}  // namespace
}  // namespace practica::domain
