#include "aws/http_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/text.h"

namespace practica::aws {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

namespace {

// Response headers larger than this are not a real AWS response.
constexpr uint32_t kMaxHeaderBytes = 64 * 1024;

bool IsTokenChar(char c) {  // RFC 9110 §5.6.2
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

bool CanSplitAMessage(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool IsIdempotentMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

// One connection and the io_context that runs it. A connection belongs to one caller at a time
// (it is out of the pool while in use) and its I/O runs on that caller's thread, so it needs no
// strand and no lock. Members are destroyed bottom-up: the TLS stream before its socket, the
// socket before its io_context.
struct Connection {
  explicit Connection(ssl::context* tls_context) : socket(io) {
    if (tls_context != nullptr) tls.emplace(socket, *tls_context);
  }

  asio::io_context io{1};
  tcp::socket socket;
  std::optional<ssl::stream<tcp::socket&>> tls;
  beast::flat_buffer buffer;  // what was read past the last response
  SteadyClock::time_point idle_since;
  bool reused = false;
};

// Calls `fn` with the connection's byte stream: TLS or plain TCP.
template <class Fn>
void WithStream(Connection& connection, Fn&& fn) {
  if (connection.tls) {
    fn(*connection.tls);
  } else {
    fn(connection.socket);
  }
}

// Runs the operation that `start` begins on the connection's io_context until it completes or
// `deadline` passes. At the deadline the socket is closed, which ends the operation, and the result
// is timed_out; the connection is then unusable.
template <class Start>
error_code RunUntil(Connection& connection, Deadline deadline, Start&& start) {
  error_code result;
  bool done = false;
  connection.io.restart();
  start([&result, &done](error_code ec) {
    result = ec;
    done = true;
  });
  connection.io.run_until(deadline);
  if (done) return result;
  error_code ignored;
  connection.socket.close(ignored);
  connection.io.restart();
  connection.io.run();  // the aborted operation's handlers, which touch this frame
  return asio::error::timed_out;
}

// Whether an idle connection still looks usable: nothing to read. A readable idle socket means the
// server closed it (EOF or reset) or sent bytes no request asked for; either way it is discarded.
bool IsQuiet(Connection& connection) {
  if (connection.buffer.size() != 0) return false;
  if (connection.tls && SSL_pending(connection.tls->native_handle()) > 0) return false;
  pollfd fd{connection.socket.native_handle(), POLLIN, 0};
  return ::poll(&fd, 1, 0) == 0;
}

// SSL_set_tlsext_host_name, without the macro's C cast.
bool SetServerName(SSL* ssl, const std::string& host) {
  return SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                  const_cast<char*>(host.c_str())) == 1;
}

std::string Milliseconds(SteadyClock::duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count()) +
         " ms";
}

Result<bhttp::request<bhttp::string_body>> BuildMessage(const HttpRequest& request,
                                                        const Url& url) {
  if (!IsToken(request.method)) return Error::Invalid("the HTTP method is not a token");
  bhttp::request<bhttp::string_body> message;
  message.method_string(request.method);
  message.target(url.target);
  message.version(11);
  bool has_host = false;
  for (const Header& header : request.headers) {
    if (!IsToken(header.name)) return Error::Invalid("a header name is not an HTTP token");
    if (CanSplitAMessage(header.value)) {
      return Error::Invalid("the value of header " + header.name + " contains CR, LF or NUL");
    }
    if (EqualsIgnoreCase(header.name, "Content-Length") ||
        EqualsIgnoreCase(header.name, "Transfer-Encoding")) {
      return Error::Invalid("header " + header.name + " is set by the HTTP client");
    }
    has_host = has_host || EqualsIgnoreCase(header.name, "Host");
    message.insert(header.name, header.value);
  }
  if (!has_host) message.set(bhttp::field::host, url.HostHeader());
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

}  // namespace

std::string Url::HostHeader() const {
  const bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string header = ipv6 ? "[" + host + "]" : host;
  if (!default_port) header += ":" + std::to_string(port);
  return header;
}

Result<Url> ParseUrl(std::string_view text) {
  const auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return Error::Invalid("not an absolute URL");
  const boost::urls::url_view& view = *parsed;
  Url url;
  url.scheme = AsciiLower(view.scheme());
  if (url.scheme != "http" && url.scheme != "https") {
    return Error::Invalid("the URL's scheme is not http or https");
  }
  if (view.has_userinfo()) return Error::Invalid("the URL has user information");
  if (view.has_fragment()) return Error::Invalid("the URL has a fragment");
  switch (view.host_type()) {
    case boost::urls::host_type::name:
      // A percent-encoded name would resolve as something other than what it reads as.
      if (view.encoded_host().find('%') != std::string_view::npos) {
        return Error::Invalid("the URL's host is percent-encoded");
      }
      url.host = AsciiLower(view.encoded_host());
      break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      url.host = view.host_address();
      url.host_is_ip = true;
      break;
    default:
      return Error::Invalid("the URL has no usable host");
  }
  if (url.host.empty()) return Error::Invalid("the URL has no host");
  if (view.has_port() && !view.port().empty()) {
    const std::string_view digits = view.port();
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
      return Error::Invalid("the URL's port is not 1 to 65535");
    }
    url.port = static_cast<uint16_t>(port);
  } else {
    url.port = url.scheme == "https" ? 443 : 80;
  }
  url.target = view.encoded_target();
  if (url.target.empty()) url.target = "/";
  if (url.target.front() != '/') url.target.insert(0, "/");
  return url;
}

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const auto& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return header.value;
  }
  return {};
}

