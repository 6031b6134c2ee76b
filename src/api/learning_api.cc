#include "api/learning_api.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "api/answer_json.h"
#include "api/exercise_view.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/user_json.h"
#include "auth/crypto.h"
#include "auth/random.h"
#include "common/text.h"
#include "common/time_zone.h"
#include "domain/grading.h"
#include "domain/scheduling.h"
#include "store/analytics_ingest.h"

namespace practica::api {
namespace json = boost::json;
namespace {

constexpr size_t kMaxIdempotencyKey = 255;

bool IsValidIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKey) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

json::object StateJson(const store::ExerciseState& state, const store::LearnerTotals& totals) {
  return {{"attempts", state.attempts},
          {"best_score", state.best_score},
          {"solved", state.solved},
          {"hints_used", state.hints_used},
          {"xp", totals.xp},
          {"streak", totals.streak.length}};
}

// A streak is only current if the learner was active today or yesterday.
int CurrentStreak(const domain::Streak& streak, int64_t today) {
  return streak.last_day >= today - 1 ? streak.length : 0;
}

const http::Principal& Who(const http::Request& request) { return *request.principal; }

// A learner's completion (solved / exercises) and score (mean best score over the exercises the
// platform grades) in one course. An essay counts as solved once answered, and is left out of the
// score, which it could only pull down. Rows of exercises removed from the course since are
// ignored.
struct Standing {
  double completion = 0;
  double score = 0;
};
Standing StandingIn(const IndexedCourse& course,
                    const std::vector<store::ExerciseProgressRow>& rows) {
  const int total = course.course.ExerciseCount();
  if (total == 0) return {};
  int graded = 0;
  for (const auto& [id, entry] : course.exercises) graded += entry.exercise->IsAutoGraded() ? 1 : 0;
  int solved = 0;
  double score_sum = 0;
  for (const store::ExerciseProgressRow& row : rows) {
    const auto it = course.exercises.find(row.exercise);
    if (it == course.exercises.end()) continue;
    solved += row.state.solved ? 1 : 0;
    if (it->second.exercise->IsAutoGraded()) score_sum += row.state.best_score;
  }
  return {static_cast<double>(solved) / total, graded == 0 ? 0 : score_sum / graded};
}

}  // namespace

Result<LearningApi::Located> LearningApi::Locate(std::string_view ref) {
  const auto parsed = ParseExerciseRef(ref);
  const Error missing = Error::NotFound("No exercise '" + std::string(ref.substr(0, 140)) + "'.");
  if (!parsed) return missing;
  auto course = courses_.Get(parsed->course);
  if (!course.ok()) {
    if (course.error().code == ErrorCode::kNotFound) return missing;
    return course.error();
  }
  const auto it = (*course)->exercises.find(parsed->exercise);
  if (it == (*course)->exercises.end()) return missing;
  return Located{*course, it->second};
}

