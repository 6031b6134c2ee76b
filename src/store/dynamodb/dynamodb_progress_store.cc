#include "store/dynamodb/dynamodb_progress_store.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <limits>
#include <set>
#include <utility>

#include "common/log.h"
#include "store/dynamodb/table.h"
#include "store/progress_checks.h"

namespace practica::store::dynamodb {
namespace {

namespace json = boost::json;
namespace attr = aws::dynamodb::attr;
using aws::dynamodb::Item;

// Rounds of read, plan and conditional write before giving up. A lost round means another
// attempt on the same item was written, so rounds run out only under extreme contention.
constexpr int kMaxRounds = 64;
constexpr int kMaxTotalsRounds = 16;
// An exercise item keeps the stored responses of this many keyed attempts at most (older ones
// keep the attempt, not the response): a learner never needs more within a key's lifetime.
constexpr size_t kMaxStoredResponses = 100;
constexpr size_t kMaxItemBytes = 390 * 1024;
// The totals item remembers the ids of the attempts it counted, the newest this many: a write
// whose reply was lost is then recognised when it is retried, instead of counted twice.
constexpr size_t kMaxAppliedIds = 64;

std::string LearnerKey(std::string_view user_id) {
  std::string key = "LEARNER#";
  key += user_id;
  return key;
}

std::string ExercisePrefix(std::string_view course) {
  std::string key = "EX#";
  key += course;
  key += '#';
  return key;
}

std::string ExerciseSk(std::string_view course, std::string_view exercise) {
  std::string key = ExercisePrefix(course);
  key += exercise;
  return key;
}

Item Key(std::string_view pk, std::string_view sk) {
  return Item{{"pk", attr::S(pk)}, {"sk", attr::S(sk)}};
}

std::string DueSortKey(int64_t due, std::string_view course, std::string_view exercise) {
  char time[24];
  std::snprintf(time, sizeof time, "%020lld", static_cast<long long>(std::max<int64_t>(due, 0)));
  std::string key(time);
  key += '#';
  key += course;
  key += '#';
  key += exercise;
  return key;
}

std::string Str(const Item& item, std::string_view name) {
  return std::string(attr::GetS(item, name).value_or(""));
}

// The card columns of an item (an exercise item, or an entry of the "due" index, which projects
// them without has_card).
domain::Card ReadCard(const Item& item) {
  return domain::Card{attr::GetDouble(item, "stability").value_or(0),
                      attr::GetDouble(item, "difficulty").value_or(0),
                      attr::GetInt(item, "due").value_or(0),
                      attr::GetInt(item, "last_review").value_or(0),
                      static_cast<int>(attr::GetInt(item, "reps").value_or(0)),
                      static_cast<int>(attr::GetInt(item, "lapses").value_or(0))};
}

ExerciseState ReadState(const Item& item) {
  ExerciseState state;
  state.attempts = static_cast<int>(attr::GetInt(item, "attempts").value_or(0));
  state.best_score = attr::GetDouble(item, "best_score").value_or(0);
  state.solved = attr::GetBool(item, "solved").value_or(false);
  state.hints_used = static_cast<int>(attr::GetInt(item, "hints_used").value_or(0));
  if (attr::GetBool(item, "has_card").value_or(false)) state.card = ReadCard(item);
  return state;
}

void WriteCard(Item& item, std::string_view user_id, std::string_view course,
               std::string_view exercise, const domain::Card& card) {
  item["has_card"] = attr::Bool(true);
  item["stability"] = attr::N(card.stability);
  item["difficulty"] = attr::N(card.difficulty);
  item["due"] = attr::N(card.due);
  item["last_review"] = attr::N(card.last_review);
  item["reps"] = attr::N(static_cast<int64_t>(card.reps));
  item["lapses"] = attr::N(static_cast<int64_t>(card.lapses));
  item["gsi1pk"] = attr::S("DUE#" + std::string(user_id));
  item["gsi1sk"] = attr::S(DueSortKey(card.due, course, exercise));
}

// The state columns of an exercise item (or of a log entry's `prior`), the card's index keys
// included when `index` is set.
void WriteState(Item& item, const ExerciseState& state, std::string_view user_id,
                std::string_view course, std::string_view exercise, bool index) {
  item["attempts"] = attr::N(static_cast<int64_t>(state.attempts));
  item["best_score"] = attr::N(state.best_score);
  item["solved"] = attr::Bool(state.solved);
  item["hints_used"] = attr::N(static_cast<int64_t>(state.hints_used));
  item["has_card"] = attr::Bool(false);
  if (state.card) {
    WriteCard(item, user_id, course, exercise, *state.card);
    if (!index) {
      item.erase("gsi1pk");
      item.erase("gsi1sk");
    }
  }
}

LearnerTotals ReadTotals(const Item& item) {
  LearnerTotals totals;
  totals.xp = attr::GetInt(item, "xp").value_or(0);
  totals.streak.length = static_cast<int>(attr::GetInt(item, "streak_length").value_or(0));
  totals.streak.last_day = attr::GetInt(item, "streak_last_day").value_or(-1);
  return totals;
}

// One entry of an exercise item's log, as written by Submit.
const json::object* EntryOf(const json::value& value) {
  const json::object* wrapper = value.if_object();
  const json::value* map = wrapper ? wrapper->if_contains("M") : nullptr;
  return map ? map->if_object() : nullptr;
}

AttemptRecord ReadEntry(const Item& entry) {
  return AttemptRecord{Str(entry, "id"),
                       static_cast<int>(attr::GetInt(entry, "n").value_or(0)),
                       attr::GetDouble(entry, "raw").value_or(0),
                       attr::GetDouble(entry, "score").value_or(0),
                       attr::GetBool(entry, "correct").value_or(false),
                       Str(entry, "answer"),
                       attr::GetInt(entry, "at").value_or(0),
                       Str(entry, "ver"),
                       attr::GetInt(entry, "ms").value_or(-1)};
}

}  // namespace

std::vector<StoredAttempt> AttemptsInImage(const Item& image) {
  std::vector<StoredAttempt> attempts;
  const std::string pk = Str(image, "pk");
  constexpr std::string_view kLearner = "LEARNER#";
  if (!pk.starts_with(kLearner) || !Str(image, "sk").starts_with("EX#")) return attempts;
  const json::array* log = attr::GetL(image, "log");
  if (log == nullptr) return attempts;
  for (const json::value& wrapper : *log) {
    const json::object* object = wrapper.if_object();
    const json::value* map = object ? object->if_contains("M") : nullptr;
    const json::object* entry = map ? map->if_object() : nullptr;
    if (entry == nullptr) continue;
    attempts.push_back(StoredAttempt{pk.substr(kLearner.size()), Str(image, "course"),
                                     Str(image, "lesson"), Str(image, "exercise"),
                                     ReadEntry(*entry)});
  }
  return attempts;
}

// What an exercise item's log says of one attempt: enough to replay its response and, if the
// totals never heard of it, to plan them again (PlanFn on the state before the attempt).
struct LoggedAttempt {
  AttemptRecord attempt;
  ExerciseState prior;
  std::string hash;      // "" for an attempt without a key
  std::string response;  // "" once forgotten
};

namespace {

LoggedAttempt ReadLogged(const Item& entry) {
  LoggedAttempt logged{ReadEntry(entry), {}, Str(entry, "hash"), Str(entry, "response")};
  if (const Item* prior = attr::GetM(entry, "prior")) logged.prior = ReadState(*prior);
  return logged;
}

// The logged attempt with Idempotency-Key `key`, unless the key is forgotten.
std::optional<LoggedAttempt> FindKey(const Item& item, std::string_view key,
                                     int64_t forget_before) {
  const json::array* log = attr::GetL(item, "log");
  if (log == nullptr) return std::nullopt;
  for (const json::value& value : *log) {
    const json::object* entry = EntryOf(value);
    if (entry == nullptr || attr::GetS(*entry, "key") != key) continue;
    if (attr::GetInt(*entry, "at").value_or(0) < forget_before) return std::nullopt;
    if (!attr::GetS(*entry, "response")) return std::nullopt;
    return ReadLogged(*entry);
  }
  return std::nullopt;
}

// Whether the item's log holds the attempt `attempt_id`.
bool Logged(const Item& item, std::string_view attempt_id) {
  const json::array* log = attr::GetL(item, "log");
  if (log == nullptr) return false;
  for (const json::value& value : *log) {
    const json::object* entry = EntryOf(value);
    if (entry != nullptr && attr::GetS(*entry, "id") == attempt_id) return true;
  }
  return false;
}

// Whether the totals item already counted the attempt `attempt_id`.
bool Counted(const Item& totals, std::string_view attempt_id) {
  const json::array* applied = attr::GetL(totals, "applied");
  if (applied == nullptr) return false;
  for (const json::value& value : *applied) {
    const json::object* wrapper = value.if_object();
    const json::value* id = wrapper ? wrapper->if_contains("S") : nullptr;
    if (id != nullptr && id->is_string() && std::string_view(id->get_string()) == attempt_id) {
      return true;
    }
  }
  return false;
}

// The log without what ForgetIdempotencyKeys forgot, and without the responses of all but the
// newest kMaxStoredResponses keyed attempts.
json::array PrunedLog(const Item* item, int64_t forget_before) {
  json::array log;
  if (item == nullptr) return log;
  if (const json::array* old = attr::GetL(*item, "log")) log = *old;
  size_t kept = 0;
  for (auto it = log.rbegin(); it != log.rend(); ++it) {
    json::object* wrapper = it->if_object();
    json::value* map = wrapper ? wrapper->if_contains("M") : nullptr;
    json::object* entry = map ? map->if_object() : nullptr;
    if (entry == nullptr || !entry->contains("key")) continue;
    const bool forgotten = attr::GetInt(*entry, "at").value_or(0) < forget_before;
    if (forgotten || ++kept > kMaxStoredResponses) {
      entry->erase("key");
      entry->erase("hash");
      entry->erase("response");
    }
  }
  return log;
}

Item LogEntry(const AttemptRequest& request, const AttemptRecord& attempt,
              const ExerciseState& prior, int64_t seq, std::string_view response) {
  Item prior_state;
  WriteState(prior_state, prior, request.user_id, request.course, request.exercise, false);
  Item entry{{"id", attr::S(attempt.attempt_id)},
             {"n", attr::N(static_cast<int64_t>(attempt.attempt_number))},
             {"raw", attr::N(attempt.raw_score)},
             {"score", attr::N(attempt.score)},
             {"correct", attr::Bool(attempt.correct)},
             {"answer", attr::S(attempt.answer_json)},
             {"at", attr::N(attempt.created_at)},
             {"seq", attr::N(seq)},
             {"prior", attr::M(std::move(prior_state))}};
  // Optional fields are left out rather than empty (dynalite refuses empty strings).
  if (!attempt.exercise_version.empty()) entry["ver"] = attr::S(attempt.exercise_version);
  if (attempt.time_taken_ms >= 0) entry["ms"] = attr::N(attempt.time_taken_ms);
  if (!request.idempotency_key.empty()) {
    entry["key"] = attr::S(request.idempotency_key);
    entry["hash"] = attr::S(request.request_hash);
    entry["response"] = attr::S(response);
  }
  return entry;
}

bool IsConditionFailure(const Error& error) { return error.type == "conditional-check-failed"; }

}  // namespace

Result<std::unique_ptr<DynamoDbProgressStore>> DynamoDbProgressStore::Open(
    std::shared_ptr<aws::dynamodb::Client> client, std::string table, Options options) {
  if (Status checked = CheckTable(*client, table); !checked.ok()) return std::move(checked).error();
  return std::unique_ptr<DynamoDbProgressStore>(
      new DynamoDbProgressStore(std::move(client), std::move(table), options));
}

DynamoDbProgressStore::DynamoDbProgressStore(std::shared_ptr<aws::dynamodb::Client> client,
                                             std::string table, Options options)
    : client_(std::move(client)), table_(std::move(table)), options_(options) {
  const int workers = std::max(options_.workers, 1);
  workers_.reserve(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
}

DynamoDbProgressStore::~DynamoDbProgressStore() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void DynamoDbProgressStore::SubmitAttempt(AttemptRequest request, PlanFn plan, RenderFn render,
                                          AttemptDone done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < static_cast<size_t>(std::max(options_.max_queued, 1))) {
      queue_.push_back(
          Job{std::move(request), std::move(plan), std::move(render), std::move(done)});
      queued_.notify_one();
      return;
    }
  }
  Error busy = Error::Unavailable("too many attempts are waiting for the store; try again");
  busy.retry_after = 1;
  done(std::move(busy));
}

