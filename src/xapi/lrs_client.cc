#include "xapi/lrs_client.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "aws/http_client.h"
#include "common/calendar.h"
#include "common/log.h"

namespace practica::xapi {
namespace {

using namespace std::chrono_literals;

constexpr auto kLongestWait = std::chrono::milliseconds(std::chrono::hours(1));

std::string BasicCredentials(const std::string& username, const std::string& password) {
  const std::string pair = username + ":" + password;
  std::string encoded(4 * ((pair.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(pair.data()),
                                     static_cast<int>(pair.size()));
  encoded.resize(static_cast<size_t>(std::max(length, 0)));
  return "Basic " + encoded;
}

// The start of the LRS's message, printable ASCII only, for a log line.
std::string Excerpt(std::string_view body) {
  std::string text;
  for (char c : body.substr(0, 200)) text += (c >= 0x20 && c < 0x7f) ? c : ' ';
  return text;
}

// Statuses that say the request (credentials, endpoint, proxy, media type) is wrong, not the
// statements: the same request would fail for any statement, so nothing is dropped for them.
bool BlamesTheRequest(int status) {
  return status == 401 || status == 403 || status == 404 || status == 405 || status == 407 ||
         status == 408 || status == 415;
}

class HttpLrsClient final : public LrsClient {
 public:
  HttpLrsClient(std::shared_ptr<aws::HttpClient> http, std::string url, std::string authorization,
                std::chrono::milliseconds timeout)
      : http_(std::move(http)),
        url_(std::move(url)),
        authorization_(std::move(authorization)),
        timeout_(timeout) {}

  LrsAnswer Post(std::span<const Statement> statements) override {
    aws::HttpRequest request;
    request.method = "POST";
    request.url = url_;
    request.headers = {{"Content-Type", "application/json"},
                       {"X-Experience-API-Version", std::string(kXapiVersion)}};
    if (!authorization_.empty()) request.headers.push_back({"Authorization", authorization_});
    request.body = "[";
    for (const Statement& statement : statements) {
      if (request.body.size() > 1) request.body += ',';
      request.body += statement.json;
    }
    request.body += ']';
    request.idempotent = true;  // the statements' ids make a repeat harmless

    Result<aws::HttpResponse> response =
        http_->Send(request, std::chrono::steady_clock::now() + timeout_);
    LrsAnswer answer;
    if (!response.ok()) {
      answer.kind = LrsAnswer::Kind::kRetry;
      answer.detail = response.error().message;
      return answer;
    }
    answer.status = response->status;
    answer.detail = "HTTP " + std::to_string(response->status);
    if (response->status >= 200 && response->status < 300) {
      answer.kind = LrsAnswer::Kind::kStored;
      return answer;
    }
    if (!response->body.empty()) answer.detail += ": " + Excerpt(response->body);
    if (response->status == 409) {
      answer.kind = LrsAnswer::Kind::kDuplicate;
    } else if (response->status >= 400 && response->status < 500 && response->status != 429 &&
               !BlamesTheRequest(response->status)) {
      answer.kind = LrsAnswer::Kind::kRefused;
    } else {
      answer.kind = LrsAnswer::Kind::kRetry;
      const auto now = std::chrono::system_clock::now().time_since_epoch();
      answer.retry_after =
          ParseRetryAfter(response->Header("Retry-After"),
                          std::chrono::duration_cast<std::chrono::seconds>(now).count())
              .value_or(0ms);
    }
    return answer;
  }

 private:
  std::shared_ptr<aws::HttpClient> http_;
  const std::string url_;
  const std::string authorization_;
  const std::chrono::milliseconds timeout_;
};

// Settles `statements` into `report`; false when it stopped at a "not now".
bool Settle(LrsClient& lrs, std::span<const Statement> statements, DeliveryReport& report) {
  const LrsAnswer answer = lrs.Post(statements);
  switch (answer.kind) {
    case LrsAnswer::Kind::kStored:
      for (const Statement& statement : statements) report.settled.push_back(statement.id);
      report.stored += static_cast<int>(statements.size());
      return true;
    case LrsAnswer::Kind::kRetry:
      report.retry = answer;
      return false;
    case LrsAnswer::Kind::kDuplicate:
    case LrsAnswer::Kind::kRefused:
      break;
  }
  if (statements.size() > 1) {
    const size_t half = statements.size() / 2;
    return Settle(lrs, statements.first(half), report) &&
           Settle(lrs, statements.subspan(half), report);
  }
  const Statement& statement = statements.front();
  report.settled.push_back(statement.id);
  if (answer.kind == LrsAnswer::Kind::kDuplicate) {
    ++report.stored;  // the LRS has it from an earlier send
  } else {
    ++report.refused;
    log::Error("xAPI statement refused by the LRS; dropped",
               {{"statement_id", statement.id}, {"detail", answer.detail}});
  }
  return true;
}

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool ParseNumber(std::string_view text, int& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7, the only form senders may use).
std::optional<int64_t> ParseImfFixdate(std::string_view text) {
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  const auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (month == kMonths.end() || !ParseNumber(text.substr(5, 2), day) ||
      !ParseNumber(text.substr(12, 4), year) || !ParseNumber(text.substr(17, 2), hour) ||
      !ParseNumber(text.substr(20, 2), minute) || !ParseNumber(text.substr(23, 2), second) ||
      text[7] != ' ' || text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':') {
    return std::nullopt;
  }
  char iso[48];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year,
                static_cast<int>(month - kMonths.begin()) + 1, day);
  std::optional<int64_t> epoch_day = ParseDay(iso);
  if (!epoch_day || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return *epoch_day * 86400 + hour * 3600 + minute * 60 + second;
}

}  // namespace

Result<std::unique_ptr<LrsClient>> MakeHttpLrsClient(const LrsSettings& settings) {
  Result<aws::Url> url = aws::ParseUrl(settings.endpoint);
  if (!url.ok()) {
    return Error::Invalid(
        "PRACTICA_XAPI_ENDPOINT must be an absolute http:// or https:// URL without user info "
        "(the credentials go in PRACTICA_XAPI_USERNAME and PRACTICA_XAPI_PASSWORD)");
  }
  std::string statements = settings.endpoint;
  while (!statements.empty() && statements.back() == '/') statements.pop_back();
  statements += "/statements";
  aws::HttpClientOptions options;
  options.connect_timeout = settings.timeout;
  options.request_timeout = settings.timeout;
  options.max_idle_per_host = 2;
  Result<std::shared_ptr<aws::HttpClient>> http = aws::HttpClient::Create(options);
  if (!http.ok()) return std::move(http).error();
  std::string authorization;
  if (!settings.username.empty() || !settings.password.empty()) {
    authorization = BasicCredentials(settings.username, settings.password);
  }
  return std::unique_ptr<LrsClient>(new HttpLrsClient(
      std::move(http).value(), std::move(statements), std::move(authorization), settings.timeout));
}

DeliveryReport Deliver(LrsClient& lrs, std::span<const Statement> statements) {
  DeliveryReport report;
  if (!statements.empty()) Settle(lrs, statements, report);
  return report;
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, int64_t now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
  } else if (std::optional<int64_t> at = ParseImfFixdate(value)) {
    seconds = std::max<int64_t>(0, *at - now);
  } else {
    return std::nullopt;
  }
  return std::min<std::chrono::milliseconds>(std::chrono::seconds(std::min<int64_t>(seconds, 3600)),
                                             kLongestWait);
}

}  // namespace practica::xapi
