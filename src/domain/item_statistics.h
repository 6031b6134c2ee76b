// Item statistics as Moodle's quiz statistics define them, from the moments of
// store::ItemMoments (one formula for every analytics adapter).
//
// With S first attempts, x an attempt's score (0..1) and y the same learner's score on the rest of
// the course:
//   facility       = 100 · mean(x)                      (the maximum score is 1, the minimum 0)
//   sd             = 100 · sqrt(Σ(x − mean x)² / (S − 1))
//   discrimination = 100 · r(x, y), Pearson's correlation
// Each is absent where it is undefined: no attempts (facility), fewer than two (sd), or a
// variance of zero in x or y (discrimination). Never NaN or infinite.
#pragma once

#include <cstdint>
#include <optional>

namespace practica::domain {

struct Moments {
  int64_t n = 0;
  double sum_x = 0, sum_xx = 0, sum_y = 0, sum_yy = 0, sum_xy = 0;
};

struct ItemStatistics {
  std::optional<double> facility;
  std::optional<double> sd;
  std::optional<double> discrimination;
};

ItemStatistics ComputeItemStatistics(const Moments& m);

}  // namespace practica::domain