void DynamoDbProgressStore::Work() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.done(Submit(job));
  }
}

Result<AttemptOutcome> DynamoDbProgressStore::Submit(const Job& job) {
  const AttemptRequest& request = job.request;
  const std::string pk = LearnerKey(request.user_id);
  const std::string sk = ExerciseSk(request.course, request.exercise);
  const bool keyed = !request.idempotency_key.empty();
  // The attempt of a round whose conditional write failed. A write whose reply was lost is sent
  // again by the client and then fails its own condition, so the next round first looks for this
  // attempt in the log: found, it is ours and stands; not found, another write came first.
  std::optional<LoggedAttempt> pending;

  for (int round = 0; round < kMaxRounds; ++round) {
    Result<std::vector<Item>> read =
        client_->BatchGet(table_, {Key(pk, sk), Key(pk, "TOTALS"), Key("CONFIG", "KEYS")}, true);
    if (!read.ok()) return std::move(read).error();
    const Item* exercise_item = nullptr;
    std::optional<Item> totals_item;
    int64_t forget_before = std::numeric_limits<int64_t>::min();
    for (const Item& item : *read) {
      const std::string item_sk = Str(item, "sk");
      if (item_sk == sk) exercise_item = &item;
      if (item_sk == "TOTALS" && Str(item, "pk") == pk) totals_item = item;
      if (item_sk == "KEYS" && Str(item, "pk") == "CONFIG") {
        forget_before = attr::GetInt(item, "forget_before").value_or(forget_before);
      }
    }

    if (pending && exercise_item != nullptr &&
        Logged(*exercise_item, pending->attempt.attempt_id)) {
      CountInTotals(job, pk, sk, *pending, std::move(totals_item), forget_before);
      return AttemptOutcome{false, std::move(pending->response)};
    }

    if (keyed) {
      std::optional<LoggedAttempt> stored;
      std::string stored_sk = sk;
      if (exercise_item != nullptr) {
        stored = FindKey(*exercise_item, request.idempotency_key, forget_before);
      }
      const Item* keys = totals_item ? attr::GetM(*totals_item, "keys") : nullptr;
      const json::value* known = keys ? keys->if_contains(request.idempotency_key) : nullptr;
      const json::object* entry = known ? EntryOf(*known) : nullptr;
      if (!stored && entry != nullptr && attr::GetInt(*entry, "at").value_or(0) >= forget_before) {
        if (attr::GetS(*entry, "hash") != request.request_hash) return IdempotencyKeyReused();
        // The key's attempt was on another exercise (the same body would have named this one).
        stored_sk = Str(*entry, "ref");
        Result<std::optional<Item>> other = client_->GetItem(table_, Key(pk, stored_sk), true);
        if (!other.ok()) return std::move(other).error();
        if (*other) stored = FindKey(**other, request.idempotency_key, forget_before);
      }
      if (stored) {
        if (stored->hash != request.request_hash) return IdempotencyKeyReused();
        // The attempt stands; if its totals were never written (the write before them lost its
        // reply, and the client gave up), they are written now, once.
        if (stored_sk == sk &&
            (!totals_item || !Counted(*totals_item, stored->attempt.attempt_id))) {
          CountInTotals(job, pk, sk, *stored, std::move(totals_item), forget_before);
        }
        return AttemptOutcome{true, std::move(stored->response)};
      }
    }

    const ExerciseState before = exercise_item ? ReadState(*exercise_item) : ExerciseState{};
    const LearnerTotals totals = totals_item ? ReadTotals(*totals_item) : LearnerTotals{};
    Result<AttemptPlan> plan = job.plan(before, totals);
    if (!plan.ok()) return std::move(plan).error();
    std::string response = job.render(*plan);

    const int64_t version = exercise_item ? attr::GetInt(*exercise_item, "ver").value_or(0) : 0;
    const int64_t totals_version = totals_item ? attr::GetInt(*totals_item, "ver").value_or(0) : 0;
    json::array log = PrunedLog(exercise_item, forget_before);
    log.push_back(attr::M(LogEntry(request, plan->attempt, before, totals_version + 1, response)));

    Item item = Key(pk, sk);
    item["course"] = attr::S(request.course);
    item["exercise"] = attr::S(request.exercise);
    item["lesson"] = attr::S(request.lesson);
    WriteState(item, plan->after, request.user_id, request.course, request.exercise, true);
    item["ver"] = attr::N(version + 1);
    item["log"] = attr::L(std::move(log));
    if (json::serialize(item).size() > kMaxItemBytes) {
      return Error::Conflict("this learner has more attempts on exercise " + request.exercise +
                             " than the store keeps for one exercise");
    }

    json::object put{{"TableName", table_}, {"Item", std::move(item)}};
    if (exercise_item != nullptr) {
      put["ConditionExpression"] = "ver = :ver";
      put["ExpressionAttributeValues"] = json::object{{":ver", attr::N(version)}};
    } else {
      put["ConditionExpression"] = "attribute_not_exists(pk)";
    }
    LoggedAttempt attempt{plan->attempt, before, keyed ? request.request_hash : "",
                          std::move(response)};
    Result<json::object> written = client_->Call("PutItem", std::move(put));
    if (!written.ok()) {
      if (!IsConditionFailure(written.error())) return std::move(written).error();
      pending = std::move(attempt);  // ours, retried after a lost reply, or another's: see above
      continue;
    }
    CountInTotals(job, pk, sk, attempt, std::move(totals_item), forget_before, plan->totals_after);
    return AttemptOutcome{false, std::move(attempt.response)};
  }
  Error busy = Error::Unavailable("too many concurrent attempts on this exercise; try again");
  busy.retry_after = 1;
  return busy;
}

