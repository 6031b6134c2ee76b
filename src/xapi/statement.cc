#include "xapi/statement.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "common/calendar.h"

namespace practica::xapi {
namespace json = boost::json;

namespace {

constexpr std::string_view kActivityCourse = "http://adlnet.gov/expapi/activities/course";
constexpr std::string_view kActivityLesson = "http://adlnet.gov/expapi/activities/lesson";
constexpr std::string_view kActivityQuestion = "http://adlnet.gov/expapi/activities/question";
constexpr std::string_view kPlatform = "Practica";
// RFC 5646's "undetermined": the key of a language map when the course (and so its language) is
// not known any more.
constexpr std::string_view kUndetermined = "und";

// Practica's namespace for name-based statement ids (a random UUID, fixed for ever: changing it
// would give every statement a new id, and an LRS would store resent ones twice).
constexpr std::array<unsigned char, 16> kNamespace = {
    0xbb, 0xa5, 0xfc, 0x57, 0x8b, 0x29, 0x4b, 0xec, 0xb9, 0x93, 0xb7, 0x89, 0xae, 0x4b, 0x4c, 0x48};

// A path segment: unreserved characters as they are, anything else percent-encoded. Slugs pass
// unchanged; this only guards against ids from imported history.
std::string Segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// At most `limit` bytes of `text`, cut at a character boundary, with "…" when cut.
std::string Cut(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

// The activity's name: the first non-empty line of the prompt, shortened.
std::string PromptName(std::string_view markdown) {
  size_t start = markdown.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  std::string_view line = markdown.substr(start);
  line = line.substr(0, line.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  return Cut(line, 120);
}

json::object LanguageMap(std::string_view language, std::string_view text) {
  return {{language, text}};
}

json::object Activity(std::string iri, std::string_view type, std::string_view language,
                      std::string_view name, std::string_view description) {
  json::object definition{{"type", type}};
  if (!name.empty()) definition["name"] = LanguageMap(language, name);
  if (!description.empty()) definition["description"] = LanguageMap(language, description);
  return {
      {"objectType", "Activity"}, {"id", std::move(iri)}, {"definition", std::move(definition)}};
}

json::object Verb(std::string_view id, std::string_view display) {
  return {{"id", id}, {"display", {{"en-US", display}}}};
}

// The answer as the response: a JSON string is its text, anything else its JSON.
std::string Response(std::string_view answer) {
  boost::system::error_code ec;
  json::value value = json::parse(answer, ec);
  if (ec) return std::string(answer);
  if (value.is_string()) return std::string(value.get_string());
  return json::serialize(value);
}

double Unit(double score) { return std::clamp(score, 0.0, 1.0); }

}  // namespace

CourseOutline::CourseOutline(std::shared_ptr<const domain::Course> course)
    : course_(std::move(course)) {
  for (const domain::Lesson& lesson : course_->lessons) {
    for (const domain::Exercise& exercise : lesson.exercises) {
      exercises_.emplace(exercise.id, Placed{&lesson, &exercise});
    }
  }
}

const domain::Lesson* CourseOutline::FindLesson(std::string_view slug) const {
  for (const domain::Lesson& lesson : course_->lessons) {
    if (lesson.slug == slug) return &lesson;
  }
  return nullptr;
}

const CourseOutline::Placed* CourseOutline::FindExercise(std::string_view id) const {
  auto it = exercises_.find(id);
  return it == exercises_.end() ? nullptr : &it->second;
}

StatementBuilder::StatementBuilder(std::string_view public_url) : base_(public_url) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

std::string StatementBuilder::CourseIri(std::string_view course) const {
  return base_ + "/courses/" + Segment(course);
}

std::string StatementBuilder::LessonIri(std::string_view course, std::string_view lesson) const {
  return CourseIri(course) + "/lessons/" + Segment(lesson);
}

std::string StatementBuilder::ExerciseIri(std::string_view course,
                                          std::string_view exercise) const {
  return CourseIri(course) + "/exercises/" + Segment(exercise);
}

Statement StatementBuilder::Answered(const store::AttemptEvent& attempt,
                                     const CourseOutline* course) const {
  const domain::Course* content = course ? &course->course() : nullptr;
  const CourseOutline::Placed* placed = course ? course->FindExercise(attempt.exercise) : nullptr;
  const domain::Lesson* lesson = course ? course->FindLesson(attempt.lesson) : nullptr;
  const domain::Exercise* exercise = placed ? placed->exercise : nullptr;
  const std::string_view language = content ? std::string_view(content->language) : kUndetermined;

  json::object statement;
  statement["id"] = NameBasedUuid(base_ + " answered " + attempt.event_id);
  statement["actor"] = {{"objectType", "Agent"},
                        {"account", {{"homePage", base_}, {"name", attempt.user_id}}}};
  statement["verb"] = Verb(kVerbAnswered, "answered");
  statement["object"] =
      Activity(ExerciseIri(attempt.course, attempt.exercise), kActivityQuestion, language,
               exercise ? PromptName(exercise->prompt.markdown) : std::string(),
               exercise ? Cut(exercise->prompt.markdown, 4000) : std::string());

  json::object result;
  if (exercise == nullptr || exercise->IsAutoGraded()) {
    const double score = Unit(attempt.score);
    result["score"] = {{"scaled", score}, {"raw", score}, {"min", 0}, {"max", 1}};
    result["success"] = attempt.correct;
  }
  result["completion"] = true;
  if (!attempt.answer.empty()) result["response"] = Response(attempt.answer);
  if (attempt.time_taken_ms >= 0) result["duration"] = IsoDuration(attempt.time_taken_ms);
  statement["result"] = std::move(result);

  json::object context{
      {"contextActivities",
       {{"parent",
         json::array{Activity(LessonIri(attempt.course, attempt.lesson), kActivityLesson, language,
                              lesson ? std::string_view(lesson->title) : "", "")}},
        {"grouping", json::array{Activity(CourseIri(attempt.course), kActivityCourse, language,
                                          content ? std::string_view(content->title) : "", "")}}}},
      {"platform", kPlatform}};
  if (content) context["language"] = content->language;
  if (!attempt.exercise_version.empty()) context["revision"] = attempt.exercise_version;
  context["extensions"] = {{base_ + "/xapi/extensions/attempt-number", attempt.attempt_number}};
  statement["context"] = std::move(context);
  statement["timestamp"] = IsoTimestamp(attempt.occurred_at);

  Statement out;
  out.id = statement["id"].get_string();
  out.user_id = attempt.user_id;
  out.json = json::serialize(statement);
  return out;
}

Statement StatementBuilder::Completed(std::string_view user_id, const CourseOutline& course,
                                      const domain::Lesson* lesson, int64_t at) const {
  const domain::Course& content = course.course();
  const std::string_view language = content.language;
  json::object course_activity =
      Activity(CourseIri(content.slug), kActivityCourse, language, content.title, content.summary);
  json::object statement;
  const std::string object_iri =
      lesson ? LessonIri(content.slug, lesson->slug) : CourseIri(content.slug);
  statement["id"] = NameBasedUuid(base_ + " completed " + std::string(user_id) + " " + object_iri);
  statement["actor"] = {{"objectType", "Agent"},
                        {"account", {{"homePage", base_}, {"name", user_id}}}};
  statement["verb"] = Verb(kVerbCompleted, "completed");
  statement["object"] =
      lesson ? Activity(object_iri, kActivityLesson, language, lesson->title, "") : course_activity;
  statement["result"] = {{"success", true}, {"completion", true}};
  json::object context;
  if (lesson) {
    context["contextActivities"] = {{"parent", json::array{course_activity}},
                                    {"grouping", json::array{course_activity}}};
  }
  context["platform"] = kPlatform;
  context["language"] = content.language;
  statement["context"] = std::move(context);
  statement["timestamp"] = IsoTimestamp(at);

  Statement out;
  out.id = statement["id"].get_string();
  out.user_id = std::string(user_id);
  out.json = json::serialize(statement);
  return out;
}

std::string NameBasedUuid(std::string_view name) {
  // RFC 4122 §4.3: SHA-1 over the namespace's 16 bytes and the name; the first 16 bytes of the
  // digest, with the version (5) and the variant (10xx) set.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha1(), nullptr);
  EVP_DigestUpdate(context, kNamespace.data(), kNamespace.size());
  EVP_DigestUpdate(context, name.data(), name.size());
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string uuid;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid += '-';
    uuid += kHex[digest[i] >> 4];
    uuid += kHex[digest[i] & 15];
  }
  return uuid;
}

std::string IsoDuration(int64_t milliseconds) {
  const int64_t centiseconds = std::max<int64_t>(0, (milliseconds + 5) / 10);
  const int64_t hours = centiseconds / 360000;
  const int64_t minutes = centiseconds / 6000 % 60;
  const int64_t seconds = centiseconds / 100 % 60;
  const int64_t fraction = centiseconds % 100;
  std::string out = "PT";
  if (hours > 0) out += std::to_string(hours) + "H";
  if (minutes > 0) out += std::to_string(minutes) + "M";
  if (seconds > 0 || fraction > 0 || (hours == 0 && minutes == 0)) {
    out += std::to_string(seconds);
    if (fraction > 0) {
      char digits[4];
      std::snprintf(digits, sizeof digits, "%02d", static_cast<int>(fraction));
      std::string decimals = digits;
      if (decimals.back() == '0') decimals.pop_back();
      out += "." + decimals;
    }
    out += "S";
  }
  return out;
}

std::string IsoTimestamp(int64_t unix_seconds) {
  const int64_t day = EpochDay(unix_seconds);
  const int64_t second_of_day = unix_seconds - day * 86400;
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
  return FormatDay(day) + time;
}

bool Solves(const store::AttemptEvent& attempt, const CourseOutline* course) {
  if (attempt.correct) return true;
  const CourseOutline::Placed* placed = course ? course->FindExercise(attempt.exercise) : nullptr;
  return placed != nullptr && !placed->exercise->IsAutoGraded();
}

}  // namespace practica::xapi
