#include "aws/dynamodb.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <deque>
#include <string>
#include <vector>

namespace practica::aws::dynamodb {
namespace {

namespace json = boost::json;

// A transport that answers from a script and records what it was sent.
class ScriptedTransport {
 public:
  struct Sent {
    std::string target;
    json::object body;
    std::chrono::milliseconds timeout;
  };

  void Reply(int status, std::string body) { replies_.push_back(dynamodb::Reply{status, body}); }
  void Drop() { replies_.push_back(Error::Unavailable("connection reset by peer")); }

  Transport transport() {
    return [this](std::string_view target, std::string body,
                  std::chrono::milliseconds timeout) -> Result<dynamodb::Reply> {
      sent.push_back({std::string(target), json::parse(body).as_object(), timeout});
      if (replies_.empty()) return Error::Internal("the script ran out of replies");
      Result<dynamodb::Reply> next = std::move(replies_.front());
      replies_.pop_front();
      return next;
    };
  }

  std::vector<Sent> sent;

 private:
  std::deque<Result<dynamodb::Reply>> replies_;
};

constexpr const char* kThrottled =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",)"
    R"("message":"The level of configured provisioned throughput for the table was exceeded."})";

class DynamoDbClientTest : public ::testing::Test {
 protected:
  Client MakeClient(RetryPolicy policy = {}) {
    return Client(script_.transport(), policy,
                  [this](std::chrono::milliseconds wait) { waits_.push_back(wait); });
  }