void DynamoDbProgressStore::CountInTotals(const Job& job, const std::string& pk,
                                          const std::string& sk, const LoggedAttempt& attempt,
                                          std::optional<Item> totals, int64_t forget_before,
                                          std::optional<LearnerTotals> planned) {
  const AttemptRequest& request = job.request;
  Status written = Error::Unavailable("the learner's totals kept changing");
  for (int round = 0; round < kMaxTotalsRounds; ++round) {
    // Counted already: a write of ours whose reply was lost, or an earlier request's.
    if (totals && Counted(*totals, attempt.attempt.attempt_id)) return;
    // The store applies no rules of its own: PlanFn says what the attempt does to these totals
    // (planned already, on the first round of a fresh attempt).
    LearnerTotals after;
    if (planned) {
      after = *std::exchange(planned, std::nullopt);
    } else {
      Result<AttemptPlan> plan =
          job.plan(attempt.prior, totals ? ReadTotals(*totals) : LearnerTotals{});
      if (!plan.ok()) {
        written = std::move(plan).error();
        break;
      }
      after = plan->totals_after;
    }
    const int64_t ver = totals ? attr::GetInt(*totals, "ver").value_or(0) : 0;
    Item next = Key(pk, "TOTALS");
    next["xp"] = attr::N(after.xp);
    next["streak_length"] = attr::N(static_cast<int64_t>(after.streak.length));
    next["streak_last_day"] = attr::N(after.streak.last_day);
    next["ver"] = attr::N(ver + 1);
    Item keys;
    if (const Item* old = totals ? attr::GetM(*totals, "keys") : nullptr) {
      for (const auto& [name, value] : *old) {
        const json::object* old_entry = EntryOf(value);
        if (old_entry && attr::GetInt(*old_entry, "at").value_or(0) >= forget_before) {
          keys[name] = value;
        }
      }
    }
    if (!request.idempotency_key.empty()) {
      keys[request.idempotency_key] = attr::M(Item{{"hash", attr::S(attempt.hash)},
                                                   {"ref", attr::S(sk)},
                                                   {"at", attr::N(attempt.attempt.created_at)}});
    }
    next["keys"] = attr::M(std::move(keys));
    json::array applied;
    if (const json::array* old = totals ? attr::GetL(*totals, "applied") : nullptr) {
      const size_t keep = std::min(old->size(), kMaxAppliedIds - 1);
      for (auto it = old->end() - static_cast<std::ptrdiff_t>(keep); it != old->end(); ++it) {
        applied.push_back(*it);
      }
    }
    applied.push_back(attr::S(attempt.attempt.attempt_id));
    next["applied"] = json::object{{"L", std::move(applied)}};

    json::object put{{"TableName", table_}, {"Item", std::move(next)}};
    if (totals) {
      put["ConditionExpression"] = "ver = :ver";
      put["ExpressionAttributeValues"] = json::object{{":ver", attr::N(ver)}};
    } else {
      put["ConditionExpression"] = "attribute_not_exists(pk)";
    }
    Result<json::object> done = client_->Call("PutItem", std::move(put));
    if (done.ok()) return;
    written = std::move(done).error();
    if (!IsConditionFailure(written.error())) break;
    // Another attempt of this learner moved the totals, or our own write landed unheard: read
    // them again (the check at the top tells the two apart).
    Result<std::optional<Item>> fresh = client_->GetItem(table_, Key(pk, "TOTALS"), true);
    if (!fresh.ok()) {
      written = std::move(fresh).error();
      break;
    }
    totals = std::move(fresh).value();
  }
  log::Warn("attempt stored, learner totals not updated",
            {{"attempt_id", attempt.attempt.attempt_id}, {"error", written.error().message}});
}

