// Lambda invocation payloads as `practica lambda` reads them (lambda/http_event.h): API Gateway
// REST v1, HTTP API v2 and ALB events, decoded into the pipeline's http::Request; the answer goes
// back in the event's own form.
// Invariants: a payload of no known shape is kInvalid with type Practica.UnknownEvent; a known
// shape with a bad field is kInvalid with a message; a decoded request has a path; the response
// written for it is a JSON object whose body (base64 or not) is exactly the body given, here the
// request's own body, so every byte sequence a client may send is tried on the way back too.
#include <boost/json/parse.hpp>
#include <string>

#include "fuzz_check.h"
#include "lambda/base64.h"
#include "lambda/http_event.h"

using practica::fuzz::AsText;
using practica::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto event = practica::lambda::DecodeHttpEvent(AsText(data, size));
  if (!event) {
    Check(event.error().code == practica::ErrorCode::kInvalid, "an unknown event is kInvalid");
    Check(event.error().type == practica::lambda::kUnknownEventType,
          "an unknown event says Practica.UnknownEvent");
    return 0;
  }
  if (!event->request) {
    Check(event->request.error().code == practica::ErrorCode::kInvalid,
          "a malformed event is kInvalid");
    Check(!event->request.error().message.empty(), "a malformed event says why");
    return 0;
  }
  const practica::http::Request& request = *event->request;
  Check(!request.path.empty(), "a decoded request has a path");

  practica::http::Response response;
  response.status = 200 + static_cast<int>(size % 400);
  response.body = request.body;
  response.headers.Set("Content-Type", size % 2 == 0 ? "application/octet-stream" : "text/plain");
  for (const auto& [name, value] : request.headers.fields()) response.headers.Add(name, value);
  response.headers.Add("Set-Cookie", "a=1");
  response.headers.Add("Set-Cookie", "b=2");
  const std::string encoded = practica::lambda::EncodeHttpResponse(response, event->format);

  boost::system::error_code error;
  const boost::json::value json = boost::json::parse(encoded, error);
  Check(!error && json.is_object(), "the response is a JSON object");
  const boost::json::object& object = json.get_object();
  const auto* body = object.if_contains("body");
  Check(body != nullptr && body->is_string(), "the response has a body");
  const auto* base64 = object.if_contains("isBase64Encoded");
  const bool encoded_body = base64 != nullptr && base64->is_bool() && base64->get_bool();
  const std::string sent(body->get_string());
  if (encoded_body) {
    const auto decoded = practica::lambda::Base64Decode(sent);
    Check(decoded.has_value() && *decoded == request.body, "a base64 body decodes to the body");
  } else {
    Check(sent == request.body, "a text body is sent as it is");
  }
  return 0;
}
