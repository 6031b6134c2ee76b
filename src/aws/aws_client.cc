#include "aws/aws_client.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <utility>

#include "aws/sigv4.h"
#include "common/text.h"

namespace practica::aws {
namespace {

constexpr size_t kMaxMessageBytes = 256;

constexpr std::array<std::string_view, 5> kThrottling = {
    "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "TooManyRequestsException", "LimitExceededException"};
// Prefixes: services spell them with and without "Exception".
constexpr std::array<std::string_view, 8> kRefusedCredentials = {"UnrecognizedClientException",
                                                                 "InvalidSignatureException",
                                                                 "SignatureDoesNotMatch",
                                                                 "IncompleteSignature",
                                                                 "MissingAuthenticationToken",
                                                                 "InvalidClientTokenId",
                                                                 "ExpiredToken",
                                                                 "AccessDenied"};
constexpr std::array<std::string_view, 5> kInvalidRequest = {
    "ValidationException", "SerializationException", "InvalidParameterException",
    "InvalidParameterValueException", "InvalidRequestException"};

template <size_t N>
bool IsOneOf(std::string_view type, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), type) != names.end();
}

// The first line of `text`, at most kMaxMessageBytes, cut on a UTF-8 character boundary.
std::string FirstLine(std::string_view text) {
  text = TrimWhitespace(text.substr(0, text.find_first_of("\r\n")));
  if (text.size() > kMaxMessageBytes) {
    size_t end = kMaxMessageBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  return std::string(text);
}

// The text between <tag> and </tag>, or "".
std::string_view XmlElement(std::string_view xml, std::string_view tag) {
  // Appended, not "<" + …: GCC 12 warns falsely (-Wrestrict) on that at -O3.
  std::string open = "<";
  open += tag;
  open += '>';
  std::string close = "</";
  close += tag;
  close += '>';
  const size_t start = xml.find(open);
  if (start == std::string_view::npos) return {};
  const size_t end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return {};
  return xml.substr(start + open.size(), end - start - open.size());
}

// An exception name is a token; anything else in its place is not quoted.
std::string ExceptionName(std::string_view text) {
  const bool ok =
      !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
      });
  return ok ? std::string(text) : std::string();
}

}  // namespace

AwsJsonClient::AwsJsonClient(ServiceEndpoint endpoint, std::string_view json_version,
                             std::shared_ptr<HttpClient> http,
                             std::shared_ptr<CredentialsProvider> credentials, const Clock& clock)
    : endpoint_(std::move(endpoint)),
      content_type_("application/x-amz-json-" + std::string(json_version)),
      http_(std::move(http)),
      credentials_(std::move(credentials)),
      clock_(clock) {}

Result<AwsResponse> AwsJsonClient::Call(std::string_view target, std::string body,
                                        Deadline deadline, bool idempotent) const {
  const auto url = ParseUrl(endpoint_.url);
  if (!url) return Error::Invalid("the endpoint URL: " + url.error().message);
  const auto credentials = credentials_->GetCredentials();
  if (!credentials) return credentials.error();

  const size_t query = url->target.find('?');
  SigningRequest signing{
      .method = "POST",
      .path = url->target.substr(0, query),
      .query = query == std::string::npos ? std::string() : url->target.substr(query + 1),
      .headers = {{"Host", url->HostHeader()},
                  {"Content-Type", content_type_},
                  {"X-Amz-Target", std::string(target)}},
      .body = std::move(body)};
  SigningParams params;
  params.region = endpoint_.region;
  params.service = endpoint_.signing_name;
  params.unix_time = clock_.NowSeconds();
  auto signature = Sign(signing, *credentials, params);
  if (!signature) return std::move(signature).error();

  HttpRequest request{.method = "POST",
                      .url = endpoint_.url,
                      .headers = std::move(signing.headers),
                      .body = std::move(signing.body),
                      .idempotent = idempotent};
  for (Header& header : signature->headers) request.headers.push_back(std::move(header));
  auto response = http_->Send(request, deadline);
  if (!response) return std::move(response).error();
  AwsResponse result{.status = response->status,
                     .body = std::move(response->body),
                     .request_id = std::string(response->Header("x-amzn-RequestId")),
                     .headers = std::move(response->headers)};
  return result;
}

AwsErrorDetails ParseAwsError(const AwsResponse& response) {
  AwsErrorDetails details;
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(response.body, ec);
  if (!ec && document.is_object()) {
    const auto& fields = document.as_object();
    const auto text = [&fields](std::string_view name) -> std::string_view {
      const boost::json::value* value = fields.if_contains(name);
      return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                    : std::string_view();
    };
    // "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", or the bare name (then find
    // gives npos, and npos + 1 is 0).
    const std::string_view type = text("__type");
    details.type = ExceptionName(type.substr(type.find('#') + 1));
    details.message = FirstLine(text("message").empty() ? text("Message") : text("message"));
  } else {
    details.type = ExceptionName(XmlElement(response.body, "Code"));
    details.message = FirstLine(XmlElement(response.body, "Message"));
  }
  if (details.type.empty()) {
    // "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/"
    std::string_view header;
    for (const Header& h : response.headers) {
      if (EqualsIgnoreCase(h.name, "X-Amzn-ErrorType")) header = h.value;
    }
    details.type = ExceptionName(header.substr(0, header.find(':')));
  }
  return details;
}

Error ToError(const AwsResponse& response, std::string_view target) {
  const AwsErrorDetails details = ParseAwsError(response);
  const auto has_prefix = [&details](std::string_view prefix) {
    return StartsWith(details.type, prefix);
  };
  const bool refused =
      std::any_of(kRefusedCredentials.begin(), kRefusedCredentials.end(), has_prefix);
  std::string message = std::string(target) + " answered HTTP " + std::to_string(response.status);
  if (!details.type.empty()) message += " " + details.type;
  if (refused) message += " (AWS refused the credentials or their permissions)";
  if (!details.message.empty()) message += ": " + details.message;

  if (response.status >= 500 || IsOneOf(details.type, kThrottling) || refused) {
    return Error::Unavailable(std::move(message));
  }
  if (details.type == "ConditionalCheckFailedException" ||
      details.type == "TransactionCanceledException") {
    return Error::Conflict(std::move(message));
  }
  if (details.type == "ResourceNotFoundException") return Error::NotFound(std::move(message));
  if (IsOneOf(details.type, kInvalidRequest)) return Error::Invalid(std::move(message));
  return Error::Internal(std::move(message));
}

}  // namespace practica::aws
