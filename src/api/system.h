// Liveness and readiness probes (load balancers and orchestrators call these).
#pragma once

#include "http/router.h"
#include "store/content_store.h"

namespace practica::api {

class SystemApi {
 public:
  explicit SystemApi(store::ContentStore& content) : content_(content) {}

  // GET /api/health: the process answers. Never touches a store.
  Result<http::Response> Health(const http::Request& request);
  // GET /api/ready: every store answers a round trip; 503 otherwise.
  Result<http::Response> Ready(const http::Request& request);

 private:
  store::ContentStore& content_;
};

}  // namespace practica::api
