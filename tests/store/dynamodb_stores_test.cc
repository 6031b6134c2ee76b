// The ContentStore, ProgressStore and AuthoringStore contract suites on a real local DynamoDB:
// moto_server (with SigV4 checks on) or dynalite, started by tests/services/run_with.py, which
// exports AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION and the credentials to sign with. Each test gets a
// table of its own, created through the adapter's own CreateTable.
//
// Plus what only this adapter promises: what an attempt and a progress page cost in DynamoDB
// calls (counted at the client), the table check that `serve` relies on, and that a wrong secret
// is refused by the stand-in (moto only: dynalite checks no signatures).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "authoring_store_contract.h"
#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/dynamodb.h"
#include "aws/endpoints.h"
#include "aws/environment.h"
#include "aws/http_client.h"
#include "content_store_contract.h"
#include "progress_store_contract.h"
#include "store/dynamodb/dynamodb_authoring_store.h"
#include "store/dynamodb/dynamodb_content_store.h"
#include "store/dynamodb/dynamodb_progress_store.h"
#include "store/dynamodb/table.h"

namespace practica::store::dynamodb {
namespace {

using aws::dynamodb::Client;
using testing::AttemptSpec;
using testing::AuthoringStoreContractTest;
using testing::ContentStoreAdapter;
using testing::ContentStoreContractTest;
using testing::ContentStoreHarness;
using testing::PlanOf;
using testing::ProgressStoreAdapter;
using testing::ProgressStoreContractTest;
using testing::ProgressStoreHarness;
using testing::Request;
using testing::SubmitAndWait;

AttemptSpec Spec(std::string attempt_id) {
  AttemptSpec spec;
  spec.attempt_id = std::move(attempt_id);
  return spec;
}

const SystemClock& TheClock() {
  static const SystemClock clock;
  return clock;
}

// A client for the stand-in named by the environment; nullptr (with a test failure saying how to
// run this binary) when there is none.
std::shared_ptr<Client> MakeClient(const aws::Environment& env = aws::ProcessEnvironment()) {
  if (std::getenv("AWS_ENDPOINT_URL_DYNAMODB") == nullptr) {
    ADD_FAILURE() << "no local DynamoDB: run this test through "
                     "tests/services/run_with.py --dynalite (or --moto) -- BINARY";
    return nullptr;
  }
  Result<aws::ServiceEndpoint> endpoint = aws::ResolveEndpoint(aws::Service::kDynamoDb, env);
  Result<std::shared_ptr<aws::HttpClient>> http = aws::HttpClient::Create();
  if (!endpoint.ok() || !http.ok()) {
    ADD_FAILURE() << (endpoint.ok() ? http.error().message : endpoint.error().message);
    return nullptr;
  }
  Result<std::shared_ptr<aws::CredentialsProvider>> credentials =
      aws::MakeDefaultCredentialsProvider(env, *http, TheClock());
  if (!credentials.ok()) {
    ADD_FAILURE() << credentials.error().message;
    return nullptr;
  }
  auto json =
      std::make_shared<const aws::AwsJsonClient>(*endpoint, "1.0", *http, *credentials, TheClock());
  return std::make_shared<Client>(aws::dynamodb::MakeTransport(json));
}

std::string NewTableName() {
  static std::atomic<int> next{0};
  return "practica-test-" + std::to_string(::getpid()) + "-" + std::to_string(next++);
}

// A fresh table (made with CreateTable, as `practica migrate` does) and the client on it.
struct TestTable {
  std::shared_ptr<Client> client;
  std::string name;
};
std::optional<TestTable> MakeTable() {
  std::shared_ptr<Client> client = MakeClient();
  if (!client) return std::nullopt;
  std::string name = NewTableName();
  Result<bool> created = CreateTable(*client, name);
  if (!created.ok()) {
    ADD_FAILURE() << created.error().message;
    return std::nullopt;
  }
  EXPECT_TRUE(*created);
  return TestTable{std::move(client), std::move(name)};
}

class ContentHarness : public ContentStoreHarness {
 public:
  explicit ContentHarness(std::unique_ptr<DynamoDbContentStore> store) : store_(std::move(store)) {}
  ContentStore& store() override { return *store_; }