  ScriptedTransport script_;
  std::vector<std::chrono::milliseconds> waits_;
};

TEST(Attributes, BuildAndReadTheWireFormat) {
  Item item{{"pk", attr::S("LEARNER#usr_1")},
            {"n", attr::N(int64_t{-42})},
            {"score", attr::N(0.1)},
            {"solved", attr::Bool(true)},
            {"nothing", attr::Null()},
            {"list", attr::L(json::array{attr::S("a")})},
            {"map", attr::M(Item{{"x", attr::N(int64_t{7})}})}};
  EXPECT_EQ(json::serialize(item.at("n")), R"({"N":"-42"})");
  EXPECT_EQ(json::serialize(item.at("score")), R"({"N":"0.1"})");
  EXPECT_EQ(attr::GetS(item, "pk"), "LEARNER#usr_1");
  EXPECT_EQ(attr::GetInt(item, "n"), -42);
  EXPECT_EQ(attr::GetDouble(item, "score"), 0.1);
  EXPECT_EQ(attr::GetBool(item, "solved"), true);
  ASSERT_NE(attr::GetM(item, "map"), nullptr);
  EXPECT_EQ(attr::GetInt(*attr::GetM(item, "map"), "x"), 7);
  ASSERT_NE(attr::GetL(item, "list"), nullptr);
  EXPECT_EQ(attr::GetL(item, "list")->size(), 1u);
  // Missing attributes, and attributes of another type, read as absent.
  EXPECT_EQ(attr::GetS(item, "n"), std::nullopt);
  EXPECT_EQ(attr::GetInt(item, "pk"), std::nullopt);
  EXPECT_EQ(attr::GetInt(item, "score"), std::nullopt);  // not an integer
  EXPECT_EQ(attr::GetBool(item, "absent"), std::nullopt);
  EXPECT_EQ(attr::GetM(item, "list"), nullptr);
}

TEST(Attributes, DoublesRoundTripExactly) {
  for (const double value : {0.0, 1.0 / 3.0, 1e-300, 123456789.125, -2.5e17}) {
    const Item item{{"v", attr::N(value)}};
    EXPECT_EQ(attr::GetDouble(item, "v"), value);
  }
}

TEST_F(DynamoDbClientTest, SendsTheTargetAndAsksForConsumedCapacity) {
  script_.Reply(200, R"({"Item":{"pk":{"S":"a"}},"ConsumedCapacity":{"CapacityUnits":1.0}})");
  Client client = MakeClient();
  Result<std::optional<Item>> item = client.GetItem("t", Item{{"pk", attr::S("a")}}, true);
  ASSERT_TRUE(item.ok()) << item.error().message;
  ASSERT_TRUE(item->has_value());
  EXPECT_EQ(attr::GetS(**item, "pk"), "a");
  ASSERT_EQ(script_.sent.size(), 1u);
  EXPECT_EQ(script_.sent[0].target, "DynamoDB_20120810.GetItem");
  EXPECT_EQ(script_.sent[0].body.at("ReturnConsumedCapacity"), "TOTAL");
  EXPECT_EQ(script_.sent[0].body.at("ConsistentRead"), true);
  EXPECT_EQ(script_.sent[0].body.at("TableName"), "t");
  const auto stats = client.stats();
  EXPECT_EQ(stats.at("GetItem").calls, 1);
  EXPECT_EQ(stats.at("GetItem").requests, 1);
  EXPECT_DOUBLE_EQ(stats.at("GetItem").capacity_units, 1.0);
}

TEST_F(DynamoDbClientTest, AMissingItemIsNotAnError) {
  script_.Reply(200, R"({"ConsumedCapacity":{"CapacityUnits":0.5}})");
  Client client = MakeClient();
  Result<std::optional<Item>> item = client.GetItem("t", Item{{"pk", attr::S("a")}}, false);
  ASSERT_TRUE(item.ok());
  EXPECT_FALSE(item->has_value());
  EXPECT_FALSE(script_.sent[0].body.contains("ConsistentRead"));
}

TEST_F(DynamoDbClientTest, ThrottlingIsRetriedWithGrowingJitteredWaits) {
  script_.Reply(400, kThrottled);
  script_.Reply(400, kThrottled);
  script_.Reply(500, R"({"__type":"InternalServerError","message":"oops"})");
  script_.Reply(200, R"({"ConsumedCapacity":{"CapacityUnits":1}})");
  Client client = MakeClient({.max_attempts = 5, .base = std::chrono::milliseconds(10)});
  Result<json::object> put = client.Call("PutItem", json::object{{"TableName", "t"}});
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(script_.sent.size(), 4u);
  ASSERT_EQ(waits_.size(), 3u);
  // Full jitter: each wait is somewhere between 0 and base * 2^retry.
  for (size_t i = 0; i < waits_.size(); ++i) {
    EXPECT_GE(waits_[i].count(), 0);
    EXPECT_LE(waits_[i].count(), 10 << i);
  }
  const OperationStats stats = client.stats().at("PutItem");
  EXPECT_EQ(stats.calls, 1);
  EXPECT_EQ(stats.requests, 4);
  EXPECT_EQ(stats.throttled, 2);
}

TEST_F(DynamoDbClientTest, ASpentBudgetIsUnavailableWithRetryAfter) {
  for (int i = 0; i < 3; ++i) script_.Reply(400, kThrottled);
  Client client = MakeClient({.max_attempts = 3});
  Result<json::object> put = client.Call("PutItem", json::object{{"TableName", "t"}});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(put.error().type, "dynamodb-unavailable");
  EXPECT_GE(put.error().retry_after, 1);
  EXPECT_NE(put.error().message.find("ProvisionedThroughputExceededException"), std::string::npos);
  EXPECT_EQ(script_.sent.size(), 3u);
}

TEST_F(DynamoDbClientTest, DroppedConnectionsAreRetriedToo) {
  script_.Drop();
  script_.Reply(200, R"({})");
  Client client = MakeClient();
  EXPECT_TRUE(client.Call("DeleteItem", json::object{{"TableName", "t"}}).ok());
  EXPECT_EQ(script_.sent.size(), 2u);
}

TEST_F(DynamoDbClientTest, ErrorsThatRepeatingCannotFixAreNotRetried) {
  struct Case {
    const char* body;
    ErrorCode code;
    const char* type;
  };
  const Case cases[] = {
      {R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
       R"("message":"The conditional request failed"})",
       ErrorCode::kConflict, "conditional-check-failed"},
      {R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
       R"("message":"Requested resource not found"})",
       ErrorCode::kNotFound, "resource-not-found"},
      {R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})",
       ErrorCode::kInvalid, "validation"},
      {R"({"__type":"com.amazon.coral.service#UnrecognizedClientException",)"
       R"("Message":"The security token included in the request is invalid."})",
       ErrorCode::kUnavailable, "dynamodb-refused"},
  };
  for (const Case& c : cases) {
    script_.Reply(400, c.body);
    Client client = MakeClient();
    const size_t before = script_.sent.size();
    Result<json::object> put = client.Call("PutItem", json::object{{"TableName", "t"}});
    ASSERT_FALSE(put.ok()) << c.body;
    EXPECT_EQ(put.error().code, c.code) << c.body;
    EXPECT_EQ(put.error().type, c.type) << c.body;
    EXPECT_EQ(script_.sent.size(), before + 1) << c.body;
  }
  EXPECT_TRUE(waits_.empty());
}

// AWS's authentication front end (and moto) answers with an XML document, not JSON.
TEST_F(DynamoDbClientTest, AnXmlErrorBodyIsReadToo) {
  script_.Reply(403, "<ErrorResponse><Code>InvalidClientTokenId</Code></ErrorResponse>");
  Client client = MakeClient();
  Result<json::object> put = client.Call("PutItem", json::object{{"TableName", "t"}});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(put.error().message.find("InvalidClientTokenId"), std::string::npos);
  EXPECT_EQ(put.error().type, "dynamodb-refused");
}

