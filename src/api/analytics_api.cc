#include "api/analytics_api.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/text.h"
#include "domain/item_statistics.h"

namespace practica::api {
namespace json = boost::json;

struct AnalyticsApi::Query {
  std::shared_ptr<const IndexedCourse> course;
  store::DayRange range;
  bool csv = false;
};

namespace {

constexpr int64_t kDefaultDays = 90;
constexpr int64_t kMaxDays = 3660;

// Figures are shown to two decimals: more would only be noise to a reader.
json::value Rounded(std::optional<double> value, double scale = 100.0) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return std::round(*value * scale) / scale;
}

// A CSV cell for a rounded figure: fixed notation, two decimals (JSON's serializer would write
// 66.67 as 6.667E1); empty when there is none.
std::string Number(const json::value& value) {
  if (value.is_null()) return {};
  if (!value.is_double()) return json::serialize(value);
  char text[64];
  std::snprintf(text, sizeof text, "%.2f", value.get_double());
  return text;
}

json::object Envelope(const std::string& course, store::DayRange range) {
  return {
      {"course", course}, {"from", FormatDay(range.first_day)}, {"to", FormatDay(range.last_day)}};
}

http::Response Csv(std::string_view course, std::string_view what, std::string body) {
  http::Response response = http::Response::Json(200, std::move(body));
  response.headers.Set("Content-Type", "text/csv; charset=utf-8");
  response.headers.Set("Content-Disposition", "attachment; filename=\"" + std::string(course) +
                                                  "-" + std::string(what) + ".csv\"");
  return response;
}

// The first line of the prompt's Markdown, at most 80 characters (UTF-8 kept whole).
std::string PromptExcerpt(const std::string& markdown) {
  std::string line = markdown.substr(0, markdown.find('\n'));
  if (line.size() <= 80) return line;
  size_t cut = 80;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "…";
}

// The course's exercises, in course order, that the server grades (`graded`) or stores ungraded.
// Essays are stored ungraded: their score of 0 would read as "too hard" in item statistics, and no
// one could ever complete a lesson or course that held one, so statistics and completion leave
// them out.
std::vector<std::string> ExerciseIds(const domain::Course& course, bool graded) {
  std::vector<std::string> ids;
  for (const domain::Lesson& lesson : course.lessons) {
    for (const domain::Exercise& exercise : lesson.exercises) {
      if (exercise.IsAutoGraded() == graded) ids.push_back(exercise.id);
    }
  }
  return ids;
}

}  // namespace

std::string CsvField(std::string_view text) {
  std::string field;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    field += '\'';
  }
  field += text;
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

Result<store::DayRange> ParseDayRange(const http::Request& request, int64_t today) {
  const int64_t earliest = *ParseDay("2000-01-01");
  const int64_t latest = *ParseDay("2100-12-31");
  std::vector<FieldError> problems;
  auto read = [&](std::string_view name, int64_t fallback) -> int64_t {
    std::optional<std::string> text = request.QueryParam(name);
    if (!text) return fallback;
    std::optional<int64_t> day = ParseDay(*text);
    if (!day) {
      problems.push_back({std::string(name), "must be a date, YYYY-MM-DD"});
    } else if (*day < earliest || *day > latest) {
      problems.push_back({std::string(name), "must be between 2000-01-01 and 2100-12-31"});
    }
    return day.value_or(fallback);
  };
  const int64_t last = read("to", today);
  const int64_t first = read("from", last - (kDefaultDays - 1));
  if (problems.empty() && first > last) {
    problems.push_back({"from", "must not be after to"});
  } else if (problems.empty() && last - first + 1 > kMaxDays) {
    problems.push_back({"from", "must be at most " + std::to_string(kMaxDays) + " days before to"});
  }
  if (!problems.empty()) return Error::Invalid("Invalid date range.", std::move(problems));
  return store::DayRange{first, last};
}

