#include "api/catalog.h"

#include <array>
#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/exercise_view.h"
#include "api/pagination.h"
#include "auth/random.h"
#include "common/text.h"
#include "http/conditional.h"

namespace practica::api {
namespace json = boost::json;
namespace {

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

json::object SummaryJson(const store::CourseSummary& course) {
  return {{"slug", course.slug},
          {"title", course.title},
          {"summary", course.summary},
          {"language", course.language},
          {"tags", Strings(course.tags)},
          {"lesson_count", course.lesson_count},
          {"exercise_count", course.exercise_count}};
}

// A cached body as a response, or 304 when the client already has it.
http::Response CachedResponse(const http::Request& request, const CachedBody& cached) {
  http::Response response = http::Response::Json(200, {});
  response.headers.Set("Cache-Control", "no-cache");
  response.headers.Set("ETag", cached.etag);
  const auto if_none_match = request.headers.Get("If-None-Match");
  if (if_none_match && http::IfNoneMatchMatches(*if_none_match, cached.etag)) {
    response.status = 304;
    return response;
  }
  response.body = cached.body;
  return response;
}

Error CourseNotFound(std::string_view slug) {
  return Error::NotFound("No published course '" + std::string(slug) + "'.");
}

}  // namespace

Result<http::Response> CatalogApi::ListCourses(const http::Request& request) {
  Result<int> limit = PageLimit(request);
  if (!limit.ok()) return limit.error();
  const std::string cursor = request.QueryParam("cursor").value_or("");
  if (!cursor.empty() && !domain::IsValidSlug(cursor)) {
    return Error::Invalid("Invalid query parameter.",
                          {{"cursor", "is not a cursor this API gave"}});
  }
  auto cached =
      cache_.Get("courses?" + std::to_string(*limit) + "&" + cursor, [&]() -> Result<std::string> {
        // One more than asked tells whether there is a next page.
        auto courses = content_.ListCourses(cursor, *limit + 1);
        if (!courses.ok()) return courses.error();
        json::array items;
        const bool more = static_cast<int>(courses->size()) > *limit;
        if (more) courses->pop_back();
        for (const auto& course : *courses) items.push_back(SummaryJson(course));
        json::object page{{"items", std::move(items)}, {"next_cursor", nullptr}};
        if (more) page["next_cursor"] = courses->back().slug;
        return json::serialize(page);
      });
  if (!cached.ok()) return cached.error();
  return CachedResponse(request, **cached);
}

uint64_t CatalogApi::NextViewsId() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

void CatalogApi::RecordView(const http::Request& request, std::string_view course,
                            std::string_view lesson) {
  if (analytics_ == nullptr || clock_ == nullptr || !request.principal) return;
  const std::string& user = request.principal->user_id;
  const int64_t now = clock_->NowSeconds();
  // A 64-bit digest of learner, course and lesson: this runs on every signed-in lesson read, so
  // no string is built; a collision would only cost one lesson view. The digest never leaves this
  // process, so HashWords (eight bytes a step) serves where a stable hash would cost more.
  const uint64_t key = HashWords(lesson, HashWords(course, HashWords(user)));
  // Each thread first asks its own memo of views it knows were recorded, so rereads within the
  // hour take no lock shared with the other I/O threads. last_view_ alone decides what counts;
  // the memo only repeats what it said. It is a direct-mapped table (one slot per digest, a
  // newcomer takes the slot), so a lookup touches one cache line and never allocates.
  struct Seen {
    uint64_t key = 0;
    int64_t at = 0;  // 0: empty (no view is recorded at the epoch)
  };
  constexpr size_t kMemoSlots = 1024;  // 16 KiB a thread
  thread_local std::array<Seen, kMemoSlots> memo{};
  const uint64_t memo_key = key ^ (views_id_ * 0x9e3779b97f4a7c15ULL);
  Seen& seen = memo[memo_key % kMemoSlots];
  if (seen.key == memo_key && seen.at != 0 && now - seen.at < 3600) return;
  {
    std::lock_guard lock(views_mutex_);
    if (last_view_.size() > 100'000) last_view_.clear();
    auto [it, added] = last_view_.try_emplace(key, now);
    if (!added && now - it->second < 3600) {
      seen = {memo_key, it->second};
      return;
    }
    it->second = now;
    seen = {memo_key, now};
  }
  store::EventBatch batch;
  batch.activity.push_back({auth::NewTimeOrderedId("evt", now * 1000),
                            store::ActivityKind::kLessonView, user, std::string(course),
                            std::string(lesson), now});
  analytics_->Add(std::move(batch));
  analytics_->Enrol(user, std::string(course), now);
}

Result<http::Response> CatalogApi::GetCourse(const http::Request& request) {
  const std::string_view slug = request.Param("course");
  if (!domain::IsValidSlug(slug)) return CourseNotFound(slug);
  auto cached = cache_.Get("course/" + std::string(slug), [&]() -> Result<std::string> {
    auto outline = content_.GetCourseOutline(slug);
    if (!outline.ok()) {
      if (outline.error().code == ErrorCode::kNotFound) return CourseNotFound(slug);
      return outline.error();
    }
    json::object course = SummaryJson(outline->course);
    json::array lessons;
    for (const auto& lesson : outline->lessons) {
      lessons.push_back({{"slug", lesson.slug},
                         {"title", lesson.title},
                         {"exercise_count", lesson.exercise_count}});
    }
    course["lessons"] = std::move(lessons);
    return json::serialize(course);
  });
  if (!cached.ok()) return cached.error();
  return CachedResponse(request, **cached);
}

Result<http::Response> CatalogApi::GetLesson(const http::Request& request) {
  const std::string_view course_slug = request.Param("course");
  const std::string_view lesson_slug = request.Param("lesson");
  if (!domain::IsValidSlug(course_slug)) return CourseNotFound(course_slug);
  const auto lesson_not_found = [&] {
    return Error::NotFound("Course '" + std::string(course_slug) + "' has no lesson '" +
                           std::string(lesson_slug) + "'.");
  };
  if (!domain::IsValidSlug(lesson_slug)) return lesson_not_found();

  const std::string key = "lesson/" + std::string(course_slug) + "/" + std::string(lesson_slug);
  auto cached = cache_.Get(key, [&]() -> Result<std::string> {
    auto outline = content_.GetCourseOutline(course_slug);
    if (!outline.ok()) {
      if (outline.error().code == ErrorCode::kNotFound) return CourseNotFound(course_slug);
      return outline.error();
    }
    auto lesson = content_.GetLesson(course_slug, lesson_slug);
    if (!lesson.ok()) {
      if (lesson.error().code == ErrorCode::kNotFound) return lesson_not_found();
      return lesson.error();
    }
    json::array exercises;
    for (const auto& exercise : lesson->exercises)
      exercises.push_back(PublicExercise(exercise, course_slug));
    json::object body{{"course", course_slug},
                      {"slug", lesson->slug},
                      {"title", lesson->title},
                      {"html", lesson->Html()},
                      {"exercises", std::move(exercises)},
                      {"previous", nullptr},
                      {"next", nullptr}};
    const auto& lessons = outline->lessons;
    for (size_t i = 0; i < lessons.size(); ++i) {
      if (lessons[i].slug != lesson_slug) continue;
      if (i > 0)
        body["previous"] = {{"slug", lessons[i - 1].slug}, {"title", lessons[i - 1].title}};
      if (i + 1 < lessons.size()) {
        body["next"] = {{"slug", lessons[i + 1].slug}, {"title", lessons[i + 1].title}};
      }
    }
    return json::serialize(body);
  });
  if (!cached.ok()) return cached.error();
  RecordView(request, course_slug, lesson_slug);
  return CachedResponse(request, **cached);
}

}  // namespace practica::api
