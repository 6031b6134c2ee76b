#include "api/authoring_api.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <set>
#include <utility>

#include "api/answer_json.h"
#include "api/course_index.h"
#include "api/exercise_view.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/pagination.h"
#include "api/user_json.h"
#include "common/text.h"
#include "content/authoring.h"
#include "content/bundle_zip.h"
#include "content/gift.h"
#include "content/markdown.h"
#include "domain/grading.h"

namespace practica::api {
namespace json = boost::json;
namespace {

// Field limits, in bytes or entries. A lesson's Markdown may be long; a course's own fields not.
constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxSummary = 2000;
constexpr size_t kMaxLanguage = 35;
constexpr size_t kMaxTags = 20;
constexpr size_t kMaxTag = 64;
constexpr size_t kMaxMarkdown = 512 * 1024;
constexpr size_t kMaxBlocks = 2000;
constexpr size_t kMaxOwners = 50;
constexpr int64_t kMaxPosition = 10000;
// A change that lost the race for the draft's revision (without If-Match) is tried again.
constexpr int kEditAttempts = 3;

const http::Principal& Who(const http::Request& request) { return *request.principal; }

bool IsAdmin(const http::Request& request) { return Who(request).role == domain::Role::kAdmin; }

json::value OrNull(int number) { return number > 0 ? json::value(number) : json::value(nullptr); }

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  for (const std::string& value : values) out.emplace_back(value);
  return out;
}

std::string_view CourseStatus(const store::AuthoredCourse& course) {
  if (course.live_version) return "published";
  return course.latest_version > 0 ? "unpublished" : "draft";
}

json::object CourseJson(const store::AuthoredCourse& course) {
  return {{"slug", course.slug},
          {"title", course.title},
          {"owners", Strings(course.owners)},
          {"revision", course.revision},
          {"latest_version", OrNull(course.latest_version)},
          {"live_version", OrNull(course.live_version.value_or(0))},
          {"status", CourseStatus(course)},
          {"unpublished_changes", course.HasUnpublishedChanges()},
          {"created_at", IsoTime(course.created_at)},
          {"updated_at", IsoTime(course.updated_at)}};
}

json::object LessonJson(const domain::Lesson& lesson) {
  json::array blocks;
  for (const domain::LessonBlock& block : lesson.blocks) {
    if (block.kind == domain::LessonBlock::Kind::kMarkdown) {
      blocks.push_back(json::object{{"markdown", block.text.markdown}});
    } else {
      blocks.push_back(json::object{{"exercise", block.exercise_id}});
    }
  }
  json::array exercises;
  for (const domain::Exercise& exercise : lesson.exercises) {
    exercises.push_back(content::ExerciseToJson(exercise));
  }
  return {{"slug", lesson.slug},
          {"title", lesson.title},
          {"blocks", std::move(blocks)},
          {"exercises", std::move(exercises)}};
}

// The course's own fields and its lessons.
void AddContent(json::object& out, const domain::Course& course) {
  out["summary"] = course.summary;
  out["language"] = course.language;
  out["tags"] = Strings(course.tags);
  json::array lessons;
  for (const domain::Lesson& lesson : course.lessons) lessons.push_back(LessonJson(lesson));
  out["lessons"] = std::move(lessons);
}

std::string ETagOf(int64_t revision) { return "\"" + std::to_string(revision) + "\""; }

http::Response JsonResponse(int status, const json::object& body) {
  return http::Response::Json(status, json::serialize(body));
}

http::Response DraftResponse(int status, const store::AuthoredCourse& course,
                             const domain::Course& content) {
  json::object body = CourseJson(course);
  AddContent(body, content);
  http::Response response = JsonResponse(status, body);
  response.headers.Set("ETag", ETagOf(course.revision));
  return response;
}

// The revision If-Match names; nullopt without the header (or with "*"). kInvalid for a value
// that is no ETag of this API.
Result<std::optional<int64_t>> IfMatchRevision(const http::Request& request) {
  const std::optional<std::string_view> header = request.headers.Get("If-Match");
  if (!header) return std::optional<int64_t>();
  std::string_view tag = TrimWhitespace(*header);
  if (tag == "*") return std::optional<int64_t>();
  if (StartsWith(tag, "W/")) tag.remove_prefix(2);
  const Error invalid = Error::Invalid(
      "Invalid If-Match.", {{"If-Match", "must be the ETag a draft came with, such as \"3\""}});
  if (tag.size() < 3 || tag.front() != '"' || tag.back() != '"' || tag.size() > 22) return invalid;
  int64_t revision = 0;
  for (const char c : tag.substr(1, tag.size() - 2)) {
    if (c < '0' || c > '9') return invalid;
    revision = revision * 10 + (c - '0');
  }
  return std::optional<int64_t>(revision);
}

Error Stale(int64_t sent, int64_t current) {
  Error error = Error::PreconditionFailed(
      "The draft changed since you read it: it is at revision " + std::to_string(current) +
      ", your If-Match names " + std::to_string(sent) + ". Read it again, then change it.");
  error.type = std::string(store::kStaleRevision);
  return error;
}

// A stale-revision conflict from the store as the API words it: 409 without If-Match.
Error StaleConflict(Error error) {
  error.message = "The draft changed while this request was applied; read it again and retry.";
  return error;
}

Error NoLesson(std::string_view lesson, std::string_view course) {
  return Error::NotFound("No lesson " + Quoted(lesson.substr(0, 64)) + " in course " +
                         Quoted(course) + ".");
}

Error NoExercise(std::string_view exercise, std::string_view course) {
  return Error::NotFound("No exercise " + Quoted(exercise.substr(0, 64)) + " in course " +
                         Quoted(course) + ".");
}

Result<size_t> FindLesson(const domain::Course& course, std::string_view slug) {
  for (size_t i = 0; i < course.lessons.size(); ++i) {
    if (course.lessons[i].slug == slug) return i;
  }
  return NoLesson(slug, course.slug);
}

struct ExercisePlace {
  size_t lesson = 0;
  size_t index = 0;  // in lesson.exercises
};

std::optional<ExercisePlace> FindExercise(const domain::Course& course, std::string_view id) {
  for (size_t l = 0; l < course.lessons.size(); ++l) {
    const std::vector<domain::Exercise>& exercises = course.lessons[l].exercises;
    for (size_t e = 0; e < exercises.size(); ++e) {
      if (exercises[e].id == id) return ExercisePlace{l, e};
    }
  }
  return std::nullopt;
}

// The lesson's body as pieces an author edits.
std::vector<content::LessonPiece> PiecesOf(const domain::Lesson& lesson) {
  std::vector<content::LessonPiece> pieces;
  for (const domain::LessonBlock& block : lesson.blocks) {
    if (block.kind == domain::LessonBlock::Kind::kMarkdown) {
      pieces.push_back({block.text.markdown, nullptr});
      continue;
    }
    const auto it =
        std::find_if(lesson.exercises.begin(), lesson.exercises.end(),
                     [&](const domain::Exercise& e) { return e.id == block.exercise_id; });
    if (it != lesson.exercises.end()) pieces.push_back({"", &*it});
  }
  return pieces;
}

// Replaces `lesson` with the lesson its pieces read as (content::AssembleLesson), its slug,
// title and file name kept unless given; the pieces may point into `lesson` (they are read before
// it is replaced). Field errors are prefixed with `prefix`.
Status Reassemble(domain::Lesson& lesson, const std::vector<content::LessonPiece>& pieces,
                  const std::string& prefix, const std::string* title = nullptr) {
  Result<domain::Lesson> assembled = content::AssembleLesson(
      lesson.slug, title != nullptr ? *title : lesson.title, lesson.file_name, pieces);
  if (!assembled.ok()) {
    Error error = std::move(assembled).error();
    if (!prefix.empty()) {
      for (FieldError& field : error.fields) field.field = prefix + "." + field.field;
    }
    return error;
  }
  lesson = std::move(assembled).value();
  return Status::Ok();
}

// The index of the block holding the exercise at `position` among the lesson's exercises (the
// new one goes in front of it), or the end.
size_t BlockIndexOfExercise(const domain::Lesson& lesson, std::optional<int64_t> position) {
  if (!position) return lesson.blocks.size();
  int64_t seen = 0;
  for (size_t b = 0; b < lesson.blocks.size(); ++b) {
    if (lesson.blocks[b].kind != domain::LessonBlock::Kind::kExercise) continue;
    if (seen++ == *position) return b;
  }
  return lesson.blocks.size();
}

// Puts `exercise` into `lesson` at `position` among its exercises (the end by default).
Status PlaceExercise(domain::Lesson& lesson, const domain::Exercise& exercise,
                     std::optional<int64_t> position) {
  std::vector<content::LessonPiece> pieces = PiecesOf(lesson);
  // PiecesOf has one piece per block, so block indexes are piece indexes.
  const size_t at = std::min(BlockIndexOfExercise(lesson, position), pieces.size());
  pieces.insert(pieces.begin() + static_cast<std::ptrdiff_t>(at), {"", &exercise});
  return Reassemble(lesson, pieces, "");
}

Status RemoveExercise(domain::Lesson& lesson, std::string_view id) {
  std::vector<content::LessonPiece> pieces = PiecesOf(lesson);
  std::erase_if(pieces, [&](const content::LessonPiece& piece) {
    return piece.exercise != nullptr && piece.exercise->id == id;
  });
  return Reassemble(lesson, pieces, "");
}

// The author's exercise from the request's "exercise" field.
Result<domain::Exercise> ReadExercise(JsonFields& fields) {
  const json::value* form = fields.Value("exercise", true);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return content::ExerciseFromJson(*form, "exercise");
}

// What a problem says about an exercise id another exercise of the course has.
std::string WhereUsed(const domain::Course& course, const ExercisePlace& place) {
  return "is already used by an exercise of lesson " + Quoted(course.lessons[place.lesson].slug);
}

json::object VersionJson(const store::VersionInfo& info, const store::AuthoredCourse& course) {
  return {{"version", info.number},
          {"published_by",
           info.published_by.empty() ? json::value(nullptr) : json::value(info.published_by)},
          {"published_at", IsoTime(info.published_at)},
          {"source", info.source},
          {"draft_revision", info.draft_revision},
          {"title", info.title},
          {"lesson_count", info.lesson_count},
          {"exercise_count", info.exercise_count},
          {"live", course.live_version == info.number}};
}

// "0123456789abcdef"
bool IsFingerprint(std::string_view text) {
  return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Result<store::AuthoredCourse> AuthoringApi::Manage(const http::Request& request) {
  const std::string_view slug = request.Param("course");
  Result<std::optional<store::AuthoredCourse>> access = access_.Check(Who(request), slug);
  if (!access.ok()) return std::move(access).error();
  if (*access) return std::move(**access);
  // An admin, and authoring has no record: a course published before authoring existed?
  Result<store::AuthoredCourse> adopted = publisher_.Adopt(slug);
  if (!adopted.ok() && adopted.error().code == ErrorCode::kNotFound) return NoSuchCourse(slug);
  return adopted;
}

Result<http::Response> AuthoringApi::Edit(const http::Request& request, int status,
                                          const Change& change) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<std::optional<int64_t>> if_match = IfMatchRevision(request);
  if (!if_match.ok()) return std::move(if_match).error();
  for (int attempt = 0;; ++attempt) {
    Result<store::Draft> draft = authoring_.GetDraft(managed->slug);
    if (!draft.ok()) return std::move(draft).error();
    if (*if_match && **if_match != draft->course.revision) {
      return Stale(**if_match, draft->course.revision);
    }
    domain::Course content = std::move(draft->content);
    if (Status changed = change(content); !changed.ok()) return std::move(changed).error();
    Result<store::AuthoredCourse> saved =
        authoring_.SaveDraft(managed->slug, content, draft->course.revision, clock_.NowSeconds());
    if (saved.ok()) return DraftResponse(status, *saved, content);
    if (saved.error().type != store::kStaleRevision) return std::move(saved).error();
    if (*if_match) return Stale(**if_match, draft->course.revision + 1);
    if (attempt + 1 >= kEditAttempts) return StaleConflict(std::move(saved).error());
  }
}

// ---- courses ------------------------------------------------------------------------------

Result<http::Response> AuthoringApi::ListCourses(const http::Request& request) {
  Result<int> limit = PageLimit(request);
  if (!limit.ok()) return limit.error();
  const std::string cursor = request.QueryParam("cursor").value_or("");
  if (!cursor.empty() && !domain::IsValidSlug(cursor)) {
    return Error::Invalid("Invalid query parameter.",
                          {{"cursor", "is not a cursor this API gave"}});
  }
  const bool admin = IsAdmin(request);
  // One more than asked tells whether there is a next page.
  Result<std::vector<store::AuthoredCourse>> authored =
      authoring_.ListCourses(admin ? "" : Who(request).user_id, cursor, *limit + 1);
  if (!authored.ok()) return std::move(authored).error();
  std::map<std::string, json::object> page;  // by slug
  for (const store::AuthoredCourse& course : *authored) {
    json::object item = CourseJson(course);
    item["adopted"] = true;
    page.emplace(course.slug, std::move(item));
  }
  if (admin) {
    // Courses learners see that authoring never recorded: an admin can take them in.
    Result<std::vector<store::CourseSummary>> published = content_.ListCourses(cursor, *limit + 1);
    if (!published.ok()) return std::move(published).error();
    for (const store::CourseSummary& summary : *published) {
      if (page.contains(summary.slug)) continue;
      page.emplace(summary.slug, json::object{{"slug", summary.slug},
                                              {"title", summary.title},
                                              {"owners", json::array()},
                                              {"revision", nullptr},
                                              {"latest_version", nullptr},
                                              {"live_version", nullptr},
                                              {"status", "published"},
                                              {"unpublished_changes", false},
                                              {"created_at", nullptr},
                                              {"updated_at", nullptr},
                                              {"adopted", false}});
    }
  }
  json::array items;
  std::string last;
  for (auto& [slug, item] : page) {
    if (static_cast<int>(items.size()) == *limit) break;
    last = slug;
    items.push_back(std::move(item));
  }
  const bool more = static_cast<int>(page.size()) > *limit;
  return JsonResponse(200, json::object{{"items", std::move(items)},
                                        {"next_cursor", more ? json::value(last) : nullptr}});
}

Result<http::Response> AuthoringApi::CreateCourse(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"slug", "title", "summary", "language", "tags"});
  domain::Course course;
  course.slug = fields.String("slug", true, 64).value_or("");
  course.title = fields.String("title", true, kMaxTitle).value_or("");
  course.summary = fields.String("summary", false, kMaxSummary).value_or("");
  course.language = fields.String("language", false, kMaxLanguage).value_or("en");
  course.tags =
      fields.StringList("tags", false, kMaxTags, kMaxTag).value_or(std::vector<std::string>{});
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  if (Status checked = content::CheckCourseFields(course); !checked.ok()) {
    return std::move(checked).error();
  }
  Error taken = Error::Conflict("A course with the slug " + Quoted(course.slug) + " exists.");
  taken.fields = {{"slug", "is already used by another course"}};
  // Learners may see a course of that slug that authoring never recorded (an import).
  if (Result<store::CourseOutline> published = content_.GetCourseOutline(course.slug);
      published.ok()) {
    return taken;
  } else if (published.error().code != ErrorCode::kNotFound) {
    return std::move(published).error();
  }
  Result<store::AuthoredCourse> created =
      authoring_.CreateCourse(course, {Who(request).user_id}, clock_.NowSeconds(), std::nullopt);
  if (!created.ok()) {
    if (created.error().code == ErrorCode::kConflict) return taken;
    return std::move(created).error();
  }
  http::Response response = DraftResponse(201, *created, course);
  response.headers.Set("Location", "/api/authoring/courses/" + course.slug);
  return response;
}