Result<AnalyticsApi::Query> AnalyticsApi::Begin(const http::Request& request) {
  Query query;
  if (std::optional<std::string> format = request.QueryParam("format")) {
    if (*format != "csv" && *format != "json") {
      return Error::Invalid("Invalid format.", {{"format", "must be json or csv"}});
    }
    query.csv = *format == "csv";
  }
  Result<store::DayRange> range = ParseDayRange(request, EpochDay(clock_.NowSeconds()));
  if (!range.ok()) return std::move(range).error();
  query.range = *range;
  const std::string_view slug = request.Param("course");
  if (!domain::IsValidSlug(slug)) return Error::NotFound("No course " + Quoted(slug) + ".");
  if (auto allowed = access_.Check(*request.principal, slug); !allowed.ok()) {
    return std::move(allowed).error();
  }
  Result<std::shared_ptr<const IndexedCourse>> course = courses_.Get(slug);
  if (!course.ok()) return std::move(course).error();
  query.course = std::move(course).value();
  // Read-your-writes: what was acknowledged before this request is counted. A failure here is
  // the store's, and the query below reports it.
  (void)recorder_.Flush();
  return query;
}

Result<http::Response> AnalyticsApi::Items(const http::Request& request) {
  Result<Query> query = Begin(request);
  if (!query.ok()) return std::move(query).error();
  const domain::Course& course = query->course->course;
  // Graded exercises are one test whose rest-of-course scores define discrimination; essays
  // come from a second call, for their counts only.
  Result<std::vector<store::ItemMoments>> moments =
      store_.ItemStatistics(course.slug, ExerciseIds(course, true), query->range);
  if (!moments.ok()) return std::move(moments).error();
  if (const std::vector<std::string> essays = ExerciseIds(course, false); !essays.empty()) {
    Result<std::vector<store::ItemMoments>> counts =
        store_.ItemStatistics(course.slug, essays, query->range);
    if (!counts.ok()) return std::move(counts).error();
    for (store::ItemMoments& m : *counts) moments->push_back(std::move(m));
  }
  // In course order again.
  std::map<std::string_view, size_t> order;
  for (const domain::Lesson& lesson : course.lessons) {
    for (const domain::Exercise& exercise : lesson.exercises)
      order.emplace(exercise.id, order.size());
  }
  std::stable_sort(moments->begin(), moments->end(), [&](const auto& a, const auto& b) {
    return order[a.exercise] < order[b.exercise];
  });

  json::array items;
  std::string csv =
      "exercise,lesson,type,prompt,attempts,learners,first_attempts,facility,sd,discrimination,"
      "median_time_ms,common_wrong_answers\r\n";
  for (const store::ItemMoments& m : *moments) {
    const auto entry = query->course->exercises.find(m.exercise);
    if (entry == query->course->exercises.end()) continue;
    const domain::Exercise& exercise = *entry->second.exercise;
    const domain::ItemStatistics stats =
        exercise.IsAutoGraded()
            ? domain::ComputeItemStatistics(
                  {m.first_attempts, m.sum_x, m.sum_xx, m.sum_y, m.sum_yy, m.sum_xy})
            : domain::ItemStatistics{};
    json::array wrong;
    std::string wrong_text;
    for (const store::AnswerCount& answer : m.wrong_answers) {
      wrong.push_back({{"answer", answer.answer}, {"count", answer.count}});
      if (!wrong_text.empty()) wrong_text += "; ";
      wrong_text += answer.answer + " (" + std::to_string(answer.count) + ")";
    }
    const json::value median =
        m.median_time_ms ? json::value(*m.median_time_ms) : json::value(nullptr);
    json::object item{{"exercise", m.exercise},
                      {"ref", MakeExerciseRef(course.slug, m.exercise)},
                      {"lesson", entry->second.lesson->slug},
                      {"type", domain::ToString(exercise.type())},
                      {"graded", exercise.IsAutoGraded()},
                      {"prompt", PromptExcerpt(exercise.prompt.markdown)},
                      {"attempts", m.attempts},
                      {"learners", m.learners},
                      {"first_attempts", m.first_attempts},
                      {"facility", Rounded(stats.facility)},
                      {"sd", Rounded(stats.sd)},
                      {"discrimination", Rounded(stats.discrimination)},
                      {"median_time_ms", median},
                      {"common_wrong_answers", std::move(wrong)}};
    csv += CsvField(m.exercise) + "," + CsvField(entry->second.lesson->slug) + "," +
           std::string(domain::ToString(exercise.type())) + "," +
           CsvField(PromptExcerpt(exercise.prompt.markdown)) + "," + std::to_string(m.attempts) +
           "," + std::to_string(m.learners) + "," + std::to_string(m.first_attempts) + "," +
           Number(item["facility"]) + "," + Number(item["sd"]) + "," +
           Number(item["discrimination"]) + "," + Number(median) + "," + CsvField(wrong_text) +
           "\r\n";
    items.push_back(std::move(item));
  }
  if (query->csv) return Csv(course.slug, "items", std::move(csv));
  json::object body = Envelope(course.slug, query->range);
  body["items"] = std::move(items);
  return http::Response::Json(200, json::serialize(body));
}

