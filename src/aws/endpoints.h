// Where an AWS service is and which region signs for it, read from environment variables the way
// the AWS SDKs read them. Pure functions of an Environment (any thread), plus conveniences that
// read this process's environment.
#pragma once

#include <string>

#include "aws/environment.h"
#include "common/error.h"

namespace practica::aws {

enum class Service { kDynamoDb, kSecretsManager };

// What a signed call needs to reach a service.
struct ServiceEndpoint {
  std::string url;           // "https://dynamodb.eu-west-1.amazonaws.com", or an override as given
  std::string region;        // "eu-west-1", part of every signature
  std::string signing_name;  // "dynamodb", "secretsmanager": the service in the credential scope
};

// AWS_REGION, else AWS_DEFAULT_REGION. Invalid when neither is set, or when the value is not a
// region name (lowercase letters, digits and '-'): it becomes part of a host name.
Result<std::string> ResolveRegion(const Environment& env);

// The region as above, and the URL, first found of:
//   AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL_SECRETS_MANAGER (the service's own override),
//   AWS_ENDPOINT_URL (one override for every service, e.g. a local stand-in),
//   https://dynamodb.{region}.amazonaws.com, https://secretsmanager.{region}.amazonaws.com
//   (amazonaws.com.cn in the China regions, cn-*).
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips both overrides, as in the SDKs. Invalid: no
// region, or an override that is not an http(s) URL (ParseUrl).
Result<ServiceEndpoint> ResolveEndpoint(Service service, const Environment& env);

// The same, from this process's environment (ProcessEnvironment: call at start-up).
Result<ServiceEndpoint> ResolveEndpoint(Service service);

}  // namespace practica::aws
