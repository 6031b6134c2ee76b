// Calendar days as whole days since 1970-01-01 ("epoch days", UTC) and their ISO 8601 form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace practica {

inline int64_t EpochDay(int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
}

// "YYYY-MM-DD".
std::string FormatDay(int64_t epoch_day);
// A real date in the form YYYY-MM-DD (years 0001-9999), or nothing.
std::optional<int64_t> ParseDay(std::string_view text);
// The first day of the day's month.
int64_t MonthStart(int64_t epoch_day);
// The Monday of the day's ISO week.
int64_t WeekStart(int64_t epoch_day);

}  // namespace practica