Result<http::Response> AuthoringApi::GetDraft(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<store::Draft> draft = authoring_.GetDraft(managed->slug);
  if (!draft.ok()) return std::move(draft).error();
  return DraftResponse(200, draft->course, draft->content);
}

Result<http::Response> AuthoringApi::UpdateCourse(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"title", "summary", "language", "tags"});
  const std::optional<std::string> title = fields.String("title", false, kMaxTitle);
  const std::optional<std::string> summary = fields.String("summary", false, kMaxSummary);
  const std::optional<std::string> language = fields.String("language", false, kMaxLanguage);
  const std::optional<std::vector<std::string>> tags =
      fields.StringList("tags", false, kMaxTags, kMaxTag);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    if (title) draft.title = *title;
    if (summary) draft.summary = *summary;
    if (language) draft.language = *language;
    if (tags) draft.tags = *tags;
    return content::CheckCourseFields(draft);
  });
}

Result<http::Response> AuthoringApi::GetOwners(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  json::array owners;
  for (const std::string& id : managed->owners) {
    Result<domain::User> user = users_.GetUser(id);
    if (user.ok()) {
      owners.push_back(json::object{{"id", user->id},
                                    {"email", user->email},
                                    {"display_name", user->display_name},
                                    {"role", domain::ToString(user->role)}});
    } else if (user.error().code == ErrorCode::kNotFound) {
      owners.push_back(json::object{{"id", id}, {"deleted", true}});  // the account is gone
    } else {
      return std::move(user).error();
    }
  }
  return JsonResponse(200, json::object{{"course", managed->slug}, {"owners", std::move(owners)}});
}

