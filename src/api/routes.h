// The API's one routing table (routes.cc): reading it tells you the whole HTTP API.
#pragma once

#include "api/account_service.h"
#include "api/accounts_api.h"
#include "api/analytics_api.h"
#include "api/authoring_api.h"
#include "api/learning_api.h"
#include "api/xapi_api.h"
#include "http/router.h"
#include "store/content_store.h"

namespace practica::api {

// What the handlers need; owned by the caller (app/), which keeps it alive as long as the router.
struct Services {
  store::ContentStore& content;
  store::UserStore& users;
  store::ProgressStore& progress;
  AccountService& accounts;
  LearningApi& learning;
  AnalyticsApi& analytics;
  CookieSettings cookies;
  http::RateLimit auth_per_client{10, 10};  // sign-up, sign-in, refresh: per client address
  // True when a store is across the network (DynamoDB, PostgreSQL): then every route that touches
  // one runs on the server's worker pool, so a slow round trip never holds an I/O thread. With
  // SQLite, reads are local and fast enough to answer on the I/O thread.
  bool stores_block = false;
  // Where signed-in learners' lesson reads are counted as views (null: they are not).
  store::AnalyticsRecorder* lesson_views = nullptr;
  const Clock* clock = nullptr;
  // The xAPI download (null: no such route).
  XapiApi* xapi = nullptr;
  // The authoring routes (null: none).
  AuthoringApi* authoring = nullptr;
};

http::Router BuildRouter(const Services& services);

}  // namespace practica::api
