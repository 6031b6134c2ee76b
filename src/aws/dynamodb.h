// A DynamoDB client speaking the JSON protocol (DynamoDB_20120810.*) over a signed transport.
//
// Requests and items are Boost.JSON objects in DynamoDB's own wire format ({"S": "text"},
// {"N": "12"}, {"M": {...}}, ...): the store adapters write their expressions and items as the
// API documents them, and the Attr helpers below read and build attribute values. The client
// adds what every call needs and nothing else:
//
//   - ReturnConsumedCapacity TOTAL on every call, and the capacity units, calls and HTTP requests
//     counted per operation (stats()), so tests can assert what an API call costs;
//   - errors as values: DynamoDB's exception name becomes an ErrorCode and Error::type (below);
//   - retries of what may succeed when repeated (throttling, 5xx, a dropped connection) with
//     exponential backoff and full jitter, within RetryPolicy's attempts and time budget; then
//     kUnavailable with type "dynamodb-unavailable" and retry_after, which the API answers with
//     503 and Retry-After;
//   - pagination (QueryAll) and the unprocessed keys and items of the batch calls.
//
// A request that timed out may have been applied: callers make writes idempotent (a condition on
// a version attribute, the attempt id kept in the item) and treat a conditional-check failure on
// a retried write accordingly.
//
// Error mapping:
//   ConditionalCheckFailedException        kConflict, type "conditional-check-failed"
//   TransactionCanceledException           kConflict, type "transaction-canceled"
//   ResourceNotFoundException              kNotFound, type "resource-not-found"
//   ValidationException, SerializationException
//                                          kInvalid, type "validation" (a bug in our request)
//   throttling, 5xx, transport failures    retried; then kUnavailable, "dynamodb-unavailable"
//   anything else (signature, access)      kUnavailable, type "dynamodb-refused"
//
// Thread model: every method may be called from any thread, concurrently.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.h"
#include "common/error.h"

namespace practica::aws::dynamodb {

using Item = boost::json::object;

// What a transport returns for one signed POST: the HTTP status, body and headers.
using Reply = AwsResponse;
// Sends one JSON-protocol request ("DynamoDB_20120810.PutItem") and returns the reply, waiting at
// most `timeout`; an Error only when no HTTP response arrived (kUnavailable: connection, timeout).
using Transport = std::function<Result<Reply>(std::string_view target, std::string body,
                                              std::chrono::milliseconds timeout)>;

// The transport over a signed AWS JSON client (aws_client.h). Reads (Get, Query, Scan, BatchGet,
// Describe, List, GetSecretValue) may be sent again by the HTTP client when a kept-alive
// connection turns out dead; writes are left to Client's retries.
Transport MakeTransport(std::shared_ptr<const AwsJsonClient> client);

struct RetryPolicy {
  int max_attempts = 5;                    // HTTP requests per call at most
  std::chrono::milliseconds base{20};      // first backoff's ceiling; doubled per retry
  std::chrono::milliseconds cap{1000};     // ceiling of any one backoff
  std::chrono::milliseconds budget{3000};  // no retry starts after this much time in the call
  std::chrono::milliseconds request_timeout{5000};  // one HTTP request at most
};

// Per operation ("PutItem", ...): calls made, HTTP requests sent (calls + retries), throttled
// replies, and the capacity units DynamoDB reported.
struct OperationStats {
  int64_t calls = 0;
  int64_t requests = 0;
  int64_t throttled = 0;
  double capacity_units = 0;
};

// Attribute values.
namespace attr {
boost::json::value S(std::string_view text);
boost::json::value N(int64_t number);
boost::json::value N(double number);  // shortest text that reads back as the same double
boost::json::value Bool(bool value);
boost::json::value Null();
boost::json::value L(boost::json::array values);
boost::json::value M(Item item);

// Readers: nullopt / nullptr when the attribute is missing or of another type.
std::optional<std::string_view> GetS(const Item& item, std::string_view name);
std::optional<int64_t> GetInt(const Item& item, std::string_view name);
std::optional<double> GetDouble(const Item& item, std::string_view name);
std::optional<bool> GetBool(const Item& item, std::string_view name);
const Item* GetM(const Item& item, std::string_view name);
const boost::json::array* GetL(const Item& item, std::string_view name);
}  // namespace attr

class Client {
 public:
  using Sleep = std::function<void(std::chrono::milliseconds)>;

  // `sleep` waits between retries (tests pass one that records instead).
  explicit Client(Transport transport, RetryPolicy policy = {}, Sleep sleep = {});

  // One operation with retries: `request` as the API documents it; the parsed response.
  Result<boost::json::object> Call(std::string_view operation, boost::json::object request);

  // One request with a short timeout and no retry, for readiness probes: a DynamoDB that does not
  // answer must not hold a probe (and a worker thread) for a whole retry budget.
  Result<boost::json::object> Probe(std::string_view operation, boost::json::object request);

  // GetItem; nullopt when there is no such item.
  Result<std::optional<Item>> GetItem(std::string_view table, Item key, bool consistent);

  // Query with every page fetched (`request` holds TableName, KeyConditionExpression, ...).
  Result<std::vector<Item>> QueryAll(boost::json::object request);

  // BatchGetItem in chunks of 100 keys, unprocessed keys requested again (within the policy);
  // the items found, in no particular order.
  Result<std::vector<Item>> BatchGet(std::string_view table, std::vector<Item> keys,
                                     bool consistent);

  // BatchWriteItem in chunks of 25: puts and deletes (by key), unprocessed ones sent again.
  Status BatchWrite(std::string_view table, std::vector<Item> puts, std::vector<Item> deletes);

  std::map<std::string, OperationStats, std::less<>> stats() const;
  void ResetStats();

 private:
  Result<boost::json::object> Send(std::string_view operation, const std::string& body,
                                   const RetryPolicy& policy, OperationStats& counted);
  Result<boost::json::object> Counted(std::string_view operation, boost::json::object request,
                                      const RetryPolicy& policy);

  Transport transport_;
  RetryPolicy policy_;
  Sleep sleep_;
  mutable std::mutex stats_mutex_;
  std::map<std::string, OperationStats, std::less<>> stats_;
};

}  // namespace practica::aws::dynamodb