class HttpClient::Impl {
 public:
  Impl(HttpClientOptions options, ssl::context tls_context)
      : options_(std::move(options)), tls_context_(std::move(tls_context)) {}

  Result<HttpResponse> Send(const HttpRequest& request, Deadline deadline);
  std::chrono::milliseconds request_timeout() const { return options_.request_timeout; }

 private:
  Result<std::unique_ptr<Connection>> Connect(const Url& url, Deadline deadline,
                                              const std::string& what);
  std::unique_ptr<Connection> TakeIdle(const std::string& key);
  void PutIdle(const std::string& key, std::unique_ptr<Connection> connection);

  const HttpClientOptions options_;
  ssl::context tls_context_;  // configured once, then only read: safe to share between threads

  std::mutex mutex_;
  // Idle connections per "scheme://host:port", oldest first. REQUIRES: mutex_ is held.
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
};

std::unique_ptr<Connection> HttpClient::Impl::TakeIdle(const std::string& key) {
  for (;;) {
    std::unique_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex_);
      const auto it = idle_.find(key);
      if (it == idle_.end() || it->second.empty()) return nullptr;
      connection = std::move(it->second.back());  // the most recently used is likeliest alive
      it->second.pop_back();
    }
    if (SteadyClock::now() - connection->idle_since <= options_.max_idle_time &&
        IsQuiet(*connection)) {
      connection->reused = true;
      return connection;
    }
  }  // a discarded connection closes here, outside the lock
}

void HttpClient::Impl::PutIdle(const std::string& key, std::unique_ptr<Connection> connection) {
  const auto now = SteadyClock::now();
  connection->idle_since = now;
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[key];
    auto first_kept = idle.begin();
    while (first_kept != idle.end() &&
           (now - (*first_kept)->idle_since > options_.max_idle_time ||
            idle.end() - first_kept >= static_cast<ptrdiff_t>(options_.max_idle_per_host))) {
      ++first_kept;
    }
    std::move(idle.begin(), first_kept, std::back_inserter(closing));
    idle.erase(idle.begin(), first_kept);
    if (options_.max_idle_per_host > 0) idle.push_back(std::move(connection));
  }
}

Result<std::unique_ptr<Connection>> HttpClient::Impl::Connect(const Url& url, Deadline deadline,
                                                              const std::string& what) {
  const bool use_tls = url.scheme == "https";
  auto connection = std::make_unique<Connection>(use_tls ? &tls_context_ : nullptr);

  error_code ec;
  tcp::resolver resolver(connection->io);
  const auto endpoints =
      resolver.resolve(url.host, std::to_string(url.port), tcp::resolver::numeric_service, ec);
  if (ec) return Error::Unavailable(what + ": cannot resolve " + url.host + ": " + ec.message());

  const auto started = SteadyClock::now();
  const Deadline connect_deadline = std::min(deadline, started + options_.connect_timeout);
  ec = RunUntil(*connection, connect_deadline, [&](auto done) {
    asio::async_connect(connection->socket, endpoints,
                        [done](error_code result, const tcp::endpoint&) { done(result); });
  });
  if (ec == asio::error::timed_out) {
    return Error::Unavailable(what + ": connect timed out after " +
                              Milliseconds(SteadyClock::now() - started));
  }
  if (ec) return Error::Unavailable(what + ": connect failed: " + ec.message());
  // A request goes out in one write; Nagle's algorithm would only hold back its last segment.
  connection->socket.set_option(tcp::no_delay(true), ec);

  if (use_tls) {
    SSL* ssl = connection->tls->native_handle();
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    // SNI carries host names only (RFC 6066 §3); an IP host is checked against the
    // certificate's IP addresses instead of its DNS names.
    bool named;
    if (url.host_is_ip) {
      named = X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str()) == 1;
    } else {
      named = X509_VERIFY_PARAM_set1_host(param, url.host.data(), url.host.size()) == 1 &&
              SetServerName(ssl, url.host);
    }
    if (!named) return Error::Unavailable(what + ": cannot set up TLS for host " + url.host);
    ec = RunUntil(*connection, connect_deadline, [&](auto done) {
      connection->tls->async_handshake(ssl::stream_base::client, done);
    });
    const long verify = SSL_get_verify_result(ssl);
    if (ec && verify != X509_V_OK) {
      return Error::Unavailable(what + ": the TLS certificate of " + url.host +
                                " was rejected: " + X509_verify_cert_error_string(verify));
    }
    if (ec == asio::error::timed_out) {
      return Error::Unavailable(what + ": TLS handshake timed out after " +
                                Milliseconds(SteadyClock::now() - started));
    }
    if (ec) return Error::Unavailable(what + ": TLS handshake failed: " + ec.message());
  }
  return connection;
}