TEST_F(DynamoDbClientTest, QueryAllFollowsLastEvaluatedKey) {
  script_.Reply(200, R"({"Items":[{"sk":{"S":"1"}},{"sk":{"S":"2"}}],)"
                     R"("LastEvaluatedKey":{"pk":{"S":"p"},"sk":{"S":"2"}},)"
                     R"("ConsumedCapacity":{"CapacityUnits":0.5}})");
  script_.Reply(200, R"({"Items":[{"sk":{"S":"3"}}],"ConsumedCapacity":{"CapacityUnits":0.5}})");
  Client client = MakeClient();
  Result<std::vector<Item>> items = client.QueryAll(json::object{{"TableName", "t"}});
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ(attr::GetS(items->at(2), "sk"), "3");
  ASSERT_EQ(script_.sent.size(), 2u);
  EXPECT_FALSE(script_.sent[0].body.contains("ExclusiveStartKey"));
  EXPECT_EQ(json::serialize(script_.sent[1].body.at("ExclusiveStartKey")),
            R"({"pk":{"S":"p"},"sk":{"S":"2"}})");
  EXPECT_DOUBLE_EQ(client.stats().at("Query").capacity_units, 1.0);
  EXPECT_EQ(client.stats().at("Query").calls, 2);
}

TEST_F(DynamoDbClientTest, BatchWriteSendsChunksOfTwentyFiveAndRetriesUnprocessedItems) {
  std::vector<Item> puts;
  for (int i = 0; i < 30; ++i) puts.push_back(Item{{"pk", attr::S(std::to_string(i))}});
  // The first chunk comes back with one item unprocessed; it is sent again with the rest.
  script_.Reply(200, R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"0"}}}}]}})");
  script_.Reply(200, R"({"UnprocessedItems":{}})");
  Client client = MakeClient();
  ASSERT_TRUE(client.BatchWrite("t", std::move(puts), {Item{{"pk", attr::S("old")}}}).ok());
  ASSERT_EQ(script_.sent.size(), 2u);
  const json::array& first = script_.sent[0].body.at("RequestItems").at("t").as_array();
  const json::array& second = script_.sent[1].body.at("RequestItems").at("t").as_array();
  EXPECT_EQ(first.size(), 25u);
  EXPECT_EQ(second.size(), 7u);  // the unprocessed one, 5 puts and the delete
  EXPECT_EQ(json::serialize(second[0]), R"({"PutRequest":{"Item":{"pk":{"S":"0"}}}})");
  EXPECT_TRUE(second[6].as_object().contains("DeleteRequest"));
  EXPECT_EQ(waits_.size(), 1u);  // unprocessed items mean the table is busy: back off first
}

TEST_F(DynamoDbClientTest, BatchGetAsksAgainForUnprocessedKeysAndGivesUpWithoutProgress) {
  script_.Reply(200, R"({"Responses":{"t":[{"pk":{"S":"a"}}]},)"
                     R"("UnprocessedKeys":{"t":{"Keys":[{"pk":{"S":"b"}}]}}})");
  script_.Reply(200, R"({"Responses":{"t":[{"pk":{"S":"b"}}]}})");
  Client client = MakeClient();
  Result<std::vector<Item>> items =
      client.BatchGet("t", {Item{{"pk", attr::S("a")}}, Item{{"pk", attr::S("b")}}}, true);
  ASSERT_TRUE(items.ok()) << items.error().message;
  EXPECT_EQ(items->size(), 2u);
  EXPECT_EQ(script_.sent[1].body.at("RequestItems").at("t").at("ConsistentRead"), true);

  for (int i = 0; i < 3; ++i) {
    script_.Reply(200,
                  R"({"Responses":{"t":[]},"UnprocessedKeys":{"t":{"Keys":[{"pk":{"S":"c"}}]}}})");
  }
  Client stingy = MakeClient({.max_attempts = 3});
  Result<std::vector<Item>> stuck = stingy.BatchGet("t", {Item{{"pk", attr::S("c")}}}, false);
  ASSERT_FALSE(stuck.ok());
  EXPECT_EQ(stuck.error().code, ErrorCode::kUnavailable);
}

TEST_F(DynamoDbClientTest, AProbeSendsOneShortRequestAndNeverRetries) {
  script_.Reply(500, R"({"__type":"InternalServerError","message":"oops"})");
  Client client = MakeClient();
  Result<json::object> probed = client.Probe("GetItem", json::object{{"TableName", "t"}});
  ASSERT_FALSE(probed.ok());
  EXPECT_EQ(probed.error().code, ErrorCode::kUnavailable);
  ASSERT_EQ(script_.sent.size(), 1u);
  EXPECT_LE(script_.sent[0].timeout, std::chrono::milliseconds(1000));
  EXPECT_TRUE(waits_.empty());

  script_.Reply(200, R"({})");
  ASSERT_TRUE(client.Call("GetItem", json::object{{"TableName", "t"}}).ok());
  EXPECT_EQ(script_.sent[1].timeout, RetryPolicy{}.request_timeout);
}

}  // namespace
}  // namespace practica::aws::dynamodb
