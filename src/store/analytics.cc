#include <string>

#include "common/calendar.h"
#include "store/analytics_store.h"

namespace practica::store {

std::string_view ToString(ActivityKind kind) {
  switch (kind) {
    case ActivityKind::kSignUp:
      return "signup";
    case ActivityKind::kLogin:
      return "login";
    case ActivityKind::kEnrolment:
      return "enrolment";
    case ActivityKind::kLessonView:
      return "lesson_view";
  }
  return "login";
}

std::optional<ActivityKind> ParseActivityKind(std::string_view name) {
  for (ActivityKind kind : {ActivityKind::kSignUp, ActivityKind::kLogin, ActivityKind::kEnrolment,
                            ActivityKind::kLessonView}) {
    if (ToString(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string EnrolmentEventId(std::string_view user_id, std::string_view course) {
  std::string id = "enr_";
  id += user_id;
  id += '_';
  id += course;
  return id;
}

std::string_view ToString(Interval interval) {
  switch (interval) {
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
  }
  return "day";
}

std::optional<Interval> ParseInterval(std::string_view name) {
  for (Interval interval : {Interval::kDay, Interval::kWeek, Interval::kMonth}) {
    if (ToString(interval) == name) return interval;
  }
  return std::nullopt;
}

int64_t PeriodStart(Interval interval, int64_t day) {
  switch (interval) {
    case Interval::kDay:
      return day;
    case Interval::kWeek:
      return WeekStart(day);
    case Interval::kMonth:
      return MonthStart(day);
  }
  return day;
}

}  // namespace practica::store
