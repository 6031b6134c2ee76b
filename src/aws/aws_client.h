// One call of an AWS JSON-protocol service (DynamoDB, Secrets Manager), signed and sent: the
// piece the service clients build on.
//
// The call is `POST {endpoint path}` with the headers Host, Content-Type
// (application/x-amz-json-1.0 or 1.1), X-Amz-Target ("DynamoDB_20120810.ListTables") and the
// SigV4 ones (X-Amz-Date, X-Amz-Security-Token with temporary credentials, Authorization).
// Thread-safe and blocking, like HttpClient. Retries (throttling, 5xx) are the service client's
// business: it knows which calls may be repeated.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/http_client.h"
#include "common/clock.h"
#include "common/error.h"

namespace practica::aws {

struct AwsResponse {
  int status = 0;
  std::string body = {};
  std::string request_id = {};  // x-amzn-RequestId: what AWS support asks for
  Headers headers = {};

  bool ok() const { return status >= 200 && status < 300; }
};

class AwsJsonClient {
 public:
  // `json_version`: "1.0" for DynamoDB, "1.1" for Secrets Manager. The clock gives X-Amz-Date
  // (AWS refuses signatures more than five minutes off); it and everything shared must outlive
  // the client.
  AwsJsonClient(ServiceEndpoint endpoint, std::string_view json_version,
                std::shared_ptr<HttpClient> http, std::shared_ptr<CredentialsProvider> credentials,
                const Clock& clock);

  // Signs and sends `body` (the operation's JSON input) as operation `target`. Any HTTP status is
  // a response; an Error only when none arrived: the credentials provider's errors, Invalid when
  // the endpoint URL or the target cannot be signed, and HttpClient::Send's errors. `idempotent`
  // lets the HTTP client send the call again on a dropped kept-alive connection: set it for reads.
  Result<AwsResponse> Call(std::string_view target, std::string body, Deadline deadline,
                           bool idempotent = false) const;

 private:
  const ServiceEndpoint endpoint_;
  const std::string content_type_;
  const std::shared_ptr<HttpClient> http_;
  const std::shared_ptr<CredentialsProvider> credentials_;
  const Clock& clock_;
};

// What an error response says: AWS's exception name ("ResourceNotFoundException") and the first
// line of its message. Read from the JSON body ("__type", "message" or "Message"), the
// X-Amzn-ErrorType header, or the XML error document that AWS's authentication front end (and
// moto's) answers with. Only the first line, because a signature mismatch is explained with the
// canonical request, which shows the X-Amz-Security-Token header's value.
struct AwsErrorDetails {
  std::string type;     // "" when the response names none
  std::string message;  // at most 256 bytes
};
AwsErrorDetails ParseAwsError(const AwsResponse& response);

// The project Error for a response that is not 2xx, naming `target`, the status and AWS's
// exception and message:
//   5xx, throttling (ThrottlingException, ProvisionedThroughputExceededException,
//   RequestLimitExceeded, TooManyRequestsException, LimitExceededException)    Unavailable
//   refused credentials or permissions (UnrecognizedClientException,
//   InvalidSignatureException, SignatureDoesNotMatch, IncompleteSignature*,
//   MissingAuthenticationToken*, InvalidClientTokenId, ExpiredToken*,
//   AccessDenied*)                                                             Unavailable
//   ConditionalCheckFailedException, TransactionCanceledException              Conflict
//   ResourceNotFoundException                                                  NotFound
//   ValidationException, SerializationException, InvalidParameterException,
//   InvalidParameterValueException, InvalidRequestException                    Invalid
//   any other 4xx                                                              Internal
// Refused credentials are Unavailable, not Unauthorized or Forbidden: the caller of our API did
// nothing wrong, and the service is down until IAM or the environment is fixed (or the expired
// credentials are refreshed).
Error ToError(const AwsResponse& response, std::string_view target);

}  // namespace practica::aws
