// Talking to a Learning Record Store: POST /statements with a batch, and what to make of its
// answer.
//
// Requests (xAPI 1.0.3, Communication §2.1.2): POST {endpoint}/statements, the statements as one
// JSON array, with X-Experience-API-Version: 1.0.3 and HTTP basic authentication. Statements
// carry their own ids, so sending one twice stores it once: the request is safe to repeat, and
// the HTTP client may retry it on a connection the LRS had closed.
//
// What an answer means for the statements in the batch:
//   2xx                     stored.
//   409 Conflict            the LRS already has a statement with one of these ids (an earlier send
//                           that got no answer): for one statement, it is delivered; a batch is
//                           split to find out which.
//   other 4xx (400, 413, …) the LRS refuses the content: a batch is split until the statements at
//                           fault stand alone, and those are dropped (logged), so that one bad
//                           statement never blocks the others.
//   401, 403, 404, 405,     the LRS refuses the request, not the statements: wrong credentials,
//   407, 408, 415           endpoint or proxy. Retried, with back-off, until the configuration is
//                           fixed; dropping would throw away every statement.
//   429, 5xx, no answer     not now: retried after Retry-After, or a back-off.
//
// The password is sent only in the Authorization header; it is never logged, and no error or
// detail here quotes a header.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "xapi/statement.h"

namespace practica::xapi {

struct LrsSettings {
  // The LRS's xAPI endpoint, an absolute http(s) URL without user info, e.g.
  // https://lrs.example.org/xapi; "/statements" is appended.
  std::string endpoint;
  std::string username;  // basic authentication; both empty: no Authorization header
  std::string password;
  std::chrono::milliseconds timeout{5000};  // per request, connect included
};

// What the LRS said to one POST.
struct LrsAnswer {
  enum class Kind { kStored, kDuplicate, kRefused, kRetry };
  Kind kind = Kind::kRetry;
  int status = 0;  // the HTTP status; 0 when no answer came
  // kRetry: how long the LRS asked to be left alone (Retry-After), zero when it did not say.
  std::chrono::milliseconds retry_after{0};
  // For logs: the status and the start of the LRS's message, or what failed on the network.
  std::string detail;
};

class LrsClient {
 public:
  virtual ~LrsClient() = default;
  // Sends the statements in one request. REQUIRES: !statements.empty(). Blocks up to the timeout:
  // call it from a thread of its own, never from an I/O thread.
  virtual LrsAnswer Post(std::span<const Statement> statements) = 0;
};

// The LrsClient over HTTP(S) (aws::HttpClient). kInvalid, naming PRACTICA_XAPI_ENDPOINT, for an
// endpoint that is not an absolute http(s) URL or that carries user info.
Result<std::unique_ptr<LrsClient>> MakeHttpLrsClient(const LrsSettings& settings);

// What became of statements handed to Deliver.
struct DeliveryReport {
  std::vector<std::string> settled;  // ids done with: stored, already there, or refused for good
  int stored = 0;                    // stored, or already there (409)
  int refused = 0;                   // dropped: the LRS refuses them for good
  std::optional<LrsAnswer> retry;    // the LRS could not take the rest now (not in `settled`)
};

// Sends `statements` in order, in one request when the LRS takes it, splitting a batch it
// refuses (the table above) to settle each statement on its own; stops at the first answer that
// says "not now". Refused statements are logged (id and the LRS's detail) as they are dropped.
DeliveryReport Deliver(LrsClient& lrs, std::span<const Statement> statements);

// The wait a Retry-After value asks for: delay-seconds, or an HTTP-date (IMF-fixdate) compared to
// `now` (Unix seconds). Nothing for a value that is neither; never more than an hour.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, int64_t now);

}  // namespace practica::xapi
