#include "content_store_contract.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sample_content.h"

namespace practica::store::testing {

void PrintTo(const ContentStoreAdapter& adapter, std::ostream* os) { *os << adapter.name; }

std::string AdapterName(const ::testing::TestParamInfo<ContentStoreAdapter>& info) {
  return info.param.name;
}

void ContentStoreContractTest::SetUp() {
  harness_ = GetParam().make_empty();
  ASSERT_NE(harness_, nullptr) << "the " << GetParam().name << " harness could not be built";
}

namespace {

using domain::Course;
using domain::Exercise;
using domain::Lesson;

CourseSummary SummaryOf(const Course& course) {
  int lesson_count = static_cast<int>(course.lessons.size());
  return {course.slug, course.title, course.summary,        course.language,
          course.tags, lesson_count, course.ExerciseCount()};
}

std::vector<LessonOutline> OutlineOf(const Course& course) {
  std::vector<LessonOutline> outline;
  for (const Lesson& lesson : course.lessons) {
    outline.push_back({lesson.slug, lesson.title, static_cast<int>(lesson.exercises.size())});
  }
  return outline;
}

// Checks every read of the port against `course`.
void ExpectStored(ContentStore& store, const Course& course) {
  SCOPED_TRACE("course " + course.slug);
  Result<Course> got = store.GetCourse(course.slug);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, course);

  Result<CourseOutline> outline = store.GetCourseOutline(course.slug);
  ASSERT_TRUE(outline.ok()) << outline.error().message;
  EXPECT_EQ(outline->course, SummaryOf(course));
  EXPECT_EQ(outline->lessons, OutlineOf(course));

  for (const Lesson& lesson : course.lessons) {
    Result<Lesson> got_lesson = store.GetLesson(course.slug, lesson.slug);
    ASSERT_TRUE(got_lesson.ok()) << got_lesson.error().message;
    EXPECT_EQ(*got_lesson, lesson);
    for (const Exercise& exercise : lesson.exercises) {
      Result<Exercise> got_exercise = store.GetExercise(course.slug, exercise.id);
      ASSERT_TRUE(got_exercise.ok()) << got_exercise.error().message;
      EXPECT_EQ(*got_exercise, exercise);
    }
  }
}

std::vector<std::string> Slugs(const std::vector<CourseSummary>& summaries) {
  std::vector<std::string> slugs;
  for (const CourseSummary& summary : summaries) slugs.push_back(summary.slug);
  return slugs;
}

TEST_P(ContentStoreContractTest, EmptyStore) {
  Result<int64_t> count = store().CountCourses();
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(*count, 0);
  Result<std::vector<CourseSummary>> list = store().ListCourses("", 10);
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_TRUE(list->empty());
  EXPECT_TRUE(store().ContentVersion().ok());
  EXPECT_TRUE(store().Ping().ok());
}

TEST_P(ContentStoreContractTest, PutThenGetReturnsEveryTypeAndField) {
  const Course course = FullCourse("statistics");
  ASSERT_EQ(course.ExerciseCount(), domain::kExerciseTypeCount);
  Status put = store().PutCourse(course);
  ASSERT_TRUE(put.ok()) << put.error().message;

  ExpectStored(store(), course);
  Result<std::vector<CourseSummary>> list = store().ListCourses("", 10);
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front(), SummaryOf(course));
  EXPECT_EQ(list->front().lesson_count, 4);
  EXPECT_EQ(list->front().exercise_count, domain::kExerciseTypeCount);
  Result<int64_t> count = store().CountCourses();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
}

TEST_P(ContentStoreContractTest, ReplaceRemovesOldLessonsAndExercises) {
  ASSERT_TRUE(store().PutCourse(FullCourse("statistics")).ok());
  Course replacement = SmallCourse("statistics", 2);
  replacement.title = "Statistics, shorter";
  replacement.tags.clear();
  Status put = store().PutCourse(replacement);
  ASSERT_TRUE(put.ok()) << put.error().message;

  ExpectStored(store(), replacement);
  EXPECT_EQ(store().GetLesson("statistics", "lesson-3").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetLesson("statistics", "lesson-4").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetExercise("statistics", "formula").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetExercise("statistics", "single-choice").error().code, ErrorCode::kNotFound);
  Result<std::vector<CourseSummary>> list = store().ListCourses("", 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front(), SummaryOf(replacement));
  EXPECT_EQ(*store().CountCourses(), 1);
}

