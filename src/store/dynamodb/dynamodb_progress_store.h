// ProgressStore on a DynamoDB table (table.h; docs/DATA.md, "Progress").
//
// Items (pk / sk), all of one learner in one partition:
//   LEARNER#{user} / EX#{course}#{exercise}
//       the learner's state on the exercise (attempts, best score, solved, hints, the review
//       card), `ver` (bumped by every write: optimistic concurrency), and `log`, every attempt on
//       the exercise with, for an attempt sent with an Idempotency-Key, the key, the request hash
//       and the stored response. With a card it also carries gsi1pk = DUE#{user} and
//       gsi1sk = {due, 20 digits}#{course}#{exercise}: the "due" index lists cards by due time.
//   LEARNER#{user} / TOTALS
//       XP, the streak, `ver`, and `keys`: the learner's idempotency keys, each with its request
//       hash, the exercise item holding its response, and its time
//   CONFIG / KEYS
//       forget_before: keys older than this are forgotten (ForgetIdempotencyKeys)
//
// SubmitAttempt: one BatchGetItem (strongly consistent) reads the exercise item, the totals
// item and CONFIG/KEYS. The attempt is then one conditional PutItem of the exercise item, on the
// `ver` it read: the attempt, the new state, the key and the response are written together, and
// a concurrent attempt on the same exercise makes this one read and plan again, so the attempt
// limit holds. XP and the streak are derived (they can be rebuilt from the exercise items) and
// follow in a second conditional write of the totals item, which is re-planned on a conflict;
// if that write keeps failing the attempt still stands and the failure is logged. So an attempt
// costs one read and two writes; putting the totals in the exercise item would need a
// transaction (double the cost, and dynalite has none), and putting every exercise in the
// totals item would cap a learner at what 400 KB holds.
//
// Idempotency: a key is found in the totals item (any exercise: a key reused for another
// exercise is kIdempotencyKeyReused) or, should the totals write have failed, in the exercise
// item's log. Attempt ids are the caller's (a time and 80 random bits); unlike SQLite this adapter
// does not look for a taken id across learners, which would cost a write per attempt.
//
// The calls block on the network, so SubmitAttempt runs on this adapter's own worker threads and
// `done` is called there; the other methods block their caller.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aws/dynamodb.h"
#include "store/analytics_ingest.h"
#include "store/progress_store.h"

namespace practica::store::dynamodb {

struct LoggedAttempt;  // one attempt as its exercise item's log holds it

// The attempts in an item image of the table (a DynamoDB Streams record's NewImage): every
// attempt in the log of a learner's exercise item, none for any other item. The log holds every
// attempt on the exercise, so ingesting each image whole is idempotent by attempt id, and a
// lost or repeated stream record costs nothing.
std::vector<StoredAttempt> AttemptsInImage(const aws::dynamodb::Item& image);

class DynamoDbProgressStore final : public ProgressStore {
 public:
  struct Options {
    int workers = 16;       // threads running SubmitAttempt (each mostly waits on DynamoDB)
    int max_queued = 4096;  // attempts waiting at most; more are refused with kUnavailable
  };

  // Checks that the table exists and is practica's (table.h: kUnavailable otherwise).
  static Result<std::unique_ptr<DynamoDbProgressStore>> Open(
      std::shared_ptr<aws::dynamodb::Client> client, std::string table, Options options);

  ~DynamoDbProgressStore() override;  // finishes every queued attempt, then joins the workers

  void SubmitAttempt(AttemptRequest request, PlanFn plan, RenderFn render,
                     AttemptDone done) override;
  Result<int> RecordHint(std::string_view user_id, std::string_view course, std::string_view lesson,
                         std::string_view exercise, int hint_count) override;
  Result<ExerciseState> GetExerciseState(std::string_view user_id, std::string_view course,
                                         std::string_view exercise) override;
  Result<std::vector<ExerciseProgressRow>> GetCourseProgress(std::string_view user_id,
                                                             std::string_view course) override;
  Result<std::vector<std::string>> ListCourses(std::string_view user_id) override;
  Result<LearnerTotals> GetTotals(std::string_view user_id) override;
  Result<std::vector<DueCard>> DueCards(std::string_view user_id, int64_t now, int limit) override;
  Status SaveCard(std::string_view user_id, std::string_view course, std::string_view exercise,
                  const domain::Card& card) override;
  Result<std::vector<AttemptRecord>> ListAttempts(std::string_view user_id,
                                                  std::string_view course) override;
  Status DeleteLearner(std::string_view user_id) override;
  Status ForgetIdempotencyKeys(int64_t before) override;
  Status Ping() override;

 private:
  struct Job {
    AttemptRequest request;
    PlanFn plan;
    RenderFn render;
    AttemptDone done;
  };

  DynamoDbProgressStore(std::shared_ptr<aws::dynamodb::Client> client, std::string table,
                        Options options);
  void Work();
  Result<AttemptOutcome> Submit(const Job& job);
  // Writes the learner's totals for a stored attempt, unless they counted it already; `planned`
  // holds the totals PlanFn gave for `totals`, when it was asked already.
  void CountInTotals(const Job& job, const std::string& pk, const std::string& sk,
                     const LoggedAttempt& attempt, std::optional<aws::dynamodb::Item> totals,
                     int64_t forget_before, std::optional<LearnerTotals> planned = std::nullopt);

  std::shared_ptr<aws::dynamodb::Client> client_;
  const std::string table_;
  const Options options_;

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace practica::store::dynamodb
