// Liveness and readiness probes (load balancers and orchestrators call these).
#pragma once

#include "http/router.h"
#include "store/content_store.h"
#include "store/progress_store.h"
#include "store/user_store.h"

namespace practica::api {

class SystemApi {
 public:
  SystemApi(store::ContentStore& content, store::UserStore& users, store::ProgressStore& progress)
      : content_(content), users_(users), progress_(progress) {}

  // GET /api/health: the process answers. Never touches a store.
  Result<http::Response> Health(const http::Request& request);
  // GET /api/ready: every store answers a round trip; 503 otherwise.
  Result<http::Response> Ready(const http::Request& request);

 private:
  store::ContentStore& content_;
  store::UserStore& users_;
  store::ProgressStore& progress_;
};

}  // namespace practica::api