Result<HttpResponse> HttpClient::Impl::Send(const HttpRequest& request, Deadline deadline) {
  const auto started = SteadyClock::now();
  auto url = ParseUrl(request.url);
  if (!url) return std::move(url).error();
  auto message = BuildMessage(request, *url);
  if (!message) return std::move(message).error();
  // Names the call in errors: the query is left out, because a presigned URL carries a signature
  // and possibly a session token there.
  const std::string what = request.method + " " + url->scheme + "://" + url->HostHeader() +
                           url->target.substr(0, url->target.find('?'));
  const std::string key = url->scheme + "://" + url->host + ":" + std::to_string(url->port);
  const bool idempotent = request.idempotent || IsIdempotentMethod(request.method);

  for (bool retrying = false;; retrying = true) {
    std::unique_ptr<Connection> connection = retrying ? nullptr : TakeIdle(key);
    if (!connection) {
      auto fresh = Connect(*url, deadline, what);
      if (!fresh) return std::move(fresh).error();
      connection = std::move(*fresh);
    }

    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(options_.max_body_bytes);
    if (message->method() == bhttp::verb::head) parser.skip(true);
    Connection& c = *connection;
    const error_code ec = RunUntil(c, deadline, [&](auto done) {
      WithStream(c, [&](auto& stream) {
        auto* s = &stream;
        bhttp::async_write(*s, *message, [s, &c, &parser, done](error_code written, size_t) {
          if (written) return done(written);
          bhttp::async_read(*s, c.buffer, parser, [done](error_code read, size_t) { done(read); });
        });
      });
    });

    if (!ec) {
      auto response = parser.release();
      HttpResponse result;
      result.status = static_cast<int>(response.result_int());
      for (const auto& field : response) {
        result.headers.push_back({std::string(field.name_string()), std::string(field.value())});
      }
      result.body = std::move(response.body());
      if (response.keep_alive()) PutIdle(key, std::move(connection));
      return result;
    }
    if (ec == bhttp::error::body_limit) {
      return Error::Internal(what + ": the response body is larger than " +
                             std::to_string(options_.max_body_bytes) + " bytes");
    }
    if (ec == asio::error::timed_out) {
      return Error::Unavailable(what + ": timed out after " +
                                Milliseconds(SteadyClock::now() - started));
    }
    // The server closed a kept-alive connection as the request went out: nothing was answered.
    const bool unanswered = c.reused && !parser.got_some() && c.buffer.size() == 0;
    if (unanswered && idempotent && !retrying) continue;
    return Error::Unavailable(
        what + ": " + (parser.got_some() ? "reading the response failed: " : "no response: ") +
        ec.message());
  }
}

namespace {

// When OpenSSL's default verify paths left the store empty (HttpClientOptions::ca_bundle_fallbacks
// says when that happens), loads the first of `bundles` that loads.
void LoadAFallbackCaBundleIfEmpty(SSL_CTX* tls, const std::vector<std::string>& bundles) {
  if (sk_X509_OBJECT_num(X509_STORE_get0_objects(SSL_CTX_get_cert_store(tls))) > 0) return;
  for (const std::string& bundle : bundles) {
    if (SSL_CTX_load_verify_locations(tls, bundle.c_str(), nullptr) == 1) return;
  }
  ERR_clear_error();  // none there: verification fails later, naming the certificate
}

}  // namespace

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::shared_ptr<HttpClient>> HttpClient::Create(HttpClientOptions options) {
  ssl::context tls(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  error_code ec;
  if (options.ca_file.empty()) {
    tls.set_default_verify_paths(ec);
    if (!ec) LoadAFallbackCaBundleIfEmpty(tls.native_handle(), options.ca_bundle_fallbacks);
  } else {
    tls.load_verify_file(options.ca_file, ec);
  }
  if (ec) {
    return Error::Invalid("cannot load trusted certificate authorities" +
                          (options.ca_file.empty() ? std::string() : " from " + options.ca_file) +
                          ": " + ec.message());
  }
  tls.set_verify_mode(ssl::verify_peer);
  return std::shared_ptr<HttpClient>(
      new HttpClient(std::make_unique<Impl>(std::move(options), std::move(tls))));
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request, Deadline deadline) {
  return impl_->Send(request, deadline);
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request) {
  return impl_->Send(request, SteadyClock::now() + impl_->request_timeout());
}

}  // namespace practica::aws
