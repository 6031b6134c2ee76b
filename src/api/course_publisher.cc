#include "api/course_publisher.h"

#include <map>
#include <utility>

#include "api/course_index.h"
#include "common/log.h"
#include "common/text.h"
#include "content/bundle.h"
#include "content/course_file.h"
#include "store/authoring_checks.h"

namespace practica::api {
namespace {

constexpr int kImportAttempts = 3;

// A FormatBundle problem ("lessons/02-spread.md:12", "course.yaml:0") named by what the author
// edits: "lessons[1]" (with the line dropped: the file is generated) or "course".
Error NotPublishable(const domain::Course& course, Error error) {
  std::map<std::string, std::string> files;  // bundle file → field
  for (size_t i = 0; i < course.lessons.size(); ++i) {
    const domain::Lesson& lesson = course.lessons[i];
    std::string name = lesson.file_name;
    if (name.empty()) {  // as FormatBundle names it
      const std::string number = std::to_string(i + 1);
      name = (number.size() < 2 ? "0" + number : number) + "-" + lesson.slug;
    }
    files[content::LessonFilePath(name)] = "lessons[" + std::to_string(i) + "]";
  }
  for (FieldError& field : error.fields) {
    const std::string file = field.field.substr(0, field.field.rfind(':'));
    if (const auto it = files.find(file); it != files.end()) {
      field.field = it->second;
    } else if (file == content::kCourseFile) {
      field.field = "course";
    }
  }
  error.code = ErrorCode::kInvalid;
  error.message = "The course cannot be published: " + error.message + ".";
  return error;
}

}  // namespace

std::vector<store::ExerciseVersion> ExerciseVersionsOf(const domain::Course& course) {
  std::vector<store::ExerciseVersion> versions;
  for (const domain::Lesson& lesson : course.lessons) {
    for (const domain::Exercise& exercise : lesson.exercises) {
      versions.push_back({ExerciseFingerprint(exercise), exercise, 0, 0});
    }
  }
  return versions;
}

store::Publication CoursePublisher::PublicationOf(const domain::Course& content,
                                                  std::string_view by, std::string source) const {
  store::Publication publication;
  publication.published_by = std::string(by);
  publication.source = std::move(source);
  publication.published_at = clock_.NowSeconds();
  publication.exercises = ExerciseVersionsOf(content);
  return publication;
}

Status CoursePublisher::WriteLive(const domain::Course& content, std::optional<int> previous_live) {
  Status written = content_.PutCourse(content);
  if (written.ok()) return written;
  Result<store::AuthoredCourse> restored =
      authoring_.SetLiveVersion(content.slug, previous_live, clock_.NowSeconds());
  if (!restored.ok()) {
    log::Error("published version recorded as live but not written for learners",
               {{"course", content.slug}, {"error", restored.error().message}});
  }
  return written;
}

Result<CoursePublisher::Outcome> CoursePublisher::PublishDraft(const store::Draft& draft,
                                                               std::string_view by) {
  const store::AuthoredCourse& course = draft.course;
  std::lock_guard lock(mutex_);
  if (!course.HasUnpublishedChanges()) {
    // Nothing new: the newest version is the draft; make it live again if it is not.
    if (course.live_version == course.latest_version) return Outcome{course, false};
    Result<store::AuthoredCourse> live =
        authoring_.SetLiveVersion(course.slug, course.latest_version, clock_.NowSeconds());
    if (!live.ok()) return std::move(live).error();
    if (Status written = WriteLive(draft.content, course.live_version); !written.ok()) {
      return std::move(written).error();
    }
    return Outcome{std::move(live).value(), false};
  }
  if (Result<std::vector<content::BundleFile>> checked = content::FormatBundle(draft.content);
      !checked.ok()) {
    return NotPublishable(draft.content, std::move(checked).error());
  }
  Result<store::AuthoredCourse> published =
      authoring_.Publish(course.slug, draft.content, course.revision, false,
                         PublicationOf(draft.content, by, "publish"));
  if (!published.ok()) return std::move(published).error();
  if (Status written = WriteLive(draft.content, course.live_version); !written.ok()) {
    return std::move(written).error();
  }
  log::Info("course published",
            {{"course", course.slug}, {"version", published->latest_version}, {"by", by}});
  return Outcome{std::move(published).value(), true};
}

Result<CoursePublisher::Outcome> CoursePublisher::Rollback(std::string_view slug, int version,
                                                           int64_t expected_revision,
                                                           std::string_view by) {
  Result<domain::Course> old = authoring_.GetVersion(slug, version);
  if (!old.ok()) return std::move(old).error();
  std::lock_guard lock(mutex_);
  Result<store::AuthoredCourse> before = authoring_.GetCourse(slug);
  if (!before.ok()) return std::move(before).error();
  if (before->revision != expected_revision) {
    return store::StaleRevision(slug, expected_revision, before->revision);
  }
  if (Result<std::vector<content::BundleFile>> checked = content::FormatBundle(*old);
      !checked.ok()) {
    return NotPublishable(*old, std::move(checked).error());
  }
  Result<store::AuthoredCourse> published =
      authoring_.Publish(slug, *old, expected_revision, true, PublicationOf(*old, by, "rollback"));
  if (!published.ok()) return std::move(published).error();
  if (Status written = WriteLive(*old, before->live_version); !written.ok()) {
    return std::move(written).error();
  }
  log::Info("course rolled back", {{"course", slug},
                                   {"to_version", version},
                                   {"version", published->latest_version},
                                   {"by", by}});
  return Outcome{std::move(published).value(), true};
}

Result<store::AuthoredCourse> CoursePublisher::Unpublish(std::string_view slug) {
  std::lock_guard lock(mutex_);
  Result<store::AuthoredCourse> before = authoring_.GetCourse(slug);
  if (!before.ok()) return std::move(before).error();
  if (!before->live_version) return before;
  Result<store::AuthoredCourse> after =
      authoring_.SetLiveVersion(slug, std::nullopt, clock_.NowSeconds());
  if (!after.ok()) return std::move(after).error();
  Status removed = content_.DeleteCourse(slug);
  if (!removed.ok() && removed.error().code != ErrorCode::kNotFound) {
    (void)authoring_.SetLiveVersion(slug, before->live_version, clock_.NowSeconds());
    return std::move(removed).error();
  }
  log::Info("course unpublished", {{"course", slug}});
  return after;
}

Result<CoursePublisher::Imported> CoursePublisher::Import(const domain::Course& course,
                                                          std::string_view by) {
  std::lock_guard lock(mutex_);
  for (int attempt = 0; attempt < kImportAttempts; ++attempt) {
    Result<store::AuthoredCourse> existing = authoring_.GetCourse(course.slug);
    if (!existing.ok() && existing.error().code != ErrorCode::kNotFound) {
      return std::move(existing).error();
    }
    Imported imported;
    std::optional<int> previous_live;
    Result<store::AuthoredCourse> recorded = Error::Internal("not recorded");
    if (!existing.ok()) {
      // A course learners may already see (published before authoring existed) keeps its
      // learners' view until this import replaces it, as any import does.
      recorded = authoring_.CreateCourse(course, {}, clock_.NowSeconds(),
                                         PublicationOf(course, by, "import"));
      if (!recorded.ok() && recorded.error().code == ErrorCode::kConflict) continue;  // raced
    } else {
      previous_live = existing->live_version;
      imported.replaced_unpublished_draft =
          existing->latest_version > 0 && existing->HasUnpublishedChanges();
      recorded = authoring_.Publish(course.slug, course, existing->revision, true,
                                    PublicationOf(course, by, "import"));
      if (!recorded.ok() && recorded.error().type == store::kStaleRevision) continue;
    }
    if (!recorded.ok()) return std::move(recorded).error();
    if (imported.replaced_unpublished_draft) {
      log::Warn("import replaced a draft with unpublished changes", {{"course", course.slug}});
    }
    if (Status written = WriteLive(course, previous_live); !written.ok()) {
      return std::move(written).error();
    }
    imported.course = std::move(recorded).value();
    return imported;
  }
  return Error::Unavailable("importing course " + Quoted(course.slug) +
                            ": its draft kept changing; try again");
}

Result<store::AuthoredCourse> CoursePublisher::Adopt(std::string_view slug) {
  Result<domain::Course> published = content_.GetCourse(slug);
  if (!published.ok()) return std::move(published).error();
  Result<store::AuthoredCourse> adopted = authoring_.CreateCourse(
      *published, {}, clock_.NowSeconds(), PublicationOf(*published, "", "adopt"));
  if (adopted.ok()) {
    log::Info("published course taken into authoring", {{"course", slug}});
    return adopted;
  }
  if (adopted.error().code == ErrorCode::kConflict) return authoring_.GetCourse(slug);
  return adopted;
}

}  // namespace practica::api
