// AWS Signature Version 4 (AWS4-HMAC-SHA256): signs a request with an Authorization header
// (Sign) or as a presigned URL (Presign).
//
// Pure functions: no I/O, no clock (the caller passes the time), no shared state, so any thread may
// call them. Errors are values; no Error, and nothing else here, ever contains the secret access
// key or the session token. Checked against both official test suites (tests/aws/sigv4_test.cc).
//
// Not implemented, because no caller needs it yet: S3's rules (the path encoded once, not
// normalized, UNSIGNED-PAYLOAD, chunked uploads), SigV4a, and a cache of derived signing keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace practica::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term credentials
};

// One header line. Names keep their case; a name may repeat, and then its values are signed
// joined by commas in the order given.
struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

// A request as it will travel, independent of the transport.
struct SigningRequest {
  std::string method;  // "GET", "POST", …
  std::string path;    // as sent, raw or percent-encoded ('%' is encoded again); empty means "/"
  std::string query;   // as sent, without the '?'; names and values may be percent-encoded
  Headers headers;     // every header to sign, Host included (required)
  std::string body;
};

struct SigningParams {
  std::string region;     // "eu-west-1"
  std::string service;    // "dynamodb"
  int64_t unix_time = 0;  // becomes X-Amz-Date and the date of the credential scope
  // Remove "." and ".." segments and empty segments from the path before signing: what every
  // service but S3 expects.
  bool normalize_path = true;
  // Header signing only: add x-amz-content-sha256 (the body's hash) and sign it.
  bool sign_body = false;
  // Some services want X-Amz-Security-Token added after signing, outside the signature.
  bool omit_session_token = false;
};

// Lowercase hex of the SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// The 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// The steps of one signature, kept for tests and for debugging a mismatch (AWS's error response
// shows its own canonical request and string to sign).
struct SigningSteps {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lowercase hex
};

struct HeaderSignature {
  // The headers to add to the request, in this order: X-Amz-Security-Token (with a session token),
  // X-Amz-Date, x-amz-content-sha256 (with sign_body), Authorization.
  Headers headers;
  SigningSteps steps;
};

struct QuerySignature {
  // The query to send instead of request.query: the request's own parameters as they were, then
  // X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires, -Security-Token (with a session
  // token) and -Signature, percent-encoded.
  std::string query;
  SigningSteps steps;
};

// Signs `request` with an Authorization header. Invalid, with a reason that quotes no credential:
// - the request: no Host header; a method or header name that is not an HTTP token; a header value
//   with CR, LF or NUL; a path that does not start with '/'; a '%' in the query without two hex
//   digits after it; a part of a signature already there (an Authorization, X-Amz-Date,
//   X-Amz-Security-Token or x-amz-content-sha256 header, an X-Amz-* signing parameter in the
//   query);
// - the credentials or params: an empty secret, a session token with CR, LF or NUL, an access key
//   id, region or service that is empty or not A-Z a-z 0-9 - _ . (they form the credential scope),
//   a time outside the years 1970 to 9999.
Result<HeaderSignature> Sign(const SigningRequest& request, const Credentials& credentials,
                             const SigningParams& params);

// Presigns `request`: the URL stays valid for `expires_seconds` after params.unix_time. Every
// header of the request is signed, so whoever sends the URL must send them too; the body's
// SHA-256 is signed as well; sign_body does not apply. Errors as Sign, and Invalid for
// `expires_seconds` outside 1 to 604800 (AWS's limit, seven days).
Result<QuerySignature> Presign(const SigningRequest& request, const Credentials& credentials,
                               const SigningParams& params, int64_t expires_seconds);

}  // namespace practica::aws
