#include "store/sqlite/sqlite_authoring_store.h"

#include <string>
#include <utility>
#include <vector>

#include "common/text.h"
#include "store/authoring_checks.h"
#include "store/exercise_codec.h"
#include "store/sqlite/migrations.h"

namespace practica::store::sqlite {
namespace {

// The SQL, in one place. Every statement is prepared once per connection and cached.

// Course rows: columns 0..8 (ReadCourseRow), the owners as a JSON array.
constexpr std::string_view kCourse = R"sql(
SELECT c.slug, c.title, c.revision, c.latest_version, c.live_version, c.published_revision,
  c.created_at, c.updated_at,
  (SELECT json_group_array(o.user_id) FROM course_owners o WHERE o.course = c.slug)
FROM authored_courses c WHERE c.slug = ?1)sql";
constexpr std::string_view kCourses = R"sql(
SELECT c.slug, c.title, c.revision, c.latest_version, c.live_version, c.published_revision,
  c.created_at, c.updated_at,
  (SELECT json_group_array(o.user_id) FROM course_owners o WHERE o.course = c.slug)
FROM authored_courses c WHERE c.slug > ?1 ORDER BY c.slug LIMIT ?2)sql";
// course_owners_by_user (user_id, course) serves both the filter and the order.
constexpr std::string_view kOwnedCourses = R"sql(
SELECT c.slug, c.title, c.revision, c.latest_version, c.live_version, c.published_revision,
  c.created_at, c.updated_at,
  (SELECT json_group_array(o.user_id) FROM course_owners o WHERE o.course = c.slug)
FROM course_owners mine JOIN authored_courses c ON c.slug = mine.course
WHERE mine.user_id = ?1 AND mine.course > ?2 ORDER BY mine.course LIMIT ?3)sql";
constexpr std::string_view kDraft = "SELECT draft FROM authored_courses WHERE slug = ?1";
constexpr std::string_view kInsertCourse = R"sql(
INSERT INTO authored_courses (slug, title, revision, draft, created_at, updated_at)
VALUES (?1, ?2, 1, ?3, ?4, ?4))sql";
constexpr std::string_view kSaveDraft = R"sql(
UPDATE authored_courses SET draft = ?2, title = ?3, revision = revision + 1, updated_at = ?4
WHERE slug = ?1)sql";
constexpr std::string_view kDeleteOwners = "DELETE FROM course_owners WHERE course = ?1";
constexpr std::string_view kInsertOwner =
    "INSERT INTO course_owners (course, user_id) VALUES (?1, ?2)";
constexpr std::string_view kTouch = "UPDATE authored_courses SET updated_at = ?2 WHERE slug = ?1";
constexpr std::string_view kInsertVersion = R"sql(
INSERT INTO course_versions (course, version, document, published_by, published_at, source,
  draft_revision, title, lesson_count, exercise_count)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10))sql";
constexpr std::string_view kInsertExerciseVersion = R"sql(
INSERT INTO exercise_versions (course, fingerprint, exercise, definition, first_version,
  published_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (course, fingerprint) DO NOTHING)sql";
constexpr std::string_view kMakeLive = R"sql(
UPDATE authored_courses SET latest_version = ?2, live_version = ?2,
  published_revision = revision, updated_at = ?3
WHERE slug = ?1)sql";
constexpr std::string_view kSetLive =
    "UPDATE authored_courses SET live_version = ?2, updated_at = ?3 WHERE slug = ?1";
constexpr std::string_view kVersions = R"sql(
SELECT version, published_by, published_at, source, draft_revision, title, lesson_count,
  exercise_count
FROM course_versions WHERE course = ?1 ORDER BY version DESC)sql";
constexpr std::string_view kVersion =
    "SELECT document FROM course_versions WHERE course = ?1 AND version = ?2";
constexpr std::string_view kExerciseVersion = R"sql(
SELECT definition, first_version, published_at FROM exercise_versions
WHERE course = ?1 AND fingerprint = ?2)sql";

Error WithContext(Error error, const std::string& context) {
  error.message = context + ": " + error.message;
  return error;
}

Error CourseNotFound(std::string_view slug) {
  return Error::NotFound("course " + Quoted(slug) + " not found");
}

