#include "store/sqlite/sqlite_content_store.h"

#include <string>
#include <unordered_map>
#include <utility>

#include "common/text.h"
#include "store/course_checks.h"
#include "store/exercise_codec.h"
#include "store/sqlite/migrations.h"

namespace practica::store::sqlite {
namespace {

// The SQL, in one place. Every statement is prepared once per connection and cached.

// Course row ids survive a replace (ON CONFLICT DO UPDATE keeps the row), so rows elsewhere that
// point at a course keep pointing at it.
constexpr std::string_view kUpsertCourse = R"sql(
INSERT INTO courses (slug, title, summary, language, tags) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary,
  language = excluded.language, tags = excluded.tags
RETURNING id)sql";
constexpr std::string_view kDeleteExercises = "DELETE FROM exercises WHERE course_id = ?1";
constexpr std::string_view kDeleteLessons = "DELETE FROM lessons WHERE course_id = ?1";
constexpr std::string_view kInsertLesson = R"sql(
INSERT INTO lessons (course_id, position, slug, title, file_name, blocks)
VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id)sql";
constexpr std::string_view kInsertExercise = R"sql(
INSERT INTO exercises (course_id, lesson_id, position, slug, type, definition)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";
// Lessons and exercises go with their course row (ON DELETE CASCADE).
constexpr std::string_view kDeleteCourse = "DELETE FROM courses WHERE slug = ?1 RETURNING id";
constexpr std::string_view kBumpVersion =
    "UPDATE content_version SET version = version + 1 WHERE id = 1";

// Summary columns 1..7 (column 0 is the course's row id); the counts use the (course_id, …)
// UNIQUE indexes, so they read index pages only.
constexpr std::string_view kListCourses = R"sql(
SELECT c.id, c.slug, c.title, c.summary, c.language, c.tags,
  (SELECT count(*) FROM lessons l WHERE l.course_id = c.id),
  (SELECT count(*) FROM exercises e WHERE e.course_id = c.id)
FROM courses c WHERE c.slug > ?1 ORDER BY c.slug LIMIT ?2)sql";
constexpr std::string_view kCourseSummary = R"sql(
SELECT c.id, c.slug, c.title, c.summary, c.language, c.tags,
  (SELECT count(*) FROM lessons l WHERE l.course_id = c.id),
  (SELECT count(*) FROM exercises e WHERE e.course_id = c.id)
FROM courses c WHERE c.slug = ?1)sql";
constexpr std::string_view kLessonOutlines = R"sql(
SELECT l.slug, l.title, (SELECT count(*) FROM exercises e WHERE e.lesson_id = l.id)
FROM lessons l WHERE l.course_id = ?1 ORDER BY l.position)sql";
constexpr std::string_view kCourseLessons = R"sql(
SELECT id, slug, title, file_name, blocks FROM lessons WHERE course_id = ?1 ORDER BY position)sql";
constexpr std::string_view kCourseExercises = R"sql(
SELECT e.lesson_id, e.slug, e.definition FROM exercises e JOIN lessons l ON l.id = e.lesson_id
WHERE e.course_id = ?1 ORDER BY l.position, e.position)sql";
constexpr std::string_view kLesson = R"sql(
SELECT l.id, l.slug, l.title, l.file_name, l.blocks
FROM lessons l JOIN courses c ON c.id = l.course_id WHERE c.slug = ?1 AND l.slug = ?2)sql";
constexpr std::string_view kLessonExercises =
    "SELECT slug, definition FROM exercises WHERE lesson_id = ?1 ORDER BY position";
constexpr std::string_view kExercise = R"sql(
SELECT e.slug, e.definition
FROM exercises e JOIN courses c ON c.id = e.course_id WHERE c.slug = ?1 AND e.slug = ?2)sql";
constexpr std::string_view kCourseExists = "SELECT 1 FROM courses WHERE slug = ?1";
constexpr std::string_view kCountCourses = "SELECT count(*) FROM courses";
constexpr std::string_view kContentVersion = "SELECT version FROM content_version WHERE id = 1";

