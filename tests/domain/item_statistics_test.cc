#include "domain/item_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace practica::domain {
namespace {

Moments From(const std::vector<double>& x, const std::vector<double>& y) {
  Moments m;
  for (size_t i = 0; i < x.size(); ++i) {
    ++m.n;
    m.sum_x += x[i];
    m.sum_xx += x[i] * x[i];
    m.sum_y += y[i];
    m.sum_yy += y[i] * y[i];
    m.sum_xy += x[i] * y[i];
  }
  return m;
}

TEST(ItemStatistics, WorkedByHand) {
  // x = 1, 1, 0 (mean 2/3); y = 2, 0, 0.5.
  // Sxx = 2/3, Syy = 4.25 − 6.25/3 = 13/6, Sxy = 2 − 5/3 = 1/3.
  // sd = sqrt((2/3)/2) = 0.57735; r = (1/3) / sqrt(2/3 · 13/6) = 0.27735.
  ItemStatistics s = ComputeItemStatistics(From({1, 1, 0}, {2, 0, 0.5}));
  ASSERT_TRUE(s.facility && s.sd && s.discrimination);
  EXPECT_NEAR(*s.facility, 66.6667, 1e-4);
  EXPECT_NEAR(*s.sd, 57.7350, 1e-4);
  EXPECT_NEAR(*s.discrimination, 27.7350, 1e-4);
}

TEST(ItemStatistics, PerfectAndInverseDiscrimination) {
  ItemStatistics good = ComputeItemStatistics(From({0, 0.5, 1}, {1, 2, 3}));
  EXPECT_NEAR(*good.discrimination, 100.0, 1e-9);
  ItemStatistics bad = ComputeItemStatistics(From({1, 0.5, 0}, {1, 2, 3}));
  EXPECT_NEAR(*bad.discrimination, -100.0, 1e-9);
  EXPECT_NEAR(*bad.facility, 50.0, 1e-9);
  EXPECT_NEAR(*bad.sd, 50.0, 1e-9);
}

TEST(ItemStatistics, UndefinedValuesAreAbsentNeverNaN) {
  ItemStatistics none = ComputeItemStatistics(Moments{});
  EXPECT_FALSE(none.facility || none.sd || none.discrimination);

  ItemStatistics one = ComputeItemStatistics(From({0.5}, {3}));
  EXPECT_NEAR(*one.facility, 50.0, 1e-9);
  EXPECT_FALSE(one.sd || one.discrimination);

  // Everyone scored the same: no spread, so nothing to correlate.
  ItemStatistics same = ComputeItemStatistics(From({1, 1, 1, 1}, {0, 1, 2, 3}));
  EXPECT_NEAR(*same.sd, 0.0, 1e-9);
  EXPECT_FALSE(same.discrimination.has_value());
  // The rest of the course is the same for everyone.
  ItemStatistics flat = ComputeItemStatistics(From({0, 1, 0.3}, {2, 2, 2}));
  EXPECT_FALSE(flat.discrimination.has_value());
  // Tenths summed many times leave rounding noise, not a variance.
  Moments tenths;
  for (int i = 0; i < 100000; ++i) {
    ++tenths.n;
    tenths.sum_x += 0.1;
    tenths.sum_xx += 0.01;
    tenths.sum_y += i % 7;
    tenths.sum_yy += (i % 7) * (i % 7);
    tenths.sum_xy += 0.1 * (i % 7);
  }
  ItemStatistics noisy = ComputeItemStatistics(tenths);
  EXPECT_FALSE(noisy.discrimination.has_value());
  EXPECT_TRUE(std::isfinite(*noisy.sd));
}

}  // namespace
}  // namespace practica::domain
