#include "xapi/feed.h"

#include <algorithm>

#include "common/log.h"
#include "xapi/completion.h"

namespace practica::xapi {

std::shared_ptr<const CourseOutline> Feed::Outline(std::string_view course) {
  std::shared_ptr<const domain::Course> content = courses_(course);
  if (content == nullptr) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = outlines_.find(course);
  if (it != outlines_.end() && it->second.first == content) return it->second.second;
  auto outline = std::make_shared<const CourseOutline>(content);
  outlines_.insert_or_assign(std::string(course), std::make_pair(content, outline));
  return outline;
}

bool Feed::KnownCompletion(const std::string& user_id, const std::string& activity) {
  std::lock_guard lock(mutex_);
  return completed_.contains({user_id, activity});
}

bool Feed::FirstCompletion(const std::string& user_id, const std::string& activity) {
  std::lock_guard lock(mutex_);
  if (completed_.size() > 100'000) completed_.clear();  // a bound: a repeat costs a resend
  return completed_.emplace(user_id, activity).second;
}

void Feed::ForgetLearner(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(completed_, [&](const auto& entry) { return entry.first == user_id; });
}

std::vector<Statement> Feed::StatementsFor(const store::EventBatch& batch) {
  std::vector<Statement> statements;
  // The learner's solving attempts in the batch, by course: what may complete something.
  std::map<std::pair<std::string, std::string>, std::vector<const store::AttemptEvent*>> solving;
  std::map<std::string, std::shared_ptr<const CourseOutline>, std::less<>> outlines;
  // A Streams batch holds an exercise item's whole log in each of its records: the same attempt
  // comes several times, and an LRS refuses a batch that repeats a statement id.
  std::set<std::string_view> seen;
  for (const store::AttemptEvent& attempt : batch.attempts) {
    if (!seen.insert(attempt.event_id).second) continue;
    auto [it, fresh] = outlines.try_emplace(attempt.course);
    if (fresh) it->second = Outline(attempt.course);
    const CourseOutline* outline = it->second.get();
    statements.push_back(builder_.Answered(attempt, outline));
    if (progress_ != nullptr && outline != nullptr && Solves(attempt, outline) &&
        outline->FindExercise(attempt.exercise) != nullptr) {
      solving[{attempt.user_id, attempt.course}].push_back(&attempt);
    }
  }

  for (const auto& [who, attempts] : solving) {
    const auto& [user_id, course] = who;
    const CourseOutline& outline = *outlines.at(course);
    const std::string course_iri = builder_.CourseIri(course);
    const bool course_known = KnownCompletion(user_id, course_iri);
    // The lessons these attempts may complete, each with its last solving attempt.
    std::map<const domain::Lesson*, int64_t> lessons;
    int64_t last = 0;
    for (const store::AttemptEvent* attempt : attempts) {
      const domain::Lesson* lesson = outline.FindExercise(attempt->exercise)->lesson;
      if (KnownCompletion(user_id, builder_.LessonIri(course, lesson->slug))) continue;
      lessons[lesson] = std::max(lessons[lesson], attempt->occurred_at);
      last = std::max(last, attempt->occurred_at);
    }
    // Every lesson these attempts are in was reported complete: they re-solve what was solved,
    // and complete nothing new. No read.
    if (lessons.empty()) continue;

    Result<std::vector<store::ExerciseProgressRow>> rows =
        progress_->GetCourseProgress(user_id, course);
    if (!rows.ok()) {
      log::Warn("xAPI completions not checked: progress unavailable",
                {{"course", course}, {"error", rows.error().message}});
      continue;
    }
    std::set<std::string, std::less<>> solved;
    for (const store::ExerciseProgressRow& row : *rows) {
      if (row.state.solved) solved.insert(row.exercise);
    }
    for (const store::AttemptEvent* attempt : attempts) solved.insert(attempt->exercise);

    for (const domain::Lesson& lesson : outline.course().lessons) {  // in course order
      const auto solving_here = lessons.find(&lesson);
      if (solving_here != lessons.end() && LessonCompleted(lesson, solved) &&
          FirstCompletion(user_id, builder_.LessonIri(course, lesson.slug))) {
        statements.push_back(builder_.Completed(user_id, outline, &lesson, solving_here->second));
      }
    }
    if (!course_known && CourseCompleted(outline.course(), solved) &&
        FirstCompletion(user_id, course_iri)) {
      statements.push_back(builder_.Completed(user_id, outline, nullptr, last));
    }
  }
  return statements;
}

Status OutboxFollower::Recorded(const store::EventBatch& batch) {
  if (batch.attempts.empty()) return Status::Ok();
  const std::vector<Statement> statements = feed_.StatementsFor(batch);
  Status queued = outbox_.Enqueue(statements);
  if (!queued.ok()) {
    log::Warn("xAPI statements not queued yet; the batch will be tried again",
              {{"statements", static_cast<int64_t>(statements.size())},
               {"error", queued.error().message}});
  }
  return queued;
}

Status OutboxFollower::ForgetLearner(std::string_view user_id) {
  feed_.ForgetLearner(user_id);
  return outbox_.ForgetLearner(user_id);
}

Status DeliverNow(Feed& feed, LrsClient& lrs, const store::EventBatch& batch, size_t max_batch) {
  if (batch.attempts.empty()) return Status::Ok();
  const std::vector<Statement> statements = feed.StatementsFor(batch);
  int stored = 0;
  int refused = 0;
  for (size_t from = 0; from < statements.size(); from += max_batch) {
    const size_t count = std::min(max_batch, statements.size() - from);
    const DeliveryReport report = Deliver(lrs, std::span(statements).subspan(from, count));
    stored += report.stored;
    refused += report.refused;
    if (report.retry) {
      return Error::Unavailable("The LRS did not take the xAPI statements now (" +
                                report.retry->detail + ").");
    }
  }
  log::Info("xAPI statements delivered", {{"stored", stored}, {"refused", refused}});
  return Status::Ok();
}

}  // namespace practica::xapi
