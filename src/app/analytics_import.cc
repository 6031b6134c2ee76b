#include "app/analytics_import.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <fstream>
#include <string>

#include "app/stores.h"
#include "store/analytics_checks.h"

namespace practica::app {
namespace {

namespace json = boost::json;

constexpr size_t kMaxLine = 64 * 1024;
constexpr size_t kBatch = 5000;

// Field readers: `missing` is what an absent optional field gives; a field of the wrong type is
// an error, never a default.
struct Fields {
  const json::object& object;
  std::string problem;

  std::string Text(std::string_view name, bool required = true) {
    const json::value* value = object.if_contains(name);
    if (value == nullptr) {
      if (required && problem.empty()) problem = std::string(name) + " is required";
      return {};
    }
    if (!value->is_string()) {
      if (problem.empty()) problem = std::string(name) + " must be a string";
      return {};
    }
    return std::string(value->get_string());
  }
  int64_t Integer(std::string_view name, std::optional<int64_t> missing = std::nullopt) {
    const json::value* value = object.if_contains(name);
    if (value == nullptr && missing) return *missing;
    if (value == nullptr || !value->is_int64()) {
      if (problem.empty()) problem = std::string(name) + " must be a whole number";
      return 0;
    }
    return value->get_int64();
  }
  double Number(std::string_view name) {
    const json::value* value = object.if_contains(name);
    if (value == nullptr || !value->is_number()) {
      if (problem.empty()) problem = std::string(name) + " must be a number";
      return 0;
    }
    return value->to_number<double>();
  }
  bool Boolean(std::string_view name) {
    const json::value* value = object.if_contains(name);
    if (value == nullptr || !value->is_bool()) {
      if (problem.empty()) problem = std::string(name) + " must be true or false";
      return false;
    }
    return value->get_bool();
  }
};

Error AtLine(const std::filesystem::path& file, int64_t line, std::string_view message) {
  std::string text = file.string();
  text += ':';
  text += std::to_string(line);
  text += ": ";
  text += message;
  return Error::Invalid(std::move(text));
}

}  // namespace

Result<store::EventBatch> ReadEventLines(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error::NotFound("cannot read " + file.string());
  store::EventBatch batch;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (line.size() > kMaxLine) return AtLine(file, number, "the line is longer than 64 KiB");
    boost::system::error_code ec;
    const json::value value = json::parse(line, ec);
    if (ec || !value.is_object()) return AtLine(file, number, "not a JSON object");
    Fields fields{value.get_object(), {}};
    const std::string type = fields.Text("type");
    store::EventBatch one;
    if (type == "attempt") {
      store::AttemptEvent event;
      event.event_id = fields.Text("event_id");
      event.user_id = fields.Text("user_id");
      event.course = fields.Text("course");
      event.lesson = fields.Text("lesson");
      event.exercise = fields.Text("exercise");
      event.exercise_version = fields.Text("exercise_version", false);
      event.attempt_number = static_cast<int>(fields.Integer("attempt_number"));
      event.score = fields.Number("score");
      event.correct = fields.Boolean("correct");
      event.answer = fields.Text("answer", false);
      event.time_taken_ms = fields.Integer("time_taken_ms", -1);
      event.occurred_at = fields.Integer("occurred_at");
      one.attempts.push_back(std::move(event));
    } else if (std::optional<store::ActivityKind> kind = store::ParseActivityKind(type)) {
      store::ActivityEvent event;
      event.kind = *kind;
      event.event_id = fields.Text("event_id");
      event.user_id = fields.Text("user_id");
      event.course = fields.Text("course", false);
      event.lesson = fields.Text("lesson", false);
      event.occurred_at = fields.Integer("occurred_at");
      one.activity.push_back(std::move(event));
    } else if (fields.problem.empty()) {
      fields.problem = "type must be attempt, signup, login, enrolment or lesson_view";
    }
    if (!fields.problem.empty()) return AtLine(file, number, fields.problem);
    if (Status checked = store::CheckEventBatch(one); !checked.ok()) {
      return AtLine(file, number, checked.error().message);
    }
    for (auto& event : one.attempts) {
      if (event.occurred_at < 0) return AtLine(file, number, "occurred_at must not be negative");
      batch.attempts.push_back(std::move(event));
    }
    for (auto& event : one.activity) {
      if (event.occurred_at < 0) return AtLine(file, number, "occurred_at must not be negative");
      batch.activity.push_back(std::move(event));
    }
  }
  if (in.bad()) return Error::Unavailable("error reading " + file.string());
  return batch;
}

Result<int64_t> ImportAnalyticsEvents(const Config& config, const std::filesystem::path& file) {
  Result<store::EventBatch> events = ReadEventLines(file);
  if (!events.ok()) return std::move(events).error();
  StoreFactory stores(config);
  if (Status specs = stores.CheckSpecs(); !specs.ok()) return std::move(specs).error();
  Result<std::unique_ptr<store::AnalyticsStore>> store = stores.OpenAnalytics();
  if (!store.ok()) return std::move(store).error();
  auto write = [&](auto& from, auto store::EventBatch::*member) -> Status {
    for (size_t i = 0; i < from.size(); i += kBatch) {
      store::EventBatch part;
      (part.*member)
          .assign(from.begin() + static_cast<std::ptrdiff_t>(i),
                  from.begin() + static_cast<std::ptrdiff_t>(std::min(i + kBatch, from.size())));
      if (Status recorded = (*store)->Record(part); !recorded.ok()) return recorded;
    }
    return Status::Ok();
  };
  if (Status s = write(events->attempts, &store::EventBatch::attempts); !s.ok()) return s.error();
  if (Status s = write(events->activity, &store::EventBatch::activity); !s.ok()) return s.error();
  return static_cast<int64_t>(events->attempts.size() + events->activity.size());
}

}  // namespace practica::app
