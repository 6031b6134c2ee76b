#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "common/calendar.h"
#include "store/analytics_checks.h"
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

Result<std::vector<AttemptEvent>> AnalyticsStore::ListAttemptEvents(
    std::string_view /*course*/, int64_t /*before*/, const std::optional<EventPosition>& /*after*/,
    int /*limit*/) {
  Error error = Error::Unavailable("This analytics store cannot list attempt events yet.");
  error.type = std::string(kListingUnsupported);
  return error;
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

Status CheckEventBatch(const EventBatch& batch) {
  for (const AttemptEvent& event : batch.attempts) {
    const std::string which = "attempt event '" + event.event_id + "'";
    if (event.event_id.empty()) return Error::Invalid("An attempt event has no event_id.");
    if (event.user_id.empty() || event.course.empty() || event.exercise.empty()) {
      return Error::Invalid(which + " needs a user, a course and an exercise.");
    }
    if (!std::isfinite(event.score) || event.score < 0 || event.score > 1) {
      return Error::Invalid(which + " has a score outside 0..1.");
    }
    if (event.attempt_number < 1) return Error::Invalid(which + " has no attempt number.");
  }
  for (const ActivityEvent& event : batch.activity) {
    const std::string which = "activity event '" + event.event_id + "'";
    if (event.event_id.empty()) return Error::Invalid("An activity event has no event_id.");
    if (event.user_id.empty()) return Error::Invalid(which + " has no user.");
    const bool in_course =
        event.kind == ActivityKind::kEnrolment || event.kind == ActivityKind::kLessonView;
    if (in_course && event.course.empty()) return Error::Invalid(which + " needs a course.");
    if (event.kind == ActivityKind::kLessonView && event.lesson.empty()) {
      return Error::Invalid(which + " needs a lesson.");
    }
  }
  return Status::Ok();
}

std::string NewAnonymousLearnerId() {
  std::random_device device;
  std::string id = "anon_";
  for (int i = 0; i < 4; ++i) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(device()));
    id += hex;
  }
  return id;
}

}  // namespace practica::store
