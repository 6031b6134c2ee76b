// AWS credentials from where the AWS SDKs look for them, in their order: environment variables,
// the ECS/EKS container credentials endpoint, the EC2 instance metadata service (IMDSv2).
//
// Temporary credentials are cached and fetched again five minutes before they expire; a failed
// refresh keeps the cached ones while they are good. No Error, log line or Describe() ever
// contains a secret access key, a session token or an authorization token.
#pragma once

#include <memory>
#include <string>

#include "aws/environment.h"
#include "aws/sigv4.h"  // Credentials
#include "common/clock.h"
#include "common/error.h"

namespace practica::aws {

class HttpClient;

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // Credentials to sign with now. Thread-safe. Blocks for a fetch (a few seconds at most) when
  // there are no cached credentials or they are about to expire; while one thread fetches, the
  // others keep signing with the cached ones if these are still good. Unavailable when the source
  // cannot be reached or answers nonsense.
  virtual Result<Credentials> GetCredentials() = 0;

  // Where the credentials come from, for a start-up log line: "environment variables",
  // "container credentials endpoint http://169.254.170.2", …
  virtual std::string Describe() const = 0;
};

// The links of the default chain. Each is NotFound when the environment does not configure it and
// Invalid when it configures it wrongly. The HTTP client and the clock must outlive the provider
// (the clock decides when credentials expire; tests pass a FakeClock).

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (optional), read once. Invalid
// when only one of the first two is set.
Result<std::shared_ptr<CredentialsProvider>> MakeEnvironmentProvider(const Environment& env);

// A GET of http://169.254.170.2 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS), else of
// AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity, or anything local), with the content of
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at every fetch: it rotates), else
// AWS_CONTAINER_AUTHORIZATION_TOKEN, as the Authorization header. Because that header is a
// secret, a full URI must be https, or http to a loopback address, "localhost" or the ECS and
// EKS agents' addresses (169.254.170.2, 169.254.170.23, fd00:ec2::23): else Invalid.
Result<std::shared_ptr<CredentialsProvider>> MakeContainerProvider(const Environment& env,
                                                                   std::shared_ptr<HttpClient> http,
                                                                   const Clock& clock);

// IMDSv2 at http://169.254.169.254 (http://[fd00:ec2::254] with
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6, or AWS_EC2_METADATA_SERVICE_ENDPOINT): a session
// token (PUT /latest/api/token), the role name, then the role's credentials. NotFound when
// AWS_EC2_METADATA_DISABLED=true. IMDSv1 (no token) is not tried.
Result<std::shared_ptr<CredentialsProvider>> MakeInstanceMetadataProvider(
    const Environment& env, std::shared_ptr<HttpClient> http, const Clock& clock);

// The default chain: the first of the three links above that the environment configures, and only
// that one from then on. A configured link that fails does not fall through to the next: on ECS
// running on EC2 that would silently swap the task's role for the instance's. NotFound (saying why
// each link was skipped) when none is configured, which needs AWS_EC2_METADATA_DISABLED=true.
Result<std::shared_ptr<CredentialsProvider>> MakeDefaultCredentialsProvider(
    const Environment& env, std::shared_ptr<HttpClient> http, const Clock& clock);

}  // namespace practica::aws