Result<http::Response> AuthoringApi::SetOwners(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  if (!IsAdmin(request)) return Error::Forbidden("Only admins set a course's owners.");
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"owners"});
  const std::optional<std::vector<std::string>> owners =
      fields.StringList("owners", true, kMaxOwners, 128);
  if (owners) {
    for (size_t i = 0; i < owners->size(); ++i) {
      const std::string field = "owners[" + std::to_string(i) + "]";
      Result<domain::User> user = users_.GetUser((*owners)[i]);
      if (!user.ok()) {
        if (user.error().code != ErrorCode::kNotFound) return std::move(user).error();
        fields.Fail(field, "is not a user");
      } else if (user->role == domain::Role::kLearner) {
        fields.Fail(field, "is a learner; make them an instructor first");
      }
    }
  }
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  Result<store::AuthoredCourse> updated =
      authoring_.SetOwners(managed->slug, *owners, clock_.NowSeconds());
  if (!updated.ok()) return std::move(updated).error();
  return GetOwners(request);
}

// ---- lessons ------------------------------------------------------------------------------

Result<http::Response> AuthoringApi::AddLesson(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"slug", "title", "markdown", "position"});
  const std::string slug = fields.String("slug", true, 64).value_or("");
  const std::string title = fields.String("title", true, kMaxTitle).value_or("");
  const std::optional<std::string> markdown = fields.String("markdown", false, kMaxMarkdown);
  const std::optional<int64_t> position = fields.Integer("position", false, 0, kMaxPosition);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return Edit(request, 201, [&](domain::Course& draft) -> Status {
    if (FindLesson(draft, slug).ok()) {
      return Error::Invalid("The lesson is not valid.",
                            {{"slug", "is already used by another lesson of the course"}});
    }
    std::vector<content::LessonPiece> pieces;
    if (markdown) pieces.push_back({*markdown, nullptr});
    Result<domain::Lesson> lesson = content::AssembleLesson(slug, title, "", pieces);
    if (!lesson.ok()) return std::move(lesson).error();
    const size_t at =
        std::min(static_cast<size_t>(position.value_or(kMaxPosition)), draft.lessons.size());
    draft.lessons.insert(draft.lessons.begin() + static_cast<std::ptrdiff_t>(at),
                         std::move(lesson).value());
    return Status::Ok();
  });
}