Result<http::Response> AnalyticsApi::Funnel(const http::Request& request) {
  Result<Query> query = Begin(request);
  if (!query.ok()) return std::move(query).error();
  const domain::Course& course = query->course->course;
  std::vector<store::LessonExercises> lessons;
  for (const domain::Lesson& lesson : course.lessons) {
    store::LessonExercises entry{lesson.slug, {}};
    for (const domain::Exercise& exercise : lesson.exercises) {
      if (exercise.IsAutoGraded()) entry.exercises.push_back(exercise.id);
    }
    lessons.push_back(std::move(entry));
  }
  Result<std::vector<store::FunnelStep>> steps = store_.Funnel(course.slug, lessons, query->range);
  if (!steps.ok()) return std::move(steps).error();

  json::array rows;
  std::string csv = "lesson,title,exercises,viewed,attempted,completed\r\n";
  for (size_t i = 0; i < steps->size() && i < course.lessons.size(); ++i) {
    const store::FunnelStep& step = (*steps)[i];
    const domain::Lesson& lesson = course.lessons[i];
    rows.push_back({{"lesson", step.lesson},
                    {"title", lesson.title},
                    {"exercises", lesson.exercises.size()},
                    {"viewed", step.viewed},
                    {"attempted", step.attempted},
                    {"completed", step.completed}});
    csv += CsvField(step.lesson) + "," + CsvField(lesson.title) + "," +
           std::to_string(lesson.exercises.size()) + "," + std::to_string(step.viewed) + "," +
           std::to_string(step.attempted) + "," + std::to_string(step.completed) + "\r\n";
  }
  if (query->csv) return Csv(course.slug, "funnel", std::move(csv));
  json::object body = Envelope(course.slug, query->range);
  body["lessons"] = std::move(rows);
  return http::Response::Json(200, json::serialize(body));
}

Result<http::Response> AnalyticsApi::Completions(const http::Request& request) {
  Result<Query> query = Begin(request);
  if (!query.ok()) return std::move(query).error();
  const domain::Course& course = query->course->course;
  const std::vector<std::string> exercises = ExerciseIds(course, true);
  Result<store::CompletionSeries> series = store_.Completions(course.slug, exercises, query->range);
  if (!series.ok()) return std::move(series).error();

  json::array days;
  std::string csv = "date,completed,cumulative\r\n";
  int64_t cumulative = series->before;
  size_t next = 0;
  for (int64_t day = query->range.first_day; day <= query->range.last_day; ++day) {
    int64_t completed = 0;
    if (next < series->by_day.size() && series->by_day[next].day == day) {
      completed = series->by_day[next++].count;
    }
    cumulative += completed;
    days.push_back(
        {{"date", FormatDay(day)}, {"completed", completed}, {"cumulative", cumulative}});
    csv += FormatDay(day) + "," + std::to_string(completed) + "," + std::to_string(cumulative) +
           "\r\n";
  }
  if (query->csv) return Csv(course.slug, "completions", std::move(csv));
  json::object body = Envelope(course.slug, query->range);
  body["exercises"] = exercises.size();
  body["completed_before"] = series->before;
  body["days"] = std::move(days);
  return http::Response::Json(200, json::serialize(body));
}

