#include "authoring_store_contract.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "sample_content.h"

namespace practica::store {

void PrintTo(const AuthoredCourse& course, std::ostream* os) {
  *os << "{" << course.slug << " revision " << course.revision << ", latest "
      << course.latest_version << ", live "
      << (course.live_version ? std::to_string(*course.live_version) : "none")
      << ", published revision " << course.published_revision << ", " << course.owners.size()
      << " owners}";
}

namespace testing {

void PrintTo(const AuthoringStoreAdapter& adapter, std::ostream* os) { *os << adapter.name; }

std::string AuthoringAdapterName(const ::testing::TestParamInfo<AuthoringStoreAdapter>& info) {
  return info.param.name;
}

void AuthoringStoreContractTest::SetUp() {
  harness_ = GetParam().make_empty();
  ASSERT_NE(harness_, nullptr) << "the " << GetParam().name << " harness could not be built";
}

namespace {

constexpr int64_t kT0 = 1'700'000'000;

std::vector<std::string> Slugs(const std::vector<AuthoredCourse>& courses) {
  std::vector<std::string> slugs;
  for (const AuthoredCourse& course : courses) slugs.push_back(course.slug);
  return slugs;
}

// The exercise versions of every exercise in `course`, under made-up fingerprints derived from
// the exercise ids and `salt`.
std::vector<ExerciseVersion> VersionsOf(const domain::Course& course, const std::string& salt) {
  std::vector<ExerciseVersion> versions;
  for (const domain::Lesson& lesson : course.lessons) {
    for (const domain::Exercise& exercise : lesson.exercises) {
      std::string fingerprint = salt + exercise.id;
      fingerprint.resize(16, '0');
      versions.push_back({fingerprint, exercise, 0, 0});
    }
  }
  return versions;
}

Publication By(std::string user, int64_t at, std::string source = "publish") {
  Publication publication;
  publication.published_by = std::move(user);
  publication.published_at = at;
  publication.source = std::move(source);
  return publication;
}

TEST_P(AuthoringStoreContractTest, ACreatedCourseHasItsDraftAndOwnersAndNoVersion) {
  const domain::Course draft = FullCourse("statistics");
  Result<AuthoredCourse> created =
      store().CreateCourse(draft, {"usr_b", "usr_a", "usr_b"}, kT0, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->slug, "statistics");
  EXPECT_EQ(created->title, draft.title);
  EXPECT_EQ(created->owners, (std::vector<std::string>{"usr_a", "usr_b"}));
  EXPECT_EQ(created->revision, 1);
  EXPECT_EQ(created->latest_version, 0);
  EXPECT_FALSE(created->live_version);
  EXPECT_EQ(created->published_revision, 0);
  EXPECT_EQ(created->created_at, kT0);
  EXPECT_EQ(created->updated_at, kT0);
  EXPECT_TRUE(created->HasUnpublishedChanges());

  Result<AuthoredCourse> got = store().GetCourse("statistics");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, *created);
  Result<Draft> got_draft = store().GetDraft("statistics");
  ASSERT_TRUE(got_draft.ok()) << got_draft.error().message;
  EXPECT_EQ(got_draft->course, *created);
  EXPECT_EQ(got_draft->content, draft);
  Result<std::vector<VersionInfo>> versions = store().ListVersions("statistics");
  ASSERT_TRUE(versions.ok()) << versions.error().message;
  EXPECT_TRUE(versions->empty());
  EXPECT_TRUE(store().Ping().ok());
}

TEST_P(AuthoringStoreContractTest, ASlugIsCreatedOnce) {
  ASSERT_TRUE(store().CreateCourse(SmallCourse("alpha"), {"usr_a"}, kT0, std::nullopt).ok());
  Result<AuthoredCourse> again =
      store().CreateCourse(SmallCourse("alpha", 2), {"usr_b"}, kT0 + 1, std::nullopt);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  Result<Draft> kept = store().GetDraft("alpha");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->content, SmallCourse("alpha"));
  EXPECT_EQ(kept->course.owners, (std::vector<std::string>{"usr_a"}));
}

TEST_P(AuthoringStoreContractTest, BadDocumentsAreRefusedAndNothingIsStored) {
  domain::Course bad = SmallCourse("alpha", 2);
  bad.lessons[1].exercises[0].id = "Bad Id";
  Result<AuthoredCourse> created = store().CreateCourse(bad, {}, kT0, std::nullopt);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(store().GetCourse("alpha").error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(store().CreateCourse(SmallCourse("alpha", 2), {}, kT0, std::nullopt).ok());
  domain::Course duplicate = SmallCourse("alpha", 2);
  duplicate.lessons[1].exercises[0].id = "exercise-1";
  Result<AuthoredCourse> saved = store().SaveDraft("alpha", duplicate, 1, kT0 + 1);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, ErrorCode::kInvalid);
  // A document of another course.
  saved = store().SaveDraft("alpha", SmallCourse("beta"), 1, kT0 + 1);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, ErrorCode::kInvalid);
  Result<AuthoredCourse> published =
      store().Publish("alpha", SmallCourse("beta"), 1, false, By("usr_a", kT0 + 2));
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code, ErrorCode::kInvalid);
  Result<AuthoredCourse> course = store().GetCourse("alpha");
  ASSERT_TRUE(course.ok());
  EXPECT_EQ(course->revision, 1);
  EXPECT_EQ(course->latest_version, 0);
}