int64_t LearningApi::LocalDayOf(std::string_view user_id, int64_t now) {
  std::string zone_name = "UTC";
  {
    std::lock_guard lock(zones_mutex_);
    auto it = zones_.find(std::string(user_id));
    if (it != zones_.end() && now - it->second.loaded_at < 60) {
      zone_name = it->second.name;
    } else {
      if (auto user = users_.GetUser(user_id); user.ok()) zone_name = user->time_zone;
      if (zones_.size() > 100'000) zones_.clear();
      zones_[std::string(user_id)] = {zone_name, now};
    }
  }
  int64_t offset = 0;
  if (auto zone = TimeZone::Load(zone_name); zone.ok()) offset = (*zone)->OffsetAt(now);
  return domain::LocalDay(now, offset);
}

void LearningApi::SubmitAttempt(const http::Request& request, http::Reply reply) {
  const http::Principal& who = Who(request);
  auto located = Locate(request.Param("exercise"));
  if (!located.ok()) return reply(located.error());
  const domain::Exercise& exercise = *located->entry.exercise;

  auto body = ParseJsonObjectBody(request);
  if (!body.ok()) return reply(body.error());
  const json::value* answer_json = body->if_contains("answer");
  const json::value* time_json = body->if_contains("time_taken_ms");
  if (answer_json == nullptr || body->size() != (time_json == nullptr ? 1u : 2u)) {
    return reply(Error::Invalid(
        "The request must be {\"answer\": …} or {\"answer\": …, \"time_taken_ms\": n}.",
        {{"answer", "is required; the only other field allowed is time_taken_ms"}}));
  }
  int64_t time_taken_ms = -1;
  if (time_json != nullptr) {
    constexpr int64_t kDayMs = 86'400'000;
    const std::optional<int64_t> ms =
        time_json->is_int64() ? std::optional(time_json->get_int64())
        : time_json->is_uint64() && time_json->get_uint64() <= static_cast<uint64_t>(kDayMs)
            ? std::optional(static_cast<int64_t>(time_json->get_uint64()))
            : std::nullopt;
    if (!ms || *ms < 0 || *ms > kDayMs) {
      return reply(
          Error::Invalid("Invalid time_taken_ms.",
                         {{"time_taken_ms", "must be a whole number from 0 to 86400000"}}));
    }
    time_taken_ms = *ms;
  }
  auto answer = DecodeAnswer(exercise.type(), *answer_json);
  if (!answer.ok()) return reply(answer.error());
  const std::string ref = MakeExerciseRef(located->course->course.slug, exercise.id);
  auto graded = domain::Grade(exercise, *answer, Fnv1a64(ref));
  if (!graded.ok()) return reply(graded.error());

  const std::string key(request.headers.Get("Idempotency-Key").value_or(""));
  if (!key.empty() && !IsValidIdempotencyKey(key)) {
    return reply(
        Error::Invalid("Invalid Idempotency-Key.",
                       {{"Idempotency-Key", "must be 1 to 255 visible ASCII characters"}}));
  }
  const std::string in_flight_key = who.user_id + "|" + key;
  if (!key.empty()) {
    std::lock_guard lock(in_flight_mutex_);
    if (!in_flight_.insert(in_flight_key).second) {
      Error busy = Error::Conflict("An attempt with this Idempotency-Key is still being stored.");
      busy.type = "idempotency-key-in-flight";
      return reply(std::move(busy));
    }
  }

  store::AttemptRequest submission;
  submission.user_id = who.user_id;
  submission.course = located->course->course.slug;
  submission.lesson = located->entry.lesson->slug;
  submission.exercise = exercise.id;
  submission.idempotency_key = key;
  submission.request_hash = auth::Sha256Hex(ref + "\n" + request.body);

  const int64_t now = clock_.NowSeconds();
  const int64_t today = LocalDayOf(who.user_id, now);
  auto grade = std::make_shared<domain::GradeResult>(std::move(graded).value());
  auto answer_text = std::make_shared<std::string>(json::serialize(*answer_json));
  // The course stays alive (and with it `exercise`) until the plan and render have run.
  auto course = located->course;
  const domain::Exercise* exercise_ptr = &exercise;
  const std::string version = located->entry.version;

  store::PlanFn plan = [grade, answer_text, exercise_ptr, now, today, version, time_taken_ms](
                           const store::ExerciseState& before,
                           const store::LearnerTotals& totals) -> Result<store::AttemptPlan> {
    const domain::Exercise& ex = *exercise_ptr;
    // Answering a card that is due is a review: the attempt limit and the retry penalty are for
    // learning the exercise, not for remembering it later.
    const bool review = before.card && before.card->due <= now;
    if (ex.max_attempts && before.attempts >= *ex.max_attempts && !review) {
      Error spent = Error::Conflict("No tries are left for this exercise.");
      spent.type = "attempts-exhausted";
      return spent;
    }
    store::AttemptPlan result;
    store::AttemptRecord& attempt = result.attempt;
    attempt.attempt_id = auth::NewTimeOrderedId("att", now * 1000);
    attempt.attempt_number = before.attempts + 1;
    attempt.raw_score = grade->raw_score;
    attempt.score =
        review ? grade->raw_score
               : domain::ScoreWithPenalty(grade->raw_score, attempt.attempt_number, ex.penalty);
    attempt.correct = grade->correct;
    attempt.answer_json = *answer_text;
    attempt.created_at = now;
    attempt.exercise_version = version;
    attempt.time_taken_ms = time_taken_ms;

    store::ExerciseState& after = result.after;
    after = before;
    after.attempts = attempt.attempt_number;
    after.best_score = std::max(before.best_score, attempt.score);
    if (grade->graded) {
      after.solved = before.solved || grade->correct;
      const domain::Rating rating =
          domain::RatingFromAttempt(grade->correct, attempt.attempt_number, before.hints_used);
      after.card = domain::Review(before.card.value_or(domain::Card{}), rating, now);
    } else {
      // An essay is done once answered; with nothing graded there is nothing to schedule.
      after.solved = true;
    }

    result.totals_after = totals;
    result.totals_after.xp += domain::XpForAttempt(attempt.score, before.best_score);
    result.totals_after.streak = domain::AdvanceStreak(totals.streak, today);
    return result;
  };

  // The attempt as committed: the store renders the plan it writes (again, when an optimistic
  // store retries), and calls `done` after the write, on the same thread.
  auto committed = std::make_shared<store::AttemptRecord>();
  store::RenderFn render = [grade, exercise_ptr, ref, committed](const store::AttemptPlan& done) {
    *committed = done.attempt;
    const domain::Exercise& ex = *exercise_ptr;
    const store::AttemptRecord& attempt = done.attempt;
    json::array parts;
    for (const domain::PartResult& part : grade->parts) {
      parts.push_back({{"part", part.part},
                       {"score", part.score},
                       {"correct", part.correct},
                       {"feedback_html", part.feedback_html}});
    }
    json::object response{{"attempt_id", attempt.attempt_id},
                          {"exercise", ref},
                          {"attempt_number", attempt.attempt_number},
                          {"score", attempt.score},
                          {"raw_score", attempt.raw_score},
                          {"correct", attempt.correct},
                          {"graded", grade->graded},
                          {"feedback_html", grade->feedback_html},
                          {"parts", std::move(parts)},
                          {"attempts_left", nullptr},
                          {"progress", StateJson(done.after, done.totals_after)}};
    const bool last_try = ex.max_attempts && attempt.attempt_number >= *ex.max_attempts;
    if (ex.max_attempts) {
      response["attempts_left"] = std::max(0, *ex.max_attempts - attempt.attempt_number);
    }
    // An ungraded answer (essay) is as far as the learner goes: the explanation is due at once.
    if ((attempt.correct || last_try || !grade->graded) && !ex.explanation.empty()) {
      response["explanation_html"] = ex.explanation.html;
    }
    return json::serialize(response);
  };

  store::StoredAttempt where{
      submission.user_id, submission.course, submission.lesson, submission.exercise, {}};
  progress_.SubmitAttempt(
      std::move(submission), std::move(plan), std::move(render),
      [this, reply = std::move(reply), in_flight_key, key, course, committed,
       where = std::move(where)](Result<store::AttemptOutcome> outcome) mutable {
        if (!key.empty()) {
          std::lock_guard lock(in_flight_mutex_);
          in_flight_.erase(in_flight_key);
        }
        if (!outcome.ok()) {
          Error error = std::move(outcome).error();
          if (error.type == store::kIdempotencyKeyReused) {
            error.code = ErrorCode::kUnprocessable;
            error.message = "This Idempotency-Key was used with a different request.";
          }
          return reply(std::move(error));
        }
        if (analytics_ != nullptr && !outcome->replayed) {
          where.attempt = *committed;
          analytics_->Add(store::IngestAttempt(where));
        }
        http::Response response = http::Response::Json(201, std::move(outcome->response_json));
        if (outcome->replayed) response.headers.Set("Idempotent-Replayed", "true");
        reply(std::move(response));
      });
}

Result<http::Response> LearningApi::NextHint(const http::Request& request) {
  const http::Principal& who = Who(request);
  auto located = Locate(request.Param("exercise"));
  if (!located.ok()) return located.error();
  const domain::Exercise& exercise = *located->entry.exercise;
  const std::string& course = located->course->course.slug;
  auto state = progress_.GetExerciseState(who.user_id, course, exercise.id);
  if (!state.ok()) return state.error();
  if (state->hints_used >= static_cast<int>(exercise.hints.size())) {
    Error none = Error::Conflict(exercise.hints.empty() ? "This exercise has no hints."
                                                        : "Every hint is already shown.");
    none.type = "no-more-hints";
    return none;
  }
  // The store checks the count again as it adds to it: parallel requests, each past the check
  // above, must not count (or show) more hints than there are.
  auto used = progress_.RecordHint(who.user_id, course, located->entry.lesson->slug, exercise.id,
                                   static_cast<int>(exercise.hints.size()));
  if (!used.ok()) return used.error();
  const int number = std::min(*used, static_cast<int>(exercise.hints.size()));
  return http::Response::Json(
      200, json::serialize(
               json::object{{"hint_html", exercise.hints[static_cast<size_t>(number - 1)].html},
                            {"hint_number", number},
                            {"hints_left", static_cast<int>(exercise.hints.size()) - number}}));
}

Result<http::Response> LearningApi::CourseProgress(const http::Request& request) {
  const http::Principal& who = Who(request);
  const std::string_view slug = request.Param("course");
  if (!domain::IsValidSlug(slug)) return Error::NotFound("No course '" + std::string(slug) + "'.");
  auto course = courses_.Get(slug);
  if (!course.ok()) return course.error();
  auto rows = progress_.GetCourseProgress(who.user_id, slug);
  if (!rows.ok()) return rows.error();
  auto totals = progress_.GetTotals(who.user_id);
  if (!totals.ok()) return totals.error();
  json::array exercises;
  for (const store::ExerciseProgressRow& row : *rows) {
    if (!(*course)->exercises.contains(row.exercise)) continue;  // removed since
    exercises.push_back({{"exercise_id", row.exercise},
                         {"ref", MakeExerciseRef(slug, row.exercise)},
                         {"lesson", row.lesson},
                         {"attempts", row.state.attempts},
                         {"best_score", row.state.best_score},
                         {"solved", row.state.solved},
                         {"hints_used", row.state.hints_used}});
  }
  const int64_t now = clock_.NowSeconds();
  const Standing standing = StandingIn(**course, *rows);
  json::object body{{"course", std::string(slug)},
                    {"title", (*course)->course.title},
                    {"completion", standing.completion},
                    {"score", standing.score},
                    {"xp", totals->xp},
                    {"streak", CurrentStreak(totals->streak, LocalDayOf(who.user_id, now))},
                    {"exercises", std::move(exercises)}};
  return http::Response::Json(200, json::serialize(body));
}

Result<http::Response> LearningApi::AllProgress(const http::Request& request) {
  const http::Principal& who = Who(request);
  auto slugs = progress_.ListCourses(who.user_id);
  if (!slugs.ok()) return slugs.error();
  auto totals = progress_.GetTotals(who.user_id);
  if (!totals.ok()) return totals.error();
  json::array items;
  for (const std::string& slug : *slugs) {
    auto course = courses_.Get(slug);
    if (!course.ok()) continue;  // a course that no longer exists
    auto rows = progress_.GetCourseProgress(who.user_id, slug);
    if (!rows.ok()) return rows.error();
    const Standing standing = StandingIn(**course, *rows);
    items.push_back({{"course", slug},
                     {"title", (*course)->course.title},
                     {"completion", standing.completion},
                     {"score", standing.score}});
  }
  const int64_t now = clock_.NowSeconds();
  return http::Response::Json(
      200, json::serialize(json::object{
               {"items", std::move(items)},
               {"next_cursor", nullptr},
               {"xp", totals->xp},
               {"streak", CurrentStreak(totals->streak, LocalDayOf(who.user_id, now))}}));
}

Result<http::Response> LearningApi::DueReviews(const http::Request& request) {
  const http::Principal& who = Who(request);
  auto due = progress_.DueCards(who.user_id, clock_.NowSeconds(), 50);
  if (!due.ok()) return due.error();
  json::array items;
  for (const store::DueCard& card : *due) {
    auto located = Locate(MakeExerciseRef(card.course, card.exercise));
    if (!located.ok()) continue;  // the exercise was removed from its course
    // A card left from before the exercise became an essay: essays are not reviewed.
    if (!located->entry.exercise->IsAutoGraded()) continue;
    json::object exercise = PublicExercise(*located->entry.exercise, card.course);
    items.push_back({{"ref", MakeExerciseRef(card.course, card.exercise)},
                     {"course", card.course},
                     {"lesson", located->entry.lesson->slug},
                     {"due", IsoTime(card.card.due)},
                     {"exercise", std::move(exercise)}});
  }
  return http::Response::Json(
      200, json::serialize(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}}));
}

