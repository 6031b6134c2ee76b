#include "aws/dynamodb.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <random>
#include <thread>
#include <utility>

namespace practica::aws::dynamodb {
namespace json = boost::json;

namespace attr {

json::value S(std::string_view text) { return json::object{{"S", text}}; }

json::value N(int64_t number) { return json::object{{"N", std::to_string(number)}}; }

json::value N(double number) {
  char text[32];
  // to_chars without a precision writes the shortest text that parses back to the same double.
  const auto [end, ec] = std::to_chars(text, text + sizeof text, number);
  return json::object{{"N", std::string_view(text, static_cast<size_t>(end - text))}};
}

json::value Bool(bool value) { return json::object{{"BOOL", value}}; }

json::value Null() { return json::object{{"NULL", true}}; }

json::value L(json::array values) { return json::object{{"L", std::move(values)}}; }

json::value M(Item item) { return json::object{{"M", std::move(item)}}; }

namespace {

// The value of `name`'s attribute of type `type` ("S", "N", ...), or nullptr.
const json::value* Typed(const Item& item, std::string_view name, std::string_view type) {
  const json::value* attribute = item.if_contains(name);
  if (attribute == nullptr || !attribute->is_object()) return nullptr;
  return attribute->get_object().if_contains(type);
}

}  // namespace

std::optional<std::string_view> GetS(const Item& item, std::string_view name) {
  const json::value* value = Typed(item, name, "S");
  if (value == nullptr || !value->is_string()) return std::nullopt;
  const json::string& text = value->get_string();
  return std::string_view(text.data(), text.size());
}

std::optional<int64_t> GetInt(const Item& item, std::string_view name) {
  const json::value* value = Typed(item, name, "N");
  if (value == nullptr || !value->is_string()) return std::nullopt;
  const json::string& text = value->get_string();
  int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<double> GetDouble(const Item& item, std::string_view name) {
  const json::value* value = Typed(item, name, "N");
  if (value == nullptr || !value->is_string()) return std::nullopt;
  const json::string& text = value->get_string();
  double number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

std::optional<bool> GetBool(const Item& item, std::string_view name) {
  const json::value* value = Typed(item, name, "BOOL");
  if (value == nullptr || !value->is_bool()) return std::nullopt;
  return value->get_bool();
}

const Item* GetM(const Item& item, std::string_view name) {
  const json::value* value = Typed(item, name, "M");
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

const json::array* GetL(const Item& item, std::string_view name) {
  const json::value* value = Typed(item, name, "L");
  return value != nullptr && value->is_array() ? &value->get_array() : nullptr;
}

}  // namespace attr

namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr int kBatchGetLimit = 100;
constexpr int kBatchWriteLimit = 25;

bool IsThrottling(std::string_view name) {
  return name == "ProvisionedThroughputExceededException" || name == "ThrottlingException" ||
         name == "RequestLimitExceeded" || name == "LimitExceededException";
}

// The Error for a non-2xx reply; `retryable` says whether repeating the request may help.
Error ReplyError(std::string_view operation, const Reply& reply, bool& retryable, bool& throttled) {
  const AwsErrorDetails details = ParseAwsError(reply);
  const std::string_view name = details.type;
  throttled = IsThrottling(name);
  retryable = throttled || reply.status >= 500 || name == "InternalServerError" ||
              name == "ServiceUnavailable" || name == "ServiceUnavailableException";

  std::string message = "DynamoDB " + std::string(operation) + ": ";
  message += name.empty() ? "HTTP " + std::to_string(reply.status) : std::string(name);
  if (!details.message.empty()) message += ": " + details.message;

  Error error{ErrorCode::kUnavailable, std::move(message), {}};
  if (name == "ConditionalCheckFailedException") {
    error.code = ErrorCode::kConflict;
    error.type = "conditional-check-failed";
  } else if (name == "TransactionCanceledException") {
    error.code = ErrorCode::kConflict;
    error.type = "transaction-canceled";
  } else if (name == "ResourceNotFoundException") {
    error.code = ErrorCode::kNotFound;
    error.type = "resource-not-found";
  } else if (name == "ValidationException" || name == "SerializationException") {
    error.code = ErrorCode::kInvalid;
    error.type = "validation";
  } else if (retryable) {
    error.type = "dynamodb-unavailable";
    error.retry_after = 1;
  } else {
    error.type = "dynamodb-refused";
  }
  return error;
}

// Sums ConsumedCapacity (an object, or a list for the batch calls).
double CapacityUnits(const json::object& response) {
  const json::value* consumed = response.if_contains("ConsumedCapacity");
  if (consumed == nullptr) return 0;
  const auto units = [](const json::value& entry) -> double {
    if (!entry.is_object()) return 0;
    const json::value* value = entry.get_object().if_contains("CapacityUnits");
    if (value == nullptr) return 0;
    if (value->is_double()) return value->get_double();
    if (value->is_int64()) return static_cast<double>(value->get_int64());
    if (value->is_uint64()) return static_cast<double>(value->get_uint64());
    return 0;
  };
  if (consumed->is_array()) {
    double total = 0;
    for (const json::value& entry : consumed->get_array()) total += units(entry);
    return total;
  }
  return units(*consumed);
}

std::chrono::milliseconds FullJitter(const RetryPolicy& policy, int retry) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const int64_t ceiling = std::min<int64_t>(
      policy.cap.count(), policy.base.count() * (int64_t{1} << std::min(retry, 20)));
  std::uniform_int_distribution<int64_t> pick(0, std::max<int64_t>(ceiling, 0));
  return std::chrono::milliseconds(pick(random));
}

Error Exhausted(std::string_view operation, Error last) {
  last.code = ErrorCode::kUnavailable;
  last.type = "dynamodb-unavailable";
  last.retry_after = std::max<int64_t>(last.retry_after, 1);
  last.message = "DynamoDB " + std::string(operation) + " kept failing; gave up: " + last.message;
  return last;
}

}  // namespace

Transport MakeTransport(std::shared_ptr<const AwsJsonClient> client) {
  return [client = std::move(client)](std::string_view target, std::string body,
                                      std::chrono::milliseconds timeout) -> Result<Reply> {
    const std::string_view operation = target.substr(target.find('.') + 1);
    const bool read = operation.starts_with("Get") || operation.starts_with("Query") ||
                      operation.starts_with("Scan") || operation.starts_with("BatchGet") ||
                      operation.starts_with("Describe") || operation.starts_with("List");
    Result<AwsResponse> response =
        client->Call(target, std::move(body), std::chrono::steady_clock::now() + timeout, read);
    if (!response.ok()) return std::move(response).error();
    return std::move(response).value();
  };
}

Client::Client(Transport transport, RetryPolicy policy, Sleep sleep)
    : transport_(std::move(transport)),
      policy_(policy),
      sleep_(sleep ? std::move(sleep) : Sleep([](std::chrono::milliseconds wait) {
        std::this_thread::sleep_for(wait);
      })) {}

Result<json::object> Client::Call(std::string_view operation, json::object request) {
  return Counted(operation, std::move(request), policy_);
}

Result<json::object> Client::Probe(std::string_view operation, json::object request) {
  RetryPolicy once = policy_;
  once.max_attempts = 1;
  once.request_timeout = std::min(policy_.request_timeout, std::chrono::milliseconds(1000));
  return Counted(operation, std::move(request), once);
}

Result<json::object> Client::Counted(std::string_view operation, json::object request,
                                     const RetryPolicy& policy) {
  request["ReturnConsumedCapacity"] = "TOTAL";
  const std::string body = json::serialize(request);
  OperationStats counted;
  counted.calls = 1;
  Result<json::object> response = Send(operation, body, policy, counted);
  if (response.ok()) counted.capacity_units = CapacityUnits(*response);
  std::lock_guard lock(stats_mutex_);
  auto it = stats_.find(operation);
  if (it == stats_.end()) it = stats_.emplace(std::string(operation), OperationStats{}).first;
  it->second.calls += counted.calls;
  it->second.requests += counted.requests;
  it->second.throttled += counted.throttled;
  it->second.capacity_units += counted.capacity_units;
  return response;
}

Result<json::object> Client::Send(std::string_view operation, const std::string& body,
                                  const RetryPolicy& policy, OperationStats& counted) {
  std::string target(kTargetPrefix);
  target += operation;
  const auto started = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    ++counted.requests;
    Result<Reply> reply = transport_(target, body, policy.request_timeout);
    Error failure;
    if (reply.ok() && reply->status >= 200 && reply->status < 300) {
      boost::system::error_code ec;
      json::value parsed = json::parse(reply->body, ec);
      if (ec || !parsed.is_object()) {
        return Error::Unavailable("DynamoDB " + std::string(operation) +
                                  ": the response is not a JSON object");
      }
      return std::move(parsed.get_object());
    }
    if (reply.ok()) {
      bool retryable = false;
      bool throttled = false;
      failure = ReplyError(operation, *reply, retryable, throttled);
      if (throttled) ++counted.throttled;
      if (!retryable) return failure;
    } else {
      failure = std::move(reply).error();
      failure.code = ErrorCode::kUnavailable;
    }
    const auto spent = std::chrono::steady_clock::now() - started;
    if (attempt >= policy.max_attempts || spent >= policy.budget) {
      return Exhausted(operation, std::move(failure));
    }
    sleep_(FullJitter(policy, attempt - 1));
  }
}

Result<std::optional<Item>> Client::GetItem(std::string_view table, Item key, bool consistent) {
  json::object request{{"TableName", table}, {"Key", std::move(key)}};
  if (consistent) request["ConsistentRead"] = true;
  Result<json::object> response = Call("GetItem", std::move(request));
  if (!response.ok()) return std::move(response).error();
  json::value* item = response->if_contains("Item");
  if (item == nullptr || !item->is_object()) return std::optional<Item>();
  return std::optional<Item>(std::move(item->get_object()));
}

Result<std::vector<Item>> Client::QueryAll(json::object request) {
  std::vector<Item> items;
  while (true) {
    Result<json::object> page = Call("Query", request);
    if (!page.ok()) return std::move(page).error();
    if (json::value* found = page->if_contains("Items"); found != nullptr && found->is_array()) {
      for (json::value& item : found->get_array()) {
        if (item.is_object()) items.push_back(std::move(item.get_object()));
      }
    }
    json::value* last = page->if_contains("LastEvaluatedKey");
    if (last == nullptr || !last->is_object() || last->get_object().empty()) return items;
    request["ExclusiveStartKey"] = std::move(*last);
  }
}

Result<std::vector<Item>> Client::BatchGet(std::string_view table, std::vector<Item> keys,
                                           bool consistent) {
  std::vector<Item> found;
  size_t next = 0;
  json::array pending;
  int rounds_without_progress = 0;
  while (next < keys.size() || !pending.empty()) {
    while (pending.size() < kBatchGetLimit && next < keys.size()) {
      pending.push_back(std::move(keys[next++]));
    }
    json::object entry{{"Keys", std::move(pending)}};
    if (consistent) entry["ConsistentRead"] = true;
    json::object request{{"RequestItems", json::object{{table, std::move(entry)}}}};
    pending = json::array();
    Result<json::object> response = Call("BatchGetItem", std::move(request));
    if (!response.ok()) return std::move(response).error();
    size_t got = 0;
    if (json::value* responses = response->if_contains("Responses");
        responses != nullptr && responses->is_object()) {
      if (json::value* items = responses->get_object().if_contains(table);
          items != nullptr && items->is_array()) {
        for (json::value& item : items->get_array()) {
          if (item.is_object()) {
            found.push_back(std::move(item.get_object()));
            ++got;
          }
        }
      }
    }
    // Keys DynamoDB did not get to (throughput, response size) come back; ask again.
    if (json::value* unprocessed = response->if_contains("UnprocessedKeys");
        unprocessed != nullptr && unprocessed->is_object()) {
      if (json::value* again = unprocessed->get_object().if_contains(table);
          again != nullptr && again->is_object()) {
        if (json::value* again_keys = again->get_object().if_contains("Keys");
            again_keys != nullptr && again_keys->is_array()) {
          pending = std::move(again_keys->get_array());
        }
      }
    }
    if (!pending.empty()) {
      rounds_without_progress = got == 0 ? rounds_without_progress + 1 : 0;
      if (rounds_without_progress >= policy_.max_attempts) {
        return Error{ErrorCode::kUnavailable,
                     "DynamoDB BatchGetItem left keys unprocessed",
                     {},
                     "dynamodb-unavailable",
                     1};
      }
      sleep_(FullJitter(policy_, rounds_without_progress));
    }
  }
  return found;
}

Status Client::BatchWrite(std::string_view table, std::vector<Item> puts,
                          std::vector<Item> deletes) {
  json::array requests;
  for (Item& item : puts) {
    requests.push_back(json::object{{"PutRequest", json::object{{"Item", std::move(item)}}}});
  }
  for (Item& key : deletes) {
    requests.push_back(json::object{{"DeleteRequest", json::object{{"Key", std::move(key)}}}});
  }
  size_t next = 0;
  json::array pending;
  int rounds_without_progress = 0;
  while (next < requests.size() || !pending.empty()) {
    while (pending.size() < kBatchWriteLimit && next < requests.size()) {
      pending.push_back(std::move(requests[next++]));
    }
    const size_t sent = pending.size();
    json::object request{{"RequestItems", json::object{{table, std::move(pending)}}}};
    pending = json::array();
    Result<json::object> response = Call("BatchWriteItem", std::move(request));
    if (!response.ok()) return std::move(response).error();
    if (json::value* unprocessed = response->if_contains("UnprocessedItems");
        unprocessed != nullptr && unprocessed->is_object()) {
      if (json::value* again = unprocessed->get_object().if_contains(table);
          again != nullptr && again->is_array()) {
        pending = std::move(again->get_array());
      }
    }
    if (!pending.empty()) {
      rounds_without_progress = pending.size() == sent ? rounds_without_progress + 1 : 0;
      if (rounds_without_progress >= policy_.max_attempts) {
        return Error{ErrorCode::kUnavailable,
                     "DynamoDB BatchWriteItem left writes unprocessed",
                     {},
                     "dynamodb-unavailable",
                     1};
      }
      sleep_(FullJitter(policy_, rounds_without_progress));
    }
  }
  return Status::Ok();
}

std::map<std::string, OperationStats, std::less<>> Client::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

void Client::ResetStats() {
  std::lock_guard lock(stats_mutex_);
  stats_.clear();
}

}  // namespace practica::aws::dynamodb