TEST_P(AuthoringStoreContractTest, MissingCoursesAreNotFound) {
  EXPECT_EQ(store().GetCourse("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetDraft("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().SaveDraft("nope", SmallCourse("nope"), 1, kT0).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().SetOwners("nope", {"usr_a"}, kT0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().Publish("nope", SmallCourse("nope"), 1, false, By("u", kT0)).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().SetLiveVersion("nope", std::nullopt, kT0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().ListVersions("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetVersion("nope", 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetExerciseVersion("nope", "0123456789abcdef").error().code,
            ErrorCode::kNotFound);
}

TEST_P(AuthoringStoreContractTest, SavingTheDraftMovesTheRevisionAndRefusesAStaleOne) {
  ASSERT_TRUE(store().CreateCourse(SmallCourse("alpha"), {"usr_a"}, kT0, std::nullopt).ok());
  domain::Course edited = SmallCourse("alpha", 3);
  edited.title = "Alpha, longer";
  Result<AuthoredCourse> saved = store().SaveDraft("alpha", edited, 1, kT0 + 10);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved->revision, 2);
  EXPECT_EQ(saved->title, "Alpha, longer");
  EXPECT_EQ(saved->updated_at, kT0 + 10);
  EXPECT_EQ(saved->created_at, kT0);

  // Another author saved revision 2 from revision 1 too: refused, and nothing changes.
  Result<AuthoredCourse> stale = store().SaveDraft("alpha", SmallCourse("alpha", 2), 1, kT0 + 11);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().type, kStaleRevision);
  // A revision from the future is no better.
  EXPECT_EQ(store().SaveDraft("alpha", SmallCourse("alpha", 2), 7, kT0).error().type,
            kStaleRevision);
  Result<Draft> draft = store().GetDraft("alpha");
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(draft->content, edited);
  EXPECT_EQ(draft->course.revision, 2);
}

TEST_P(AuthoringStoreContractTest, OwnersAreReplacedAndListedCoursesFollowThem) {
  for (const char* slug : {"echo", "alpha", "delta", "charlie", "bravo"}) {
    ASSERT_TRUE(store().CreateCourse(SmallCourse(slug), {"usr_admin"}, kT0, std::nullopt).ok());
  }
  ASSERT_TRUE(store().SetOwners("bravo", {"usr_x", "usr_admin"}, kT0 + 1).ok());
  Result<AuthoredCourse> delta = store().SetOwners("delta", {"usr_x"}, kT0 + 2);
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  EXPECT_EQ(delta->owners, (std::vector<std::string>{"usr_x"}));
  EXPECT_EQ(delta->revision, 1);
  EXPECT_EQ(delta->updated_at, kT0 + 2);

  // Everything, by slug, in pages.
  std::vector<std::string> seen;
  std::string cursor;
  for (int pages = 0;; ++pages) {
    ASSERT_LT(pages, 10) << "pagination does not end";
    Result<std::vector<AuthoredCourse>> page = store().ListCourses("", cursor, 2);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ASSERT_LE(page->size(), 2u);
    if (page->empty()) break;
    for (const AuthoredCourse& course : *page) seen.push_back(course.slug);
    cursor = page->back().slug;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));

  // One owner's.
  EXPECT_EQ(Slugs(*store().ListCourses("usr_x", "", 10)),
            (std::vector<std::string>{"bravo", "delta"}));
  EXPECT_EQ(Slugs(*store().ListCourses("usr_x", "bravo", 10)), (std::vector<std::string>{"delta"}));
  EXPECT_EQ(Slugs(*store().ListCourses("usr_x", "", 1)), (std::vector<std::string>{"bravo"}));
  EXPECT_EQ(Slugs(*store().ListCourses("usr_admin", "", 10)),
            (std::vector<std::string>{"alpha", "bravo", "charlie", "echo"}));
  EXPECT_TRUE(store().ListCourses("usr_nobody", "", 10)->empty());

  // Removing an owner takes the course off its list.
  ASSERT_TRUE(store().SetOwners("bravo", {}, kT0 + 3).ok());
  EXPECT_EQ(Slugs(*store().ListCourses("usr_x", "", 10)), (std::vector<std::string>{"delta"}));
  EXPECT_TRUE(store().GetCourse("bravo")->owners.empty());
  EXPECT_EQ(store().ListCourses("", "", 0).error().code, ErrorCode::kInvalid);
}

TEST_P(AuthoringStoreContractTest, PublishingAddsVersionsAndNeverRewritesThem) {
  const domain::Course v1 = SmallCourse("alpha", 2);
  ASSERT_TRUE(store().CreateCourse(v1, {"usr_a"}, kT0, std::nullopt).ok());
  Publication first = By("usr_a", kT0 + 100);
  first.exercises = VersionsOf(v1, "one");
  Result<AuthoredCourse> published = store().Publish("alpha", v1, 1, false, first);
  ASSERT_TRUE(published.ok()) << published.error().message;
  EXPECT_EQ(published->latest_version, 1);
  EXPECT_EQ(published->live_version, 1);
  EXPECT_EQ(published->revision, 1);
  EXPECT_EQ(published->published_revision, 1);
  EXPECT_FALSE(published->HasUnpublishedChanges());
  EXPECT_EQ(published->updated_at, kT0 + 100);

  // An edit, then version 2.
  domain::Course v2 = v1;
  v2.title = "Alpha 2";
  v2.lessons[0].exercises[0].prompt.markdown = "Changed.";
  ASSERT_TRUE(store().SaveDraft("alpha", v2, 1, kT0 + 200).ok());
  EXPECT_TRUE(store().GetCourse("alpha")->HasUnpublishedChanges());
  Publication second = By("usr_b", kT0 + 300);
  second.exercises = VersionsOf(v2, "two");
  published = store().Publish("alpha", v2, 2, false, second);
  ASSERT_TRUE(published.ok()) << published.error().message;
  EXPECT_EQ(published->latest_version, 2);
  EXPECT_EQ(published->live_version, 2);
  EXPECT_EQ(published->published_revision, 2);

  Result<domain::Course> got_v1 = store().GetVersion("alpha", 1);
  ASSERT_TRUE(got_v1.ok()) << got_v1.error().message;
  EXPECT_EQ(*got_v1, v1);
  Result<domain::Course> got_v2 = store().GetVersion("alpha", 2);
  ASSERT_TRUE(got_v2.ok()) << got_v2.error().message;
  EXPECT_EQ(*got_v2, v2);
  EXPECT_EQ(store().GetVersion("alpha", 3).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetVersion("alpha", 0).error().code, ErrorCode::kNotFound);

  Result<std::vector<VersionInfo>> versions = store().ListVersions("alpha");
  ASSERT_TRUE(versions.ok()) << versions.error().message;
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0], (VersionInfo{2, "usr_b", kT0 + 300, "publish", 2, "Alpha 2", 2, 2}));
  EXPECT_EQ((*versions)[1],
            (VersionInfo{1, "usr_a", kT0 + 100, "publish", 1, "Course alpha", 2, 2}));
}

