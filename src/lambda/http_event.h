// HTTP requests as Lambda receives them, and the responses it expects back: the three event shapes
// that put a function behind HTTP, translated to and from the transport-neutral http::Request and
// http::Response the pipeline serves.
//
//   API Gateway REST API (proxy integration, payload 1.0): httpMethod, path (percent-encoded),
//     multiValueHeaders, multiValueQueryStringParameters (decoded); the response's
//     multiValueHeaders carry repeated fields such as several Set-Cookie.
//   API Gateway HTTP API (payload 2.0, also Lambda function URLs): version "2.0", rawPath (already
//     decoded by API Gateway), rawQueryString, headers with repeated values comma-joined, cookies
//     as an array; the response's cookies array carries Set-Cookie.
//   ALB target: requestContext.elb, httpMethod, path and query parameters as received (not
//     decoded), and either headers/queryStringParameters or, when the target group has
//     multi-value headers on, multiValueHeaders/multiValueQueryStringParameters; the response
//     must use the same form, and carries statusDescription.
//
// In all three, isBase64Encoded says the body is base64: requests are decoded, and a response body
// that is not text (by Content-Type, or not valid UTF-8) is sent encoded.
//
// Paths are taken as the integration gives them, so the API must be deployed where the path it
// sees is /api/… (the HTTP API's $default stage, an ALB listener, a REST API custom domain).
//
// Pure functions: no I/O, any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "http/message.h"

namespace practica::lambda {

enum class EventSource { kApiGatewayRest, kApiGatewayHttp, kAlb };

// How an event must be answered.
struct ResponseFormat {
  EventSource source = EventSource::kApiGatewayHttp;
  bool multi_value_headers = false;  // ALB only: the target group sends and expects multi-value
};

struct HttpEvent {
  ResponseFormat format;
  // The request for the pipeline, or kInvalid saying which field is missing or malformed (or that
  // the body is not valid base64): the caller answers that with a 400 in `format`.
  Result<http::Request> request;
};

// The errorType of an event that is no HTTP request of a known shape.
inline constexpr std::string_view kUnknownEventType = "Practica.UnknownEvent";

// Reads an invocation's payload. kInvalid with Error::type kUnknownEventType when it is not a JSON
// object or has the shape of none of the three events: nobody waits for an HTTP answer to it, so
// it becomes an invocation error.
Result<HttpEvent> DecodeHttpEvent(std::string_view event);

// The response JSON for `format`. Header fields of one name are grouped in order of first
// appearance; where the format has one value per name (HTTP API headers, ALB without multi-value),
// repeated values are comma-joined, except Set-Cookie, which cannot be joined: the HTTP API sends
// it in `cookies`, and an ALB without multi-value headers gets only the last one (as the ALB
// itself would keep), with a warning in the log.
std::string EncodeHttpResponse(const http::Response& response, const ResponseFormat& format);

}  // namespace practica::lambda
