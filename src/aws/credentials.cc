#include "aws/credentials.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <utility>

#include "aws/http_client.h"
#include "common/log.h"
#include "common/text.h"

namespace practica::aws {
namespace {

// EC2 makes new role credentials available at least five minutes before the old ones expire, and
// ECS likewise: from then on a fetch gets fresh ones.
constexpr int64_t kRefreshBefore = 5 * 60;
// Credentials are not used in their last minute: a request signed with them must still arrive.
constexpr int64_t kExpiryMargin = 60;
// The least time between two fetches while the cached credentials are still good, so a failing
// source is not asked on every call.
constexpr int64_t kRetryInterval = 10;
// Both endpoints are on the local network (the ECS agent, the hypervisor): a fetch that takes
// longer will not succeed.
constexpr auto kFetchTimeout = std::chrono::seconds(2);

constexpr std::string_view kEcsHost = "http://169.254.170.2";
constexpr std::string_view kImdsHost = "http://169.254.169.254";
constexpr std::string_view kImdsIpv6Host = "http://[fd00:ec2::254]";
constexpr std::string_view kImdsTokenTtl = "21600";  // six hours, the most IMDS allows

struct Fetched {
  Credentials credentials;
  std::optional<int64_t> expiration;  // Unix time; none: good until the process ends
};

bool HasLineBreak(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// "2026-01-15T08:00:00Z", optionally with a fraction of a second, "+00:00" for Z.
std::optional<int64_t> ParseUtcTimestamp(std::string_view text) {
  const auto digits = [&text](size_t at, size_t count) -> std::optional<int> {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  const auto hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':' || *hour > 23 ||
      *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::string_view zone = text.substr(19);
  if (!zone.empty() && zone.front() == '.') {
    const size_t fraction_end = zone.find_first_not_of("0123456789", 1);
    if (fraction_end == 1) return std::nullopt;
    zone.remove_prefix(fraction_end == std::string_view::npos ? zone.size() : fraction_end);
  }
  if (zone != "Z" && zone != "z" && zone != "+00:00") return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  const int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return days * 86'400 + *hour * 3'600 + *minute * 60 + *second;
}

// The JSON document both the container endpoint and IMDS answer with. Errors name fields, never
// their values.
Result<Fetched> ParseCredentialsDocument(std::string_view body, std::string_view source) {
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(body, ec);
  if (ec || !document.is_object()) {
    return Error::Unavailable(std::string(source) + " did not answer with a JSON object");
  }
  const boost::json::object& fields = document.as_object();
  const auto text = [&fields](std::string_view name) -> std::string_view {
    const boost::json::value* value = fields.if_contains(name);
    return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                  : std::string_view();
  };
  // IMDS says whether the role's credentials could be made ("Success").
  if (fields.contains("Code") && text("Code") != "Success") {
    return Error::Unavailable(std::string(source) + " did not answer Code \"Success\"");
  }
  Fetched fetched;
  fetched.credentials.access_key_id = text("AccessKeyId");
  fetched.credentials.secret_access_key = text("SecretAccessKey");
  fetched.credentials.session_token = text("Token");
  if (fetched.credentials.access_key_id.empty() || fetched.credentials.secret_access_key.empty()) {
    return Error::Unavailable(std::string(source) +
                              " answered without AccessKeyId or SecretAccessKey");
  }
  if (fields.contains("Expiration")) {
    fetched.expiration = ParseUtcTimestamp(text("Expiration"));
    if (!fetched.expiration) {
      return Error::Unavailable(std::string(source) +
                                " answered an Expiration that is not a UTC "
                                "timestamp");
    }
  }
  return fetched;
}

class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> GetCredentials() override { return credentials_; }
  std::string Describe() const override { return "environment variables"; }

 private:
  const Credentials credentials_;
};

// Caches what Fetch returns and fetches again from kRefreshBefore ahead of expiry. One thread
// fetches at a time: while it does, the others use the cached credentials if they are still good,
// or wait for its result.
class RefreshingProvider : public CredentialsProvider {
 public:
  Result<Credentials> GetCredentials() final;

 protected:
  explicit RefreshingProvider(const Clock& clock) : clock_(clock) {}
  // One round trip to the source. Called without the lock, by one thread at a time.
  virtual Result<Fetched> Fetch() = 0;

 private:
  static bool Good(const Fetched& fetched, int64_t now) {
    return !fetched.expiration || now < *fetched.expiration - kExpiryMargin;
  }
  static bool Due(const Fetched& fetched, int64_t now) {
    return fetched.expiration && now >= *fetched.expiration - kRefreshBefore;
  }

  const Clock& clock_;
  std::mutex mutex_;
  std::condition_variable fetch_done_;
  // REQUIRES: mutex_ is held for all of these.
  std::optional<Fetched> cached_;
  bool fetching_ = false;
  uint64_t fetches_ = 0;             // fetches completed; waiters wake when it moves
  std::optional<Error> last_error_;  // of the last fetch
  int64_t next_fetch_ = 0;           // no fetch before this while cached_ is good
};

Result<Credentials> RefreshingProvider::GetCredentials() {
  std::unique_lock lock(mutex_);
  for (;;) {
    const int64_t now = clock_.NowSeconds();
    const bool good = cached_ && Good(*cached_, now);
    if (good && (!Due(*cached_, now) || fetching_ || now < next_fetch_)) {
      return cached_->credentials;
    }
    if (!fetching_) break;
    // Nothing good to sign with: wait for the fetch under way, and share its failure.
    const uint64_t fetches = fetches_;
    fetch_done_.wait(lock, [&] { return fetches_ != fetches; });
    if (last_error_ && !(cached_ && Good(*cached_, clock_.NowSeconds()))) return *last_error_;
  }

  fetching_ = true;
  lock.unlock();
  Result<Fetched> fresh = Fetch();
  lock.lock();
  fetching_ = false;
  ++fetches_;
  const int64_t now = clock_.NowSeconds();
  next_fetch_ = now + kRetryInterval;
  last_error_.reset();
  if (fresh.ok() && !Good(*fresh, now)) {
    fresh = Error::Unavailable(Describe() + " answered credentials that have expired");
  }
  if (fresh.ok()) {
    cached_ = std::move(*fresh);
  } else {
    last_error_ = fresh.error();
  }
  fetch_done_.notify_all();
  if (!fresh.ok()) {
    if (!(cached_ && Good(*cached_, now))) return *last_error_;
    log::Warn("aws credentials refresh failed; signing with the cached ones until they expire",
              {{"source", Describe()}, {"error", last_error_->message}});
  }
  return cached_->credentials;
}

class ContainerProvider final : public RefreshingProvider {
 public:
  ContainerProvider(Url url, std::string token, std::string token_file,
                    std::shared_ptr<HttpClient> http, const Clock& clock)
      : RefreshingProvider(clock),
        url_(std::move(url)),
        token_(std::move(token)),
        token_file_(std::move(token_file)),
        http_(std::move(http)) {}

  std::string Describe() const override {
    // Host only: enough to say where credentials come from, and stable across token rotations.
    return "container credentials endpoint " + url_.scheme + "://" + url_.HostHeader();
  }

 private:
  Result<Fetched> Fetch() override {
    std::string token = token_;
    if (!token_file_.empty()) {
      std::ifstream in(token_file_, std::ios::binary);
      std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (!in.good() && !in.eof()) {
        return Error::Unavailable("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " +
                                  token_file_);
      }
      token = TrimWhitespace(content);
      if (token.empty() || HasLineBreak(token)) {
        return Error::Unavailable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + token_file_ +
                                  " does not hold one token");
      }
    }
    HttpRequest request{.method = "GET",
                        .url = url_.scheme + "://" + url_.HostHeader() + url_.target};
    request.headers.push_back({"Accept", "application/json"});
    if (!token.empty()) request.headers.push_back({"Authorization", token});
    const auto response = http_->Send(request, std::chrono::steady_clock::now() + kFetchTimeout);
    if (!response) return response.error();
    if (response->status != 200) {
      return Error::Unavailable(Describe() + " answered HTTP " + std::to_string(response->status));
    }
    return ParseCredentialsDocument(response->body, Describe());
  }

  const Url url_;
  const std::string token_;
  const std::string token_file_;
  const std::shared_ptr<HttpClient> http_;
};

class InstanceMetadataProvider final : public RefreshingProvider {
 public:
  InstanceMetadataProvider(std::string base_url, std::shared_ptr<HttpClient> http,
                           const Clock& clock)
      : RefreshingProvider(clock), base_url_(std::move(base_url)), http_(std::move(http)) {}

