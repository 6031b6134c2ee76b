// AuthoringStore on practica.db (migrations.cc, version 6): authored_courses (the draft and its
// revision, the newest and live versions), course_owners, course_versions and exercise_versions.
//
// Behaviour beyond the port's contract:
//   - Every change is one IMMEDIATE transaction on the single writer connection: it reads the
//     row it depends on (the revision, the newest version) and writes, so a stale revision is
//     refused atomically. Documents are encoded before the write lock is taken. Commits are
//     fsync'ed (synchronous=FULL).
//   - Versions and exercise versions are insert-only: triggers refuse UPDATE and DELETE.
//   - Errors: kNotFound names the course or version; kUnavailable for a full disk, I/O errors or
//     a write lock held past the busy timeout; kInternal when a stored document does not decode.
//
// Thread model: every method may be called from any thread. Writes are serialised by
// writer_mutex_; reads lease a connection from a pool of reader connections, and a read that
// spans statements runs in one read transaction (one snapshot).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

#include "store/authoring_store.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/database.h"

namespace practica::store::sqlite {

class SqliteAuthoringStore final : public AuthoringStore {
 public:
  struct Options {
    int max_readers = 4;
    std::chrono::milliseconds busy_timeout{5000};
  };

  // Opens (creating) the SQLite file and migrates it to the newest schema (a file from a newer
  // practica is refused with kConflict). The caller creates the directory.
  static Result<std::unique_ptr<SqliteAuthoringStore>> Open(const std::filesystem::path& db_file);
  static Result<std::unique_ptr<SqliteAuthoringStore>> Open(const std::filesystem::path& db_file,
                                                            const Options& options);

  SqliteAuthoringStore(const SqliteAuthoringStore&) = delete;
  SqliteAuthoringStore& operator=(const SqliteAuthoringStore&) = delete;
  // REQUIRES: no call is in progress.
  ~SqliteAuthoringStore() override = default;

  Result<AuthoredCourse> CreateCourse(const domain::Course& draft,
                                      const std::vector<std::string>& owners, int64_t now,
                                      const std::optional<Publication>& publish) override;
  Result<AuthoredCourse> GetCourse(std::string_view slug) override;
  Result<Draft> GetDraft(std::string_view slug) override;
  Result<std::vector<AuthoredCourse>> ListCourses(std::string_view owner,
                                                  std::string_view after_slug, int limit) override;
  Result<AuthoredCourse> SaveDraft(std::string_view slug, const domain::Course& draft,
                                   int64_t expected_revision, int64_t now) override;
  Result<AuthoredCourse> SetOwners(std::string_view slug, const std::vector<std::string>& owners,
                                   int64_t now) override;
  Result<AuthoredCourse> Publish(std::string_view slug, const domain::Course& content,
                                 int64_t expected_revision, bool replace_draft,
                                 const Publication& publication) override;
  Result<AuthoredCourse> SetLiveVersion(std::string_view slug, std::optional<int> version,
                                        int64_t now) override;
  Result<std::vector<VersionInfo>> ListVersions(std::string_view slug) override;
  Result<domain::Course> GetVersion(std::string_view slug, int version) override;
  Result<ExerciseVersion> GetExerciseVersion(std::string_view slug,
                                             std::string_view fingerprint) override;
  Status Ping() override;

 private:
  SqliteAuthoringStore(std::unique_ptr<Database> writer, const std::filesystem::path& db_file,
                       const Options& options);

  std::mutex writer_mutex_;
  std::unique_ptr<Database> writer_;  // GUARDED_BY(writer_mutex_)
  ConnectionPool readers_;
};

}  // namespace practica::store::sqlite
