// The xAPI feed: the attempt events analytics records, turned into statements, and where they go.
//
// It is a second consumer of the same events (store/analytics_ingest.h makes them, once): on a
// single node the AnalyticsRecorder hands it each batch it wrote (OutboxFollower, which queues
// the statements in the outbox), in AWS the DynamoDB Streams ingest hands it each stream batch
// after analytics took it (DeliverNow, which sends them at once). Either way the request that
// made the attempt never waits for it.
//
// Completions (xapi/completion.h) need to know what else the learner has solved: for each
// learner and course with a solving attempt in the batch, one ProgressStore::GetCourseProgress
// read — none once both the lesson and the course are known to be complete (remembered in memory;
// after a restart a completion may be sent again, with the same id, which the LRS keeps once).
// The completion's moment is that of the learner's last solving attempt in the batch.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/analytics_recorder.h"
#include "store/progress_store.h"
#include "xapi/lrs_client.h"
#include "xapi/outbox.h"
#include "xapi/statement.h"

namespace practica::xapi {

class Feed {
 public:
  // The course's content, or null when it is gone. Called for each course of a batch, so it
  // should be a cache (api::CourseIndex).
  using CourseLookup =
      std::function<std::shared_ptr<const domain::Course>(std::string_view course)>;

  // `progress` may be null: then no "completed" statements.
  Feed(const StatementBuilder& builder, CourseLookup courses, store::ProgressStore* progress)
      : builder_(builder), courses_(std::move(courses)), progress_(progress) {}

  // "answered" for each attempt of the batch, in order (an attempt the batch repeats, once),
  // then the lessons and courses they completed. Thread-safe.
  std::vector<Statement> StatementsFor(const store::EventBatch& batch);
  // Forgets what it remembers of the learner (completions already sent).
  void ForgetLearner(std::string_view user_id);

 private:
  std::shared_ptr<const CourseOutline> Outline(std::string_view course);
  // True the first time for (user, activity): the completion is news.
  bool FirstCompletion(const std::string& user_id, const std::string& activity);
  bool KnownCompletion(const std::string& user_id, const std::string& activity);

  const StatementBuilder& builder_;
  const CourseLookup courses_;
  store::ProgressStore* const progress_;

  std::mutex mutex_;
  // By course: the content last seen and its outline.
  std::map<std::string,
           std::pair<std::shared_ptr<const domain::Course>, std::shared_ptr<const CourseOutline>>,
           std::less<>>
      outlines_;
  std::set<std::pair<std::string, std::string>> completed_;  // (user, activity IRI)
};

// Single node: the analytics recorder's follower that queues each batch's statements in the
// outbox, and forgets a deleted learner's queued ones.
class OutboxFollower final : public store::RecordedEventsFollower {
 public:
  OutboxFollower(Feed& feed, Outbox& outbox) : feed_(feed), outbox_(outbox) {}
  // Fails when the outbox cannot queue the statements; the recorder then retries the batch
  // (statements are queued once by their ids).
  Status Recorded(const store::EventBatch& batch) override;
  Status ForgetLearner(std::string_view user_id) override;

 private:
  Feed& feed_;
  Outbox& outbox_;
};

// AWS: sends a Streams batch's statements at once, `max_batch` to a request. The stream is the
// outbox there (a Lambda process may be frozen or ended between invocations, so nothing can wait
// on a disk): Ok once the LRS has stored or refused every statement; kUnavailable when it could
// not take them now, so the invocation fails and Lambda delivers the batch again.
Status DeliverNow(Feed& feed, LrsClient& lrs, const store::EventBatch& batch,
                  size_t max_batch = 100);

}  // namespace practica::xapi