TEST_P(AuthoringStoreContractTest, APublishFromAStaleRevisionRecordsNothing) {
  ASSERT_TRUE(store().CreateCourse(SmallCourse("alpha"), {}, kT0, std::nullopt).ok());
  ASSERT_TRUE(store().SaveDraft("alpha", SmallCourse("alpha", 2), 1, kT0 + 1).ok());
  Publication publication = By("usr_a", kT0 + 2);
  publication.exercises = VersionsOf(SmallCourse("alpha"), "stale");
  Result<AuthoredCourse> published =
      store().Publish("alpha", SmallCourse("alpha"), 1, false, publication);
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code, ErrorCode::kConflict);
  EXPECT_EQ(published.error().type, kStaleRevision);
  Result<AuthoredCourse> course = store().GetCourse("alpha");
  ASSERT_TRUE(course.ok());
  EXPECT_EQ(course->latest_version, 0);
  EXPECT_FALSE(course->live_version);
  EXPECT_TRUE(store().ListVersions("alpha")->empty());
  EXPECT_EQ(store().GetVersion("alpha", 1).error().code, ErrorCode::kNotFound);
}

TEST_P(AuthoringStoreContractTest, ARollbackPublishesOldContentAsANewVersionAndDraft) {
  const domain::Course v1 = SmallCourse("alpha", 1);
  const domain::Course v2 = SmallCourse("alpha", 3);
  ASSERT_TRUE(store().CreateCourse(v1, {}, kT0, By("", kT0, "import")).ok());
  ASSERT_TRUE(store().SaveDraft("alpha", v2, 1, kT0 + 1).ok());
  ASSERT_TRUE(store().Publish("alpha", v2, 2, false, By("usr_a", kT0 + 2)).ok());

  Result<AuthoredCourse> rolled = store().Publish("alpha", *store().GetVersion("alpha", 1), 2, true,
                                                  By("usr_a", kT0 + 3, "rollback"));
  ASSERT_TRUE(rolled.ok()) << rolled.error().message;
  EXPECT_EQ(rolled->latest_version, 3);
  EXPECT_EQ(rolled->live_version, 3);
  EXPECT_EQ(rolled->revision, 3);
  EXPECT_EQ(rolled->published_revision, 3);
  EXPECT_FALSE(rolled->HasUnpublishedChanges());
  EXPECT_EQ(store().GetDraft("alpha")->content, v1);
  EXPECT_EQ(*store().GetVersion("alpha", 3), v1);
  EXPECT_EQ(*store().GetVersion("alpha", 2), v2);
  Result<std::vector<VersionInfo>> versions = store().ListVersions("alpha");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].source, "rollback");
  EXPECT_EQ((*versions)[0].draft_revision, 3);
  EXPECT_EQ((*versions)[2].source, "import");
  EXPECT_EQ((*versions)[2].published_by, "");
}

