#include "store/dynamodb/dynamodb_content_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <random>
#include <set>
#include <utility>

#include "common/log.h"
#include "common/text.h"
#include "store/course_checks.h"
#include "store/dynamodb/table.h"
#include "store/exercise_codec.h"

namespace practica::store::dynamodb {
namespace {

namespace json = boost::json;
namespace attr = aws::dynamodb::attr;
using aws::dynamodb::Item;

constexpr std::string_view kCatalog = "CATALOG";
constexpr std::string_view kVersionKey = "#VERSION";
constexpr std::string_view kCoursePrefix = "COURSE#";
// DynamoDB refuses items over 400 KB; a lesson item above this is refused before any write.
constexpr size_t kMaxItemBytes = 390 * 1024;
constexpr int kSwapAttempts = 5;
// Reads of a course that a PutCourse replaces meanwhile start over at most this many times.
constexpr int kReadRounds = 5;

std::string CourseKey(std::string_view slug) {
  std::string key(kCoursePrefix);
  key += slug;
  return key;
}

std::string ContentKey(std::string_view slug, std::string_view revision) {
  std::string key = "CONTENT#";
  key += slug;
  key += '#';
  key += revision;
  return key;
}

std::string LessonKey(size_t position) {
  char key[32];  // "LESSON#" and up to 20 digits
  std::snprintf(key, sizeof key, "LESSON#%04zu", position);
  return key;
}

std::string ExerciseKey(std::string_view id) {
  std::string key = "EXERCISE#";
  key += id;
  return key;
}

Item Key(std::string_view pk, std::string_view sk) {
  return Item{{"pk", attr::S(pk)}, {"sk", attr::S(sk)}};
}

// 64 random bits, hex: a revision id only has to differ from the course's other revisions.
std::string NewRevision() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(random()));
  return text;
}

Error Corrupt(std::string_view what, const Error& cause) {
  return Error::Internal("stored " + std::string(what) + " does not decode: " + cause.message);
}

// The parts of a course item.
struct CourseRecord {
  CourseOutline outline;
  std::string revision;
};

Result<CourseRecord> ReadCourseItem(const Item& item) {
  CourseRecord record;
  CourseSummary& summary = record.outline.course;
  summary.slug = std::string(attr::GetS(item, "slug").value_or(""));
  summary.title = std::string(attr::GetS(item, "title").value_or(""));
  summary.summary = std::string(attr::GetS(item, "summary").value_or(""));
  summary.language = std::string(attr::GetS(item, "language").value_or(""));
  summary.lesson_count = static_cast<int>(attr::GetInt(item, "lesson_count").value_or(0));
  summary.exercise_count = static_cast<int>(attr::GetInt(item, "exercise_count").value_or(0));
  record.revision = std::string(attr::GetS(item, "revision").value_or(""));
  Result<std::vector<std::string>> tags = DecodeStrings(attr::GetS(item, "tags").value_or("[]"));
  if (!tags.ok()) return Corrupt("tags of course " + Quoted(summary.slug), tags.error());
  summary.tags = std::move(tags).value();

  boost::system::error_code ec;
  json::value outline = json::parse(attr::GetS(item, "outline").value_or(""), ec);
  if (ec || !outline.is_array()) {
    return Error::Internal("stored outline of course " + Quoted(summary.slug) + " is not a list");
  }
  for (const json::value& entry : outline.get_array()) {
    const json::object* lesson = entry.if_object();
    const json::value* slug = lesson ? lesson->if_contains("slug") : nullptr;
    const json::value* title = lesson ? lesson->if_contains("title") : nullptr;
    const json::value* count = lesson ? lesson->if_contains("exercises") : nullptr;
    if (slug == nullptr || !slug->is_string() || title == nullptr || !title->is_string() ||
        count == nullptr || !count->is_int64()) {
      return Error::Internal("stored outline of course " + Quoted(summary.slug) +
                             " has a malformed lesson");
    }
    record.outline.lessons.push_back(LessonOutline{std::string(slug->get_string()),
                                                   std::string(title->get_string()),
                                                   static_cast<int>(count->get_int64())});
  }
  return record;
}