Error WithContext(Error error, const std::string& context) {
  error.message = context + ": " + error.message;
  return error;
}

// Reads summary columns first..first+6 of the current row.
Result<CourseSummary> ReadSummary(const Statement& row, int first) {
  CourseSummary summary;
  summary.slug = row.ColumnString(first);
  summary.title = row.ColumnString(first + 1);
  summary.summary = row.ColumnString(first + 2);
  summary.language = row.ColumnString(first + 3);
  Result<std::vector<std::string>> tags = DecodeStrings(row.ColumnText(first + 4));
  if (!tags.ok()) {
    return Error::Internal("stored tags of course " + Quoted(summary.slug) +
                           " do not decode: " + tags.error().message);
  }
  summary.tags = std::move(tags).value();
  summary.lesson_count = static_cast<int>(row.ColumnInt(first + 5));
  summary.exercise_count = static_cast<int>(row.ColumnInt(first + 6));
  return summary;
}

// The row id and summary of the course `slug`; kNotFound if there is none.
struct CourseRow {
  int64_t id = 0;
  CourseSummary summary;
};
Result<CourseRow> ReadCourseRow(Database& db, std::string_view slug) {
  Result<Statement> statement = db.Prepare(kCourseSummary);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, slug);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return Error::NotFound("course " + Quoted(slug) + " not found");
  CourseRow course{statement->ColumnInt(0), {}};
  Result<CourseSummary> read = ReadSummary(*statement, 1);
  if (!read.ok()) return std::move(read).error();
  course.summary = std::move(read).value();
  return course;
}

Result<domain::Exercise> ReadExercise(std::string_view slug, std::string_view definition) {
  Result<domain::Exercise> exercise = DecodeExercise(definition);
  if (!exercise.ok()) {
    return Error::Internal("stored definition of exercise " + Quoted(slug) +
                           " does not decode: " + exercise.error().message);
  }
  if (exercise->id != slug) {
    return Error::Internal("stored definition of exercise " + Quoted(slug) + " has id " +
                           Quoted(exercise->id));
  }
  return exercise;
}

// The lesson row columns id, slug, title, file_name, blocks starting at column 0.
Result<domain::Lesson> ReadLessonRow(const Statement& row) {
  domain::Lesson lesson;
  lesson.slug = row.ColumnString(1);
  lesson.title = row.ColumnString(2);
  lesson.file_name = row.ColumnString(3);
  Result<std::vector<domain::LessonBlock>> blocks = DecodeLessonBlocks(row.ColumnText(4));
  if (!blocks.ok()) {
    return Error::Internal("stored body of lesson " + Quoted(lesson.slug) +
                           " does not decode: " + blocks.error().message);
  }
  lesson.blocks = std::move(blocks).value();
  return lesson;
}

// kNotFound for a missing course, or for `what` in an existing course.
Error NotFound(Database& database, std::string_view course, const std::string& what) {
  Result<Statement> exists = database.Prepare(kCourseExists);
  if (!exists.ok()) return std::move(exists).error();
  exists->BindText(1, course);
  Result<bool> row = exists->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return Error::NotFound("course " + Quoted(course) + " not found");
  return Error::NotFound(what + " not found in course " + Quoted(course));
}

// What PutCourse writes, encoded before the write lock is taken.
struct EncodedCourse {
  std::string tags;
  std::vector<std::string> lesson_blocks;
  std::vector<std::vector<std::string>> exercise_definitions;  // [lesson][exercise]
};

EncodedCourse Encode(const domain::Course& course) {
  EncodedCourse encoded;
  encoded.tags = EncodeStrings(course.tags);
  for (const domain::Lesson& lesson : course.lessons) {
    encoded.lesson_blocks.push_back(EncodeLessonBlocks(lesson.blocks));
    std::vector<std::string>& definitions = encoded.exercise_definitions.emplace_back();
    for (const domain::Exercise& exercise : lesson.exercises) {
      definitions.push_back(EncodeExercise(exercise));
    }
  }
  return encoded;
}

