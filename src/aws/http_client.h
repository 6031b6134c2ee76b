// A small synchronous HTTP/1.1 client for AWS endpoints and their local stand-ins: http:// and
// https://, idle keep-alive connections reused, every call bounded by a deadline.
//
// Thread-safe: any number of threads may call Send at once; each call holds its connection alone
// and runs that connection's I/O on the calling thread (no background threads). Send blocks, so it
// belongs on worker or writer threads, never on the server's I/O threads (STYLE.md rule 6).
//
// Boost.Beast, Asio and OpenSSL stay in http_client.cc: this header is cheap to include.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sigv4.h"  // Header, Headers: the signer's header list is what the client sends
#include "common/error.h"

namespace practica::aws {

// An absolute http:// or https:// URL, split the way a connection needs it.
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // a name or an IP address; IPv6 without brackets
  uint16_t port = 0;   // as written, or 80 / 443
  std::string target;  // path and query as written, "/" when the URL has no path

  bool host_is_ip = false;
  // The Host header for this URL: the port only when it is not the scheme's default, an IPv6
  // address in brackets.
  std::string HostHeader() const;
};

// Invalid for anything but an absolute http(s) URL with a host; user info ("user:pass@") and
// fragments are refused, because they would be silently dropped from the request.
Result<Url> ParseUrl(std::string_view url);

struct HttpRequest {
  std::string method = "GET";
  std::string url = {};  // "= {}": callers may leave fields out of designated initializers
  // Sent as given, in order. Host is added from the URL unless present; Content-Length is always
  // set by the client (any given one is refused).
  Headers headers = {};
  std::string body = {};
  // Whether the request may reach the server twice. GET, HEAD, PUT, DELETE and OPTIONS are
  // idempotent by definition (RFC 9110 §9.2.2); set this for a POST that is safe to repeat (an AWS
  // read such as DynamoDB GetItem). Only idempotent requests are retried (see Send).
  bool idempotent = false;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // in the order received
  std::string body;

  // The first value of the named header (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
};

using Deadline = std::chrono::steady_clock::time_point;

struct HttpClientOptions {
  // Name resolution is not covered: it blocks in the system resolver, bounded by its own timeouts
  // (resolv.conf). AWS endpoints and the local stand-ins resolve at once.
  std::chrono::milliseconds connect_timeout{2000};   // TCP connect plus TLS handshake
  std::chrono::milliseconds request_timeout{10000};  // the whole call, for Send without a deadline
  size_t max_body_bytes = 16u << 20;                 // a bigger response body fails the call
  // Idle connections kept per scheme, host and port; more are closed when they come back.
  size_t max_idle_per_host = 8;
  // An idle connection older than this is closed instead of reused: AWS's load balancers drop idle
  // connections after about a minute, and a dropped one costs a failed attempt.
  std::chrono::milliseconds max_idle_time{20000};
  // PEM file of the certificate authorities to trust. Empty: OpenSSL's default paths (Debian:
  // /etc/ssl/certs), which also honour SSL_CERT_FILE and SSL_CERT_DIR, and when those hold no
  // certificate, the first of ca_bundle_fallbacks that loads.
  std::string ca_file = {};
  // OpenSSL's default paths are those of the build that made libcrypto. The Lambda zip
  // (scripts/package-lambda) carries Debian's onto Amazon Linux 2023, which has no /usr/lib/ssl
  // and keeps its bundle in /etc/pki/tls/certs: hence these, tried in order.
  std::vector<std::string> ca_bundle_fallbacks = {
      "/etc/pki/tls/certs/ca-bundle.crt",    // Amazon Linux, Fedora, RHEL
      "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu
  };
};

class HttpClient {
 public:
  // Invalid when options.ca_file cannot be loaded.
  static Result<std::shared_ptr<HttpClient>> Create(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and reads the whole response: any status is a response, not an Error.
  //
  // Errors, none of which quote a header value, the body or the URL's query (they may hold
  // credentials or a presigned signature):
  // - Invalid: a bad URL, a method or header name that is not an HTTP token, a header value with
  //   CR, LF or NUL, a Content-Length header;
  // - Unavailable: name resolution, connect, TLS (handshake, untrusted certificate, a certificate
  //   that does not name the host) or I/O failed, the response was not HTTP, or `deadline` passed
  //   first (the message says "timed out");
  // - Internal: the response body is larger than max_body_bytes (a bigger limit is a
  //   configuration change, and retrying cannot help).
  //
  // Retry: a reused idle connection may have been closed by the server just as the request went
  // out. When such a connection fails before a single byte of response arrives (and not by
  // timing out), an idempotent request is sent once more on a new connection; any other request
  // fails, because the server may have acted on it.
  //
  // TLS: TLS 1.2 or later, with SNI for host names, the certificate chain verified against the
  // trusted authorities and the certificate's names checked against the URL's host (RFC 6125:
  // DNS names, or IP addresses for an IP host).
  Result<HttpResponse> Send(const HttpRequest& request, Deadline deadline);
  // As above, with a deadline of now + options.request_timeout.
  Result<HttpResponse> Send(const HttpRequest& request);

 private:
  class Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace practica::aws
