#include "store/memory/memory_progress_store.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/progress_checks.h"

namespace practica::store::memory {

const MemoryProgressStore::Learner* MemoryProgressStore::Find(std::string_view user_id) const {
  const auto it = learners_.find(user_id);
  return it == learners_.end() ? nullptr : &it->second;
}

void MemoryProgressStore::SubmitAttempt(AttemptRequest request, PlanFn plan, RenderFn render,
                                        AttemptDone done) {
  std::optional<Result<AttemptOutcome>> outcome;
  {
    std::lock_guard lock(mutex_);
    outcome.emplace(Submit(request, plan, render));
  }
  done(std::move(*outcome));
}

Result<AttemptOutcome> MemoryProgressStore::Submit(const AttemptRequest& request,
                                                   const PlanFn& plan, const RenderFn& render) {
  // Everything is decided before anything changes, so a refusal leaves no trace.
  const Learner* known = Find(request.user_id);
  const bool keyed = !request.idempotency_key.empty();
  if (keyed && known != nullptr) {
    const auto key = known->keys.find(request.idempotency_key);
    if (key != known->keys.end()) {
      if (key->second.request_hash != request.request_hash) return IdempotencyKeyReused();
      return AttemptOutcome{true, key->second.response_json};
    }
  }
  const ExerciseKey exercise_key{request.course, request.exercise};
  ExerciseState before;
  LearnerTotals totals;
  if (known != nullptr) {
    const auto touched = known->exercises.find(exercise_key);
    if (touched != known->exercises.end()) before = touched->second.state;
    totals = known->totals;
  }
  Result<AttemptPlan> planned = plan(before, totals);
  if (!planned.ok()) return std::move(planned).error();
  if (attempt_ids_.contains(planned->attempt.attempt_id)) {
    return AttemptIdTaken(planned->attempt.attempt_id);
  }
  std::string response = render(*planned);

  Learner& learner = learners_[request.user_id];
  attempt_ids_.insert(planned->attempt.attempt_id);
  learner.attempts.push_back({request.course, planned->attempt});
  learner.exercises[exercise_key] = Touched{request.lesson, planned->after};
  learner.totals = planned->totals_after;
  if (keyed) {
    learner.keys[request.idempotency_key] =
        StoredKey{request.request_hash, response, planned->attempt.created_at};
  }
  return AttemptOutcome{false, std::move(response)};
}

Result<int> MemoryProgressStore::RecordHint(std::string_view user_id, std::string_view course,
                                            std::string_view lesson, std::string_view exercise,
                                            int hint_count) {
  std::lock_guard lock(mutex_);
  Touched& touched =
      learners_[std::string(user_id)].exercises[{std::string(course), std::string(exercise)}];
  if (touched.state.hints_used >= hint_count) return NoMoreHints();
  touched.lesson = lesson;
  return ++touched.state.hints_used;
}

Result<ExerciseState> MemoryProgressStore::GetExerciseState(std::string_view user_id,
                                                            std::string_view course,
                                                            std::string_view exercise) {
  std::lock_guard lock(mutex_);
  const Learner* learner = Find(user_id);
  if (learner == nullptr) return ExerciseState{};
  const auto touched = learner->exercises.find({std::string(course), std::string(exercise)});
  if (touched == learner->exercises.end()) return ExerciseState{};
  return touched->second.state;
}

Result<std::vector<ExerciseProgressRow>> MemoryProgressStore::GetCourseProgress(
    std::string_view user_id, std::string_view course) {
  std::lock_guard lock(mutex_);
  std::vector<ExerciseProgressRow> rows;
  const Learner* learner = Find(user_id);
  if (learner == nullptr) return rows;
  for (auto it = learner->exercises.lower_bound({std::string(course), std::string()});
       it != learner->exercises.end() && it->first.first == course; ++it) {
    rows.push_back({it->second.lesson, it->first.second, it->second.state});
  }
  return rows;
}

Result<std::vector<std::string>> MemoryProgressStore::ListCourses(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> courses;
  const Learner* learner = Find(user_id);
  if (learner == nullptr) return courses;
  for (const auto& [key, touched] : learner->exercises) {
    if (courses.empty() || courses.back() != key.first) courses.push_back(key.first);
  }
  return courses;
}

Result<LearnerTotals> MemoryProgressStore::GetTotals(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  const Learner* learner = Find(user_id);
  return learner == nullptr ? LearnerTotals{} : learner->totals;
}

Result<std::vector<DueCard>> MemoryProgressStore::DueCards(std::string_view user_id, int64_t now,
                                                           int limit) {
  if (Status s = CheckDueCardsLimit(limit); !s.ok()) return std::move(s).error();
  std::lock_guard lock(mutex_);
  std::vector<DueCard> cards;
  const Learner* learner = Find(user_id);
  if (learner == nullptr) return cards;
  for (const auto& [key, touched] : learner->exercises) {
    if (touched.state.card && touched.state.card->due <= now) {
      cards.push_back(DueCard{key.first, touched.lesson, key.second, *touched.state.card});
    }
  }
  // The exercises map is in (course, exercise) order already; a stable sort by due keeps it for
  // the ties.
  std::stable_sort(cards.begin(), cards.end(),
                   [](const DueCard& a, const DueCard& b) { return a.card.due < b.card.due; });
  if (cards.size() > static_cast<size_t>(limit)) cards.resize(static_cast<size_t>(limit));
  return cards;
}

Status MemoryProgressStore::SaveCard(std::string_view user_id, std::string_view course,
                                     std::string_view exercise, const domain::Card& card) {
  std::lock_guard lock(mutex_);
  const auto learner = learners_.find(user_id);
  if (learner == learners_.end()) return NoCard(course, exercise);
  const auto touched = learner->second.exercises.find({std::string(course), std::string(exercise)});
  if (touched == learner->second.exercises.end() || !touched->second.state.card) {
    return NoCard(course, exercise);
  }
  touched->second.state.card = card;
  return Status::Ok();
}

Result<std::vector<AttemptRecord>> MemoryProgressStore::ListAttempts(std::string_view user_id,
                                                                     std::string_view course) {
  std::lock_guard lock(mutex_);
  std::vector<AttemptRecord> attempts;
  const Learner* learner = Find(user_id);
  if (learner == nullptr) return attempts;
  for (const StoredAttempt& attempt : learner->attempts) {
    if (attempt.course == course) attempts.push_back(attempt.record);
  }
  // Submission order already; created_at first, as the port promises.
  std::stable_sort(
      attempts.begin(), attempts.end(),
      [](const AttemptRecord& a, const AttemptRecord& b) { return a.created_at < b.created_at; });
  return attempts;
}

Status MemoryProgressStore::DeleteLearner(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  const auto learner = learners_.find(user_id);
  if (learner == learners_.end()) return Status::Ok();
  for (const StoredAttempt& attempt : learner->second.attempts) {
    attempt_ids_.erase(attempt.record.attempt_id);
  }
  learners_.erase(learner);
  return Status::Ok();
}

Status MemoryProgressStore::ForgetIdempotencyKeys(int64_t before) {
  std::lock_guard lock(mutex_);
  for (auto& [user_id, learner] : learners_) {
    std::erase_if(learner.keys,
                  [before](const auto& entry) { return entry.second.created_at < before; });
  }
  return Status::Ok();
}

}  // namespace practica::store::memory
