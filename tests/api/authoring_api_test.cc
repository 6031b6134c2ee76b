// Course access, publishing and the authoring handlers over the in-memory stores. The HTTP story
// (status codes, every route, both data tiers) is tests/integration/test_authoring.py's.
#include "api/authoring_api.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/course_index.h"
#include "content/bundle_zip.h"
#include "store/memory/memory_authoring_store.h"
#include "store/memory/memory_content_store.h"
#include "store/memory/memory_user_store.h"

namespace practica::api {
namespace {

namespace json = boost::json;

// A content store that can be told to fail its writes, like a full disk.
class FlakyContentStore final : public store::ContentStore {
 public:
  bool fail_writes = false;
  store::memory::MemoryContentStore inner;

  Status PutCourse(const domain::Course& course) override {
    if (fail_writes) return Error::Unavailable("disk full");
    return inner.PutCourse(course);
  }
  Status DeleteCourse(std::string_view course) override {
    if (fail_writes) return Error::Unavailable("disk full");
    return inner.DeleteCourse(course);
  }
  Result<std::vector<store::CourseSummary>> ListCourses(std::string_view after,
                                                        int limit) override {
    return inner.ListCourses(after, limit);
  }
  Result<store::CourseOutline> GetCourseOutline(std::string_view course) override {
    return inner.GetCourseOutline(course);
  }
  Result<domain::Course> GetCourse(std::string_view course) override {
    return inner.GetCourse(course);
  }
  Result<domain::Lesson> GetLesson(std::string_view course, std::string_view lesson) override {
    return inner.GetLesson(course, lesson);
  }
  Result<domain::Exercise> GetExercise(std::string_view course,
                                       std::string_view exercise) override {
    return inner.GetExercise(course, exercise);
  }
  Result<int64_t> CountCourses() override { return inner.CountCourses(); }
  Result<int64_t> ContentVersion() override { return inner.ContentVersion(); }
  Status Ping() override { return Status::Ok(); }
};

domain::Course Course(const std::string& slug, const std::string& prompt) {
  domain::Exercise exercise;
  exercise.id = "q1";
  exercise.prompt = {prompt + "\n", "<p>" + prompt + "</p>\n"};
  exercise.spec = domain::TrueFalse{};
  domain::Lesson lesson;
  lesson.slug = "one";
  lesson.title = "One";
  lesson.blocks = {{domain::LessonBlock::Kind::kMarkdown, {"Text.\n", "<p>Text.</p>\n"}, ""},
                   {domain::LessonBlock::Kind::kExercise, {}, "q1"}};
  lesson.exercises = {exercise};
  domain::Course course;
  course.slug = slug;
  course.title = "Course " + slug;
  course.lessons = {lesson};
  return course;
}

class AuthoringApiTest : public ::testing::Test {
 protected:
  http::Request As(std::string user, domain::Role role) {
    http::Request request;
    request.principal = http::Principal{std::move(user), role, "s", true};
    return request;
  }

  FakeClock clock_{1'800'000'000};
  store::memory::MemoryAuthoringStore authoring_;
  FlakyContentStore content_;
  store::memory::MemoryUserStore users_;
  CoursePublisher publisher_{authoring_, content_, clock_};
  AuthoringApi api_{authoring_, content_, users_, publisher_, clock_};
  const CourseAccess access_{authoring_};
};

TEST_F(AuthoringApiTest, OwnersAndAdminsMayManageACourseAndNobodyElseLearnsItExists) {
  ASSERT_TRUE(authoring_.CreateCourse(Course("algebra", "P"), {"usr_owner"}, 1, std::nullopt).ok());
  const http::Principal owner{"usr_owner", domain::Role::kInstructor, "s", true};
  const http::Principal other{"usr_other", domain::Role::kInstructor, "s", true};
  const http::Principal admin{"usr_admin", domain::Role::kAdmin, "s", true};
  Result<std::optional<store::AuthoredCourse>> mine = access_.Check(owner, "algebra");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)->slug, "algebra");
  EXPECT_TRUE(access_.Check(admin, "algebra").ok());
  const Error refused = access_.Check(other, "algebra").error();
  const Error missing = access_.Check(other, "nothing").error();
  EXPECT_EQ(refused.code, ErrorCode::kNotFound);
  EXPECT_EQ(refused.message, "No course \"algebra\".");
  EXPECT_EQ(missing.message, "No course \"nothing\".");
  // An admin reaching a course authoring never recorded: allowed, no record.
  Result<std::optional<store::AuthoredCourse>> unrecorded = access_.Check(admin, "nothing");
  ASSERT_TRUE(unrecorded.ok());
  EXPECT_FALSE(*unrecorded);
  EXPECT_EQ(access_.Check(admin, "Not A Slug").error().code, ErrorCode::kNotFound);
}

TEST_F(AuthoringApiTest, AnImportCreatesThenAddsVersionsAndSaysWhenItReplacedADraft) {
  Result<CoursePublisher::Imported> first = publisher_.Import(Course("algebra", "First"), "");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->course.latest_version, 1);
  EXPECT_FALSE(first->replaced_unpublished_draft);
  EXPECT_EQ(content_.GetCourse("algebra")->lessons[0].exercises[0].prompt.markdown, "First\n");