Result<AuthoredCourse> ReadCourseRow(const Statement& row) {
  AuthoredCourse course;
  course.slug = row.ColumnString(0);
  course.title = row.ColumnString(1);
  course.revision = row.ColumnInt(2);
  course.latest_version = static_cast<int>(row.ColumnInt(3));
  if (!row.ColumnIsNull(4)) course.live_version = static_cast<int>(row.ColumnInt(4));
  course.published_revision = row.ColumnInt(5);
  course.created_at = row.ColumnInt(6);
  course.updated_at = row.ColumnInt(7);
  Result<std::vector<std::string>> owners = DecodeStrings(row.ColumnText(8));
  if (!owners.ok()) {
    return Error::Internal("owners of course " + Quoted(course.slug) +
                           " do not decode: " + owners.error().message);
  }
  course.owners = NormalizeOwners(std::move(owners).value());
  return course;
}

// The course `slug` as `db` sees it (inside the caller's transaction, if any).
Result<AuthoredCourse> ReadCourse(Database& db, std::string_view slug) {
  Result<Statement> statement = db.Prepare(kCourse);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, slug);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return CourseNotFound(slug);
  return ReadCourseRow(*statement);
}

// Runs `sql` with `slug` as ?1 and `value` as ?2.
Status RunWith(Database& db, std::string_view sql, std::string_view slug, int64_t value) {
  Result<Statement> statement = db.Prepare(sql);
  if (!statement.ok()) return std::move(statement).error();
  return statement->BindText(1, slug).BindInt(2, value).Run();
}