Result<http::Response> AuthoringApi::UpdateLesson(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"title", "blocks"});
  const std::optional<std::string> title = fields.String("title", false, kMaxTitle);
  const json::value* blocks = fields.Value("blocks", false);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  const std::string lesson_slug(request.Param("lesson"));
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    Result<size_t> index = FindLesson(draft, lesson_slug);
    if (!index.ok()) return std::move(index).error();
    domain::Lesson& lesson = draft.lessons[*index];
    if (!blocks) return Reassemble(lesson, PiecesOf(lesson), "", title ? &*title : nullptr);
    // The new body: Markdown pieces and the lesson's exercises, each placed once.
    std::vector<FieldError> errors;
    std::vector<content::LessonPiece> pieces;
    std::set<std::string> placed;
    const json::array* list = blocks->if_array();
    if (list == nullptr || list->size() > kMaxBlocks) {
      return Error::Invalid(
          "Invalid blocks.",
          {{"blocks", "must be a list of at most " + std::to_string(kMaxBlocks) + " blocks"}});
    }
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string field = "blocks[" + std::to_string(i) + "]";
      const json::object* block = (*list)[i].if_object();
      const json::value* markdown = block ? block->if_contains("markdown") : nullptr;
      const json::value* exercise = block ? block->if_contains("exercise") : nullptr;
      if (block == nullptr || block->size() != 1 ||
          (markdown == nullptr) == (exercise == nullptr)) {
        errors.push_back({field, "must be {\"markdown\": text} or {\"exercise\": id}"});
      } else if (markdown != nullptr) {
        if (!markdown->is_string() || markdown->get_string().size() > kMaxMarkdown) {
          errors.push_back({field + ".markdown", "must be a string of at most 512 KiB"});
        } else {
          pieces.push_back({std::string(markdown->get_string()), nullptr});
        }
      } else {
        const std::string id = exercise->is_string() ? std::string(exercise->get_string()) : "";
        const auto it = std::find_if(lesson.exercises.begin(), lesson.exercises.end(),
                                     [&](const domain::Exercise& e) { return e.id == id; });
        if (it == lesson.exercises.end()) {
          errors.push_back({field + ".exercise", "is not an exercise of this lesson"});
        } else if (!placed.insert(id).second) {
          errors.push_back({field + ".exercise", "places exercise " + Quoted(id) + " again"});
        } else {
          pieces.push_back({"", &*it});
        }
      }
    }
    for (const domain::Exercise& exercise : lesson.exercises) {
      if (errors.empty() && !placed.contains(exercise.id)) {
        errors.push_back({"blocks", "must place exercise " + Quoted(exercise.id) +
                                        " (delete an exercise to remove it)"});
      }
    }
    if (!errors.empty()) return Error::Invalid("The lesson body is not valid.", std::move(errors));
    return Reassemble(lesson, pieces, "", title ? &*title : nullptr);
  });
}