// The course item of `slug`, read strongly consistent; kNotFound when there is none.
Result<CourseRecord> LoadCourse(aws::dynamodb::Client& client, std::string_view table,
                                std::string_view slug) {
  Result<std::optional<Item>> item = client.GetItem(table, Key(kCatalog, CourseKey(slug)), true);
  if (!item.ok()) return std::move(item).error();
  if (!*item) return Error::NotFound("course " + Quoted(slug) + " not found");
  return ReadCourseItem(**item);
}

Result<domain::Lesson> ReadLessonItem(const Item& item) {
  domain::Lesson lesson;
  lesson.slug = std::string(attr::GetS(item, "slug").value_or(""));
  lesson.title = std::string(attr::GetS(item, "title").value_or(""));
  lesson.file_name = std::string(attr::GetS(item, "file_name").value_or(""));
  Result<std::vector<domain::LessonBlock>> blocks =
      DecodeLessonBlocks(attr::GetS(item, "blocks").value_or(""));
  if (!blocks.ok()) return Corrupt("body of lesson " + Quoted(lesson.slug), blocks.error());
  lesson.blocks = std::move(blocks).value();
  if (const json::array* exercises = attr::GetL(item, "exercises")) {
    for (const json::value& entry : *exercises) {
      const json::object* value = entry.if_object();
      const json::value* text = value ? value->if_contains("S") : nullptr;
      if (text == nullptr || !text->is_string()) {
        return Error::Internal("stored exercise list of lesson " + Quoted(lesson.slug) +
                               " holds a non-string");
      }
      Result<domain::Exercise> exercise = DecodeExercise(std::string_view(text->get_string()));
      if (!exercise.ok()) {
        return Corrupt("exercise of lesson " + Quoted(lesson.slug), exercise.error());
      }
      lesson.exercises.push_back(std::move(exercise).value());
    }
  }
  return lesson;
}

// Approximate size of an item as DynamoDB counts it (names and values), for the 400 KB limit.
size_t ItemBytes(const Item& item) { return json::serialize(item).size(); }