  std::string Describe() const override { return "instance metadata " + base_url_; }

 private:
  Result<Fetched> Fetch() override {
    const auto deadline = std::chrono::steady_clock::now() + kFetchTimeout;
    auto token = http_->Send(
        {.method = "PUT",
         .url = base_url_ + "/latest/api/token",
         .headers = {{"X-aws-ec2-metadata-token-ttl-seconds", std::string(kImdsTokenTtl)}}},
        deadline);
    if (!token) return token.error();
    if (token->status != 200) {
      return Error::Unavailable(Describe() + " refused a session token: HTTP " +
                                std::to_string(token->status));
    }
    const std::string session(TrimWhitespace(token->body));
    if (session.empty() || HasLineBreak(session)) {
      return Error::Unavailable(Describe() + " answered a malformed session token");
    }
    const Headers with_token = {{"X-aws-ec2-metadata-token", session}};

    const std::string roles_url = base_url_ + "/latest/meta-data/iam/security-credentials/";
    auto roles = http_->Send({.method = "GET", .url = roles_url, .headers = with_token}, deadline);
    if (!roles) return roles.error();
    if (roles->status == 404) {
      return Error::Unavailable(Describe() + ": no IAM role is attached to this instance");
    }
    if (roles->status != 200) {
      return Error::Unavailable(Describe() + " answered HTTP " + std::to_string(roles->status) +
                                " for the role name");
    }
    // One role per instance profile; the first line names it.
    const std::string_view listing = roles->body;
    const std::string role(TrimWhitespace(listing.substr(0, listing.find('\n'))));
    const bool role_ok = !role.empty() && std::all_of(role.begin(), role.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             std::string_view("+=,.@_-").find(c) != std::string_view::npos;
    });
    if (!role_ok) return Error::Unavailable(Describe() + " answered a malformed role name");