Status WriteOwners(Database& db, std::string_view slug, const std::vector<std::string>& owners) {
  Result<Statement> cleared = db.Prepare(kDeleteOwners);
  if (!cleared.ok()) return std::move(cleared).error();
  if (Status s = cleared->BindText(1, slug).Run(); !s.ok()) return s;
  for (const std::string& owner : owners) {
    Result<Statement> insert = db.Prepare(kInsertOwner);
    if (!insert.ok()) return std::move(insert).error();
    if (Status s = insert->BindText(1, slug).BindText(2, owner).Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

// A version to write, encoded before the write lock is taken.
struct EncodedVersion {
  std::string document;
  std::vector<std::pair<const ExerciseVersion*, std::string>> exercises;  // with definitions
};

EncodedVersion Encode(const domain::Course& content, const Publication& publication) {
  EncodedVersion encoded;
  encoded.document = EncodeCourse(content);
  for (const ExerciseVersion& exercise : publication.exercises) {
    encoded.exercises.emplace_back(&exercise, EncodeExercise(exercise.exercise));
  }
  return encoded;
}

// Adds version latest + 1 of `course` (as read in this transaction) and makes it live.
Status AddVersion(Database& db, const AuthoredCourse& course, const domain::Course& content,
                  const EncodedVersion& encoded, const Publication& publication) {
  const int number = course.latest_version + 1;
  const VersionInfo info = MakeVersionInfo(number, content, publication, course.revision);
  Result<Statement> version = db.Prepare(kInsertVersion);
  if (!version.ok()) return std::move(version).error();
  Status inserted = version->BindText(1, course.slug)
                        .BindInt(2, number)
                        .BindText(3, encoded.document)
                        .BindText(4, info.published_by)
                        .BindInt(5, info.published_at)
                        .BindText(6, info.source)
                        .BindInt(7, info.draft_revision)
                        .BindText(8, info.title)
                        .BindInt(9, info.lesson_count)
                        .BindInt(10, info.exercise_count)
                        .Run();
  if (!inserted.ok()) return inserted;
  for (const auto& [exercise, definition] : encoded.exercises) {
    Result<Statement> insert = db.Prepare(kInsertExerciseVersion);
    if (!insert.ok()) return std::move(insert).error();
    Status done = insert->BindText(1, course.slug)
                      .BindText(2, exercise->fingerprint)
                      .BindText(3, exercise->exercise.id)
                      .BindText(4, definition)
                      .BindInt(5, number)
                      .BindInt(6, publication.published_at)
                      .Run();
    if (!done.ok()) return done;
  }
  Result<Statement> live = db.Prepare(kMakeLive);
  if (!live.ok()) return std::move(live).error();
  return live->BindText(1, course.slug)
      .BindInt(2, number)
      .BindInt(3, publication.published_at)
      .Run();
}

Result<domain::Course> ReadDocument(std::string_view document, std::string_view what) {
  Result<domain::Course> course = DecodeCourse(document);
  if (!course.ok()) {
    return Error::Internal("stored " + std::string(what) +
                           " does not decode: " + course.error().message);
  }
  return course;
}

}  // namespace

Result<std::unique_ptr<SqliteAuthoringStore>> SqliteAuthoringStore::Open(
    const std::filesystem::path& db_file) {
  return Open(db_file, Options{});
}

Result<std::unique_ptr<SqliteAuthoringStore>> SqliteAuthoringStore::Open(
    const std::filesystem::path& db_file, const Options& options) {
  Result<std::unique_ptr<Database>> writer = OpenMigratedWriter(db_file, options.busy_timeout);
  if (!writer.ok()) return std::move(writer).error();
  std::unique_ptr<SqliteAuthoringStore> store(
      new SqliteAuthoringStore(std::move(writer).value(), db_file, options));
  if (Status ping = store->Ping(); !ping.ok()) return std::move(ping).error();
  return store;
}

SqliteAuthoringStore::SqliteAuthoringStore(std::unique_ptr<Database> writer,
                                           const std::filesystem::path& db_file,
                                           const Options& options)
    : writer_(std::move(writer)),
      readers_(
          db_file,
          DatabaseOptions{.busy_timeout = options.busy_timeout, .read_only = true, .create = false},
          options.max_readers) {}

Result<AuthoredCourse> SqliteAuthoringStore::CreateCourse(
    const domain::Course& draft, const std::vector<std::string>& owners, int64_t now,
    const std::optional<Publication>& publish) {
  if (Status s = CheckCourseDocument(draft.slug, draft); !s.ok()) return std::move(s).error();
  const std::string document = EncodeCourse(draft);
  std::optional<EncodedVersion> version;
  if (publish) version = Encode(draft, *publish);
  const std::string context = "creating course " + Quoted(draft.slug);

  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return WithContext(std::move(transaction).error(), context);
  if (ReadCourse(*writer_, draft.slug).ok()) {
    return Error::Conflict("course " + Quoted(draft.slug) + " already exists");
  }
  Result<Statement> insert = writer_->Prepare(kInsertCourse);
  if (!insert.ok()) return WithContext(std::move(insert).error(), context);
  Status inserted = insert->BindText(1, draft.slug)
                        .BindText(2, draft.title)
                        .BindText(3, document)
                        .BindInt(4, now)
                        .Run();
  if (!inserted.ok()) return WithContext(std::move(inserted).error(), context);
  if (Status s = WriteOwners(*writer_, draft.slug, NormalizeOwners(owners)); !s.ok()) {
    return WithContext(std::move(s).error(), context);
  }
  if (publish) {
    Result<AuthoredCourse> created = ReadCourse(*writer_, draft.slug);
    if (!created.ok()) return WithContext(std::move(created).error(), context);
    if (Status s = AddVersion(*writer_, *created, draft, *version, *publish); !s.ok()) {
      return WithContext(std::move(s).error(), context);
    }
  }
  Result<AuthoredCourse> created = ReadCourse(*writer_, draft.slug);
  if (!created.ok()) return WithContext(std::move(created).error(), context);
  if (Status s = transaction->Commit(); !s.ok()) return WithContext(std::move(s).error(), context);
  return created;
}

Result<AuthoredCourse> SqliteAuthoringStore::GetCourse(std::string_view slug) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  return ReadCourse(**db, slug);
}

Result<Draft> SqliteAuthoringStore::GetDraft(std::string_view slug) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();
  Result<AuthoredCourse> course = ReadCourse(**db, slug);
  if (!course.ok()) return std::move(course).error();
  Result<Statement> draft = (*db)->Prepare(kDraft);
  if (!draft.ok()) return std::move(draft).error();
  draft->BindText(1, slug);
  Result<bool> row = draft->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return CourseNotFound(slug);
  Result<domain::Course> content = ReadDocument(draft->ColumnText(0), "draft of " + Quoted(slug));
  if (!content.ok()) return std::move(content).error();
  return Draft{std::move(course).value(), std::move(content).value()};
}