  // Someone edits the draft; the next import replaces it (and says so) and is live.
  ASSERT_TRUE(authoring_.SaveDraft("algebra", Course("algebra", "Edited"), 1, 2).ok());
  Result<CoursePublisher::Imported> second = publisher_.Import(Course("algebra", "Second"), "");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->replaced_unpublished_draft);
  EXPECT_EQ(second->course.latest_version, 2);
  EXPECT_EQ(second->course.live_version, 2);
  EXPECT_EQ(authoring_.GetDraft("algebra")->content, Course("algebra", "Second"));
  EXPECT_EQ(content_.GetCourse("algebra")->lessons[0].exercises[0].prompt.markdown, "Second\n");
  // Both exercise definitions are kept by their fingerprints.
  for (const char* prompt : {"First", "Second"}) {
    const std::string fingerprint =
        ExerciseFingerprint(Course("algebra", prompt).lessons[0].exercises[0]);
    EXPECT_TRUE(authoring_.GetExerciseVersion("algebra", fingerprint).ok()) << prompt;
  }
}

TEST_F(AuthoringApiTest, ACoursePublishedBeforeAuthoringIsAdoptedAsVersionOne) {
  ASSERT_TRUE(content_.inner.PutCourse(Course("legacy", "Old")).ok());
  Result<store::AuthoredCourse> adopted = publisher_.Adopt("legacy");
  ASSERT_TRUE(adopted.ok()) << adopted.error().message;
  EXPECT_EQ(adopted->latest_version, 1);
  EXPECT_EQ(adopted->live_version, 1);
  EXPECT_TRUE(adopted->owners.empty());
  EXPECT_EQ(authoring_.ListVersions("legacy")->at(0).source, "adopt");
  // Twice is once.
  Result<store::AuthoredCourse> again = publisher_.Adopt("legacy");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->latest_version, 1);
  EXPECT_EQ(publisher_.Adopt("nothing").error().code, ErrorCode::kNotFound);

  // Through the API: an admin's first read adopts it.
  http::Request request = As("usr_admin", domain::Role::kAdmin);
  request.path_params = {{"course", "older"}};
  ASSERT_TRUE(content_.inner.PutCourse(Course("older", "Older")).ok());
  Result<http::Response> draft = api_.GetDraft(request);
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  EXPECT_EQ(json::parse(draft->body).at("live_version").as_int64(), 1);
  EXPECT_EQ(draft->headers.Get("ETag"), "\"1\"");
}

TEST_F(AuthoringApiTest, WhenLearnersContentCannotBeWrittenTheLiveVersionStaysAsItWas) {
  ASSERT_TRUE(publisher_.Import(Course("algebra", "First"), "").ok());
  ASSERT_TRUE(authoring_.SaveDraft("algebra", Course("algebra", "Second"), 1, 2).ok());
  content_.fail_writes = true;
  Result<store::Draft> draft = authoring_.GetDraft("algebra");
  ASSERT_TRUE(draft.ok());
  Result<CoursePublisher::Outcome> published = publisher_.PublishDraft(*draft, "usr_owner");
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code, ErrorCode::kUnavailable);
  // Version 2 is history now, but version 1 is still what learners see, and says so.
  Result<store::AuthoredCourse> course = authoring_.GetCourse("algebra");
  EXPECT_EQ(course->latest_version, 2);
  EXPECT_EQ(course->live_version, 1);
  EXPECT_EQ(content_.GetCourse("algebra")->lessons[0].exercises[0].prompt.markdown, "First\n");

  // Unpublishing that cannot remove the content keeps the course live too.
  Result<store::AuthoredCourse> unpublished = publisher_.Unpublish("algebra");
  ASSERT_FALSE(unpublished.ok());
  EXPECT_EQ(authoring_.GetCourse("algebra")->live_version, 1);

  content_.fail_writes = false;
  draft = authoring_.GetDraft("algebra");
  published = publisher_.PublishDraft(*draft, "usr_owner");
  ASSERT_TRUE(published.ok()) << published.error().message;
  // Nothing new since version 2: it is made live, not repeated.
  EXPECT_FALSE(published->new_version);
  EXPECT_EQ(published->course.live_version, 2);
  EXPECT_EQ(content_.GetCourse("algebra")->lessons[0].exercises[0].prompt.markdown, "Second\n");
}