Result<http::Response> AuthoringApi::DeleteLesson(const http::Request& request) {
  const std::string lesson_slug(request.Param("lesson"));
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    Result<size_t> index = FindLesson(draft, lesson_slug);
    if (!index.ok()) return std::move(index).error();
    draft.lessons.erase(draft.lessons.begin() + static_cast<std::ptrdiff_t>(*index));
    return Status::Ok();
  });
}

Result<http::Response> AuthoringApi::ReorderLessons(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"lessons"});
  const std::optional<std::vector<std::string>> order =
      fields.StringList("lessons", true, 1000, 64);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    std::vector<std::string> now;
    for (const domain::Lesson& lesson : draft.lessons) now.push_back(lesson.slug);
    std::vector<std::string> sorted_now = now;
    std::vector<std::string> sorted_new = *order;
    std::sort(sorted_now.begin(), sorted_now.end());
    std::sort(sorted_new.begin(), sorted_new.end());
    if (sorted_now != sorted_new) {
      return Error::Invalid("Invalid lesson order.",
                            {{"lessons", "must list every lesson of the course once, by slug"}});
    }
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < now.size(); ++i) index[now[i]] = i;
    std::vector<domain::Lesson> reordered;
    for (const std::string& slug : *order)
      reordered.push_back(std::move(draft.lessons[index[slug]]));
    draft.lessons = std::move(reordered);
    return Status::Ok();
  });
}

// ---- exercises ----------------------------------------------------------------------------

Result<http::Response> AuthoringApi::AddExercise(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"exercise", "position"});
  const std::optional<int64_t> position = fields.Integer("position", false, 0, kMaxPosition);
  Result<domain::Exercise> exercise = ReadExercise(fields);
  if (!exercise.ok()) return std::move(exercise).error();
  const std::string lesson_slug(request.Param("lesson"));
  return Edit(request, 201, [&](domain::Course& draft) -> Status {
    Result<size_t> index = FindLesson(draft, lesson_slug);
    if (!index.ok()) return std::move(index).error();
    if (const std::optional<ExercisePlace> used = FindExercise(draft, exercise->id)) {
      return Error::Invalid("The exercise is not valid.",
                            {{"exercise.id", WhereUsed(draft, *used)}});
    }
    return PlaceExercise(draft.lessons[*index], *exercise, position);
  });
}