Result<std::vector<AuthoredCourse>> SqliteAuthoringStore::ListCourses(std::string_view owner,
                                                                      std::string_view after_slug,
                                                                      int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> list = (*db)->Prepare(owner.empty() ? kCourses : kOwnedCourses);
  if (!list.ok()) return std::move(list).error();
  if (owner.empty()) {
    list->BindText(1, after_slug).BindInt(2, limit);
  } else {
    list->BindText(1, owner).BindText(2, after_slug).BindInt(3, limit);
  }
  std::vector<AuthoredCourse> courses;
  while (true) {
    Result<bool> row = list->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return courses;
    Result<AuthoredCourse> course = ReadCourseRow(*list);
    if (!course.ok()) return std::move(course).error();
    courses.push_back(std::move(course).value());
  }
}

Result<AuthoredCourse> SqliteAuthoringStore::SaveDraft(std::string_view slug,
                                                       const domain::Course& draft,
                                                       int64_t expected_revision, int64_t now) {
  if (Status s = CheckCourseDocument(slug, draft); !s.ok()) return std::move(s).error();
  const std::string document = EncodeCourse(draft);
  const std::string context = "saving the draft of course " + Quoted(slug);

  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return WithContext(std::move(transaction).error(), context);
  Result<AuthoredCourse> course = ReadCourse(*writer_, slug);
  if (!course.ok()) return std::move(course).error();
  if (course->revision != expected_revision) {
    return StaleRevision(slug, expected_revision, course->revision);
  }
  Result<Statement> save = writer_->Prepare(kSaveDraft);
  if (!save.ok()) return WithContext(std::move(save).error(), context);
  Status saved =
      save->BindText(1, slug).BindText(2, document).BindText(3, draft.title).BindInt(4, now).Run();
  if (!saved.ok()) return WithContext(std::move(saved).error(), context);
  Result<AuthoredCourse> after = ReadCourse(*writer_, slug);
  if (!after.ok()) return WithContext(std::move(after).error(), context);
  if (Status s = transaction->Commit(); !s.ok()) return WithContext(std::move(s).error(), context);
  return after;
}

Result<AuthoredCourse> SqliteAuthoringStore::SetOwners(std::string_view slug,
                                                       const std::vector<std::string>& owners,
                                                       int64_t now) {
  const std::string context = "setting the owners of course " + Quoted(slug);
  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return WithContext(std::move(transaction).error(), context);
  if (Result<AuthoredCourse> course = ReadCourse(*writer_, slug); !course.ok()) {
    return std::move(course).error();
  }
  if (Status s = WriteOwners(*writer_, slug, NormalizeOwners(owners)); !s.ok()) {
    return WithContext(std::move(s).error(), context);
  }
  if (Status s = RunWith(*writer_, kTouch, slug, now); !s.ok()) {
    return WithContext(std::move(s).error(), context);
  }
  Result<AuthoredCourse> after = ReadCourse(*writer_, slug);
  if (!after.ok()) return WithContext(std::move(after).error(), context);
  if (Status s = transaction->Commit(); !s.ok()) return WithContext(std::move(s).error(), context);
  return after;
}

Result<AuthoredCourse> SqliteAuthoringStore::Publish(std::string_view slug,
                                                     const domain::Course& content,
                                                     int64_t expected_revision, bool replace_draft,
                                                     const Publication& publication) {
  if (Status s = CheckCourseDocument(slug, content); !s.ok()) return std::move(s).error();
  const EncodedVersion encoded = Encode(content, publication);
  const std::string context = "publishing course " + Quoted(slug);

  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return WithContext(std::move(transaction).error(), context);
  Result<AuthoredCourse> course = ReadCourse(*writer_, slug);
  if (!course.ok()) return std::move(course).error();
  if (course->revision != expected_revision) {
    return StaleRevision(slug, expected_revision, course->revision);
  }
  if (replace_draft) {
    Result<Statement> save = writer_->Prepare(kSaveDraft);
    if (!save.ok()) return WithContext(std::move(save).error(), context);
    Status saved = save->BindText(1, slug)
                       .BindText(2, encoded.document)
                       .BindText(3, content.title)
                       .BindInt(4, publication.published_at)
                       .Run();
    if (!saved.ok()) return WithContext(std::move(saved).error(), context);
    course = ReadCourse(*writer_, slug);
    if (!course.ok()) return WithContext(std::move(course).error(), context);
  }
  if (Status s = AddVersion(*writer_, *course, content, encoded, publication); !s.ok()) {
    return WithContext(std::move(s).error(), context);
  }
  Result<AuthoredCourse> after = ReadCourse(*writer_, slug);
  if (!after.ok()) return WithContext(std::move(after).error(), context);
  if (Status s = transaction->Commit(); !s.ok()) return WithContext(std::move(s).error(), context);
  return after;
}