Result<int> DynamoDbProgressStore::RecordHint(std::string_view user_id, std::string_view course,
                                              std::string_view lesson, std::string_view exercise,
                                              int hint_count) {
  if (hint_count < 1) return NoMoreHints();
  Result<json::object> updated = client_->Call(
      "UpdateItem",
      json::object{
          {"TableName", table_},
          {"Key", Key(LearnerKey(user_id), ExerciseSk(course, exercise))},
          {"UpdateExpression",
           "SET lesson = :lesson, course = :course, exercise = :exercise, "
           "ver = if_not_exists(ver, :zero) + :one ADD hints_used :one"},
          {"ConditionExpression", "attribute_not_exists(hints_used) OR hints_used < :count"},
          {"ExpressionAttributeValues",
           json::object{{":lesson", attr::S(lesson)},
                        {":course", attr::S(course)},
                        {":exercise", attr::S(exercise)},
                        {":zero", attr::N(int64_t{0})},
                        {":one", attr::N(int64_t{1})},
                        {":count", attr::N(static_cast<int64_t>(hint_count))}}},
          {"ReturnValues", "UPDATED_NEW"}});
  if (!updated.ok() && updated.error().type == "conditional-check-failed") return NoMoreHints();
  if (!updated.ok()) return std::move(updated).error();
  const json::value* attributes = updated->if_contains("Attributes");
  const std::optional<int64_t> hints = attributes && attributes->is_object()
                                           ? attr::GetInt(attributes->get_object(), "hints_used")
                                           : std::nullopt;
  if (!hints) return Error::Internal("DynamoDB UpdateItem returned no hint count");
  return static_cast<int>(*hints);
}

