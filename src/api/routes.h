// The API's one routing table (routes.cc): reading it tells you the whole HTTP API.
#pragma once

#include "api/account_service.h"
#include "api/accounts_api.h"
#include "api/learning_api.h"
#include "http/router.h"
#include "store/content_store.h"

namespace practica::api {

// What the handlers need; owned by the caller (app/), which keeps it alive as long as the router.
struct Services {
  store::ContentStore& content;
  AccountService& accounts;
  LearningApi& learning;
  CookieSettings cookies;
  http::RateLimit auth_per_client{10, 10};  // sign-up, sign-in, refresh: per client address
};

http::Router BuildRouter(const Services& services);

}  // namespace practica::api