Result<AuthoredCourse> SqliteAuthoringStore::SetLiveVersion(std::string_view slug,
                                                            std::optional<int> version,
                                                            int64_t now) {
  const std::string context = "setting the live version of course " + Quoted(slug);
  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return WithContext(std::move(transaction).error(), context);
  Result<AuthoredCourse> course = ReadCourse(*writer_, slug);
  if (!course.ok()) return std::move(course).error();
  if (version && (*version < 1 || *version > course->latest_version)) {
    return Error::NotFound("course " + Quoted(slug) + " has no version " +
                           std::to_string(*version));
  }
  Result<Statement> set = writer_->Prepare(kSetLive);
  if (!set.ok()) return WithContext(std::move(set).error(), context);
  set->BindText(1, slug).BindInt(3, now);
  if (version) {
    set->BindInt(2, *version);
  } else {
    set->BindNull(2);
  }
  if (Status s = set->Run(); !s.ok()) return WithContext(std::move(s).error(), context);
  Result<AuthoredCourse> after = ReadCourse(*writer_, slug);
  if (!after.ok()) return WithContext(std::move(after).error(), context);
  if (Status s = transaction->Commit(); !s.ok()) return WithContext(std::move(s).error(), context);
  return after;
}

Result<std::vector<VersionInfo>> SqliteAuthoringStore::ListVersions(std::string_view slug) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();
  if (Result<AuthoredCourse> course = ReadCourse(**db, slug); !course.ok()) {
    return std::move(course).error();
  }
  Result<Statement> list = (*db)->Prepare(kVersions);
  if (!list.ok()) return std::move(list).error();
  list->BindText(1, slug);
  std::vector<VersionInfo> versions;
  while (true) {
    Result<bool> row = list->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return versions;
    VersionInfo info;
    info.number = static_cast<int>(list->ColumnInt(0));
    info.published_by = list->ColumnString(1);
    info.published_at = list->ColumnInt(2);
    info.source = list->ColumnString(3);
    info.draft_revision = list->ColumnInt(4);
    info.title = list->ColumnString(5);
    info.lesson_count = static_cast<int>(list->ColumnInt(6));
    info.exercise_count = static_cast<int>(list->ColumnInt(7));
    versions.push_back(std::move(info));
  }
}

Result<domain::Course> SqliteAuthoringStore::GetVersion(std::string_view slug, int version) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> statement = (*db)->Prepare(kVersion);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, slug).BindInt(2, version);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) {
    return Error::NotFound("course " + Quoted(slug) + " has no version " + std::to_string(version));
  }
  return ReadDocument(statement->ColumnText(0),
                      "version " + std::to_string(version) + " of " + Quoted(slug));
}

Result<ExerciseVersion> SqliteAuthoringStore::GetExerciseVersion(std::string_view slug,
                                                                 std::string_view fingerprint) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> statement = (*db)->Prepare(kExerciseVersion);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, slug).BindText(2, fingerprint);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) {
    return Error::NotFound("course " + Quoted(slug) + " published no exercise version " +
                           Quoted(fingerprint));
  }
  Result<domain::Exercise> exercise = DecodeExercise(statement->ColumnText(0));
  if (!exercise.ok()) {
    return Error::Internal("stored exercise version " + Quoted(fingerprint) +
                           " does not decode: " + exercise.error().message);
  }
  return ExerciseVersion{std::string(fingerprint), std::move(exercise).value(),
                         static_cast<int>(statement->ColumnInt(1)), statement->ColumnInt(2)};
}

Status SqliteAuthoringStore::Ping() {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> statement = (*db)->Prepare("SELECT count(*) FROM authored_courses LIMIT 1");
  if (!statement.ok()) return std::move(statement).error();
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  return Status::Ok();
}

}  // namespace practica::store::sqlite