// Runs `sql` with one integer parameter.
Status RunWithId(Database& database, std::string_view sql, int64_t id) {
  Result<Statement> statement = database.Prepare(sql);
  if (!statement.ok()) return std::move(statement).error();
  return statement->BindInt(1, id).Run();
}

// Steps an INSERT … RETURNING id and returns the id.
Result<int64_t> ReturningId(Statement& statement) {
  Result<bool> row = statement.Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return Error::Internal("INSERT … RETURNING produced no row");
  return statement.ColumnInt(0);
}

// Writes `course` inside the caller's transaction.
Status WriteCourse(Database& db, const domain::Course& course, const EncodedCourse& encoded) {
  Result<Statement> upsert = db.Prepare(kUpsertCourse);
  if (!upsert.ok()) return std::move(upsert).error();
  upsert->BindText(1, course.slug)
      .BindText(2, course.title)
      .BindText(3, course.summary)
      .BindText(4, course.language)
      .BindText(5, encoded.tags);
  Result<int64_t> course_id = ReturningId(*upsert);
  if (!course_id.ok()) return std::move(course_id).error();

  if (Status s = RunWithId(db, kDeleteExercises, *course_id); !s.ok()) return s;
  if (Status s = RunWithId(db, kDeleteLessons, *course_id); !s.ok()) return s;

  for (size_t l = 0; l < course.lessons.size(); ++l) {
    const domain::Lesson& lesson = course.lessons[l];
    Result<Statement> insert_lesson = db.Prepare(kInsertLesson);
    if (!insert_lesson.ok()) return std::move(insert_lesson).error();
    insert_lesson->BindInt(1, *course_id)
        .BindInt(2, static_cast<int64_t>(l))
        .BindText(3, lesson.slug)
        .BindText(4, lesson.title)
        .BindText(5, lesson.file_name)
        .BindText(6, encoded.lesson_blocks[l]);
    Result<int64_t> lesson_id = ReturningId(*insert_lesson);
    if (!lesson_id.ok()) {
      return WithContext(std::move(lesson_id).error(), "lesson " + Quoted(lesson.slug));
    }
    for (size_t e = 0; e < lesson.exercises.size(); ++e) {
      const domain::Exercise& exercise = lesson.exercises[e];
      Result<Statement> insert_exercise = db.Prepare(kInsertExercise);
      if (!insert_exercise.ok()) return std::move(insert_exercise).error();
      Status inserted = insert_exercise->BindInt(1, *course_id)
                            .BindInt(2, *lesson_id)
                            .BindInt(3, static_cast<int64_t>(e))
                            .BindText(4, exercise.id)
                            .BindText(5, domain::ToString(exercise.type()))
                            .BindText(6, encoded.exercise_definitions[l][e])
                            .Run();
      if (!inserted.ok()) {
        return WithContext(std::move(inserted).error(),
                           "lesson " + Quoted(lesson.slug) + ", exercise " + Quoted(exercise.id));
      }
    }
  }
  Result<Statement> bump = db.Prepare(kBumpVersion);
  if (!bump.ok()) return std::move(bump).error();
  return bump->Run();
}

// Reads the exercises of the lesson with row id `lesson_id`, in order, into `lesson`.
Status ReadLessonExercises(Database& db, int64_t lesson_id, domain::Lesson& lesson) {
  Result<Statement> exercises = db.Prepare(kLessonExercises);
  if (!exercises.ok()) return std::move(exercises).error();
  exercises->BindInt(1, lesson_id);
  while (true) {
    Result<bool> row = exercises->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return Status::Ok();
    Result<domain::Exercise> exercise =
        ReadExercise(exercises->ColumnText(0), exercises->ColumnText(1));
    if (!exercise.ok()) return std::move(exercise).error();
    lesson.exercises.push_back(std::move(exercise).value());
  }
}

}  // namespace

Result<std::unique_ptr<SqliteContentStore>> SqliteContentStore::Open(
    const std::filesystem::path& db_file) {
  return Open(db_file, Options{});
}