TEST_P(ContentStoreContractTest, ReplacingMovesAnExerciseBetweenLessons) {
  Course course = SmallCourse("moves", 2);
  ASSERT_TRUE(store().PutCourse(course).ok());
  // exercise-1 moves from lesson-1 to lesson-2, in front of exercise-2.
  Exercise moved = course.lessons[0].exercises[0];
  course.lessons[0].exercises.clear();
  course.lessons[0].blocks.pop_back();
  course.lessons[1].exercises.insert(course.lessons[1].exercises.begin(), moved);
  course.lessons[1].blocks.push_back({domain::LessonBlock::Kind::kExercise, {}, moved.id});
  Status put = store().PutCourse(course);
  ASSERT_TRUE(put.ok()) << put.error().message;
  ExpectStored(store(), course);
}

TEST_P(ContentStoreContractTest, PutLeavesOtherCoursesAlone) {
  const Course other = FullCourse("other");
  ASSERT_TRUE(store().PutCourse(other).ok());
  ASSERT_TRUE(store().PutCourse(FullCourse("statistics")).ok());
  ASSERT_TRUE(store().PutCourse(SmallCourse("statistics", 1)).ok());
  ExpectStored(store(), other);
  // Exercise ids are unique per course, not globally.
  EXPECT_TRUE(store().GetExercise("other", "formula").ok());
  EXPECT_EQ(store().GetExercise("statistics", "formula").error().code, ErrorCode::kNotFound);
}