Result<ExerciseState> DynamoDbProgressStore::GetExerciseState(std::string_view user_id,
                                                              std::string_view course,
                                                              std::string_view exercise) {
  Result<std::optional<Item>> item =
      client_->GetItem(table_, Key(LearnerKey(user_id), ExerciseSk(course, exercise)), true);
  if (!item.ok()) return std::move(item).error();
  return *item ? ReadState(**item) : ExerciseState{};
}

Result<std::vector<ExerciseProgressRow>> DynamoDbProgressStore::GetCourseProgress(
    std::string_view user_id, std::string_view course) {
  Result<std::vector<Item>> items = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk AND begins_with(sk, :prefix)"},
      {"ProjectionExpression",
       "exercise, lesson, attempts, best_score, solved, hints_used, has_card, stability, "
       "difficulty, due, last_review, reps, lapses"},
      {"ExpressionAttributeValues", json::object{{":pk", attr::S(LearnerKey(user_id))},
                                                 {":prefix", attr::S(ExercisePrefix(course))}}},
      {"ConsistentRead", true}});
  if (!items.ok()) return std::move(items).error();
  std::vector<ExerciseProgressRow> rows;
  for (const Item& item : *items) {  // sk order is exercise id order
    rows.push_back({Str(item, "lesson"), Str(item, "exercise"), ReadState(item)});
  }
  return rows;
}

