#include "aws/endpoints.h"

#include <algorithm>
#include <string_view>

#include "aws/http_client.h"
#include "common/text.h"

namespace practica::aws {
namespace {

struct ServiceNames {
  std::string_view signing_name;  // also the first label of the default host name
  std::string_view endpoint_variable;
};

ServiceNames NamesOf(Service service) {
  switch (service) {
    case Service::kDynamoDb:
      return {"dynamodb", "AWS_ENDPOINT_URL_DYNAMODB"};
    case Service::kSecretsManager:
      return {"secretsmanager", "AWS_ENDPOINT_URL_SECRETS_MANAGER"};
  }
  return {};
}

bool IsRegionName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

Result<std::string> ResolveRegion(const Environment& env) {
  std::string_view name = "AWS_REGION";
  std::string_view region = GetEnv(env, name);
  if (region.empty()) {
    name = "AWS_DEFAULT_REGION";
    region = GetEnv(env, name);
  }
  if (region.empty()) return Error::Invalid("no AWS region: set AWS_REGION");
  if (!IsRegionName(region)) {
    return Error::Invalid(std::string(name) + " is not a region name such as eu-west-1");
  }
  return std::string(region);
}

Result<ServiceEndpoint> ResolveEndpoint(Service service, const Environment& env) {
  auto region = ResolveRegion(env);
  if (!region) return std::move(region).error();
  const ServiceNames names = NamesOf(service);
  ServiceEndpoint endpoint;
  endpoint.region = *region;
  endpoint.signing_name = names.signing_name;

  if (!EnvIsTrue(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    for (const std::string_view variable :
         {names.endpoint_variable, std::string_view("AWS_ENDPOINT_URL")}) {
      const std::string_view url = GetEnv(env, variable);
      if (url.empty()) continue;
      if (auto parsed = ParseUrl(url); !parsed) {
        return Error::Invalid(std::string(variable) + ": " + parsed.error().message);
      }
      endpoint.url = url;
      return endpoint;
    }
  }
  const std::string_view domain = StartsWith(*region, "cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  endpoint.url =
      "https://" + std::string(names.signing_name) + "." + *region + "." + std::string(domain);
  return endpoint;
}

Result<ServiceEndpoint> ResolveEndpoint(Service service) {
  return ResolveEndpoint(service, ProcessEnvironment());
}

}  // namespace practica::aws