Result<http::Response> AnalyticsApi::Activity(const http::Request& request) {
  store::Interval interval = store::Interval::kDay;
  if (std::optional<std::string> text = request.QueryParam("interval")) {
    std::optional<store::Interval> parsed = store::ParseInterval(*text);
    if (!parsed)
      return Error::Invalid("Invalid interval.", {{"interval", "must be day, week or month"}});
    interval = *parsed;
  }
  Result<Query> query = Begin(request);
  if (!query.ok()) return std::move(query).error();
  const domain::Course& course = query->course->course;
  Result<std::vector<store::DayCount>> counts =
      store_.ActiveLearners(course.slug, interval, query->range);
  if (!counts.ok()) return std::move(counts).error();

  json::array periods;
  std::string csv = "start,learners\r\n";
  size_t next = 0;
  for (int64_t start = store::PeriodStart(interval, query->range.first_day);
       start <= query->range.last_day;) {
    int64_t learners = 0;
    while (next < counts->size() && (*counts)[next].day < start) ++next;
    if (next < counts->size() && (*counts)[next].day == start) learners = (*counts)[next].count;
    periods.push_back({{"start", FormatDay(start)}, {"learners", learners}});
    csv += FormatDay(start) + "," + std::to_string(learners) + "\r\n";
    start = interval == store::Interval::kDay    ? start + 1
            : interval == store::Interval::kWeek ? start + 7
                                                 : MonthStart(start + 31);
  }
  if (query->csv) return Csv(course.slug, "activity", std::move(csv));
  json::object body = Envelope(course.slug, query->range);
  body["interval"] = store::ToString(interval);
  body["periods"] = std::move(periods);
  return http::Response::Json(200, json::serialize(body));
}

Result<http::Response> AnalyticsApi::Retention(const http::Request& request) {
  Result<Query> query = Begin(request);
  if (!query.ok()) return std::move(query).error();
  const domain::Course& course = query->course->course;
  Result<std::vector<store::Cohort>> cohorts = store_.Retention(course.slug, query->range);
  if (!cohorts.ok()) return std::move(cohorts).error();

  size_t weeks = 0;
  for (const store::Cohort& cohort : *cohorts) weeks = std::max(weeks, cohort.retained.size());
  std::string csv = "week,learners";
  for (size_t k = 0; k < weeks; ++k) csv += ",week_" + std::to_string(k);
  csv += "\r\n";
  json::array rows;
  for (const store::Cohort& cohort : *cohorts) {
    json::array retained;
    json::array rates;
    csv += FormatDay(cohort.week) + "," + std::to_string(cohort.learners);
    for (size_t k = 0; k < weeks; ++k) {
      csv += ",";
      if (k >= cohort.retained.size()) continue;  // a week still to come for this cohort
      const int64_t n = cohort.retained[k];
      retained.push_back(n);
      rates.push_back(Rounded(cohort.learners > 0
                                  ? std::optional<double>(static_cast<double>(n) / cohort.learners)
                                  : std::nullopt,
                              1000.0));
      csv += std::to_string(n);
    }
    csv += "\r\n";
    rows.push_back({{"week", FormatDay(cohort.week)},
                    {"learners", cohort.learners},
                    {"retained", std::move(retained)},
                    {"rates", std::move(rates)}});
  }
  if (query->csv) return Csv(course.slug, "retention", std::move(csv));
  json::object body = Envelope(course.slug, query->range);
  body["cohorts"] = std::move(rows);
  return http::Response::Json(200, json::serialize(body));
}

}  // namespace practica::api
