#include "api/system.h"

namespace practica::api {

Result<http::Response> SystemApi::Health(const http::Request&) {
  return http::Response::Json(200, R"({"status":"ok"})");
}

Result<http::Response> SystemApi::Ready(const http::Request&) {
  if (Status status = content_.Ping(); !status.ok()) {
    return Error::Unavailable("The content store is not reachable.");
  }
  return http::Response::Json(200, R"({"status":"ready"})");
}

}  // namespace practica::api