 private:
  std::unique_ptr<DynamoDbContentStore> store_;
};

std::unique_ptr<ContentStoreHarness> MakeContentHarness() {
  std::optional<TestTable> table = MakeTable();
  if (!table) return nullptr;
  Result<std::unique_ptr<DynamoDbContentStore>> store =
      DynamoDbContentStore::Open(table->client, table->name);
  if (!store.ok()) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::make_unique<ContentHarness>(std::move(store).value());
}

class ProgressHarness : public ProgressStoreHarness {
 public:
  ProgressHarness(std::unique_ptr<DynamoDbProgressStore> store, std::shared_ptr<Client> client)
      : store_(std::move(store)), client_(std::move(client)) {}
  ProgressStore& store() override { return *store_; }
  Client& client() { return *client_; }

 private:
  std::unique_ptr<DynamoDbProgressStore> store_;
  std::shared_ptr<Client> client_;
};

std::unique_ptr<ProgressHarness> MakeProgressHarness() {
  std::optional<TestTable> table = MakeTable();
  if (!table) return nullptr;
  Result<std::unique_ptr<DynamoDbProgressStore>> store =
      DynamoDbProgressStore::Open(table->client, table->name, {});
  if (!store.ok()) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::make_unique<ProgressHarness>(std::move(store).value(), table->client);
}

class AuthoringHarness : public testing::AuthoringStoreHarness {
 public:
  explicit AuthoringHarness(std::unique_ptr<DynamoDbAuthoringStore> store)
      : store_(std::move(store)) {}
  AuthoringStore& store() override { return *store_; }

 private:
  std::unique_ptr<DynamoDbAuthoringStore> store_;
};

std::unique_ptr<testing::AuthoringStoreHarness> MakeAuthoringHarness() {
  std::optional<TestTable> table = MakeTable();
  if (!table) return nullptr;
  Result<std::unique_ptr<DynamoDbAuthoringStore>> store =
      DynamoDbAuthoringStore::Open(table->client, table->name);
  if (!store.ok()) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::make_unique<AuthoringHarness>(std::move(store).value());
}

INSTANTIATE_TEST_SUITE_P(DynamoDb, AuthoringStoreContractTest,
                         ::testing::Values(testing::AuthoringStoreAdapter{"dynamodb",
                                                                          MakeAuthoringHarness}),
                         testing::AuthoringAdapterName);

INSTANTIATE_TEST_SUITE_P(DynamoDb, ContentStoreContractTest,
                         ::testing::Values(ContentStoreAdapter{"dynamodb", MakeContentHarness}),
                         testing::AdapterName);

INSTANTIATE_TEST_SUITE_P(
    DynamoDb, ProgressStoreContractTest,
    ::testing::Values(ProgressStoreAdapter{
        "dynamodb", []() -> std::unique_ptr<ProgressStoreHarness> { return MakeProgressHarness(); },
        /*refuses_taken_attempt_ids=*/false}),
    testing::ProgressAdapterName);

int64_t Calls(const Client& client, std::string_view operation) {
  const auto stats = client.stats();
  auto it = stats.find(operation);
  return it == stats.end() ? 0 : it->second.calls;
}

TEST(DynamoDbProgressStore, AnAttemptIsOneReadAndTwoConditionalWrites) {
  std::unique_ptr<ProgressHarness> harness = MakeProgressHarness();
  ASSERT_NE(harness, nullptr);
  ASSERT_TRUE(SubmitAndWait(harness->store(), Request("usr_ada", "algebra", "l", "e1", "k1", "A"),
                            PlanOf(Spec("att_1")))
                  .ok());
  harness->client().ResetStats();
  Result<AttemptOutcome> second = SubmitAndWait(
      harness->store(), Request("usr_ada", "algebra", "l", "e1", "k2", "B"), PlanOf(Spec("att_2")));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(Calls(harness->client(), "BatchGetItem"), 1);
  EXPECT_EQ(Calls(harness->client(), "PutItem"), 2);  // the exercise item, then the totals
  EXPECT_EQ(harness->client().stats().size(), 2u);    // and nothing else

  // A replay reads, and writes nothing.
  harness->client().ResetStats();
  Result<AttemptOutcome> replay = SubmitAndWait(
      harness->store(), Request("usr_ada", "algebra", "l", "e1", "k2", "B"), PlanOf(Spec("att_3")));
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(Calls(harness->client(), "BatchGetItem"), 1);
  EXPECT_EQ(Calls(harness->client(), "PutItem"), 0);
}

TEST(DynamoDbProgressStore, ACourseProgressPageIsOneQuery) {
  std::unique_ptr<ProgressHarness> harness = MakeProgressHarness();
  ASSERT_NE(harness, nullptr);
  for (const char* exercise : {"e1", "e2", "e3"}) {
    ASSERT_TRUE(SubmitAndWait(harness->store(), Request("usr_ada", "algebra", "l", exercise),
                              PlanOf(Spec(std::string("att_") + exercise)))
                    .ok());
  }
  harness->client().ResetStats();
  Result<std::vector<ExerciseProgressRow>> rows =
      harness->store().GetCourseProgress("usr_ada", "algebra");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->size(), 3u);
  EXPECT_EQ(Calls(harness->client(), "Query"), 1);
  EXPECT_EQ(harness->client().stats().size(), 1u);
}

TEST(DynamoDbTable, ServeRefusesAMissingOrForeignTable) {
  std::shared_ptr<Client> client = MakeClient();
  ASSERT_NE(client, nullptr);
  Result<std::unique_ptr<DynamoDbContentStore>> missing =
      DynamoDbContentStore::Open(client, "practica-never-created");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(missing.error().message.find("practica migrate"), std::string::npos);

  // A table with another key schema is not taken for ours.
  const std::string foreign = NewTableName();
  ASSERT_TRUE(client
                  ->Call("CreateTable",
                         boost::json::object{
                             {"TableName", foreign},
                             {"BillingMode", "PAY_PER_REQUEST"},
                             {"AttributeDefinitions",
                              boost::json::array{boost::json::object{{"AttributeName", "id"},
                                                                     {"AttributeType", "S"}}}},
                             {"KeySchema", boost::json::array{boost::json::object{
                                               {"AttributeName", "id"}, {"KeyType", "HASH"}}}}})
                  .ok());
  Status checked = CheckTable(*client, foreign);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("not practica's"), std::string::npos);

