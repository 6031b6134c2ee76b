#include "aws/credentials.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <ctime>
#include <fstream>
#include <thread>
#include <vector>

#include "aws/http_client.h"
#include "fixture_process.h"

namespace practica::aws {
namespace {

using testing::FixtureProcess;
using testing::StartHttpFixture;
using testing::TempDir;

// "2027-01-15T08:00:00Z" for FakeClock's default time.
std::string UtcTimestamp(int64_t unix_seconds) {
  const std::time_t time = unix_seconds;
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::shared_ptr<HttpClient> MakeHttpClient() { return *HttpClient::Create(); }

TEST(EnvironmentProviderTest, ReadsTheThreeVariables) {
  const auto provider = MakeEnvironmentProvider({{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                                 {"AWS_SECRET_ACCESS_KEY", "secret"},
                                                 {"AWS_SESSION_TOKEN", "token"}});
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  const auto credentials = (*provider)->GetCredentials();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(credentials->secret_access_key, "secret");
  EXPECT_EQ(credentials->session_token, "token");
  EXPECT_EQ((*provider)->Describe(), "environment variables");
}

TEST(EnvironmentProviderTest, IsNotFoundWhenUnsetAndInvalidWhenHalfSet) {
  auto provider = MakeEnvironmentProvider({{"AWS_SESSION_TOKEN", "token"}});
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::kNotFound);

  provider = MakeEnvironmentProvider({{"AWS_SECRET_ACCESS_KEY", "half-secret"}});
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(provider.error().message.find("half-secret"), std::string::npos);
}

// Fake ECS and IMDS endpoints: tests/aws/fixtures/http_fixture.py.
class CredentialsEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture_ = StartHttpFixture();
    ASSERT_NE(fixture_, nullptr);
    base_ = "http://127.0.0.1:" + fixture_->first_line();
  }