// kConflict unless lesson slugs and exercise ids are unique in the course (SQLite's UNIQUE
// constraints make the same promise).
Status CheckUnique(const domain::Course& course) {
  std::set<std::string_view> lessons;
  std::set<std::string_view> exercises;
  for (const domain::Lesson& lesson : course.lessons) {
    if (!lessons.insert(lesson.slug).second) {
      return Error::Conflict("putting course " + Quoted(course.slug) + ": lesson slug " +
                             Quoted(lesson.slug) + " appears twice");
    }
    for (const domain::Exercise& exercise : lesson.exercises) {
      if (!exercises.insert(exercise.id).second) {
        return Error::Conflict("putting course " + Quoted(course.slug) + ": exercise id " +
                               Quoted(exercise.id) + " appears twice");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<DynamoDbContentStore>> DynamoDbContentStore::Open(
    std::shared_ptr<aws::dynamodb::Client> client, std::string table) {
  if (Status checked = CheckTable(*client, table); !checked.ok()) return std::move(checked).error();
  return std::unique_ptr<DynamoDbContentStore>(
      new DynamoDbContentStore(std::move(client), std::move(table)));
}

Status DynamoDbContentStore::PutCourse(const domain::Course& course) {
  if (Status s = CheckCourseKeys(course); !s.ok()) return s;
  if (Status s = CheckUnique(course); !s.ok()) return s;
  const std::string revision = NewRevision();
  const std::string partition = ContentKey(course.slug, revision);

  std::vector<Item> items;
  json::array outline;
  int exercise_count = 0;
  for (size_t position = 0; position < course.lessons.size(); ++position) {
    const domain::Lesson& lesson = course.lessons[position];
    json::array exercises;
    for (const domain::Exercise& exercise : lesson.exercises) {
      std::string definition = EncodeExercise(exercise);
      exercises.push_back(attr::S(definition));
      Item exercise_item = Key(partition, ExerciseKey(exercise.id));
      exercise_item["definition"] = attr::S(definition);
      items.push_back(std::move(exercise_item));
    }
    exercise_count += static_cast<int>(lesson.exercises.size());
    outline.push_back(json::object{
        {"slug", lesson.slug}, {"title", lesson.title}, {"exercises", lesson.exercises.size()}});
    Item lesson_item = Key(partition, LessonKey(position));
    lesson_item["slug"] = attr::S(lesson.slug);
    lesson_item["title"] = attr::S(lesson.title);
    lesson_item["file_name"] = attr::S(lesson.file_name);
    lesson_item["blocks"] = attr::S(EncodeLessonBlocks(lesson.blocks));
    lesson_item["exercises"] = attr::L(std::move(exercises));
    if (const size_t bytes = ItemBytes(lesson_item); bytes > kMaxItemBytes) {
      return Error::Invalid("lesson " + Quoted(lesson.slug) + " of course " + Quoted(course.slug) +
                            " takes " + std::to_string(bytes / 1024) +
                            " KB, more than a DynamoDB item holds (400 KB); split the lesson");
    }
    items.push_back(std::move(lesson_item));
  }

  Item course_item = Key(kCatalog, CourseKey(course.slug));
  course_item["slug"] = attr::S(course.slug);
  course_item["title"] = attr::S(course.title);
  course_item["summary"] = attr::S(course.summary);
  course_item["language"] = attr::S(course.language);
  course_item["tags"] = attr::S(EncodeStrings(course.tags));
  course_item["lesson_count"] = attr::N(static_cast<int64_t>(course.lessons.size()));
  course_item["exercise_count"] = attr::N(static_cast<int64_t>(exercise_count));
  course_item["outline"] = attr::S(json::serialize(outline));
  course_item["revision"] = attr::S(revision);

  std::vector<Item> keys;
  keys.reserve(items.size());
  for (const Item& item : items) keys.push_back(Key(partition, *attr::GetS(item, "sk")));
  if (Status written = client_->BatchWrite(table_, std::move(items), {}); !written.ok()) {
    (void)client_->BatchWrite(table_, {}, keys);  // best effort: nothing points at them yet
    return written;
  }

  // Swap the course item to the new revision, on the revision read just before. Another writer
  // that swapped in between wins this round; ours goes on top (the last writer wins).
  std::string replaced;
  Status swapped = Error::Unavailable("putting course " + Quoted(course.slug) +
                                      ": other writers kept replacing it");
  for (int attempt = 0; attempt < kSwapAttempts; ++attempt) {
    Result<std::optional<Item>> current =
        client_->GetItem(table_, Key(kCatalog, CourseKey(course.slug)), true);
    if (!current.ok()) {
      swapped = std::move(current).error();
      break;
    }
    json::object put{{"TableName", table_}, {"Item", course_item}};
    if (*current) {
      replaced = std::string(attr::GetS(**current, "revision").value_or(""));
      put["ConditionExpression"] = "revision = :old";
      put["ExpressionAttributeValues"] = json::object{{":old", attr::S(replaced)}};
    } else {
      replaced.clear();
      put["ConditionExpression"] = "attribute_not_exists(pk)";
    }
    Result<json::object> done = client_->Call("PutItem", std::move(put));
    if (done.ok()) {
      swapped = Status::Ok();
      break;
    }
    swapped = std::move(done).error();
    if (swapped.error().type != "conditional-check-failed") break;
  }
  if (!swapped.ok()) {
    (void)client_->BatchWrite(table_, {}, keys);
    return swapped;
  }

  if (!replaced.empty()) DeleteRevision(course.slug, replaced);
  // Caches revalidate on the version; bumped after the swap so none caches the old content
  // under the new number. If this fails the course is replaced but caches may keep the old one
  // until the next change, so the caller hears of it.
  return BumpVersion();
}

void DynamoDbContentStore::DeleteRevision(std::string_view slug, std::string_view revision) {
  // The revision is unreachable (no course item points at it); deleting it only reclaims space.
  Result<std::vector<Item>> old = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk"},
      {"ProjectionExpression", "pk, sk"},
      {"ExpressionAttributeValues", json::object{{":pk", attr::S(ContentKey(slug, revision))}}}});
  Status removed = old.ok() ? client_->BatchWrite(table_, {}, std::move(old).value())
                            : Status(std::move(old).error());
  if (!removed.ok()) {
    log::Warn("old course content left behind",
              {{"course", slug}, {"revision", revision}, {"error", removed.error().message}});
  }
}

Status DynamoDbContentStore::BumpVersion() {
  Result<json::object> bumped = client_->Call(
      "UpdateItem",
      json::object{{"TableName", table_},
                   {"Key", Key(kCatalog, kVersionKey)},
                   {"UpdateExpression", "ADD n :one"},
                   {"ExpressionAttributeValues", json::object{{":one", attr::N(int64_t{1})}}}});
  if (!bumped.ok()) return std::move(bumped).error();
  return Status::Ok();
}

Status DynamoDbContentStore::DeleteCourse(std::string_view slug) {
  // Delete the course item on the revision read just before: a PutCourse that swapped in
  // between is deleted on the next round, so the course is gone whatever the interleaving.
  std::string revision;
  Status deleted =
      Error::Unavailable("deleting course " + Quoted(slug) + ": other writers kept replacing it");
  for (int attempt = 0; attempt < kSwapAttempts; ++attempt) {
    Result<std::optional<Item>> current =
        client_->GetItem(table_, Key(kCatalog, CourseKey(slug)), true);
    if (!current.ok()) return std::move(current).error();
    if (!*current) return Error::NotFound("course " + Quoted(slug) + " not found");
    revision = std::string(attr::GetS(**current, "revision").value_or(""));
    Result<json::object> done = client_->Call(
        "DeleteItem",
        json::object{{"TableName", table_},
                     {"Key", Key(kCatalog, CourseKey(slug))},
                     {"ConditionExpression", "revision = :old"},
                     {"ExpressionAttributeValues", json::object{{":old", attr::S(revision)}}}});
    if (done.ok()) {
      deleted = Status::Ok();
      break;
    }
    deleted = std::move(done).error();
    if (deleted.error().type != "conditional-check-failed") return deleted;
  }
  if (!deleted.ok()) return deleted;
  if (!revision.empty()) DeleteRevision(slug, revision);
  return BumpVersion();
}

Result<std::vector<CourseSummary>> DynamoDbContentStore::ListCourses(std::string_view after_slug,
                                                                     int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  // #VERSION sorts before COURSE#, and nothing else lives in the partition.
  Result<json::object> page = client_->Call(
      "Query", json::object{{"TableName", table_},
                            {"KeyConditionExpression", "pk = :pk AND sk > :after"},
                            {"ExpressionAttributeValues",
                             json::object{{":pk", attr::S(kCatalog)},
                                          {":after", attr::S(CourseKey(after_slug))}}},
                            {"ConsistentRead", true},
                            {"Limit", limit}});
  if (!page.ok()) return std::move(page).error();
  std::vector<CourseSummary> courses;
  if (const json::value* items = page->if_contains("Items"); items && items->is_array()) {
    for (const json::value& item : items->get_array()) {
      if (!item.is_object()) continue;
      Result<CourseRecord> record = ReadCourseItem(item.get_object());
      if (!record.ok()) return std::move(record).error();
      courses.push_back(std::move(record->outline.course));
    }
  }
  return courses;
}

Result<CourseOutline> DynamoDbContentStore::GetCourseOutline(std::string_view course) {
  Result<CourseRecord> record = LoadCourse(*client_, table_, course);
  if (!record.ok()) return std::move(record).error();
  return std::move(record->outline);
}

Result<domain::Course> DynamoDbContentStore::GetCourse(std::string_view slug) {
  for (int round = 0; round < kReadRounds; ++round) {
    Result<CourseRecord> record = LoadCourse(*client_, table_, slug);
    if (!record.ok()) return std::move(record).error();
    Result<std::vector<Item>> lessons = client_->QueryAll(
        json::object{{"TableName", table_},
                     {"KeyConditionExpression", "pk = :pk AND begins_with(sk, :lesson)"},
                     {"ExpressionAttributeValues",
                      json::object{{":pk", attr::S(ContentKey(slug, record->revision))},
                                   {":lesson", attr::S("LESSON#")}}},
                     {"ConsistentRead", true}});
    if (!lessons.ok()) return std::move(lessons).error();
    // Fewer lessons than the outline: the revision was replaced (and is being deleted) while we
    // read it. Read the course item again.
    if (lessons->size() != record->outline.lessons.size()) continue;
    domain::Course course;
    const CourseSummary& summary = record->outline.course;
    course.slug = summary.slug;
    course.title = summary.title;
    course.summary = summary.summary;
    course.language = summary.language;
    course.tags = summary.tags;
    for (const Item& lesson_item : *lessons) {  // sk order is course order
      Result<domain::Lesson> lesson = ReadLessonItem(lesson_item);
      if (!lesson.ok()) return std::move(lesson).error();
      course.lessons.push_back(std::move(lesson).value());
    }
    return course;
  }
  return Error::Unavailable("course " + Quoted(slug) +
                            " kept changing while it was read; try again");
}

Result<domain::Lesson> DynamoDbContentStore::GetLesson(std::string_view course,
                                                       std::string_view lesson) {
  for (int round = 0; round < kReadRounds; ++round) {
    Result<CourseRecord> record = LoadCourse(*client_, table_, course);
    if (!record.ok()) return std::move(record).error();
    const std::vector<LessonOutline>& lessons = record->outline.lessons;
    size_t position = 0;
    while (position < lessons.size() && lessons[position].slug != lesson) ++position;
    if (position == lessons.size()) {
      return Error::NotFound("lesson " + Quoted(lesson) + " not found in course " + Quoted(course));
    }
    Result<std::optional<Item>> lesson_item = client_->GetItem(
        table_, Key(ContentKey(course, record->revision), LessonKey(position)), true);
    if (!lesson_item.ok()) return std::move(lesson_item).error();
    if (*lesson_item) return ReadLessonItem(**lesson_item);
    // A PutCourse swapped the course to a new revision and deleted this one after we read the
    // course item: read it again.
  }
  return Error::Unavailable("lesson " + Quoted(lesson) + " of course " + Quoted(course) +
                            " kept changing while it was read; try again");
}

Result<domain::Exercise> DynamoDbContentStore::GetExercise(std::string_view course,
                                                           std::string_view exercise) {
  std::string revision;
  for (int round = 0; round < kReadRounds; ++round) {
    Result<std::optional<Item>> item =
        client_->GetItem(table_, Key(kCatalog, CourseKey(course)), true);
    if (!item.ok()) return std::move(item).error();
    if (!*item) return Error::NotFound("course " + Quoted(course) + " not found");
    const std::string current(attr::GetS(**item, "revision").value_or(""));
    // The same revision as the last round, and still no such exercise: there is none.
    if (current == revision) break;
    revision = current;
    Result<std::optional<Item>> exercise_item =
        client_->GetItem(table_, Key(ContentKey(course, revision), ExerciseKey(exercise)), true);
    if (!exercise_item.ok()) return std::move(exercise_item).error();
    if (*exercise_item) {
      Result<domain::Exercise> decoded =
          DecodeExercise(attr::GetS(**exercise_item, "definition").value_or(""));
      if (!decoded.ok()) {
        return Corrupt("definition of exercise " + Quoted(exercise), decoded.error());
      }
      return decoded;
    }
  }
  return Error::NotFound("exercise " + Quoted(exercise) + " not found in course " + Quoted(course));
}

Result<int64_t> DynamoDbContentStore::CountCourses() {
  int64_t count = 0;
  json::object request{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk AND begins_with(sk, :course)"},
      {"ExpressionAttributeValues",
       json::object{{":pk", attr::S(kCatalog)}, {":course", attr::S(kCoursePrefix)}}},
      {"Select", "COUNT"},
      {"ConsistentRead", true}};
  while (true) {
    Result<json::object> page = client_->Call("Query", request);
    if (!page.ok()) return std::move(page).error();
    if (const json::value* n = page->if_contains("Count"); n && n->is_int64())
      count += n->get_int64();
    json::value* last = page->if_contains("LastEvaluatedKey");
    if (last == nullptr || !last->is_object()) return count;
    request["ExclusiveStartKey"] = std::move(*last);
  }
}

Result<int64_t> DynamoDbContentStore::ContentVersion() {
  Result<std::optional<Item>> item = client_->GetItem(table_, Key(kCatalog, kVersionKey), true);
  if (!item.ok()) return std::move(item).error();
  if (!*item) return int64_t{0};
  return attr::GetInt(**item, "n").value_or(0);
}

Status DynamoDbContentStore::Ping() {
  Result<json::object> item = client_->Probe(
      "GetItem", json::object{{"TableName", table_}, {"Key", Key(kCatalog, kVersionKey)}});
  if (!item.ok()) return std::move(item).error();
  return Status::Ok();
}

}  // namespace practica::store::dynamodb