Result<http::Response> AuthoringApi::GetExercise(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<store::Draft> draft = authoring_.GetDraft(managed->slug);
  if (!draft.ok()) return std::move(draft).error();
  const std::string_view id = request.Param("exercise");
  const std::optional<ExercisePlace> place = FindExercise(draft->content, id);
  if (!place) return NoExercise(id, managed->slug);
  const domain::Lesson& lesson = draft->content.lessons[place->lesson];
  const domain::Exercise& exercise = lesson.exercises[place->index];
  http::Response response =
      JsonResponse(200, json::object{{"lesson", lesson.slug},
                                     {"exercise", content::ExerciseToJson(exercise)},
                                     {"view", PublicExercise(exercise, managed->slug)},
                                     {"fingerprint", ExerciseFingerprint(exercise)}});
  response.headers.Set("ETag", ETagOf(draft->course.revision));
  return response;
}

Result<http::Response> AuthoringApi::UpdateExercise(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"exercise"});
  Result<domain::Exercise> exercise = ReadExercise(fields);
  if (!exercise.ok()) return std::move(exercise).error();
  const std::string id(request.Param("exercise"));
  if (exercise->id != id) {
    return Error::Invalid(
        "The exercise is not valid.",
        {{"exercise.id", "must stay " + Quoted(id) +
                             ": learners' progress is tied to it (add a new exercise instead)"}});
  }
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    const std::optional<ExercisePlace> place = FindExercise(draft, id);
    if (!place) return NoExercise(id, draft.slug);
    draft.lessons[place->lesson].exercises[place->index] = *exercise;
    return Status::Ok();
  });
}

Result<http::Response> AuthoringApi::DeleteExercise(const http::Request& request) {
  const std::string id(request.Param("exercise"));
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    const std::optional<ExercisePlace> place = FindExercise(draft, id);
    if (!place) return NoExercise(id, draft.slug);
    return RemoveExercise(draft.lessons[place->lesson], id);
  });
}

Result<http::Response> AuthoringApi::MoveExercise(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"lesson", "position"});
  const std::string target = fields.String("lesson", true, 64).value_or("");
  const std::optional<int64_t> position = fields.Integer("position", false, 0, kMaxPosition);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  const std::string id(request.Param("exercise"));
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    const std::optional<ExercisePlace> place = FindExercise(draft, id);
    if (!place) return NoExercise(id, draft.slug);
    Result<size_t> to = FindLesson(draft, target);
    if (!to.ok()) {
      return Error::Invalid("Invalid move.", {{"lesson", "is not a lesson of the course"}});
    }
    const domain::Exercise exercise = draft.lessons[place->lesson].exercises[place->index];
    if (Status removed = RemoveExercise(draft.lessons[place->lesson], id); !removed.ok()) {
      return removed;
    }
    return PlaceExercise(draft.lessons[*to], exercise, position);
  });
}

Result<http::Response> AuthoringApi::TryExercise(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"answer"});
  const json::value* answer_json = fields.Value("answer", true);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  Result<store::Draft> draft = authoring_.GetDraft(managed->slug);
  if (!draft.ok()) return std::move(draft).error();
  const std::string_view id = request.Param("exercise");
  const std::optional<ExercisePlace> place = FindExercise(draft->content, id);
  if (!place) return NoExercise(id, managed->slug);
  const domain::Exercise& exercise = draft->content.lessons[place->lesson].exercises[place->index];
  Result<domain::Answer> answer = DecodeAnswer(exercise.type(), *answer_json);
  if (!answer.ok()) return std::move(answer).error();
  // The seed a learner's attempt would use, so "try it" grades a formula exactly as they will.
  Result<domain::GradeResult> graded =
      domain::Grade(exercise, *answer, Fnv1a64(MakeExerciseRef(managed->slug, exercise.id)));
  if (!graded.ok()) return std::move(graded).error();
  json::array parts;
  for (const domain::PartResult& part : graded->parts) {
    parts.push_back({{"part", part.part},
                     {"score", part.score},
                     {"correct", part.correct},
                     {"feedback_html", part.feedback_html}});
  }
  json::object result{{"exercise", exercise.id},
                      {"score", graded->raw_score},
                      {"correct", graded->correct},
                      {"graded", graded->graded},
                      {"feedback_html", graded->feedback_html},
                      {"parts", std::move(parts)},
                      {"explanation_html", exercise.explanation.html}};
  return JsonResponse(200, result);
}

// ---- versions -----------------------------------------------------------------------------