  Environment ContainerEnv(std::string token = "") const {
    Environment env = {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", base_ + "/ecs/credentials"}};
    if (!token.empty()) env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token;
    return env;
  }

  std::shared_ptr<CredentialsProvider> Make(const Environment& env) {
    auto provider = MakeDefaultCredentialsProvider(env, http_, clock_);
    EXPECT_TRUE(provider.ok()) << provider.error().message;
    return provider.ok() ? *provider : nullptr;
  }

  // What the credentials routes answer next (see the fixture's /control).
  void Control(const boost::json::object& settings) {
    const auto response = http_->Send(
        {.method = "POST", .url = base_ + "/control", .body = boost::json::serialize(settings)});
    ASSERT_TRUE(response.ok()) << response.error().message;
  }
  void ExpireIn(int64_t seconds) {
    Control({{"expiration", UtcTimestamp(clock_.NowSeconds() + seconds)}});
  }

  // The requests the fixture saw for paths starting with `prefix`.
  std::vector<boost::json::object> Seen(std::string_view prefix) {
    const auto response = http_->Send({.url = base_ + "/log"});
    EXPECT_TRUE(response.ok());
    std::vector<boost::json::object> seen;
    if (!response.ok()) return seen;
    const auto log = boost::json::parse(response->body);
    for (const auto& entry : log.as_array()) {
      if (std::string_view(entry.at("path").as_string()).starts_with(prefix)) {
        seen.push_back(entry.as_object());
      }
    }
    return seen;
  }

  std::string KeyOf(CredentialsProvider& provider) {
    const auto credentials = provider.GetCredentials();
    if (!credentials.ok()) return "error: " + credentials.error().message;
    return credentials->access_key_id;
  }

  std::unique_ptr<FixtureProcess> fixture_;
  std::string base_;
  std::shared_ptr<HttpClient> http_ = MakeHttpClient();
  FakeClock clock_;
};

TEST_F(CredentialsEndpointTest, ChainTakesTheFirstConfiguredLink) {
  Environment env = ContainerEnv();
  env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = base_;
  env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  EXPECT_EQ(KeyOf(*Make(env)), "AKIDENV");

  env.erase("AWS_ACCESS_KEY_ID");
  env.erase("AWS_SECRET_ACCESS_KEY");
  auto container = Make(env);
  EXPECT_EQ(container->Describe(), "container credentials endpoint " + base_);
  EXPECT_EQ(KeyOf(*container), "ASIAECS1");

  env.erase("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  auto imds = Make(env);
  EXPECT_EQ(imds->Describe(), "instance metadata " + base_);
  EXPECT_EQ(KeyOf(*imds), "ASIAIMDS2");  // the fixture counts fetches across both routes

  env["AWS_EC2_METADATA_DISABLED"] = "true";
  const auto none = MakeDefaultCredentialsProvider(env, http_, clock_);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_NE(none.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(none.error().message.find("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), std::string::npos);
  EXPECT_NE(none.error().message.find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
}

TEST_F(CredentialsEndpointTest, ChainStopsAtAMisconfiguredLink) {
  Environment env = ContainerEnv();
  env["AWS_ACCESS_KEY_ID"] = "AKIDHALF";  // no secret: a mistake, not a reason to try the next
  const auto provider = MakeDefaultCredentialsProvider(env, http_, clock_);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::kInvalid);
}

TEST_F(CredentialsEndpointTest, ContainerSendsTheAuthorizationToken) {
  ExpireIn(3600);
  auto provider = Make(ContainerEnv("Basic container-token"));
  const auto credentials = provider->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAECS1");
  EXPECT_EQ(credentials->secret_access_key, "secret-ecs-1");
  EXPECT_EQ(credentials->session_token, "token-ecs-1");
  const auto seen = Seen("/ecs/");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].at("method").as_string(), "GET");
  EXPECT_EQ(seen[0].at("headers").at("authorization").as_string(), "Basic container-token");
}

TEST_F(CredentialsEndpointTest, ContainerTokenFileWinsAndIsReadAtEveryFetch) {
  TempDir dir;
  const auto file = dir.path() / "token";
  std::ofstream(file) << "file-token-1\n";
  Environment env = ContainerEnv("env-token");
  env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = file.string();
  ExpireIn(3600);
  auto provider = Make(env);
  EXPECT_EQ(KeyOf(*provider), "ASIAECS1");

  std::ofstream(file) << "file-token-2\n";  // EKS rotates the token in place
  clock_.Advance(3600 - 300);
  EXPECT_EQ(KeyOf(*provider), "ASIAECS2");
  const auto seen = Seen("/ecs/");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].at("headers").at("authorization").as_string(), "file-token-1");
  EXPECT_EQ(seen[1].at("headers").at("authorization").as_string(), "file-token-2");
}

TEST_F(CredentialsEndpointTest, RefreshesFiveMinutesBeforeExpiry) {
  // Fractions of a second are allowed in Expiration.
  Control({{"expiration", UtcTimestamp(clock_.NowSeconds() + 3600).insert(19, ".250")}});
  auto provider = Make(ContainerEnv());
  EXPECT_EQ(KeyOf(*provider), "ASIAECS1");
  clock_.Advance(3600 - 301);
  EXPECT_EQ(KeyOf(*provider), "ASIAECS1");  // not due yet: served from the cache
  EXPECT_EQ(Seen("/ecs/").size(), 1u);

  ExpireIn(3600 + 299);  // the next credentials last an hour more
  clock_.Advance(1);
  EXPECT_EQ(KeyOf(*provider), "ASIAECS2");
  clock_.Advance(3000);
  EXPECT_EQ(KeyOf(*provider), "ASIAECS2");
  EXPECT_EQ(Seen("/ecs/").size(), 2u);
}

TEST_F(CredentialsEndpointTest, AFailedRefreshKeepsTheCachedCredentialsUntilTheyExpire) {
  ExpireIn(3600);
  auto provider = Make(ContainerEnv());
  EXPECT_EQ(KeyOf(*provider), "ASIAECS1");

  Control({{"status", 500}, {"body", "{\"SecretAccessKey\": \"leaked-secret\"}"}});
  clock_.Advance(3600 - 200);
  EXPECT_EQ(KeyOf(*provider), "ASIAECS1");
  EXPECT_EQ(KeyOf(*provider), "ASIAECS1");  // within the retry interval: not asked again
  EXPECT_EQ(Seen("/ecs/").size(), 2u);

  clock_.Advance(200 - 30);  // in the last minute: no longer good to sign with
  const auto credentials = provider->GetCredentials();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(credentials.error().message.find("HTTP 500"), std::string::npos)
      << credentials.error().message;
}

TEST_F(CredentialsEndpointTest, ConcurrentCallersShareOneFetch) {
  ExpireIn(3600);
  auto provider = Make(ContainerEnv());
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      const auto credentials = provider->GetCredentials();
      if (!credentials.ok() || credentials->access_key_id != "ASIAECS1") ++wrong;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(Seen("/ecs/").size(), 1u);
}

TEST_F(CredentialsEndpointTest, RefusesAnswersItCannotUseWithoutQuotingThem) {
  auto provider = Make(ContainerEnv());
  for (const char* body :
       {"not json", "[]", R"({"SecretAccessKey": "leaked-secret", "Token": "leaked-token"})",
        R"({"AccessKeyId": "ASIA", "SecretAccessKey": "leaked-secret", "Expiration": "soon"})"}) {
    Control({{"body", body}});
    clock_.Advance(60);  // past the retry interval
    const auto credentials = provider->GetCredentials();
    ASSERT_FALSE(credentials.ok()) << body;
    EXPECT_EQ(credentials.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(credentials.error().message.find("leaked"), std::string::npos)
        << credentials.error().message;
  }
  // Credentials that have already expired are no use either.
  Control({{"body", nullptr}, {"expiration", UtcTimestamp(clock_.NowSeconds() - 1)}});
  clock_.Advance(60);
  EXPECT_FALSE(provider->GetCredentials().ok());
}

TEST_F(CredentialsEndpointTest, ContainerUriMustKeepTheTokenOffTheNetwork) {
  for (const char* uri : {"http://example.com/credentials", "http://10.0.0.1/credentials",
                          "ftp://127.0.0.1/credentials"}) {
    const auto provider =
        MakeContainerProvider({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}, http_, clock_);
    ASSERT_FALSE(provider.ok()) << uri;
    EXPECT_EQ(provider.error().code, ErrorCode::kInvalid);
  }
  for (const char* uri :
       {"https://example.com/credentials", "http://localhost:9/", "http://127.0.0.2/",
        "http://[::1]/", "http://169.254.170.23/v1", "http://[fd00:ec2::23]/v1"}) {
    EXPECT_TRUE(
        MakeContainerProvider({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}, http_, clock_).ok())
        << uri;
  }
  // ECS's relative URI goes to the ECS agent and wins over a full URI.
  const auto ecs =
      MakeContainerProvider({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
                             {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://example.com/"}},
                            http_, clock_);
  ASSERT_TRUE(ecs.ok());
  EXPECT_EQ((*ecs)->Describe(), "container credentials endpoint http://169.254.170.2");
  EXPECT_FALSE(
      MakeContainerProvider({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/x"}}, http_, clock_)
          .ok());
}

TEST_F(CredentialsEndpointTest, InstanceMetadataUsesASessionToken) {
  ExpireIn(3600);
  auto provider = Make({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", base_ + "/"}});
  const auto credentials = provider->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAIMDS1");
  EXPECT_EQ(credentials->secret_access_key, "secret-imds-1");
  EXPECT_EQ(credentials->session_token, "token-imds-1");

  const auto seen = Seen("/latest/");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].at("method").as_string(), "PUT");
  EXPECT_EQ(seen[0].at("path").as_string(), "/latest/api/token");
  EXPECT_EQ(seen[0].at("headers").at("x-aws-ec2-metadata-token-ttl-seconds").as_string(), "21600");
  EXPECT_EQ(seen[1].at("path").as_string(), "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(seen[2].at("path").as_string(),
            "/latest/meta-data/iam/security-credentials/practica-role");
  for (size_t i : {1u, 2u}) {
    EXPECT_EQ(seen[i].at("method").as_string(), "GET");
    EXPECT_EQ(seen[i].at("headers").at("x-aws-ec2-metadata-token").as_string(), "imds-token-1");
  }

  clock_.Advance(3600 - 300);
  EXPECT_EQ(KeyOf(*provider), "ASIAIMDS2");
  EXPECT_EQ(Seen("/latest/").size(), 6u);
}

TEST_F(CredentialsEndpointTest, InstanceMetadataFailureCodeIsAnError) {
  Control({{"body", R"({"Code": "AssumeRoleUnauthorizedAccess", "Message": "no"})"}});
  auto provider = Make({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", base_}});
  const auto credentials = provider->GetCredentials();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(credentials.error().message.find("Code"), std::string::npos)
      << credentials.error().message;
}

TEST(InstanceMetadataProviderTest, EndpointModeAndDisabling) {
  FakeClock clock;
  const auto http = MakeHttpClient();
  const auto ipv6 = MakeInstanceMetadataProvider(
      {{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"}}, http, clock);
  ASSERT_TRUE(ipv6.ok());
  EXPECT_EQ((*ipv6)->Describe(), "instance metadata http://[fd00:ec2::254]");
  EXPECT_EQ((*MakeInstanceMetadataProvider({}, http, clock))->Describe(),
            "instance metadata http://169.254.169.254");

  const auto disabled =
      MakeInstanceMetadataProvider({{"AWS_EC2_METADATA_DISABLED", "True"}}, http, clock);
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace practica::aws