  // Creating an existing table again is fine (migrate runs on every deploy).
  const std::string ours = NewTableName();
  ASSERT_TRUE(*CreateTable(*client, ours));
  Result<bool> again = CreateTable(*client, ours);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(*again);
  EXPECT_TRUE(CheckTable(*client, ours).ok());
}

// moto_server checks signatures (run_with.py --moto sets PRACTICA_TEST_SIGNATURES_CHECKED);
// dynalite does not, so there this test has nothing to show.
TEST(DynamoDbSignatures, AWrongSecretIsRefusedAndNotRetried) {
  if (std::getenv("PRACTICA_TEST_SIGNATURES_CHECKED") == nullptr) {
    GTEST_SKIP() << "this stand-in does not check signatures";
  }
  aws::Environment env = aws::ProcessEnvironment();
  env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-" + std::to_string(::getpid());
  std::shared_ptr<Client> client = MakeClient(env);
  ASSERT_NE(client, nullptr);
  Result<boost::json::object> listed = client->Call("ListTables", boost::json::object{});
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(listed.error().type, "dynamodb-refused");
  EXPECT_EQ(listed.error().message.find(env["AWS_SECRET_ACCESS_KEY"]), std::string::npos);
  EXPECT_EQ(client->stats().at("ListTables").requests, 1);
  // The right secret works.
  std::shared_ptr<Client> good = MakeClient();
  ASSERT_TRUE(good->Call("ListTables", boost::json::object{}).ok());
}

}  // namespace
}  // namespace practica::store::dynamodb

// Run directly without a stand-in, the binary says how to run it instead of failing every test.
int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const char* endpoint = std::getenv("AWS_ENDPOINT_URL_DYNAMODB");
  if ((endpoint == nullptr || *endpoint == '\0') && !GTEST_FLAG_GET(list_tests)) {
    std::fprintf(stderr,
                 "%s: AWS_ENDPOINT_URL_DYNAMODB is not set. These tests need a local DynamoDB; "
                 "run them with one:\n  python3 tests/services/run_with.py --dynalite -- %s\n"
                 "(or --moto), or through ctest, which does that.\n",
                 argv[0], argv[0]);
    return 2;
  }
  return RUN_ALL_TESTS();
}
