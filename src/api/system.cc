#include "api/system.h"

#include <string>
#include <utility>

#include "common/log.h"

namespace practica::api {

Result<http::Response> SystemApi::Health(const http::Request&) {
  return http::Response::Json(200, R"({"status":"ok"})");
}

Result<http::Response> SystemApi::Ready(const http::Request&) {
  // The causes go to the log; the probe's caller only learns which store is down.
  const std::pair<const char*, Status> checks[] = {
      {"content", content_.Ping()}, {"user", users_.Ping()}, {"progress", progress_.Ping()}};
  for (const auto& [store, status] : checks) {
    if (!status.ok()) {
      log::Warn("not ready", {{"store", store}, {"error", status.error().message}});
      Error down = Error::Unavailable(std::string("The ") + store + " store is not reachable.");
      down.retry_after = 1;
      return down;
    }
  }
  return http::Response::Json(200, R"({"status":"ready"})");
}

}  // namespace practica::api