    auto credentials =
        http_->Send({.method = "GET", .url = roles_url + role, .headers = with_token}, deadline);
    if (!credentials) return credentials.error();
    if (credentials->status != 200) {
      return Error::Unavailable(Describe() + " answered HTTP " +
                                std::to_string(credentials->status) + " for role " + role);
    }
    return ParseCredentialsDocument(credentials->body, Describe());
  }

  const std::string base_url_;  // without a trailing '/'
  const std::shared_ptr<HttpClient> http_;
};

// Where a container endpoint may be reached over plain http: the Authorization token would
// otherwise cross a network in the clear.
bool IsLocalHost(const Url& url) {
  if (url.host == "localhost") return true;
  if (!url.host_is_ip) return false;
  std::array<unsigned char, 16> address{};
  if (::inet_pton(AF_INET, url.host.c_str(), address.data()) == 1) {
    return address[0] == 127 || url.host == "169.254.170.2" || url.host == "169.254.170.23";
  }
  if (::inet_pton(AF_INET6, url.host.c_str(), address.data()) != 1) return false;
  constexpr std::array<unsigned char, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                       0, 0, 0, 0, 0, 0, 0, 1};
  constexpr std::array<unsigned char, 16> kEksAgent = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0,
                                                       0,    0,    0,    0,    0, 0, 0, 0x23};
  return address == kLoopback || address == kEksAgent;
}

}  // namespace

