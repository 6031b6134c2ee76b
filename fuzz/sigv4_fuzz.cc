// SigV4 canonical requests (aws/sigv4.h): the input is a request as the AWS test suites write it
// (request line, header lines, a blank line, the body); it is signed with fixed credentials, by
// header and presigned.
// Invariants: a refusal is kInvalid with a reason that never quotes the secret or the session
// token; a signature is 64 lowercase hex digits, the one in the Authorization header (or the
// presigned query), and equal to an HMAC chain computed here from the string to sign, whose last
// line is the hash of the canonical request; signing is deterministic.
#include <algorithm>
#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "fuzz_check.h"

using practica::aws::Credentials;
using practica::aws::SigningParams;
using practica::aws::SigningRequest;
using practica::fuzz::AsText;
using practica::fuzz::Check;

namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSessionToken = "session-token-for-fuzzing";

SigningRequest ParseRequest(std::string_view text) {
  SigningRequest request;
  size_t at = 0;
  const auto next_line = [&] {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    return line;
  };
  const std::string_view request_line = next_line();
  const size_t first = request_line.find(' ');
  const size_t last = request_line.rfind(' ');
  request.method = request_line.substr(0, first);
  if (first != std::string_view::npos) {
    const std::string_view target =
        request_line.substr(first + 1, last > first ? last - first - 1 : std::string_view::npos);
    const size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string_view::npos) request.query = target.substr(question + 1);
  }
  while (at <= text.size()) {
    const std::string_view line = next_line();
    if (line.empty()) break;
    const size_t colon = line.find(':');
    request.headers.push_back(
        {std::string(line.substr(0, colon)),
         colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1))});
  }
  if (at < text.size()) request.body = text.substr(at);
  return request;
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string LastLine(std::string_view text) {
  const size_t newline = text.rfind('\n');
  return std::string(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

// The signature of `steps` recomputed from its string to sign: AWS's key derivation.
void CheckSteps(const practica::aws::SigningSteps& steps, const SigningParams& params,
                std::string_view date) {
  Check(steps.signature.size() == 64 && IsLowerHex(steps.signature),
        "a signature is 64 lowercase hex digits");
  Check(LastLine(steps.string_to_sign) == practica::aws::Sha256Hex(steps.canonical_request),
        "the string to sign ends with the canonical request's hash");
  using practica::aws::HmacSha256;
  const std::string key = HmacSha256(
      HmacSha256(HmacSha256(HmacSha256("AWS4" + std::string(kSecret), date), params.region),
                 params.service),
      "aws4_request");
  Check(Hex(HmacSha256(key, steps.string_to_sign)) == steps.signature,
        "the signature is the HMAC of the string to sign under the derived key");
}

void CheckRefusal(const practica::Error& error, std::string_view input) {
  Check(error.code == practica::ErrorCode::kInvalid, "a refused request is kInvalid");
  Check(!error.message.empty(), "a refused request says why");
  if (input.find(kSecret) == std::string_view::npos) {
    Check(error.message.find(kSecret) == std::string::npos, "a refusal never quotes the secret");
  }
  if (input.find(kSessionToken) == std::string_view::npos) {
    Check(error.message.find(kSessionToken) == std::string::npos,
          "a refusal never quotes the session token");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = AsText(data, size);
  const SigningRequest request = ParseRequest(input);
  Credentials credentials{"AKIDEXAMPLE", std::string(kSecret), ""};
  if (size % 5 == 0) credentials.session_token = kSessionToken;
  SigningParams params;
  params.region = "us-east-1";
  params.service = "service";
  params.unix_time = 1440938160;  // 20150830T123600Z, the test suites' date
  params.normalize_path = size % 2 == 0;
  params.sign_body = size % 3 == 0;
  constexpr std::string_view kDate = "20150830";

  auto signed_request = practica::aws::Sign(request, credentials, params);
  if (!signed_request) {
    CheckRefusal(signed_request.error(), input);
  } else {
    CheckSteps(signed_request->steps, params, kDate);
    const std::string* authorization = nullptr;
    for (const auto& header : signed_request->headers) {
      if (header.name == "Authorization") authorization = &header.value;
    }
    Check(authorization != nullptr, "a signed request has an Authorization header");
    Check(authorization->starts_with(
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
              "SignedHeaders="),
          "the Authorization header names the credential scope");
    Check(authorization->ends_with(", Signature=" + signed_request->steps.signature),
          "the Authorization header carries the signature");
    auto again = practica::aws::Sign(request, credentials, params);
    Check(again && again->steps.canonical_request == signed_request->steps.canonical_request &&
              again->steps.signature == signed_request->steps.signature,
          "signing is deterministic");
  }

  auto presigned = practica::aws::Presign(request, credentials, params, 1 + size % 604800);
  if (!presigned) {
    CheckRefusal(presigned.error(), input);
    return 0;
  }
  CheckSteps(presigned->steps, params, kDate);
  Check(presigned->query.ends_with("X-Amz-Signature=" + presigned->steps.signature),
        "the presigned query ends with the signature");
  return 0;
}
