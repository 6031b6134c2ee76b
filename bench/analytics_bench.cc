// The analytics benchmark behind bench/analytics.sh: generates a year of learning events
// deterministically, loads them through PostgresAnalyticsStore::Record in batches, and times each
// query of the port on the biggest course, for a 90-day range and for the whole year.
//
//   analytics_bench --url URL [--attempts 1000000] [--learners 20000] [--batch 1000]
//                   [--runs 5] [--skip-load]
//
// The data set (one fixed seed, so every run loads the same events):
//   - 10 courses of 20 to 60 exercises in lessons of 2 to 6 (about one lesson in eight has no
//     exercises: reading only); the biggest course is also the most popular and holds ~40% of
//     the attempts.
//   - Learners sign up over the year (15% before it), enrol in one to four courses, and work in
//     sessions a few days apart (a login each), lesson after lesson (a view each), until they
//     drop out. Each exercise is tried until answered correctly or three times; the chance of a
//     correct answer follows the learner's ability against the exercise's difficulty (a logistic
//     model); a third of the exercises give partial credit; retries lose 0.2 per attempt; wrong
//     answers follow a Zipf law over a few common mistakes; times are log-normal around 25 s, 3%
//     unknown.
//   - Attempts are then trimmed to exactly --attempts, latest first, round-robin over learners.
// Events are recorded in time order, in batches of --batch events of both kinds.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/row>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "store/analytics_store.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_analytics_store.h"

