#include "lambda/http_handler.h"

#include "common/log.h"
#include "http/problem.h"
#include "lambda/http_event.h"

namespace practica::lambda {
namespace {

// A response the pipeline did not make: with the headers and the log line it would have added,
// as the server does for a request it cannot parse.
http::Response Refusal(int status, std::string_view detail) {
  const std::string request_id = http::RequestIdFor(http::Request{});
  http::Response response = http::Problem(status, detail, request_id);
  http::AddSecurityHeaders(response.headers);
  response.headers.Set("X-Request-Id", request_id);
  log::Info("request rejected", {{"request_id", request_id}, {"status", status}});
  return response;
}

}  // namespace

Result<std::string> HttpHandler::Handle(const Invocation& invocation) const {
  Result<HttpEvent> event = DecodeHttpEvent(invocation.event);
  if (!event.ok()) return std::move(event).error();
  Result<http::Request>& request = event->request;
  http::Response response;
  if (!request.ok()) {
    response = Refusal(400, request.error().message);
  } else {
    response = pipeline_.Handle(*request);
    // HEAD is served by the GET route; the answer has its headers and no body.
    if (request->method == http::Method::kHead) response.body.clear();
  }
  std::string payload = EncodeHttpResponse(response, event->format);
  if (payload.size() > kMaxPayloadBytes) {
    payload = EncodeHttpResponse(Refusal(500, "The response is larger than AWS Lambda can return."),
                                 event->format);
  }
  return payload;
}

}  // namespace practica::lambda
