#include "common/calendar.h"

#include <chrono>
#include <cstdio>

namespace practica {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day Civil(int64_t epoch_day) { return year_month_day{sys_days{days{epoch_day}}}; }

bool Digits(std::string_view text, size_t from, size_t count, int& value) {
  value = 0;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string FormatDay(int64_t epoch_day) {
  const year_month_day date = Civil(epoch_day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::optional<int64_t> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!Digits(text, 0, 4, y) || !Digits(text, 5, 2, m) || !Digits(text, 8, 2, d) || y < 1) {
    return std::nullopt;
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return sys_days{date}.time_since_epoch().count();
}

int64_t MonthStart(int64_t epoch_day) {
  const year_month_day date = Civil(epoch_day);
  return sys_days{date.year() / date.month() / day{1}}.time_since_epoch().count();
}

int64_t WeekStart(int64_t epoch_day) {
  // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
  const int64_t weekday = ((epoch_day + 3) % 7 + 7) % 7;
  return epoch_day - weekday;
}

}  // namespace practica