Result<std::unique_ptr<SqliteContentStore>> SqliteContentStore::Open(
    const std::filesystem::path& db_file, const Options& options) {
  Result<std::unique_ptr<Database>> writer = OpenMigratedWriter(db_file, options.busy_timeout);
  if (!writer.ok()) return std::move(writer).error();

  std::unique_ptr<SqliteContentStore> store(
      new SqliteContentStore(std::move(writer).value(), db_file, options));
  // Open one reader now, so that a file readers cannot open fails at start-up, not on a request.
  if (Status ping = store->Ping(); !ping.ok()) return std::move(ping).error();
  return store;
}

SqliteContentStore::SqliteContentStore(std::unique_ptr<Database> writer,
                                       const std::filesystem::path& db_file, const Options& options)
    : writer_(std::move(writer)),
      readers_(
          db_file,
          DatabaseOptions{.busy_timeout = options.busy_timeout, .read_only = true, .create = false},
          options.max_readers) {}

Status SqliteContentStore::PutCourse(const domain::Course& course) {
  if (Status s = CheckCourseKeys(course); !s.ok()) return s;
  const EncodedCourse encoded = Encode(course);
  const std::string context = "putting course " + Quoted(course.slug);

  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return WithContext(std::move(transaction).error(), context);
  if (Status s = WriteCourse(*writer_, course, encoded); !s.ok()) {
    return WithContext(std::move(s).error(), context);  // the transaction rolls back
  }
  if (Status s = transaction->Commit(); !s.ok()) return WithContext(std::move(s).error(), context);
  return Status::Ok();
}

Status SqliteContentStore::DeleteCourse(std::string_view course) {
  const std::string context = "deleting course " + Quoted(course);
  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return WithContext(std::move(transaction).error(), context);
  Result<Statement> deleted = writer_->Prepare(kDeleteCourse);
  if (!deleted.ok()) return WithContext(std::move(deleted).error(), context);
  deleted->BindText(1, course);
  Result<bool> row = deleted->Step();
  if (!row.ok()) return WithContext(std::move(row).error(), context);
  if (!*row) return Error::NotFound("course " + Quoted(course) + " not found");
  // Finish the DELETE before the next statement (RETURNING hands rows out one at a time).
  if (Status s = deleted->Run(); !s.ok()) return WithContext(std::move(s).error(), context);
  Result<Statement> bump = writer_->Prepare(kBumpVersion);
  if (!bump.ok()) return WithContext(std::move(bump).error(), context);
  if (Status s = bump->Run(); !s.ok()) return WithContext(std::move(s).error(), context);
  if (Status s = transaction->Commit(); !s.ok()) return WithContext(std::move(s).error(), context);
  return Status::Ok();
}

Result<std::vector<CourseSummary>> SqliteContentStore::ListCourses(std::string_view after_slug,
                                                                   int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> list = (*db)->Prepare(kListCourses);
  if (!list.ok()) return std::move(list).error();
  list->BindText(1, after_slug).BindInt(2, limit);
  std::vector<CourseSummary> summaries;
  while (true) {
    Result<bool> row = list->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return summaries;
    Result<CourseSummary> summary = ReadSummary(*list, 1);
    if (!summary.ok()) return std::move(summary).error();
    summaries.push_back(std::move(summary).value());
  }
}

Result<CourseOutline> SqliteContentStore::GetCourseOutline(std::string_view course) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();

  Result<CourseRow> course_row = ReadCourseRow(**db, course);
  if (!course_row.ok()) return std::move(course_row).error();
  const int64_t course_id = course_row->id;
  CourseOutline outline;
  outline.course = std::move(course_row->summary);
  Result<Statement> lessons = (*db)->Prepare(kLessonOutlines);
  if (!lessons.ok()) return std::move(lessons).error();
  lessons->BindInt(1, course_id);
  while (true) {
    Result<bool> row = lessons->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) break;
    outline.lessons.push_back({lessons->ColumnString(0), lessons->ColumnString(1),
                               static_cast<int>(lessons->ColumnInt(2))});
  }
  return outline;
}