Result<http::Response> AuthoringApi::Publish(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<std::optional<int64_t>> if_match = IfMatchRevision(request);
  if (!if_match.ok()) return std::move(if_match).error();
  Result<store::Draft> draft = authoring_.GetDraft(managed->slug);
  if (!draft.ok()) return std::move(draft).error();
  if (*if_match && **if_match != draft->course.revision) {
    return Stale(**if_match, draft->course.revision);
  }
  Result<CoursePublisher::Outcome> published =
      publisher_.PublishDraft(*draft, Who(request).user_id);
  if (!published.ok()) {
    Error error = std::move(published).error();
    if (error.type != store::kStaleRevision) return error;
    if (*if_match) return Stale(**if_match, draft->course.revision + 1);
    return StaleConflict(std::move(error));
  }
  const store::AuthoredCourse& course = published->course;
  http::Response response = JsonResponse(
      published->new_version ? 201 : 200,
      json::object{{"version", course.latest_version}, {"course", CourseJson(course)}});
  response.headers.Set("ETag", ETagOf(course.revision));
  return response;
}

Result<http::Response> AuthoringApi::Unpublish(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<store::AuthoredCourse> course = publisher_.Unpublish(managed->slug);
  if (!course.ok()) return std::move(course).error();
  return JsonResponse(200, json::object{{"course", CourseJson(*course)}});
}

Result<http::Response> AuthoringApi::ListVersions(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<std::vector<store::VersionInfo>> versions = authoring_.ListVersions(managed->slug);
  if (!versions.ok()) return std::move(versions).error();
  json::array items;
  for (const store::VersionInfo& info : *versions) items.push_back(VersionJson(info, *managed));
  return JsonResponse(200, json::object{{"course", CourseJson(*managed)},
                                        {"items", std::move(items)},
                                        {"next_cursor", nullptr}});
}

namespace {

Result<int> VersionParam(const http::Request& request) {
  const std::string_view text = request.Param("version");
  int version = 0;
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Error::NotFound("No version " + Quoted(text.substr(0, 16)) + ".");
  }
  for (const char c : text) version = version * 10 + (c - '0');
  return version;
}

}  // namespace

Result<http::Response> AuthoringApi::GetVersion(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<int> number = VersionParam(request);
  if (!number.ok()) return std::move(number).error();
  Result<domain::Course> content = authoring_.GetVersion(managed->slug, *number);
  if (!content.ok()) return std::move(content).error();
  Result<std::vector<store::VersionInfo>> versions = authoring_.ListVersions(managed->slug);
  if (!versions.ok()) return std::move(versions).error();
  json::object body;
  for (const store::VersionInfo& info : *versions) {
    if (info.number == *number) body = VersionJson(info, *managed);
  }
  body["slug"] = content->slug;
  body["title"] = content->title;
  AddContent(body, *content);
  return JsonResponse(200, body);
}

Result<http::Response> AuthoringApi::Rollback(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<int> number = VersionParam(request);
  if (!number.ok()) return std::move(number).error();
  Result<std::optional<int64_t>> if_match = IfMatchRevision(request);
  if (!if_match.ok()) return std::move(if_match).error();
  if (*if_match && **if_match != managed->revision) return Stale(**if_match, managed->revision);
  Result<CoursePublisher::Outcome> published = publisher_.Rollback(
      managed->slug, *number, if_match->value_or(managed->revision), Who(request).user_id);
  if (!published.ok()) {
    Error error = std::move(published).error();
    if (error.type != store::kStaleRevision) return error;
    if (*if_match) return Stale(**if_match, managed->revision + 1);
    return StaleConflict(std::move(error));
  }
  const store::AuthoredCourse& course = published->course;
  http::Response response = JsonResponse(201, json::object{{"version", course.latest_version},
                                                           {"rolled_back_to", *number},
                                                           {"course", CourseJson(course)}});
  response.headers.Set("ETag", ETagOf(course.revision));
  return response;
}

Result<http::Response> AuthoringApi::GetExerciseVersion(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  const std::string_view fingerprint = request.Param("fingerprint");
  if (!IsFingerprint(fingerprint)) {
    return Error::NotFound("No exercise version " + Quoted(fingerprint.substr(0, 32)) + ".");
  }
  Result<store::ExerciseVersion> version =
      authoring_.GetExerciseVersion(managed->slug, fingerprint);
  if (!version.ok()) return std::move(version).error();
  return JsonResponse(200,
                      json::object{{"fingerprint", version->fingerprint},
                                   {"exercise_id", version->exercise.id},
                                   {"first_version", version->first_version},
                                   {"published_at", IsoTime(version->published_at)},
                                   {"exercise", content::ExerciseToJson(version->exercise)},
                                   {"view", PublicExercise(version->exercise, managed->slug)}});
}

// ---- bundles ------------------------------------------------------------------------------

