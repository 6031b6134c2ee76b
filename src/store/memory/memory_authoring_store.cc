#include "store/memory/memory_authoring_store.h"

#include <algorithm>
#include <utility>

#include "common/text.h"
#include "store/authoring_checks.h"

namespace practica::store::memory {

Result<MemoryAuthoringStore::Entry*> MemoryAuthoringStore::Find(std::string_view slug) {
  const auto it = courses_.find(slug);
  if (it == courses_.end()) return Error::NotFound("course " + Quoted(slug) + " not found");
  return &it->second;
}

void MemoryAuthoringStore::AddVersion(Entry& entry, const domain::Course& content,
                                      const Publication& publication) {
  const int number = entry.course.latest_version + 1;
  entry.versions.push_back(
      {MakeVersionInfo(number, content, publication, entry.course.revision), content});
  for (const ExerciseVersion& exercise : publication.exercises) {
    if (entry.exercises.contains(exercise.fingerprint)) continue;
    ExerciseVersion kept = exercise;
    kept.first_version = number;
    kept.published_at = publication.published_at;
    entry.exercises.emplace(exercise.fingerprint, std::move(kept));
  }
  entry.course.latest_version = number;
  entry.course.live_version = number;
  entry.course.published_revision = entry.course.revision;
  entry.course.updated_at = publication.published_at;
}

Result<AuthoredCourse> MemoryAuthoringStore::CreateCourse(
    const domain::Course& draft, const std::vector<std::string>& owners, int64_t now,
    const std::optional<Publication>& publish) {
  if (Status s = CheckCourseDocument(draft.slug, draft); !s.ok()) return std::move(s).error();
  std::lock_guard lock(mutex_);
  if (courses_.contains(draft.slug)) {
    return Error::Conflict("course " + Quoted(draft.slug) + " already exists");
  }
  Entry entry;
  entry.course.slug = draft.slug;
  entry.course.title = draft.title;
  entry.course.owners = NormalizeOwners(owners);
  entry.course.revision = 1;
  entry.course.created_at = now;
  entry.course.updated_at = now;
  entry.draft = draft;
  if (publish) AddVersion(entry, draft, *publish);
  AuthoredCourse created = entry.course;
  courses_.emplace(draft.slug, std::move(entry));
  return created;
}

Result<AuthoredCourse> MemoryAuthoringStore::GetCourse(std::string_view slug) {
  std::lock_guard lock(mutex_);
  Result<Entry*> entry = Find(slug);
  if (!entry.ok()) return std::move(entry).error();
  return (*entry)->course;
}

Result<Draft> MemoryAuthoringStore::GetDraft(std::string_view slug) {
  std::lock_guard lock(mutex_);
  Result<Entry*> entry = Find(slug);
  if (!entry.ok()) return std::move(entry).error();
  return Draft{(*entry)->course, (*entry)->draft};
}

Result<std::vector<AuthoredCourse>> MemoryAuthoringStore::ListCourses(std::string_view owner,
                                                                      std::string_view after_slug,
                                                                      int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  std::lock_guard lock(mutex_);
  std::vector<AuthoredCourse> page;
  for (auto it = courses_.upper_bound(after_slug);
       it != courses_.end() && static_cast<int>(page.size()) < limit; ++it) {
    const std::vector<std::string>& owners = it->second.course.owners;
    if (!owner.empty() && std::find(owners.begin(), owners.end(), owner) == owners.end()) continue;
    page.push_back(it->second.course);
  }
  return page;
}

Result<AuthoredCourse> MemoryAuthoringStore::SaveDraft(std::string_view slug,
                                                       const domain::Course& draft,
                                                       int64_t expected_revision, int64_t now) {
  if (Status s = CheckCourseDocument(slug, draft); !s.ok()) return std::move(s).error();
  std::lock_guard lock(mutex_);
  Result<Entry*> found = Find(slug);
  if (!found.ok()) return std::move(found).error();
  Entry& entry = **found;
  if (entry.course.revision != expected_revision) {
    return StaleRevision(slug, expected_revision, entry.course.revision);
  }
  entry.draft = draft;
  entry.course.title = draft.title;
  entry.course.revision += 1;
  entry.course.updated_at = now;
  return entry.course;
}

Result<AuthoredCourse> MemoryAuthoringStore::SetOwners(std::string_view slug,
                                                       const std::vector<std::string>& owners,
                                                       int64_t now) {
  std::lock_guard lock(mutex_);
  Result<Entry*> found = Find(slug);
  if (!found.ok()) return std::move(found).error();
  (*found)->course.owners = NormalizeOwners(owners);
  (*found)->course.updated_at = now;
  return (*found)->course;
}

Result<AuthoredCourse> MemoryAuthoringStore::Publish(std::string_view slug,
                                                     const domain::Course& content,
                                                     int64_t expected_revision, bool replace_draft,
                                                     const Publication& publication) {
  if (Status s = CheckCourseDocument(slug, content); !s.ok()) return std::move(s).error();
  std::lock_guard lock(mutex_);
  Result<Entry*> found = Find(slug);
  if (!found.ok()) return std::move(found).error();
  Entry& entry = **found;
  if (entry.course.revision != expected_revision) {
    return StaleRevision(slug, expected_revision, entry.course.revision);
  }
  if (replace_draft) {
    entry.draft = content;
    entry.course.title = content.title;
    entry.course.revision += 1;
  }
  // The version records the revision it was made from: the draft's, after any replacement.
  AddVersion(entry, content, publication);
  return entry.course;
}

Result<AuthoredCourse> MemoryAuthoringStore::SetLiveVersion(std::string_view slug,
                                                            std::optional<int> version,
                                                            int64_t now) {
  std::lock_guard lock(mutex_);
  Result<Entry*> found = Find(slug);
  if (!found.ok()) return std::move(found).error();
  Entry& entry = **found;
  if (version && (*version < 1 || *version > entry.course.latest_version)) {
    return Error::NotFound("course " + Quoted(slug) + " has no version " +
                           std::to_string(*version));
  }
  entry.course.live_version = version;
  entry.course.updated_at = now;
  return entry.course;
}

Result<std::vector<VersionInfo>> MemoryAuthoringStore::ListVersions(std::string_view slug) {
  std::lock_guard lock(mutex_);
  Result<Entry*> found = Find(slug);
  if (!found.ok()) return std::move(found).error();
  std::vector<VersionInfo> versions;
  for (auto it = (*found)->versions.rbegin(); it != (*found)->versions.rend(); ++it) {
    versions.push_back(it->info);
  }
  return versions;
}

Result<domain::Course> MemoryAuthoringStore::GetVersion(std::string_view slug, int version) {
  std::lock_guard lock(mutex_);
  Result<Entry*> found = Find(slug);
  if (!found.ok()) return std::move(found).error();
  const std::vector<Version>& versions = (*found)->versions;
  if (version < 1 || version > static_cast<int>(versions.size())) {
    return Error::NotFound("course " + Quoted(slug) + " has no version " + std::to_string(version));
  }
  return versions[static_cast<size_t>(version - 1)].content;
}

Result<ExerciseVersion> MemoryAuthoringStore::GetExerciseVersion(std::string_view slug,
                                                                 std::string_view fingerprint) {
  std::lock_guard lock(mutex_);
  Result<Entry*> found = Find(slug);
  if (!found.ok()) return std::move(found).error();
  const auto it = (*found)->exercises.find(fingerprint);
  if (it == (*found)->exercises.end()) {
    return Error::NotFound("course " + Quoted(slug) + " published no exercise version " +
                           Quoted(fingerprint));
  }
  return it->second;
}

}  // namespace practica::store::memory