Result<std::vector<std::string>> DynamoDbProgressStore::ListCourses(std::string_view user_id) {
  Result<std::vector<Item>> items = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk AND begins_with(sk, :prefix)"},
      {"ProjectionExpression", "course"},
      {"ExpressionAttributeValues",
       json::object{{":pk", attr::S(LearnerKey(user_id))}, {":prefix", attr::S("EX#")}}},
      {"ConsistentRead", true}});
  if (!items.ok()) return std::move(items).error();
  std::set<std::string> courses;
  for (const Item& item : *items) courses.insert(Str(item, "course"));
  return std::vector<std::string>(courses.begin(), courses.end());
}

Result<LearnerTotals> DynamoDbProgressStore::GetTotals(std::string_view user_id) {
  Result<std::optional<Item>> item =
      client_->GetItem(table_, Key(LearnerKey(user_id), "TOTALS"), true);
  if (!item.ok()) return std::move(item).error();
  return *item ? ReadTotals(**item) : LearnerTotals{};
}

Result<std::vector<DueCard>> DynamoDbProgressStore::DueCards(std::string_view user_id, int64_t now,
                                                             int limit) {
  if (Status s = CheckDueCardsLimit(limit); !s.ok()) return std::move(s).error();
  // Index keys of cards due at or before `now` sort below the key of "due now + 1".
  Result<json::object> page = client_->Call(
      "Query", json::object{{"TableName", table_},
                            {"IndexName", kDueIndex},
                            {"KeyConditionExpression", "gsi1pk = :learner AND gsi1sk < :bound"},
                            {"ExpressionAttributeValues",
                             json::object{{":learner", attr::S("DUE#" + std::string(user_id))},
                                          {":bound", attr::S(DueSortKey(now + 1, "", ""))}}},
                            {"Limit", limit}});
  if (!page.ok()) return std::move(page).error();
  std::vector<DueCard> cards;
  if (const json::value* items = page->if_contains("Items"); items && items->is_array()) {
    for (const json::value& value : items->get_array()) {
      if (!value.is_object()) continue;
      const Item& item = value.get_object();
      cards.push_back(
          DueCard{Str(item, "course"), Str(item, "lesson"), Str(item, "exercise"), ReadCard(item)});
    }
  }
  return cards;
}