Result<http::Response> LearningApi::RateReview(const http::Request& request) {
  const http::Principal& who = Who(request);
  auto located = Locate(request.Param("exercise"));
  if (!located.ok()) return located.error();
  auto body = ParseJsonObjectBody(request);
  if (!body.ok()) return body.error();
  JsonFields fields(*body, {"rating"});
  const auto name = fields.String("rating", true, 16);
  if (Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  const auto rating = domain::ParseRating(*name);
  if (!rating) {
    return Error::Invalid("The request has invalid fields.",
                          {{"rating", "must be again, hard, good or easy"}});
  }
  const std::string& course = located->course->course.slug;
  const domain::Exercise& exercise = *located->entry.exercise;
  auto state = progress_.GetExerciseState(who.user_id, course, exercise.id);
  if (!state.ok()) return state.error();
  if (!state->card) return Error::NotFound("Answer this exercise once before reviewing it.");
  const int64_t now = clock_.NowSeconds();
  const domain::Card card = domain::Review(*state->card, *rating, now);
  if (Status saved = progress_.SaveCard(who.user_id, course, exercise.id, card); !saved.ok()) {
    return std::move(saved).error();
  }
  return http::Response::Json(
      200, json::serialize(json::object{
               {"due", IsoTime(card.due)},
               {"interval_days", static_cast<int64_t>(std::llround((card.due - now) / 86400.0))},
               {"stability", card.stability},
               {"difficulty", card.difficulty}}));
}

}  // namespace practica::api