TEST_P(AuthoringStoreContractTest, CreatingAPublishedCourseMakesVersionOneLive) {
  const domain::Course course = FullCourse("statistics");
  Publication adopt = By("", kT0, "adopt");
  adopt.exercises = VersionsOf(course, "adopt");
  Result<AuthoredCourse> created = store().CreateCourse(course, {}, kT0, adopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->revision, 1);
  EXPECT_EQ(created->latest_version, 1);
  EXPECT_EQ(created->live_version, 1);
  EXPECT_EQ(created->published_revision, 1);
  EXPECT_EQ(*store().GetCourse("statistics"), *created);
  EXPECT_EQ(*store().GetVersion("statistics", 1), course);
  Result<ExerciseVersion> exercise =
      store().GetExerciseVersion("statistics", adopt.exercises[3].fingerprint);
  ASSERT_TRUE(exercise.ok()) << exercise.error().message;
  EXPECT_EQ(exercise->exercise, adopt.exercises[3].exercise);
  EXPECT_EQ(exercise->first_version, 1);
  EXPECT_EQ(exercise->published_at, kT0);
}

TEST_P(AuthoringStoreContractTest, UnpublishingAndMakingAVersionLive) {
  ASSERT_TRUE(store().CreateCourse(SmallCourse("alpha"), {}, kT0, By("", kT0)).ok());
  ASSERT_TRUE(store().SaveDraft("alpha", SmallCourse("alpha", 2), 1, kT0 + 1).ok());
  ASSERT_TRUE(store().Publish("alpha", SmallCourse("alpha", 2), 2, false, By("u", kT0 + 2)).ok());

  Result<AuthoredCourse> off = store().SetLiveVersion("alpha", std::nullopt, kT0 + 3);
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->live_version);
  EXPECT_EQ(off->latest_version, 2);
  EXPECT_EQ(off->updated_at, kT0 + 3);
  EXPECT_FALSE(store().GetCourse("alpha")->live_version);

  Result<AuthoredCourse> on = store().SetLiveVersion("alpha", 1, kT0 + 4);
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_EQ(on->live_version, 1);
  EXPECT_EQ(store().GetCourse("alpha")->live_version, 1);
  EXPECT_EQ(store().SetLiveVersion("alpha", 3, kT0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().SetLiveVersion("alpha", 0, kT0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetCourse("alpha")->live_version, 1);
  // The versions themselves are untouched.
  EXPECT_EQ(store().ListVersions("alpha")->size(), 2u);
}

TEST_P(AuthoringStoreContractTest, ExerciseVersionsKeepTheFirstPublication) {
  domain::Course course = SmallCourse("alpha", 2);
  ASSERT_TRUE(store().CreateCourse(course, {}, kT0, std::nullopt).ok());
  Publication first = By("usr_a", kT0 + 10);
  first.exercises = VersionsOf(course, "same");
  ASSERT_TRUE(store().Publish("alpha", course, 1, false, first).ok());

  // Version 2 publishes exercise-1 unchanged (same fingerprint) and exercise-2 edited.
  course.lessons[1].exercises[0].prompt.markdown = "Edited";
  ASSERT_TRUE(store().SaveDraft("alpha", course, 1, kT0 + 20).ok());
  Publication second = By("usr_a", kT0 + 30);
  second.exercises = VersionsOf(course, "same");
  second.exercises[1].fingerprint = "edited0000000000";
  ASSERT_TRUE(store().Publish("alpha", course, 2, false, second).ok());

  Result<ExerciseVersion> kept =
      store().GetExerciseVersion("alpha", first.exercises[1].fingerprint);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->exercise, first.exercises[1].exercise);
  EXPECT_EQ(kept->first_version, 1);
  EXPECT_EQ(kept->published_at, kT0 + 10);
  Result<ExerciseVersion> same =
      store().GetExerciseVersion("alpha", first.exercises[0].fingerprint);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->first_version, 1);
  Result<ExerciseVersion> edited = store().GetExerciseVersion("alpha", "edited0000000000");
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(edited->exercise.prompt.markdown, "Edited");
  EXPECT_EQ(edited->first_version, 2);
  EXPECT_EQ(edited->fingerprint, "edited0000000000");
  EXPECT_EQ(store().GetExerciseVersion("alpha", "ffffffffffffffff").error().code,
            ErrorCode::kNotFound);
}

