#include "api/xapi_api.h"

#include <optional>
#include <string>
#include <vector>

#include "api/analytics_api.h"
#include "common/calendar.h"
#include "common/text.h"
#include "xapi/completion.h"

namespace practica::api {

namespace {
constexpr int kPage = 1000;  // events read at a time
}  // namespace

Result<http::Response> XapiApi::CourseStatements(const http::Request& request) {
  if (statements_ == nullptr) {
    Error error = Error::Unavailable(
        "xAPI statements need the platform's public address: set PRACTICA_PUBLIC_URL.");
    error.type = "xapi-not-configured";
    return error;
  }
  Result<store::DayRange> range = ParseDayRange(request, EpochDay(clock_.NowSeconds()));
  if (!range.ok()) return std::move(range).error();
  const std::string_view slug = request.Param("course");
  if (!domain::IsValidSlug(slug)) return Error::NotFound("No course " + Quoted(slug) + ".");
  if (access_ != nullptr) {
    if (auto allowed = access_->Check(*request.principal, slug); !allowed.ok()) {
      return std::move(allowed).error();
    }
  }
  Result<std::shared_ptr<const IndexedCourse>> indexed = courses_.Get(slug);
  if (!indexed.ok()) return std::move(indexed).error();
  // Read-your-writes, as the analytics routes: what was acknowledged before this request counts.
  (void)recorder_.Flush();

  const xapi::CourseOutline outline(
      std::shared_ptr<const domain::Course>(*indexed, &(*indexed)->course));
  xapi::CourseHistory history(*statements_, outline, range->Begin(), range->End());
  std::vector<xapi::Statement> statements;
  std::optional<store::EventPosition> after;
  while (true) {
    Result<std::vector<store::AttemptEvent>> page =
        store_.ListAttemptEvents(slug, range->End(), after, kPage);
    if (!page.ok()) return std::move(page).error();
    for (const store::AttemptEvent& event : *page) history.Add(event, statements);
    if (statements.size() > kMaxStatements) {
      return Error::Invalid(
          "The range holds too many statements for one download.",
          {{"from", "choose a later date: more than " + std::to_string(kMaxStatements) +
                        " statements from " + FormatDay(range->first_day) + " to " +
                        FormatDay(range->last_day)}});
    }
    if (page->size() < static_cast<size_t>(kPage)) break;
    after = store::EventPosition{page->back().occurred_at, page->back().event_id};
  }

  size_t size = 2;
  for (const xapi::Statement& statement : statements) size += statement.json.size() + 1;
  std::string body;
  body.reserve(size);
  body += '[';
  for (const xapi::Statement& statement : statements) {
    if (body.size() > 1) body += ',';
    body += statement.json;
  }
  body += ']';
  http::Response response = http::Response::Json(200, std::move(body));
  response.headers.Set("Content-Disposition", "attachment; filename=\"" + std::string(slug) +
                                                  "-xapi-" + FormatDay(range->first_day) + "-" +
                                                  FormatDay(range->last_day) + ".json\"");
  return response;
}

}  // namespace practica::api