namespace practica::bench {
namespace {

using store::ActivityEvent;
using store::ActivityKind;
using store::AttemptEvent;
using store::DayRange;
using store::EventBatch;

constexpr int64_t kYearStart = 20089;  // 2025-01-01, a Wednesday
constexpr int64_t kYearDays = 365;

struct Options {
  std::string url;
  int64_t attempts = 1'000'000;
  int learners = 20'000;
  int batch = 1'000;
  int runs = 5;
  bool skip_load = false;
};

struct Exercise {
  std::string id;
  double difficulty = 0;
  bool partial_credit = false;
};

struct Lesson {
  std::string id;
  std::vector<int> exercises;  // indexes into Course::exercises
};

struct Course {
  std::string id;
  double popularity = 0;
  std::vector<Exercise> exercises;
  std::vector<Lesson> lessons;
};

// Time-ordered ids like auth::NewTimeOrderedId's: milliseconds in 10 characters of an
// ASCII-ordered base32, then 16 random ones.
std::string TimeOrderedId(std::string_view prefix, int64_t unix_ms, std::mt19937_64& random) {
  static constexpr char kDigits[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string id(prefix);
  id += '_';
  for (int shift = 45; shift >= 0; shift -= 5) id += kDigits[(unix_ms >> shift) & 31];
  uint64_t bits = random();
  for (int i = 0; i < 16; ++i, bits >>= 4) id += kDigits[bits & 31];
  return id;
}

std::vector<Course> MakeCourses(std::mt19937_64& random) {
  const int sizes[] = {60, 48, 40, 34, 30, 27, 24, 22, 21, 20};
  const double popularity[] = {36, 12, 10, 9, 8, 7, 6, 5, 4, 3};
  std::normal_distribution<double> difficulty(0.0, 1.0);
  std::uniform_int_distribution<int> lesson_size(2, 6);
  std::bernoulli_distribution reading_only(0.125);
  std::bernoulli_distribution partial(1.0 / 3);
  std::vector<Course> courses;
  for (int c = 0; c < 10; ++c) {
    Course course;
    course.id = "course-" + std::to_string(c + 1);
    course.popularity = popularity[c];
    for (int e = 0; e < sizes[c]; ++e) {
      course.exercises.push_back(
          {"ex-" + std::to_string(e + 1), difficulty(random), partial(random)});
    }
    int next = 0;
    while (next < sizes[c]) {
      Lesson lesson;
      lesson.id = "lesson-" + std::to_string(course.lessons.size() + 1);
      if (!reading_only(random)) {
        const int size = std::min(lesson_size(random), sizes[c] - next);
        for (int i = 0; i < size; ++i) lesson.exercises.push_back(next++);
      }
      course.lessons.push_back(std::move(lesson));
    }
    courses.push_back(std::move(course));
  }
  return courses;
}

struct Generated {
  std::vector<AttemptEvent> attempts;
  std::vector<ActivityEvent> activity;
};

// One learner's year: sign-up, enrolments, sessions of lessons and attempts. Appends to `out`,
// each learner's attempts in time order.
void GenerateLearner(int index, const std::vector<Course>& courses, std::mt19937_64& random,
                     Generated& out) {
  const std::string user = "usr_" + std::to_string(1'000'000 + index);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  const double ability = normal(random);
  const int64_t year_start = kYearStart * 86400;
  const int64_t year_end = (kYearStart + kYearDays) * 86400;
  // Sign-ups: 15% in the 90 days before the year, the rest over it, a little more each month.
  int64_t signed_up;
  if (unit(random) < 0.15) {
    signed_up = year_start - static_cast<int64_t>(unit(random) * 90 * 86400);
  } else {
    signed_up =
        year_start + static_cast<int64_t>(std::sqrt(unit(random)) * (year_end - year_start));
  }
  signed_up += 8 * 3600;  // waking hours
  out.activity.push_back({TimeOrderedId("sig", signed_up * 1000, random), ActivityKind::kSignUp,
                          user, "", "", signed_up});

  std::vector<double> weights;
  for (const Course& course : courses) weights.push_back(course.popularity);
  std::discrete_distribution<int> pick_course(weights.begin(), weights.end());
  const int enrolments = 1 + static_cast<int>(std::min(3.0, std::floor(-std::log(unit(random)))));
  std::vector<int> chosen;
  for (int i = 0; i < enrolments * 3 && static_cast<int>(chosen.size()) < enrolments; ++i) {
    const int c = pick_course(random);
    if (std::find(chosen.begin(), chosen.end(), c) == chosen.end()) chosen.push_back(c);
  }

  std::exponential_distribution<double> gap_days(1.0 / 3.5);
  std::lognormal_distribution<double> time_taken(std::log(25'000.0), 0.8);
  const int64_t ms_per_s = 1000;
  for (const int c : chosen) {
    const Course& course = courses[static_cast<size_t>(c)];
    int64_t now = signed_up + static_cast<int64_t>(unit(random) * 20 * 86400);
    out.activity.push_back({store::EnrolmentEventId(user, course.id), ActivityKind::kEnrolment,
                            user, course.id, "", now});
    // Motivation: the chance to go on after each lesson.
    const double stay = 0.80 + 0.19 * unit(random);
    size_t lesson = 0;
    while (lesson < course.lessons.size() && now < year_end) {
      out.activity.push_back(
          {TimeOrderedId("act", now * ms_per_s, random), ActivityKind::kLogin, user, "", "", now});
      const int lessons_this_session = 1 + static_cast<int>(unit(random) * 3);
      for (int s = 0; s < lessons_this_session && lesson < course.lessons.size(); ++s, ++lesson) {
        const Lesson& current = course.lessons[lesson];
        now += 30 + static_cast<int64_t>(unit(random) * 120);
        out.activity.push_back({TimeOrderedId("act", now * ms_per_s, random),
                                ActivityKind::kLessonView, user, course.id, current.id, now});
        for (const int e : current.exercises) {
          const Exercise& exercise = course.exercises[static_cast<size_t>(e)];
          const double p = 1.0 / (1.0 + std::exp(-(1.2 * (ability - exercise.difficulty) + 0.8)));
          for (int number = 1; number <= 3; ++number) {
            AttemptEvent attempt;
            int64_t taken = static_cast<int64_t>(time_taken(random));
            now += taken / 1000 + 5;
            attempt.event_id = TimeOrderedId("att", now * ms_per_s, random);
            attempt.user_id = user;
            attempt.course = course.id;
            attempt.lesson = current.id;
            attempt.exercise = exercise.id;
            attempt.exercise_version = "v1";
            attempt.attempt_number = number;
            attempt.correct = unit(random) < p;
            double raw = attempt.correct ? 1.0 : 0.0;
            if (!attempt.correct && exercise.partial_credit) {
              raw = std::floor(unit(random) * 4) / 4;  // 0, 1/4, 1/2 or 3/4 of the parts
            }
            attempt.score = std::max(0.0, raw - 0.2 * (number - 1));
            if (attempt.correct) {
              attempt.answer = "\"ok\"";
            } else {
              // Zipf over six common mistakes.
              const double u = unit(random);
              const int mistake = u < 0.41   ? 1
                                  : u < 0.61 ? 2
                                  : u < 0.75 ? 3
                                  : u < 0.85 ? 4
                                  : u < 0.93 ? 5
                                             : 6;
              attempt.answer = "\"mistake " + std::to_string(mistake) + "\"";
            }
            attempt.time_taken_ms = unit(random) < 0.03 ? -1 : taken;
            attempt.occurred_at = now;
            out.attempts.push_back(std::move(attempt));
            if (out.attempts.back().correct) break;
          }
        }
        if (unit(random) > stay) {  // drops out
          lesson = course.lessons.size();
          break;
        }
      }
      now += static_cast<int64_t>((0.3 + gap_days(random)) * 86400);
    }
  }
}

Generated Generate(const Options& options, const std::vector<Course>& courses,
                   std::mt19937_64& random) {
  std::vector<Generated> learners(static_cast<size_t>(options.learners));
  int64_t total = 0;
  for (int i = 0; i < options.learners; ++i) {
    GenerateLearner(i, courses, random, learners[static_cast<size_t>(i)]);
    total += static_cast<int64_t>(learners[static_cast<size_t>(i)].attempts.size());
  }
  if (total < options.attempts) {
    std::fprintf(stderr, "generated only %lld attempts; ask for more learners\n",
                 static_cast<long long>(total));
    std::exit(1);
  }
  // Trim to the exact count: each learner in turn loses their latest attempt.
  for (size_t i = 0; total > options.attempts; i = (i + 1) % learners.size()) {
    if (!learners[i].attempts.empty()) {
      learners[i].attempts.pop_back();
      --total;
    }
  }
  Generated all;
  for (Generated& learner : learners) {
    std::move(learner.attempts.begin(), learner.attempts.end(), std::back_inserter(all.attempts));
    std::move(learner.activity.begin(), learner.activity.end(), std::back_inserter(all.activity));
  }
  auto by_time = [](const auto& a, const auto& b) { return a.occurred_at < b.occurred_at; };
  std::stable_sort(all.attempts.begin(), all.attempts.end(), by_time);
  std::stable_sort(all.activity.begin(), all.activity.end(), by_time);
  return all;
}

double ServerCpuMs();

void Load(store::AnalyticsStore& store, const Generated& events, int batch_size) {
  size_t a = 0;
  size_t b = 0;
  int64_t batches = 0;
  const double cpu_before = ServerCpuMs();
  const auto start = std::chrono::steady_clock::now();
  while (a < events.attempts.size() || b < events.activity.size()) {
    EventBatch batch;
    while (static_cast<int>(batch.attempts.size() + batch.activity.size()) < batch_size &&
           (a < events.attempts.size() || b < events.activity.size())) {
      const bool attempt_next = b == events.activity.size() ||
                                (a < events.attempts.size() &&
                                 events.attempts[a].occurred_at <= events.activity[b].occurred_at);
      if (attempt_next) {
        batch.attempts.push_back(events.attempts[a++]);
      } else {
        batch.activity.push_back(events.activity[b++]);
      }
    }
    if (Status recorded = store.Record(batch); !recorded.ok()) {
      std::fprintf(stderr, "Record: %s\n", recorded.error().message.c_str());
      std::exit(1);
    }
    ++batches;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto total = static_cast<double>(events.attempts.size() + events.activity.size());
  const double cpu_seconds = (ServerCpuMs() - cpu_before) / 1000;
  std::printf(
      "Record: %zu attempts + %zu activity events in %lld batches of %d: %.1f s, "
      "%.0f events/s (%.0f attempts/s); server CPU %.1f s (%.0f attempts per CPU second)\n",
      events.attempts.size(), events.activity.size(), static_cast<long long>(batches), batch_size,
      seconds, total / seconds, static_cast<double>(events.attempts.size()) / seconds, cpu_seconds,
      static_cast<double>(events.attempts.size()) / cpu_seconds);
}

// The fields of /proc/PID/stat after the command name (field 3, the state, first); empty when the
// process is gone.
std::vector<std::string> StatFields(const std::filesystem::path& process) {
  std::ifstream file(process / "stat");
  std::string line;
  std::getline(file, line);
  const size_t end_of_name = line.rfind(')');
  if (end_of_name == std::string::npos) return {};
  std::istringstream rest(line.substr(end_of_name + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// The benchmark's PostgreSQL server: its postmaster, the parent of every backend.
int64_t g_postmaster = 0;

void FindServer(const std::string& url) {
  pqxx::connection connection(url);
  pqxx::nontransaction transaction(connection);
  const std::string backend = transaction.exec1("SELECT pg_backend_pid()")[0].as<std::string>();
  const std::vector<std::string> fields = StatFields(std::filesystem::path("/proc") / backend);
  if (fields.size() > 1) g_postmaster = std::stoll(fields[1]);  // field 4, the parent
}

// CPU time the benchmark's PostgreSQL server has used so far, in milliseconds: its postmaster
// and every process it started (/proc/PID/schedstat, in nanoseconds), and, for those that have
// exited (parallel workers), what the postmaster collected from them (cutime and cstime, in
// clock ticks). Other PostgreSQL servers on the machine (other people's tests) do not count. On
// a shared machine, a query's wall time depends on what else runs; its CPU time much less.
double ServerCpuMs() {
  double total_ns = 0;
  const std::string postmaster = std::to_string(g_postmaster);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::vector<std::string> fields = StatFields(entry.path());
    if (fields.size() < 15 || (pid != postmaster && fields[1] != postmaster)) continue;
    std::ifstream schedstat(entry.path() / "schedstat");
    double on_cpu_ns = 0;
    if (schedstat >> on_cpu_ns) total_ns += on_cpu_ns;
    if (pid == postmaster) {  // fields 16 and 17: children's user and system time, waited for
      total_ns += static_cast<double>(std::stoll(fields[13]) + std::stoll(fields[14])) * 1e9 /
                  static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
  return total_ns / 1e6;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Runs `query` `runs` times and prints the median and the maximum wall time, and the median CPU
// time of the server.
void Time(const std::string& name, int runs, const std::function<Status()>& query) {
  std::vector<double> wall_ms;
  std::vector<double> cpu_ms;
  for (int i = 0; i < runs; ++i) {
    const double cpu_before = ServerCpuMs();
    const auto start = std::chrono::steady_clock::now();
    if (Status s = query(); !s.ok()) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), s.error().message.c_str());
      std::exit(1);
    }
    wall_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    cpu_ms.push_back(ServerCpuMs() - cpu_before);
  }
  std::printf("  %-22s median %6.1f ms   max %6.1f ms   server CPU %6.1f ms\n", name.c_str(),
              Median(wall_ms), *std::max_element(wall_ms.begin(), wall_ms.end()), Median(cpu_ms));
}

template <class T>
Status Checked(const Result<T>& result) {
  return result.ok() ? Status::Ok() : Status(result.error());
}

void Queries(store::AnalyticsStore& store, const Course& course, DayRange range,
             const std::string& label, int runs) {
  std::vector<std::string> exercises;
  for (const Exercise& exercise : course.exercises) exercises.push_back(exercise.id);
  std::vector<store::LessonExercises> lessons;
  for (const Lesson& lesson : course.lessons) {
    store::LessonExercises entry{lesson.id, {}};
    for (const int e : lesson.exercises) {
      entry.exercises.push_back(course.exercises[static_cast<size_t>(e)].id);
    }
    lessons.push_back(std::move(entry));
  }
  std::printf("%s (%s to %s), %s:\n", label.c_str(), FormatDay(range.first_day).c_str(),
              FormatDay(range.last_day).c_str(), course.id.c_str());
  Time("ItemStatistics", runs,
       [&] { return Checked(store.ItemStatistics(course.id, exercises, range)); });
  Time("Funnel", runs, [&] { return Checked(store.Funnel(course.id, lessons, range)); });
  Time("Completions", runs,
       [&] { return Checked(store.Completions(course.id, exercises, range)); });
  for (const store::Interval interval :
       {store::Interval::kDay, store::Interval::kWeek, store::Interval::kMonth}) {
    Time("ActiveLearners " + std::string(store::ToString(interval)), runs,
         [&] { return Checked(store.ActiveLearners(course.id, interval, range)); });
  }
  Time("Retention", runs, [&] { return Checked(store.Retention(course.id, range)); });
}

// What autovacuum would have done by the time anyone asks: statistics for the planner and a
// visibility map for index-only scans. Then the tables' sizes, and how many rows of each the
// biggest course has.
void Vacuum(const std::string& url, const std::string& course) {
  pqxx::connection connection(url);
  pqxx::nontransaction transaction(connection);
  const auto start = std::chrono::steady_clock::now();
  const std::string course_id =
      "(SELECT id FROM analytics_courses WHERE course = " + transaction.quote(course) + ")";
  // Each table, and what selects the course's rows in it.
  const std::vector<std::pair<std::string, std::string>> tables = {
      {"attempt_events", "course = " + transaction.quote(course)},
      {"activity_events", "course = " + transaction.quote(course)},
      {"learner_days", "course = " + transaction.quote(course)},
      {"learner_exercise_days", "course_id = " + course_id},
      {"exercise_days", "course_id = " + course_id},
      {"wrong_answer_days", "course_id = " + course_id},
      {"analytics_learners", "false"},
      {"analytics_exercises", "course_id = " + course_id},
  };
  for (const auto& [table, of_course] : tables) transaction.exec("VACUUM (ANALYZE) " + table);
  std::printf("VACUUM (ANALYZE): %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (const auto& [table, of_course] : tables) {
    const pqxx::row row = transaction.exec1("SELECT pg_size_pretty(pg_total_relation_size('" +
                                            table + "')), count(*), " + "count(*) FILTER (WHERE " +
                                            of_course + ") FROM " + table);
    std::printf("  %-22s %8s with its indexes, %8s rows, %8s of %s\n", table.c_str(),
                row[0].c_str(), row[1].c_str(), row[2].c_str(), course.c_str());
  }
}

Options Parse(int argc, char** argv) {
  Options options;
  if (const char* url = std::getenv("PRACTICA_TEST_POSTGRES_URL")) options.url = url;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--url") {
      options.url = value();
    } else if (arg == "--attempts") {
      options.attempts = std::stoll(value());
    } else if (arg == "--learners") {
      options.learners = std::stoi(value());
    } else if (arg == "--batch") {
      options.batch = std::stoi(value());
    } else if (arg == "--runs") {
      options.runs = std::stoi(value());
    } else if (arg == "--skip-load") {
      options.skip_load = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      std::exit(2);
    }
  }
  if (options.url.empty()) {
    std::fprintf(stderr, "no --url and no PRACTICA_TEST_POSTGRES_URL\n");
    std::exit(2);
  }
  return options;
}

int Main(int argc, char** argv) {
  const Options options = Parse(argc, argv);
  std::mt19937_64 random(20250101);
  const std::vector<Course> courses = MakeCourses(random);

  if (Result<store::MigrationReport> migrated = store::postgres::MigratePostgres(options.url);
      !migrated.ok()) {
    std::fprintf(stderr, "migrate: %s\n", migrated.error().message.c_str());
    return 1;
  }
  Result<std::unique_ptr<store::postgres::PostgresAnalyticsStore>> opened =
      store::postgres::PostgresAnalyticsStore::Open(options.url);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
    return 1;
  }
  store::AnalyticsStore& store = **opened;
  FindServer(options.url);

  if (!options.skip_load) {
    const auto start = std::chrono::steady_clock::now();
    const Generated events = Generate(options, courses, random);
    std::map<std::string, int64_t> per_course;
    for (const AttemptEvent& attempt : events.attempts) ++per_course[attempt.course];
    std::map<ActivityKind, int64_t> per_kind;
    for (const ActivityEvent& event : events.activity) ++per_kind[event.kind];
    std::printf(
        "generated in %.1f s: %zu attempts (%s: %.1f%%), %lld sign-ups, %lld logins, "
        "%lld enrolments, %lld lesson views\n",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        events.attempts.size(), courses[0].id.c_str(),
        100.0 * static_cast<double>(per_course[courses[0].id]) /
            static_cast<double>(events.attempts.size()),
        static_cast<long long>(per_kind[ActivityKind::kSignUp]),
        static_cast<long long>(per_kind[ActivityKind::kLogin]),
        static_cast<long long>(per_kind[ActivityKind::kEnrolment]),
        static_cast<long long>(per_kind[ActivityKind::kLessonView]));
    Load(store, events, options.batch);
    Vacuum(options.url, courses[0].id);
  }

  const DayRange year{kYearStart, kYearStart + kYearDays - 1};
  const DayRange last_90_days{year.last_day - 89, year.last_day};
  Queries(store, courses[0], last_90_days, "90 days", options.runs);
  Queries(store, courses[0], year, "the whole year", options.runs);
  return 0;
}

}  // namespace
}  // namespace practica::bench

int main(int argc, char** argv) { return practica::bench::Main(argc, argv); }