TEST_F(AuthoringApiTest, ChangesNameTheRevisionTheyWereMadeFrom) {
  ASSERT_TRUE(authoring_.CreateCourse(Course("algebra", "P"), {"usr_owner"}, 1, std::nullopt).ok());
  http::Request request = As("usr_owner", domain::Role::kInstructor);
  request.method = http::Method::kPatch;
  request.path_params = {{"course", "algebra"}};
  request.headers.Set("Content-Type", "application/json");
  request.body = R"({"title": "Renamed"})";
  request.headers.Set("If-Match", "\"1\"");
  Result<http::Response> changed = api_.UpdateCourse(request);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->headers.Get("ETag"), "\"2\"");
  EXPECT_EQ(json::parse(changed->body).at("title").as_string(), "Renamed");

  Result<http::Response> stale = api_.UpdateCourse(request);  // still If-Match "1"
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  request.headers.Set("If-Match", "W/\"2\"");
  EXPECT_TRUE(api_.UpdateCourse(request).ok());
  request.headers.Set("If-Match", "*");
  EXPECT_TRUE(api_.UpdateCourse(request).ok());
  request.headers.Remove("If-Match");
  EXPECT_TRUE(api_.UpdateCourse(request).ok());
  EXPECT_EQ(authoring_.GetCourse("algebra")->revision, 5);
}

TEST_F(AuthoringApiTest, ADraftGoesOutAsABundleZipAndComesBackFromOne) {
  ASSERT_TRUE(authoring_.CreateCourse(Course("algebra", "P"), {"usr_owner"}, 1, std::nullopt).ok());
  http::Request request = As("usr_owner", domain::Role::kInstructor);
  request.path_params = {{"course", "algebra"}};
  Result<http::Response> download = api_.DownloadBundle(request);
  ASSERT_TRUE(download.ok()) << download.error().message;
  EXPECT_EQ(download->headers.Get("Content-Type"), "application/zip");
  EXPECT_EQ(download->headers.Get("Content-Disposition"), "attachment; filename=\"algebra.zip\"");
  EXPECT_EQ(download->headers.Get("ETag"), "\"1\"");
  Result<domain::Course> read = content::ReadBundleZip(download->body, "algebra.zip");
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->lessons[0].exercises[0].prompt.markdown, "P\n");

  // Another zip of the same course: it becomes the draft (not yet what learners see).
  request.method = http::Method::kPut;
  request.body = *content::WriteBundleZip(Course("algebra", "Uploaded"));
  request.headers.Set("If-Match", "\"1\"");
  Result<http::Response> uploaded = api_.UploadBundle(request);
  ASSERT_TRUE(uploaded.ok()) << uploaded.error().message;
  EXPECT_EQ(uploaded->headers.Get("ETag"), "\"2\"");
  EXPECT_EQ(authoring_.GetDraft("algebra")->content.lessons[0].exercises[0].prompt.markdown,
            "Uploaded\n");
  EXPECT_FALSE(content_.GetCourse("algebra").ok());
  // Stale, another course's zip, a broken one: refused, the draft unchanged.
  EXPECT_EQ(api_.UploadBundle(request).error().code, ErrorCode::kPreconditionFailed);
  request.headers.Remove("If-Match");
  request.body = *content::WriteBundleZip(Course("geometry", "G"));
  const Error other = api_.UploadBundle(request).error();
  EXPECT_EQ(other.code, ErrorCode::kInvalid);
  ASSERT_EQ(other.fields.size(), 1u);
  EXPECT_EQ(other.fields[0].field, "slug");
  request.body = "PK\x03\x04 not really";
  const Error broken = api_.UploadBundle(request).error();
  EXPECT_EQ(broken.code, ErrorCode::kInvalid);
  ASSERT_FALSE(broken.fields.empty());
  EXPECT_EQ(broken.fields[0].field, "algebra.zip:0");
  EXPECT_EQ(authoring_.GetCourse("algebra")->revision, 2);

  // Someone else's course does not exist for them, either way.
  http::Request stranger = As("usr_other", domain::Role::kInstructor);
  stranger.path_params = {{"course", "algebra"}};
  EXPECT_EQ(api_.DownloadBundle(stranger).error().code, ErrorCode::kNotFound);
  stranger.body = *content::WriteBundleZip(Course("algebra", "Mine now"));
  EXPECT_EQ(api_.UploadBundle(stranger).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace practica::api
