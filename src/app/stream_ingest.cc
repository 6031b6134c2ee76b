#include "app/stream_ingest.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "common/log.h"
#include "lambda/http_event.h"
#include "store/analytics_ingest.h"
#include "store/dynamodb/dynamodb_progress_store.h"

namespace practica::app {
namespace {

namespace json = boost::json;

Error NotAStreamBatch(std::string message) {
  Error error = Error::Invalid(std::move(message));
  error.type = std::string(lambda::kUnknownEventType);
  return error;
}

const json::array* Records(const json::value& value) {
  const json::object* object = value.if_object();
  const json::value* records = object ? object->if_contains("Records") : nullptr;
  return records ? records->if_array() : nullptr;
}

bool FromDynamoDb(const json::value& record) {
  const json::object* object = record.if_object();
  const json::value* source = object ? object->if_contains("eventSource") : nullptr;
  return source && source->is_string() && source->get_string() == "aws:dynamodb";
}

}  // namespace

bool IsStreamEvent(std::string_view event) {
  boost::system::error_code ec;
  const json::value value = json::parse(event, ec);
  const json::array* records = ec ? nullptr : Records(value);
  return records && !records->empty() && FromDynamoDb(records->front());
}

Result<std::string> IngestStreamBatch(std::string_view event, store::AnalyticsStore& analytics,
                                      const IngestConsumer& then) {
  boost::system::error_code ec;
  const json::value value = json::parse(event, ec);
  const json::array* records = ec ? nullptr : Records(value);
  if (records == nullptr) return NotAStreamBatch("The event is not a DynamoDB Streams batch.");
  store::EventBatch batch;
  int64_t images = 0;
  for (const json::value& record : *records) {
    if (!FromDynamoDb(record)) return NotAStreamBatch("A record is not from DynamoDB Streams.");
    const json::object& fields = record.get_object();
    const json::value* name = fields.if_contains("eventName");
    if (!name || !name->is_string() || name->get_string() == "REMOVE") continue;
    const json::value* change = fields.if_contains("dynamodb");
    const json::value* image =
        change && change->is_object() ? change->get_object().if_contains("NewImage") : nullptr;
    if (image == nullptr || !image->is_object()) continue;  // a KEYS_ONLY stream: nothing to read
    ++images;
    for (const store::StoredAttempt& stored :
         store::dynamodb::AttemptsInImage(image->get_object())) {
      store::EventBatch events = store::IngestAttempt(stored);
      for (auto& attempt : events.attempts) batch.attempts.push_back(std::move(attempt));
      for (auto& activity : events.activity) batch.activity.push_back(std::move(activity));
    }
  }
  if (Status recorded = analytics.Record(batch); !recorded.ok()) return recorded.error();
  if (then) {
    if (Status consumed = then(batch); !consumed.ok()) return consumed.error();
  }
  log::Info("stream batch ingested", {{"records", static_cast<int64_t>(records->size())},
                                      {"images", images},
                                      {"attempts", static_cast<int64_t>(batch.attempts.size())}});
  return std::string(R"({"batchItemFailures":[]})");
}

}  // namespace practica::app