TEST_P(ContentStoreContractTest, ListCoursesPagesBySlug) {
  for (const char* slug : {"echo", "alpha", "delta", "charlie", "bravo"}) {
    ASSERT_TRUE(store().PutCourse(SmallCourse(slug, 2)).ok());
  }
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  while (true) {
    Result<std::vector<CourseSummary>> page = store().ListCourses(cursor, 2);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ASSERT_LE(page->size(), 2u);
    if (page->empty()) break;
    for (const CourseSummary& summary : *page) {
      EXPECT_EQ(summary.lesson_count, 2);
      EXPECT_EQ(summary.exercise_count, 2);
      seen.push_back(summary.slug);
    }
    cursor = page->back().slug;
    ASSERT_LT(++pages, 10) << "pagination does not end";
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));
  EXPECT_EQ(pages, 3);

  // The cursor need not name an existing course; the end of the list is an empty page.
  EXPECT_EQ(Slugs(*store().ListCourses("b", 2)), (std::vector<std::string>{"bravo", "charlie"}));
  EXPECT_EQ(Slugs(*store().ListCourses("bravo", 100)),
            (std::vector<std::string>{"charlie", "delta", "echo"}));
  EXPECT_TRUE(store().ListCourses("echo", 2)->empty());
  EXPECT_TRUE(store().ListCourses("zulu", 2)->empty());
  EXPECT_EQ(Slugs(*store().ListCourses("", 1)), (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(*store().CountCourses(), 5);
}

TEST_P(ContentStoreContractTest, DeleteRemovesTheCourseAndLeavesOthersAlone) {
  const Course other = SmallCourse("other", 2);
  ASSERT_TRUE(store().PutCourse(other).ok());
  ASSERT_TRUE(store().PutCourse(FullCourse("statistics")).ok());
  const int64_t before = *store().ContentVersion();

  Status deleted = store().DeleteCourse("statistics");
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_NE(*store().ContentVersion(), before);
  EXPECT_EQ(store().GetCourse("statistics").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetCourseOutline("statistics").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetLesson("statistics", "lesson-1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetExercise("statistics", "formula").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Slugs(*store().ListCourses("", 10)), (std::vector<std::string>{"other"}));
  EXPECT_EQ(*store().CountCourses(), 1);
  ExpectStored(store(), other);

  // Gone is gone: a second delete, or one of a course that never was, finds nothing.
  const int64_t after = *store().ContentVersion();
  EXPECT_EQ(store().DeleteCourse("statistics").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteCourse("never").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*store().ContentVersion(), after);

  // Putting it again brings it back whole (publishing after unpublishing).
  const Course again = SmallCourse("statistics", 3);
  ASSERT_TRUE(store().PutCourse(again).ok());
  ExpectStored(store(), again);
  EXPECT_EQ(*store().CountCourses(), 2);
}

TEST_P(ContentStoreContractTest, ListCoursesRejectsANonPositiveLimit) {
  ASSERT_TRUE(store().PutCourse(SmallCourse("alpha")).ok());
  EXPECT_EQ(store().ListCourses("", 0).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(store().ListCourses("", -1).error().code, ErrorCode::kInvalid);
}

TEST_P(ContentStoreContractTest, MissingThingsAreNotFound) {
  EXPECT_EQ(store().GetCourse("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetCourseOutline("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetLesson("nope", "lesson-1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetExercise("nope", "exercise-1").error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(store().PutCourse(SmallCourse("alpha", 1)).ok());
  EXPECT_EQ(store().GetCourse("alph").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetLesson("alpha", "lesson-2").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetLesson("alpha", "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetExercise("alpha", "exercise-2").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetExercise("beta", "exercise-1").error().code, ErrorCode::kNotFound);
  // A lesson slug is not an exercise id and vice versa.
  EXPECT_EQ(store().GetExercise("alpha", "lesson-1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetLesson("alpha", "exercise-1").error().code, ErrorCode::kNotFound);
}

TEST_P(ContentStoreContractTest, ContentVersionChangesOnEveryPut) {
  Result<int64_t> before = store().ContentVersion();
  ASSERT_TRUE(before.ok()) << before.error().message;
  ASSERT_TRUE(store().PutCourse(SmallCourse("alpha")).ok());
  Result<int64_t> after_first = store().ContentVersion();
  ASSERT_TRUE(after_first.ok());
  EXPECT_NE(*after_first, *before);
  // Reading does not change it.
  ASSERT_TRUE(store().GetCourse("alpha").ok());
  EXPECT_EQ(*store().ContentVersion(), *after_first);
  // Replacing a course, even with the same content, does.
  ASSERT_TRUE(store().PutCourse(SmallCourse("alpha")).ok());
  Result<int64_t> after_second = store().ContentVersion();
  ASSERT_TRUE(after_second.ok());
  EXPECT_NE(*after_second, *after_first);
  ASSERT_TRUE(store().PutCourse(SmallCourse("beta")).ok());
  EXPECT_NE(*store().ContentVersion(), *after_second);
}

TEST_P(ContentStoreContractTest, InvalidIdsAreRejectedAndNothingIsStored) {
  Course bad_slug = SmallCourse("Not A Slug");
  Status put = store().PutCourse(bad_slug);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kInvalid);

  Course bad_ids = SmallCourse("alpha", 2);
  bad_ids.lessons[0].slug = "";
  bad_ids.lessons[1].exercises[0].id = "Exercise_2";
  put = store().PutCourse(bad_ids);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(put.error().fields.size(), 2u);
  EXPECT_EQ(put.error().fields[0].field, "lessons[0].slug");
  EXPECT_EQ(put.error().fields[1].field, "lessons[1].exercises[0].id");

  EXPECT_EQ(*store().CountCourses(), 0);
}

TEST_P(ContentStoreContractTest, DuplicateIdsConflictAndKeepThePreviousCourse) {
  const Course previous = FullCourse("statistics");
  ASSERT_TRUE(store().PutCourse(previous).ok());

  // The same exercise id in two lessons of one course.
  Course duplicate_exercise = SmallCourse("statistics", 3);
  duplicate_exercise.lessons[2].exercises[0].id = "exercise-1";
  Status put = store().PutCourse(duplicate_exercise);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kConflict) << put.error().message;
  ExpectStored(store(), previous);

  Course duplicate_lesson = SmallCourse("statistics", 3);
  duplicate_lesson.lessons[2].slug = "lesson-1";
  put = store().PutCourse(duplicate_lesson);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kConflict) << put.error().message;
  ExpectStored(store(), previous);

  // A new course that fails is not created either.
  Course new_and_broken = SmallCourse("brand-new", 2);
  new_and_broken.lessons[1].exercises[0].id = "exercise-1";
  ASSERT_FALSE(store().PutCourse(new_and_broken).ok());
  EXPECT_EQ(store().GetCourse("brand-new").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*store().CountCourses(), 1);
}

// The course a writer puts in round `generation`: even rounds have four lessons, odd rounds two,
// and every title, prompt and Markdown block names its round. A reader that mixed two rounds
// would see a mismatch in either the text or the counts.
Course Round(int generation) {
  Course course = FullCourse("live", generation);
  if (generation % 2 == 1) course.lessons.resize(2);
  return course;
}

// The round a value came from, read from the "(generation N)" its text carries.
int GenerationIn(const std::string& text) {
  const std::string marker = "(generation ";
  const size_t at = text.rfind(marker);
  if (at == std::string::npos) return -1;
  return std::stoi(text.substr(at + marker.size()));
}

TEST_P(ContentStoreContractTest, ConcurrentReadersSeeTheOldOrTheNewCourseNeverAMix) {
  constexpr int kRounds = 24;
  constexpr int kReaders = 3;
  ASSERT_TRUE(store().PutCourse(Round(0)).ok());

  std::atomic<bool> writing{true};
  std::mutex problems_mutex;
  std::vector<std::string> problems;
  auto report = [&](const std::string& problem) {
    std::lock_guard lock(problems_mutex);
    if (problems.size() < 10) problems.push_back(problem);
  };

  auto read_loop = [&](int reader) {
    int reads = 0;
    while (writing.load() || reads < 3) {
      ++reads;
      switch ((reads + reader) % 4) {
        case 0: {
          Result<Course> course = store().GetCourse("live");
          if (!course.ok()) return report("GetCourse: " + course.error().message);
          if (*course != Round(GenerationIn(course->title))) {
            report("GetCourse mixed rounds; title " + course->title);
          }
          break;
        }
        case 1: {
          Result<Lesson> lesson = store().GetLesson("live", "lesson-1");
          if (!lesson.ok()) return report("GetLesson: " + lesson.error().message);
          if (*lesson != Round(GenerationIn(lesson->title)).lessons[0]) {
            report("GetLesson mixed rounds; title " + lesson->title);
          }
          break;
        }
        case 2: {
          Result<CourseOutline> outline = store().GetCourseOutline("live");
          if (!outline.ok()) return report("GetCourseOutline: " + outline.error().message);
          const Course expected = Round(GenerationIn(outline->course.title));
          if (outline->course != SummaryOf(expected) || outline->lessons != OutlineOf(expected)) {
            report("GetCourseOutline mixed rounds; title " + outline->course.title);
          }
          break;
        }
        default: {
          Result<std::vector<CourseSummary>> list = store().ListCourses("", 10);
          if (!list.ok()) return report("ListCourses: " + list.error().message);
          if (list->size() != 1) return report("ListCourses: expected one course");
          if (list->front() != SummaryOf(Round(GenerationIn(list->front().title)))) {
            report("ListCourses mixed rounds; title " + list->front().title);
          }
          break;
        }
      }
    }
  };

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) readers.emplace_back(read_loop, r);
  for (int generation = 1; generation <= kRounds; ++generation) {
    Status put = store().PutCourse(Round(generation));
    if (!put.ok()) report("PutCourse: " + put.error().message);
  }
  writing.store(false);
  for (std::thread& reader : readers) reader.join();

  for (const std::string& problem : problems) ADD_FAILURE() << problem;
  ExpectStored(store(), Round(kRounds));
}

}  // namespace
}  // namespace practica::store::testing
