#include "aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <utility>

#include "common/text.h"

namespace practica::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
// AWS refuses presigned URLs that claim to stay valid for longer than seven days.
constexpr int64_t kMaxExpiresSeconds = 604'800;
// X-Amz-Date has room for a four-digit year only: 9999-12-31T23:59:59Z is the last second.
constexpr int64_t kLastSigningTime = 253'402'300'799;

// What the signer sets itself. A request that already carries one of them was signed before (or
// is about to be signed twice), and AWS would reject the result.
constexpr std::array<std::string_view, 4> kSignatureHeaders = {
    "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"};
constexpr std::array<std::string_view, 7> kSignatureQueryParams = {
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",          "X-Amz-SignedHeaders",
    "X-Amz-Expires",   "X-Amz-Signature",  "X-Amz-Security-Token"};

[[noreturn]] void CryptoFailed(const char* what) {
  // Hashing in memory cannot fail short of a broken OpenSSL installation: a bug, not an input.
  std::fprintf(stderr, "practica: OpenSSL's %s failed\n", what);
  std::abort();
}

// OpenSSL wants non-null pointers even for empty inputs, which a string_view need not have.
const unsigned char* BytesOf(std::string_view text) {
  static constexpr unsigned char kEmpty = 0;
  return text.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(text.data());
}

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0x0F];
  }
  return hex;
}

bool IsUnreserved(unsigned char c) {  // RFC 3986 §2.3
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Percent-encodes every byte but the unreserved ones (and '/', for paths), with the uppercase hex
// digits SigV4 prescribes.
void AppendUriEncoded(std::string& out, std::string_view text, bool keep_slash) {
  static constexpr std::string_view kDigits = "0123456789ABCDEF";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0x0F];
    }
  }
}