// A course bigger than one DynamoDB item (400 KB), with multi-byte characters everywhere, so an
// adapter that splits documents must split on character boundaries.
TEST_P(AuthoringStoreContractTest, LargeDocumentsRoundTrip) {
  domain::Course course = FullCourse("big");
  std::string text;
  while (text.size() < 900 * 1024)
    text += "Ünïcödé ✓ 日本語 text, line " + std::to_string(text.size()) + "\n";
  course.lessons[2].blocks[0].text = {text, "<p>" + text + "</p>"};
  ASSERT_TRUE(store().CreateCourse(course, {"usr_a"}, kT0, By("usr_a", kT0)).ok());
  Result<Draft> draft = store().GetDraft("big");
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  EXPECT_EQ(draft->content, course);
  Result<domain::Course> version = store().GetVersion("big", 1);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, course);

  course.title = "Bigger";
  course.lessons[3].blocks.push_back({domain::LessonBlock::Kind::kMarkdown, {text, text}, ""});
  ASSERT_TRUE(store().SaveDraft("big", course, 1, kT0 + 1).ok());
  draft = store().GetDraft("big");
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  EXPECT_EQ(draft->content, course);
  EXPECT_EQ(draft->course.revision, 2);
}

// Writers race on one draft, each reading, changing and saving from the revision it read; every
// save that succeeded must be one revision, and none may be lost.
TEST_P(AuthoringStoreContractTest, RacingSavesNeverLoseAnAcknowledgedChange) {
  constexpr int kWriters = 3;
  constexpr int kSavesEach = 6;
  domain::Course initial = SmallCourse("race");
  initial.tags.clear();
  ASSERT_TRUE(store().CreateCourse(initial, {}, kT0, std::nullopt).ok());
  std::atomic<int> saved{0};
  std::atomic<int> errors{0};
  auto writer = [&](int w) {
    int mine = 0;
    for (int attempt = 0; mine < kSavesEach && attempt < 200; ++attempt) {
      Result<Draft> draft = store().GetDraft("race");
      if (!draft.ok()) {
        ++errors;
        return;
      }
      domain::Course next = draft->content;
      next.tags.push_back("w" + std::to_string(w) + "-" + std::to_string(mine));
      Result<AuthoredCourse> done =
          store().SaveDraft("race", next, draft->course.revision, kT0 + attempt);
      if (done.ok()) {
        ++mine;
        ++saved;
      } else if (done.error().type != kStaleRevision) {
        ++errors;
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) threads.emplace_back(writer, w);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(saved.load(), kWriters * kSavesEach);
  Result<Draft> final_draft = store().GetDraft("race");
  ASSERT_TRUE(final_draft.ok());
  EXPECT_EQ(final_draft->course.revision, 1 + kWriters * kSavesEach);
  EXPECT_EQ(final_draft->content.tags.size(), static_cast<size_t>(kWriters * kSavesEach));
}

}  // namespace
}  // namespace testing
}  // namespace practica::store