Status DynamoDbProgressStore::SaveCard(std::string_view user_id, std::string_view course,
                                       std::string_view exercise, const domain::Card& card) {
  Result<json::object> updated = client_->Call(
      "UpdateItem",
      json::object{
          {"TableName", table_},
          {"Key", Key(LearnerKey(user_id), ExerciseSk(course, exercise))},
          {"UpdateExpression",
           "SET stability = :stability, difficulty = :difficulty, due = :due, "
           "last_review = :last_review, reps = :reps, lapses = :lapses, gsi1sk = :due_key, "
           "ver = ver + :one"},
          {"ConditionExpression", "has_card = :true"},
          {"ExpressionAttributeValues",
           json::object{{":stability", attr::N(card.stability)},
                        {":difficulty", attr::N(card.difficulty)},
                        {":due", attr::N(card.due)},
                        {":last_review", attr::N(card.last_review)},
                        {":reps", attr::N(static_cast<int64_t>(card.reps))},
                        {":lapses", attr::N(static_cast<int64_t>(card.lapses))},
                        {":due_key", attr::S(DueSortKey(card.due, course, exercise))},
                        {":one", attr::N(int64_t{1})},
                        {":true", attr::Bool(true)}}}});
  if (!updated.ok()) {
    if (IsConditionFailure(updated.error())) return NoCard(course, exercise);
    return std::move(updated).error();
  }
  return Status::Ok();
}

