#include "domain/item_statistics.h"

#include <algorithm>
#include <cmath>

namespace practica::domain {
namespace {

// A centred sum of squares this small against the raw one is the rounding noise of a constant
// series (summing n doubles errs by about n·ε of the sum), not a spread.
bool HasSpread(double centred, double raw) { return centred > 1e-9 * std::max(1.0, raw); }

}  // namespace

ItemStatistics ComputeItemStatistics(const Moments& m) {
  ItemStatistics stats;
  if (m.n <= 0) return stats;
  const double n = static_cast<double>(m.n);
  const double mean_x = m.sum_x / n;
  stats.facility = 100.0 * mean_x;
  if (m.n < 2) return stats;
  // Centred sums of squares and products.
  const double sxx = std::max(0.0, m.sum_xx - m.sum_x * m.sum_x / n);
  const double syy = std::max(0.0, m.sum_yy - m.sum_y * m.sum_y / n);
  const double sxy = m.sum_xy - m.sum_x * m.sum_y / n;
  stats.sd = 100.0 * std::sqrt(sxx / (n - 1));
  if (HasSpread(sxx, m.sum_xx) && HasSpread(syy, m.sum_yy)) {
    const double r = sxy / std::sqrt(sxx * syy);
    stats.discrimination = 100.0 * std::clamp(r, -1.0, 1.0);
  }
  return stats;
}

}  // namespace practica::domain
