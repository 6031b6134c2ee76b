// ContentStore on one SQLite file: the embedded default (laptop, VM, single container).
//
// Layout (migrations.cc, version 1): courses (one row per course, tags as a JSON array), lessons
// (course_id, position, lesson body as codec JSON) and exercises (course_id, lesson_id, position,
// definition as codec JSON), plus a one-row content_version counter.
//
// Behaviour beyond the port's contract:
//   - PutCourse checks ids (store/course_checks.h: kInvalid), then in ONE IMMEDIATE transaction
//     upserts the course row (its row id stays stable), deletes the course's lessons and
//     exercises, re-inserts them in order and increments content_version. A duplicate lesson slug
//     or exercise id within the course violates a UNIQUE constraint: kConflict, nothing changed.
//     The commit is fsync'ed before PutCourse returns (synchronous=FULL).
//   - DeleteCourse deletes the course row (its lessons and exercises cascade) and increments
//     content_version in one transaction.
//   - Errors: kNotFound names the missing course, lesson or exercise; kUnavailable for a full
//     disk, I/O errors, or a write lock held longer than the busy timeout (another process, e.g.
//     `practica import`, may write the same file); kInternal when a stored document does not
//     decode.
//   - ListCourses: kInvalid unless limit >= 1; slugs compare bytewise.
//
// Thread model: every method may be called from any thread, concurrently.
//   - Writes (PutCourse, DeleteCourse) are serialised by writer_mutex_ on a single writer
//   connection. Content
//     changes are rare (imports, authoring), so there is no group commit here.
//   - Reads lease a connection from a pool of at most Options::max_readers reader connections
//     (query_only) and hold it only for the call. WAL lets them read while PutCourse writes; a read
//     that spans several statements (GetLesson, GetCourse, GetCourseOutline) runs in one read
//     transaction, i.e. from one snapshot, so it sees the course before or after a PutCourse,
//     never a mix. Each reader connection caches its prepared statements.
//   - When all readers are lent out, a read waits for one to come back.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "store/content_store.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/database.h"

namespace practica::store::sqlite {

class SqliteContentStore final : public ContentStore {
 public:
  struct Options {
    int max_readers = 8;  // reader connections kept open; about the number of server threads
    std::chrono::milliseconds busy_timeout{5000};
  };

  // Opens (creating) the SQLite file and migrates it to the newest schema (migrations.h: a file
  // from a newer practica is refused with kConflict). The caller creates the directory.
  static Result<std::unique_ptr<SqliteContentStore>> Open(const std::filesystem::path& db_file);
  static Result<std::unique_ptr<SqliteContentStore>> Open(const std::filesystem::path& db_file,
                                                          const Options& options);

  SqliteContentStore(const SqliteContentStore&) = delete;
  SqliteContentStore& operator=(const SqliteContentStore&) = delete;
  // REQUIRES: no call is in progress.
  ~SqliteContentStore() override = default;

  Status PutCourse(const domain::Course& course) override;
  Status DeleteCourse(std::string_view course) override;
  Result<std::vector<CourseSummary>> ListCourses(std::string_view after_slug, int limit) override;
  Result<CourseOutline> GetCourseOutline(std::string_view course) override;
  Result<domain::Course> GetCourse(std::string_view course) override;
  Result<domain::Lesson> GetLesson(std::string_view course, std::string_view lesson) override;
  Result<domain::Exercise> GetExercise(std::string_view course, std::string_view exercise) override;
  Result<int64_t> CountCourses() override;
  Result<int64_t> ContentVersion() override;
  Status Ping() override;

 private:
  SqliteContentStore(std::unique_ptr<Database> writer, const std::filesystem::path& db_file,
                     const Options& options);

  std::mutex writer_mutex_;
  std::unique_ptr<Database> writer_;  // GUARDED_BY(writer_mutex_)
  ConnectionPool readers_;
};

}  // namespace practica::store::sqlite