Result<std::vector<AttemptRecord>> DynamoDbProgressStore::ListAttempts(std::string_view user_id,
                                                                       std::string_view course) {
  Result<std::vector<Item>> items = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk AND begins_with(sk, :prefix)"},
      {"ProjectionExpression", "#log"},
      {"ExpressionAttributeNames", json::object{{"#log", "log"}}},
      {"ExpressionAttributeValues", json::object{{":pk", attr::S(LearnerKey(user_id))},
                                                 {":prefix", attr::S(ExercisePrefix(course))}}},
      {"ConsistentRead", true}});
  if (!items.ok()) return std::move(items).error();
  struct Ordered {
    int64_t seq;
    AttemptRecord record;
  };
  std::vector<Ordered> attempts;
  for (const Item& item : *items) {
    if (const json::array* log = attr::GetL(item, "log")) {
      for (const json::value& value : *log) {
        if (const json::object* entry = EntryOf(value)) {
          attempts.push_back({attr::GetInt(*entry, "seq").value_or(0), ReadEntry(*entry)});
        }
      }
    }
  }
  std::stable_sort(attempts.begin(), attempts.end(), [](const Ordered& a, const Ordered& b) {
    if (a.record.created_at != b.record.created_at)
      return a.record.created_at < b.record.created_at;
    return a.seq < b.seq;
  });
  std::vector<AttemptRecord> records;
  records.reserve(attempts.size());
  for (Ordered& attempt : attempts) records.push_back(std::move(attempt.record));
  return records;
}

Status DynamoDbProgressStore::DeleteLearner(std::string_view user_id) {
  Result<std::vector<Item>> keys = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk"},
      {"ProjectionExpression", "pk, sk"},
      {"ExpressionAttributeValues", json::object{{":pk", attr::S(LearnerKey(user_id))}}},
      {"ConsistentRead", true}});
  if (!keys.ok()) return std::move(keys).error();
  if (keys->empty()) return Status::Ok();
  return client_->BatchWrite(table_, {}, std::move(keys).value());
}

Status DynamoDbProgressStore::Ping() {
  Result<json::object> item = client_->Probe(
      "GetItem", json::object{{"TableName", table_}, {"Key", Key("CONFIG", "KEYS")}});
  if (!item.ok()) return std::move(item).error();
  return Status::Ok();
}

Status DynamoDbProgressStore::ForgetIdempotencyKeys(int64_t before) {
  // One item instead of a scan of every learner: keys older than the mark are ignored from now
  // on and dropped from each item the next time it is written. The mark only moves forward.
  Result<json::object> updated = client_->Call(
      "UpdateItem",
      json::object{
          {"TableName", table_},
          {"Key", Key("CONFIG", "KEYS")},
          {"UpdateExpression", "SET forget_before = :before"},
          {"ConditionExpression", "attribute_not_exists(forget_before) OR forget_before < :before"},
          {"ExpressionAttributeValues", json::object{{":before", attr::N(before)}}}});
  if (!updated.ok() && !IsConditionFailure(updated.error())) return std::move(updated).error();
  return Status::Ok();
}

}  // namespace practica::store::dynamodb
