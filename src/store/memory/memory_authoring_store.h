// AuthoringStore in memory: the fake for fast tests of code above the port (api/, app/). It passes
// the same contract suite as the real adapters (tests/store/authoring_store_contract.h).
// Thread-safe: one mutex guards everything. Nothing survives the object.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/authoring_store.h"

namespace practica::store::memory {

class MemoryAuthoringStore final : public AuthoringStore {
 public:
  MemoryAuthoringStore() = default;

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
  Status Ping() override { return Status::Ok(); }

 private:
  struct Version {
    VersionInfo info;
    domain::Course content;
  };
  struct Entry {
    AuthoredCourse course;
    domain::Course draft;
    std::vector<Version> versions;                                  // versions[n - 1] is n
    std::map<std::string, ExerciseVersion, std::less<>> exercises;  // by fingerprint
  };
  // REQUIRES: mutex_ is held.
  Result<Entry*> Find(std::string_view slug);
  static void AddVersion(Entry& entry, const domain::Course& content,
                         const Publication& publication);

  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> courses_;  // GUARDED_BY(mutex_)
};

}  // namespace practica::store::memory