Result<domain::Course> SqliteContentStore::GetCourse(std::string_view course_slug) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();

  Result<CourseRow> course_row = ReadCourseRow(**db, course_slug);
  if (!course_row.ok()) return std::move(course_row).error();
  const int64_t course_id = course_row->id;
  CourseSummary& read = course_row->summary;
  domain::Course course;
  course.slug = std::move(read.slug);
  course.title = std::move(read.title);
  course.summary = std::move(read.summary);
  course.language = std::move(read.language);
  course.tags = std::move(read.tags);

  std::unordered_map<int64_t, size_t> lesson_index;  // lesson row id → index in course.lessons
  {
    Result<Statement> lessons = (*db)->Prepare(kCourseLessons);
    if (!lessons.ok()) return std::move(lessons).error();
    lessons->BindInt(1, course_id);
    while (true) {
      Result<bool> row = lessons->Step();
      if (!row.ok()) return std::move(row).error();
      if (!*row) break;
      Result<domain::Lesson> lesson = ReadLessonRow(*lessons);
      if (!lesson.ok()) return std::move(lesson).error();
      lesson_index.emplace(lessons->ColumnInt(0), course.lessons.size());
      course.lessons.push_back(std::move(lesson).value());
    }
  }

  Result<Statement> exercises = (*db)->Prepare(kCourseExercises);
  if (!exercises.ok()) return std::move(exercises).error();
  exercises->BindInt(1, course_id);
  while (true) {
    Result<bool> row = exercises->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) break;
    const auto lesson = lesson_index.find(exercises->ColumnInt(0));
    if (lesson == lesson_index.end()) {
      return Error::Internal("exercise row without its lesson in course " + Quoted(course_slug));
    }
    Result<domain::Exercise> exercise =
        ReadExercise(exercises->ColumnText(1), exercises->ColumnText(2));
    if (!exercise.ok()) return std::move(exercise).error();
    course.lessons[lesson->second].exercises.push_back(std::move(exercise).value());
  }
  return course;
}

Result<domain::Lesson> SqliteContentStore::GetLesson(std::string_view course,
                                                     std::string_view lesson_slug) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();

  Result<Statement> lesson_row = (*db)->Prepare(kLesson);
  if (!lesson_row.ok()) return std::move(lesson_row).error();
  lesson_row->BindText(1, course).BindText(2, lesson_slug);
  Result<bool> row = lesson_row->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return NotFound(**db, course, "lesson " + Quoted(lesson_slug));
  const int64_t lesson_id = lesson_row->ColumnInt(0);
  Result<domain::Lesson> lesson = ReadLessonRow(*lesson_row);
  if (!lesson.ok()) return lesson;
  if (Status s = ReadLessonExercises(**db, lesson_id, *lesson); !s.ok()) {
    return std::move(s).error();
  }
  return lesson;
}

Result<domain::Exercise> SqliteContentStore::GetExercise(std::string_view course,
                                                         std::string_view exercise) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  // One statement reads from one snapshot: no explicit transaction needed.
  Result<Statement> statement = (*db)->Prepare(kExercise);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, course).BindText(2, exercise);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return NotFound(**db, course, "exercise " + Quoted(exercise));
  return ReadExercise(statement->ColumnText(0), statement->ColumnText(1));
}

Result<int64_t> SqliteContentStore::CountCourses() {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> count = (*db)->Prepare(kCountCourses);
  if (!count.ok()) return std::move(count).error();
  Result<bool> row = count->Step();
  if (!row.ok()) return std::move(row).error();
  return count->ColumnInt(0);
}

Result<int64_t> SqliteContentStore::ContentVersion() {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> version = (*db)->Prepare(kContentVersion);
  if (!version.ok()) return std::move(version).error();
  Result<bool> row = version->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return Error::Internal("content_version row missing");
  return version->ColumnInt(0);
}

Status SqliteContentStore::Ping() {
  // Reads a row of the file through a reader connection: proves the file is open and readable.
  Result<int64_t> version = ContentVersion();
  if (!version.ok()) return std::move(version).error();
  return Status::Ok();
}

}  // namespace practica::store::sqlite
