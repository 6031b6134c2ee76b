// ContentStore on a DynamoDB table (table.h; docs/DATA.md, "Content").
//
// Items (pk / sk):
//   CATALOG / #VERSION                 n: the content version (ContentVersion), bumped per change
//   CATALOG / COURSE#{slug}            the course's summary, its outline (lessons and their
//                                      exercise counts, as JSON) and `revision`, the id of the
//                                      content that is current
//   CONTENT#{slug}#{revision} / LESSON#{position, 4 digits}
//                                      one lesson: slug, title, file name, blocks and its
//                                      exercises (the codec's JSON, exercise_codec.h)
//   CONTENT#{slug}#{revision} / EXERCISE#{id}
//                                      one exercise (codec JSON) and its lesson's position
//
// PutCourse writes the new revision's lesson and exercise items first (BatchWriteItem), then
// swaps the course item to the new revision with one conditional PutItem (on the revision it
// read), then deletes the old revision's items and bumps the version. Readers go through the
// course item, so they see the old course or the new one, never a mix; a PutCourse that fails
// before the swap leaves the course as it was (its half-written revision is deleted, or left
// unreferenced if even that fails). Two PutCourse calls on one course at once: the later swap
// wins, as with SQLite. DeleteCourse deletes the course item (conditional on the revision it
// read, so a concurrent swap is deleted on the next round), then the revision's items, and bumps
// the version.
//
// Read costs (eventually consistent unless said): ListCourses one Query; GetCourseOutline one
// GetItem; GetLesson and GetExercise two GetItems (course item, then the lesson or exercise);
// GetCourse a GetItem and a Query; ContentVersion one GetItem; CountCourses one Query (COUNT).
// Every read is strongly consistent, so a PutCourse is visible at once to the next call. A reader
// that finds its revision gone (replaced and deleted after it read the course item) reads the
// course item again, so it still returns the old course or the new one.
#pragma once

#include <memory>
#include <string>

#include "aws/dynamodb.h"
#include "store/content_store.h"

namespace practica::store::dynamodb {

class DynamoDbContentStore final : public ContentStore {
 public:
  // Checks that the table exists and is practica's (table.h: kUnavailable otherwise).
  static Result<std::unique_ptr<DynamoDbContentStore>> Open(
      std::shared_ptr<aws::dynamodb::Client> client, std::string table);

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
  DynamoDbContentStore(std::shared_ptr<aws::dynamodb::Client> client, std::string table)
      : client_(std::move(client)), table_(std::move(table)) {}
  // Best effort: the items of a revision no course item points at any more (logged on failure).
  void DeleteRevision(std::string_view slug, std::string_view revision);
  Status BumpVersion();

  std::shared_ptr<aws::dynamodb::Client> client_;
  std::string table_;
};

}  // namespace practica::store::dynamodb