std::string UriEncoded(std::string_view text) {
  std::string out;
  AppendUriEncoded(out, text, /*keep_slash=*/false);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// nullopt for a '%' without two hex digits after it. '+' stays '+': SigV4 follows RFC 3986, not
// HTML forms, so a space travels as %20.
std::optional<std::string> PercentDecoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool IsToken(std::string_view text) {  // RFC 9110 §5.6.2
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

// A CR or LF would end the header line early (header injection); a NUL is cut by some servers.
bool BreaksHeaderLine(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Region, service and access key id go into the credential scope, which '/' separates.
bool IsScopePart(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// AWS's "Trimall": no leading or trailing blanks, and one space for each inner run of them.
void AppendTrimmedValue(std::string& out, std::string_view value) {
  bool pending_space = false;
  for (const char c : TrimWhitespace(value)) {
    if (c == ' ' || c == '\t') {
      pending_space = true;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
}

void AppendDigits(std::string& out, unsigned value, int width) {
  std::string digits(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i, value /= 10) {
    digits[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
  }
  out += digits;
}

// "20150830T123600Z". REQUIRES: 0 <= unix_time <= kLastSigningTime.
std::string AmzDate(int64_t unix_time) {
  namespace chrono = std::chrono;
  const chrono::sys_seconds time{chrono::seconds{unix_time}};
  const chrono::sys_days day = chrono::floor<chrono::days>(time);
  const chrono::year_month_day date{day};
  const chrono::hh_mm_ss<chrono::seconds> clock{time - day};
  std::string text;
  AppendDigits(text, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  AppendDigits(text, static_cast<unsigned>(date.month()), 2);
  AppendDigits(text, static_cast<unsigned>(date.day()), 2);
  text += 'T';
  AppendDigits(text, static_cast<unsigned>(clock.hours().count()), 2);
  AppendDigits(text, static_cast<unsigned>(clock.minutes().count()), 2);
  AppendDigits(text, static_cast<unsigned>(clock.seconds().count()), 2);
  text += 'Z';
  return text;
}

// "20150830/us-east-1/service/aws4_request": the date is the first eight characters of X-Amz-Date.
std::string CredentialScope(std::string_view amz_date, const SigningParams& params) {
  std::string scope(amz_date.substr(0, 8));
  scope += '/';
  scope += params.region;
  scope += '/';
  scope += params.service;
  scope += "/aws4_request";
  return scope;
}

std::string CanonicalPath(std::string_view path, bool normalize) {
  std::string out;
  if (path.empty()) path = "/";
  if (!normalize) {
    AppendUriEncoded(out, path, /*keep_slash=*/true);
    return out;
  }
  // RFC 3986 §5.2.4 "remove dot segments", and empty segments too, so "//a//" signs as "/a/".
  std::vector<std::string_view> segments;
  std::string_view last;
  size_t start = 1;  // past the leading '/'
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    last = path.substr(start, end - start);
    if (last == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!last.empty() && last != ".") {
      segments.push_back(last);
    }
    start = end + 1;
  }
  for (const std::string_view segment : segments) {
    out += '/';
    AppendUriEncoded(out, segment, /*keep_slash=*/false);
  }
  // A path that named a folder ("a/", "a/.", "a/b/..") still does.
  if (segments.empty() || last.empty() || last == "." || last == "..") out += '/';
  return out;
}

struct QueryParam {
  std::string name;  // decoded
  std::string value;
};

Result<std::vector<QueryParam>> ParseQuery(std::string_view query) {
  std::vector<QueryParam> params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::optional<std::string> name = PercentDecoded(pair.substr(0, equals));
    std::optional<std::string> value =
        PercentDecoded(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
    if (!name || !value) {
      return Error::Invalid("the query has a '%' not followed by two hex digits");
    }
    params.push_back({std::move(*name), std::move(*value)});
  }
  return params;
}

// Every parameter encoded the one SigV4 way, sorted by name and then value.
std::string CanonicalQuery(const std::vector<QueryParam>& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const QueryParam& param : params) {
    encoded.emplace_back(UriEncoded(param.name), UriEncoded(param.value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

struct CanonicalHeaders {
  std::string lines;  // "name:value\n" for each name, sorted
  std::string names;  // "host;x-amz-date": the SignedHeaders
};

Result<CanonicalHeaders> CanonicalizeHeaders(const Headers& headers) {
  std::map<std::string, std::string> values;  // by lowercase name, so sorted
  for (const Header& header : headers) {
    if (!IsToken(header.name)) return Error::Invalid("a header name is empty or not an HTTP token");
    if (BreaksHeaderLine(header.value)) {
      return Error::Invalid("the value of the header " + header.name + " has a CR, LF or NUL");
    }
    auto [it, inserted] = values.try_emplace(AsciiLower(header.name));
    if (!inserted) it->second += ',';
    AppendTrimmedValue(it->second, header.value);
  }
  if (!values.contains("host")) return Error::Invalid("the request has no Host header");
  CanonicalHeaders canonical;
  for (const auto& [name, value] : values) {
    canonical.lines += name;
    canonical.lines += ':';
    canonical.lines += value;
    canonical.lines += '\n';
    if (!canonical.names.empty()) canonical.names += ';';
    canonical.names += name;
  }
  return canonical;
}

Result<std::string> CanonicalRequest(std::string_view method, std::string_view path,
                                     const std::vector<QueryParam>& query,
                                     const CanonicalHeaders& headers, std::string_view payload_hash,
                                     bool normalize_path) {
  if (!IsToken(method)) return Error::Invalid("the method is empty or not an HTTP token");
  if (!path.empty() && path.front() != '/') return Error::Invalid("the path does not start with /");
  std::string out(method);
  out += '\n';
  out += CanonicalPath(path, normalize_path);
  out += '\n';
  out += CanonicalQuery(query);
  out += '\n';
  out += headers.lines;
  out += '\n';
  out += headers.names;
  out += '\n';
  out += payload_hash;
  return out;
}

Status CheckSigningInputs(const Credentials& credentials, const SigningParams& params) {
  // No message quotes a credential: errors end up in logs.
  if (!IsScopePart(credentials.access_key_id)) {
    return Error::Invalid("the access key id is empty or not A-Z a-z 0-9 - _ .");
  }
  if (credentials.secret_access_key.empty()) {
    return Error::Invalid("the secret access key is empty");
  }
  if (BreaksHeaderLine(credentials.session_token)) {
    return Error::Invalid("the session token has a CR, LF or NUL");
  }
  if (!IsScopePart(params.region) || !IsScopePart(params.service)) {
    return Error::Invalid("the region or the service is empty or not A-Z a-z 0-9 - _ .");
  }
  if (params.unix_time < 0 || params.unix_time > kLastSigningTime) {
    return Error::Invalid("the signing time is outside the years 1970 to 9999");
  }
  return Status::Ok();
}

Status RefuseSignatureParts(const Headers& headers, const std::vector<QueryParam>& query) {
  for (const Header& header : headers) {
    for (const std::string_view reserved : kSignatureHeaders) {
      if (EqualsIgnoreCase(header.name, reserved)) {
        return Error::Invalid("the request already has the header " + header.name +
                              ", which the signer sets");
      }
    }
  }
  for (const QueryParam& param : query) {
    for (const std::string_view reserved : kSignatureQueryParams) {
      if (EqualsIgnoreCase(param.name, reserved)) {
        return Error::Invalid("the query already has the parameter " + std::string(reserved) +
                              ", which the signer sets");
      }
    }
  }
  return Status::Ok();
}

// What Sign and Presign check before anything else; the query, parsed, on success.
Result<std::vector<QueryParam>> CheckedQuery(const SigningRequest& request,
                                             const Credentials& credentials,
                                             const SigningParams& params) {
  if (Status checked = CheckSigningInputs(credentials, params); !checked) {
    return std::move(checked).error();
  }
  Result<std::vector<QueryParam>> query = ParseQuery(request.query);
  if (!query) return query;
  if (Status refused = RefuseSignatureParts(request.headers, *query); !refused) {
    return std::move(refused).error();
  }
  return query;
}

// The string to sign and the signature over a finished canonical request.
SigningSteps Complete(std::string canonical_request, const Credentials& credentials,
                      const SigningParams& params, std::string_view amz_date) {
  SigningSteps steps;
  steps.string_to_sign = std::string(kAlgorithm) + '\n' + std::string(amz_date) + '\n' +
                         CredentialScope(amz_date, params) + '\n' + Sha256Hex(canonical_request);
  steps.canonical_request = std::move(canonical_request);
  // The signing key is a chain of HMACs over the parts of the scope.
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, amz_date.substr(0, 8));
  key = HmacSha256(key, params.region);
  key = HmacSha256(key, params.service);
  key = HmacSha256(key, "aws4_request");
  const std::string signature = HmacSha256(key, steps.string_to_sign);
  steps.signature = Hex(BytesOf(signature), signature.size());
  return steps;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int size = 0;
  if (EVP_Digest(BytesOf(data), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    CryptoFailed("SHA-256");
  }
  return Hex(digest.data(), size);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac;
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), BytesOf(key), static_cast<int>(key.size()), BytesOf(data), data.size(),
           mac.data(), &size) == nullptr) {
    CryptoFailed("HMAC-SHA256");
  }
  return {reinterpret_cast<const char*>(mac.data()), size};
}

Result<HeaderSignature> Sign(const SigningRequest& request, const Credentials& credentials,
                             const SigningParams& params) {
  Result<std::vector<QueryParam>> query = CheckedQuery(request, credentials, params);
  if (!query) return std::move(query).error();

  const std::string amz_date = AmzDate(params.unix_time);
  const std::string payload_hash = Sha256Hex(request.body);
  HeaderSignature result;
  Headers signed_headers = request.headers;
  if (!credentials.session_token.empty()) {
    result.headers.push_back({"X-Amz-Security-Token", credentials.session_token});
    if (!params.omit_session_token) signed_headers.push_back(result.headers.back());
  }
  result.headers.push_back({"X-Amz-Date", amz_date});
  signed_headers.push_back(result.headers.back());
  if (params.sign_body) {
    result.headers.push_back({"x-amz-content-sha256", payload_hash});
    signed_headers.push_back(result.headers.back());
  }

  Result<CanonicalHeaders> headers = CanonicalizeHeaders(signed_headers);
  if (!headers) return std::move(headers).error();
  Result<std::string> canonical = CanonicalRequest(request.method, request.path, *query, *headers,
                                                   payload_hash, params.normalize_path);
  if (!canonical) return std::move(canonical).error();
  result.steps = Complete(std::move(canonical).value(), credentials, params, amz_date);
  result.headers.push_back(
      {"Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + '/' +
                            CredentialScope(amz_date, params) + ", SignedHeaders=" +
                            headers->names + ", Signature=" + result.steps.signature});
  return result;
}

Result<QuerySignature> Presign(const SigningRequest& request, const Credentials& credentials,
                               const SigningParams& params, int64_t expires_seconds) {
  if (expires_seconds < 1 || expires_seconds > kMaxExpiresSeconds) {
    return Error::Invalid("a presigned URL expires after 1 to 604800 seconds");
  }
  Result<std::vector<QueryParam>> query = CheckedQuery(request, credentials, params);
  if (!query) return std::move(query).error();
  Result<CanonicalHeaders> headers = CanonicalizeHeaders(request.headers);
  if (!headers) return std::move(headers).error();

  const std::string amz_date = AmzDate(params.unix_time);
  // In the order the URL carries them (the canonical query sorts them anyway).
  std::vector<QueryParam> added = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key_id + '/' + CredentialScope(amz_date, params)},
      {"X-Amz-Date", amz_date},
      {"X-Amz-SignedHeaders", headers->names},
      {"X-Amz-Expires", std::to_string(expires_seconds)},
  };
  std::vector<QueryParam> signed_query = *query;
  signed_query.insert(signed_query.end(), added.begin(), added.end());
  if (!credentials.session_token.empty()) {
    added.push_back({"X-Amz-Security-Token", credentials.session_token});
    if (!params.omit_session_token) signed_query.push_back(added.back());
  }

  Result<std::string> canonical =
      CanonicalRequest(request.method, request.path, signed_query, *headers,
                       Sha256Hex(request.body), params.normalize_path);
  if (!canonical) return std::move(canonical).error();
  QuerySignature result;
  result.steps = Complete(std::move(canonical).value(), credentials, params, amz_date);
  added.push_back({"X-Amz-Signature", result.steps.signature});
  result.query = request.query;
  for (const QueryParam& param : added) {
    if (!result.query.empty()) result.query += '&';
    result.query += param.name;  // all unreserved characters
    result.query += '=';
    AppendUriEncoded(result.query, param.value, /*keep_slash=*/false);
  }
  return result;
}

}  // namespace practica::aws