Result<std::shared_ptr<CredentialsProvider>> MakeEnvironmentProvider(const Environment& env) {
  Credentials credentials;
  credentials.access_key_id = GetEnv(env, "AWS_ACCESS_KEY_ID");
  credentials.secret_access_key = GetEnv(env, "AWS_SECRET_ACCESS_KEY");
  credentials.session_token = GetEnv(env, "AWS_SESSION_TOKEN");
  if (credentials.access_key_id.empty() && credentials.secret_access_key.empty()) {
    return Error::NotFound("AWS_ACCESS_KEY_ID is not set");
  }
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Error::Invalid(credentials.access_key_id.empty()
                              ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                              : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }
  return std::shared_ptr<CredentialsProvider>(
      std::make_shared<StaticProvider>(std::move(credentials)));
}

Result<std::shared_ptr<CredentialsProvider>> MakeContainerProvider(const Environment& env,
                                                                   std::shared_ptr<HttpClient> http,
                                                                   const Clock& clock) {
  const std::string_view relative = GetEnv(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const std::string_view full = GetEnv(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (relative.empty() && full.empty()) {
    return Error::NotFound(
        "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is "
        "set");
  }
  const std::string_view variable = relative.empty() ? "AWS_CONTAINER_CREDENTIALS_FULL_URI"
                                                     : "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  if (!relative.empty() && relative.front() != '/') {
    return Error::Invalid("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI does not start with '/'");
  }
  auto url =
      ParseUrl(relative.empty() ? std::string(full) : std::string(kEcsHost).append(relative));
  if (!url) return Error::Invalid(std::string(variable) + ": " + url.error().message);
  if (url->scheme != "https" && !IsLocalHost(*url)) {
    return Error::Invalid(std::string(variable) +
                          " must be https, or http to a loopback or container agent address");
  }
  const std::string_view token = GetEnv(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (HasLineBreak(token)) {
    return Error::Invalid("AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break");
  }
  return std::shared_ptr<CredentialsProvider>(std::make_shared<ContainerProvider>(
      std::move(*url), std::string(token),
      std::string(GetEnv(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")), std::move(http), clock));
}

Result<std::shared_ptr<CredentialsProvider>> MakeInstanceMetadataProvider(
    const Environment& env, std::shared_ptr<HttpClient> http, const Clock& clock) {
  if (EnvIsTrue(env, "AWS_EC2_METADATA_DISABLED")) {
    return Error::NotFound("instance metadata is disabled by AWS_EC2_METADATA_DISABLED");
  }
  std::string base(GetEnv(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT"));
  if (base.empty()) {
    base = EqualsIgnoreCase(GetEnv(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), "IPv6")
               ? kImdsIpv6Host
               : kImdsHost;
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (auto url = ParseUrl(base); !url) {
    return Error::Invalid("AWS_EC2_METADATA_SERVICE_ENDPOINT: " + url.error().message);
  }
  return std::shared_ptr<CredentialsProvider>(
      std::make_shared<InstanceMetadataProvider>(std::move(base), std::move(http), clock));
}

Result<std::shared_ptr<CredentialsProvider>> MakeDefaultCredentialsProvider(
    const Environment& env, std::shared_ptr<HttpClient> http, const Clock& clock) {
  auto provider = MakeEnvironmentProvider(env);
  if (provider.ok() || provider.error().code != ErrorCode::kNotFound) return provider;
  std::string skipped = provider.error().message;

  provider = MakeContainerProvider(env, http, clock);
  if (provider.ok() || provider.error().code != ErrorCode::kNotFound) return provider;
  skipped += "; " + provider.error().message;

  provider = MakeInstanceMetadataProvider(env, std::move(http), clock);
  if (provider.ok() || provider.error().code != ErrorCode::kNotFound) return provider;
  return Error::NotFound("no AWS credentials: " + skipped + "; " + provider.error().message);
}

}  // namespace practica::aws