Result<http::Response> AuthoringApi::DownloadBundle(const http::Request& request) {
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<store::Draft> draft = authoring_.GetDraft(managed->slug);
  if (!draft.ok()) return std::move(draft).error();
  // A draft that is no valid bundle yet (no lesson, say) is refused, naming what is missing.
  Result<std::string> zip = content::WriteBundleZip(draft->content);
  if (!zip.ok()) return std::move(zip).error();
  http::Response response;
  response.body = std::move(zip).value();
  response.headers.Set("Content-Type", "application/zip");
  // A slug is [a-z0-9-]: nothing in the file name to quote or escape.
  response.headers.Set("Content-Disposition", "attachment; filename=\"" + managed->slug + ".zip\"");
  response.headers.Set("Cache-Control", "no-store");
  response.headers.Set("ETag", ETagOf(draft->course.revision));
  return response;
}

Result<http::Response> AuthoringApi::UploadBundle(const http::Request& request) {
  const std::string slug(request.Param("course"));
  // Only the course's managers get the zip read (Edit checks again, with the draft in hand).
  if (Result<store::AuthoredCourse> managed = Manage(request); !managed.ok()) {
    return std::move(managed).error();
  }
  // Checked whole before the draft is read: nothing changes unless the zip is valid.
  Result<domain::Course> uploaded = content::ReadBundleZip(request.body, slug + ".zip");
  if (!uploaded.ok()) return std::move(uploaded).error();
  if (uploaded->slug != slug) {
    return Error::Invalid("The zip holds another course.",
                          {{"slug", "course.yaml says " + Quoted(uploaded->slug) +
                                        "; this is course " + Quoted(slug)}});
  }
  return Edit(request, 200, [&](domain::Course& draft) -> Status {
    draft = *uploaded;
    return Status::Ok();
  });
}

namespace {

Result<bool> SkipUnsupported(const http::Request& request) {
  const std::optional<std::string> value = request.QueryParam("skip_unsupported");
  if (!value || *value == "false") return false;
  if (*value == "true") return true;
  return Error::Invalid("Invalid skip_unsupported.",
                        {{"skip_unsupported", "must be true or false"}});
}

}  // namespace

Result<http::Response> AuthoringApi::DownloadGift(const http::Request& request) {
  Result<bool> skip = SkipUnsupported(request);
  if (!skip.ok()) return std::move(skip).error();
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  Result<store::Draft> draft = authoring_.GetDraft(managed->slug);
  if (!draft.ok()) return std::move(draft).error();
  content::GiftText gift = content::ExportGift(draft->content);
  std::string skipped;
  for (const content::GiftProblem& problem : gift.problems) {
    if (problem.kind != content::GiftProblem::Kind::kUnsupported) continue;
    if (!*skip) return content::GiftProblemsError(gift.problems, managed->slug + ".gift");
    if (!skipped.empty()) skipped += ", ";
    skipped += problem.exercise.empty() ? std::string("course") : problem.exercise;
  }
  http::Response response;
  response.body = std::move(gift.text);
  response.headers.Set("Content-Type", "text/plain; charset=utf-8");
  response.headers.Set("Content-Disposition",
                       "attachment; filename=\"" + managed->slug + ".gift\"");
  response.headers.Set("Cache-Control", "no-store");
  response.headers.Set("ETag", ETagOf(draft->course.revision));
  if (!skipped.empty()) response.headers.Set("X-Gift-Skipped", skipped);
  return response;
}

Result<http::Response> AuthoringApi::UploadGift(const http::Request& request) {
  Result<bool> skip = SkipUnsupported(request);
  if (!skip.ok()) return std::move(skip).error();
  const std::string slug(request.Param("course"));
  Result<store::AuthoredCourse> managed = Manage(request);
  if (!managed.ok()) return std::move(managed).error();
  const std::string file = slug + ".gift";
  // Read and checked whole before the draft is touched.
  content::GiftImport imported = content::ImportGift(request.body, {slug, managed->title, *skip});
  if (!imported.course) return content::GiftProblemsError(imported.problems, file);
  Result<http::Response> answer = Edit(request, 200, [&](domain::Course& draft) -> Status {
    draft.lessons = std::move(imported.course->lessons);
    return Status::Ok();
  });
  if (!answer.ok() || imported.problems.empty()) return answer;
  // The draft, with what was left out or not kept beside it.
  boost::system::error_code ec;
  json::value body = json::parse(answer->body, ec);
  if (ec || !body.is_object()) return answer;
  json::array problems;
  for (const content::GiftProblem& problem : imported.problems) {
    problems.push_back(json::string(content::DescribeGiftProblem(problem, file)));
  }
  body.get_object()["gift_problems"] = std::move(problems);
  answer->body = json::serialize(body);
  return answer;
}

Result<http::Response> AuthoringApi::Preview(const http::Request& request) {
  Result<json::object> body = ParseJsonObjectBody(request);
  if (!body.ok()) return std::move(body).error();
  JsonFields fields(*body, {"markdown", "inline"});
  const std::string markdown = fields.String("markdown", true, kMaxMarkdown).value_or("");
  const bool inline_text = fields.Bool("inline", false).value_or(false);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  const std::string html =
      inline_text ? content::MakeInlineRichText(markdown).html : content::RenderMarkdown(markdown);
  return JsonResponse(200, json::object{{"html", html}});
}

}  // namespace practica::api
