#include "aws/endpoints.h"

#include <gtest/gtest.h>

namespace practica::aws {
namespace {

TEST(ResolveRegionTest, PrefersAwsRegionOverTheDefault) {
  EXPECT_EQ(*ResolveRegion({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-1"}}),
            "eu-west-1");
  EXPECT_EQ(*ResolveRegion({{"AWS_DEFAULT_REGION", "us-east-1"}}), "us-east-1");
  // An empty value counts as unset, as in the SDKs.
  EXPECT_EQ(*ResolveRegion({{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", "us-east-1"}}), "us-east-1");
}

TEST(ResolveRegionTest, RefusesNoRegionAndWhatCannotBeARegion) {
  for (const Environment& env : {Environment{}, Environment{{"AWS_REGION", "eu-west-1.evil.com"}},
                                 Environment{{"AWS_DEFAULT_REGION", "EU-WEST-1"}}}) {
    const auto region = ResolveRegion(env);
    ASSERT_FALSE(region.ok());
    EXPECT_EQ(region.error().code, ErrorCode::kInvalid);
  }
}

TEST(ResolveEndpointTest, DefaultsToTheRegionalPublicEndpoints) {
  const Environment env = {{"AWS_REGION", "eu-central-1"}};
  const auto dynamodb = ResolveEndpoint(Service::kDynamoDb, env);
  ASSERT_TRUE(dynamodb.ok());
  EXPECT_EQ(dynamodb->url, "https://dynamodb.eu-central-1.amazonaws.com");
  EXPECT_EQ(dynamodb->region, "eu-central-1");
  EXPECT_EQ(dynamodb->signing_name, "dynamodb");

  const auto secrets = ResolveEndpoint(Service::kSecretsManager, env);
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(secrets->url, "https://secretsmanager.eu-central-1.amazonaws.com");
  EXPECT_EQ(secrets->signing_name, "secretsmanager");

  EXPECT_EQ(ResolveEndpoint(Service::kDynamoDb, {{"AWS_REGION", "cn-north-1"}})->url,
            "https://dynamodb.cn-north-1.amazonaws.com.cn");
}

TEST(ResolveEndpointTest, TheServiceOverrideWinsOverTheGeneralOne) {
  Environment env = {{"AWS_REGION", "us-east-1"},
                     {"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                     {"AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"}};
  EXPECT_EQ(ResolveEndpoint(Service::kDynamoDb, env)->url, "http://127.0.0.1:8000");
  EXPECT_EQ(ResolveEndpoint(Service::kSecretsManager, env)->url, "http://127.0.0.1:4566");
  // Overrides keep the region: it still signs the request.
  EXPECT_EQ(ResolveEndpoint(Service::kDynamoDb, env)->region, "us-east-1");

  env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "https://secrets.internal.example";
  EXPECT_EQ(ResolveEndpoint(Service::kSecretsManager, env)->url,
            "https://secrets.internal.example");

  env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "TRUE";
  EXPECT_EQ(ResolveEndpoint(Service::kDynamoDb, env)->url,
            "https://dynamodb.us-east-1.amazonaws.com");
}

TEST(ResolveEndpointTest, RefusesAnOverrideThatIsNotAnHttpUrl) {
  const auto endpoint = ResolveEndpoint(
      Service::kDynamoDb, {{"AWS_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL", "localhost:8000"}});
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalid);
  EXPECT_NE(endpoint.error().message.find("AWS_ENDPOINT_URL"), std::string::npos);

  EXPECT_FALSE(ResolveEndpoint(Service::kDynamoDb, {{"AWS_ENDPOINT_URL", "http://x"}}).ok())
      << "no region";
}

TEST(EnvironmentTest, ReadsThisProcess) {
  const Environment env = ProcessEnvironment();
  EXPECT_FALSE(GetEnv(env, "PATH").empty());
  EXPECT_EQ(GetEnv(env, "PRACTICA_SURELY_UNSET_VARIABLE"), "");
}

}  // namespace
}  // namespace practica::aws
