// HTTP requests, from the bytes on the wire to the answer: the server's own parser
// (server/request_parser.h) with its limits (16 KiB of header, 1 MiB of body), then the
// real Application (app/application.h) on SQLite files in a temporary folder with the demo
// course: routing, access tokens, JSON bodies, handlers and stores.
//
// The input is one request. "@learner" and "@admin" anywhere in it become access tokens of a
// learner and of an admin with a second factor (both created at start-up), so that the fuzzer
// reaches the routes behind sign-in with seeds such as "Authorization: Bearer @admin".
// The stores keep what earlier inputs wrote, as a server does: a crash found after a long run may
// need the inputs before it (docs/FUZZING.md says how to replay a whole corpus).
//
// Invariants: every request is answered with a status in 100..599, never 500 (no handler may
// throw or fail on input alone); an /api/ error is problem+json whose status is the response's.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "app/application.h"
#include "auth/key_file.h"
#include "auth/token.h"
#include "common/log.h"
#include "fuzz_check.h"
#include "server/request_parser.h"

namespace bhttp = boost::beast::http;
using practica::fuzz::AsText;
using practica::fuzz::Check;

namespace {

practica::app::Application* application = nullptr;
bool trace = false;  // PRACTICA_FUZZ_TRACE=1: each request's method, path and status on stderr
std::filesystem::path* data_dir = nullptr;
std::string learner_token;
std::string admin_token;

template <class T>
T OrDie(practica::Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "http_request_fuzz: %s: %s\n", what, result.error().message.c_str());
    std::abort();
  }
  return std::move(result).value();
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  practica::log::SetLevel(practica::log::Level::kError);  // no access log line per input
  trace = std::getenv("PRACTICA_FUZZ_TRACE") != nullptr;
  std::string pattern = (std::filesystem::temp_directory_path() / "practica-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  // Removed when the run ends normally; a crash leaves it for a look at the stores.
  data_dir = new std::filesystem::path(pattern);
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(*data_dir, ignored);
  });
  practica::app::Config config;
  config.data_dir = pattern;
  config.seed_content = std::string(PRACTICA_SOURCE_DIR) + "/content";
  config.cookie_secure = false;
  config.threads = 2;
  const std::string password = "correct horse battery staple 42";
  const auto learner = OrDie(practica::app::CreateUser(config, "learner@fuzz.test", "Learner",
                                                       practica::domain::Role::kLearner, password),
                             "create the learner");
  const auto admin = OrDie(practica::app::CreateUser(config, "admin@fuzz.test", "Admin",
                                                     practica::domain::Role::kAdmin, password),
                           "create the admin");
  application = OrDie(practica::app::Application::Open(config, {.static_files = false}),
                      "open the application")
                    .release();

  const auto keys = OrDie(practica::auth::LoadOrCreateNodeKeys(config.KeyFile()), "read the keys");
  const practica::auth::TokenSigner signer(keys.signing_keys);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const int64_t day = 24 * 3600;
  learner_token = signer.Sign(
      {learner.id, practica::domain::Role::kLearner, "sid-learner", false, now, now, now + day});
  admin_token = signer.Sign(
      {admin.id, practica::domain::Role::kAdmin, "sid-admin", true, now, now, now + day});
  std::fprintf(stderr, "http_request_fuzz: data in %s\n", pattern.c_str());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string wire(AsText(data, size));
  ReplaceAll(wire, "@learner", learner_token);
  ReplaceAll(wire, "@admin", admin_token);

  practica::server::RequestParser parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::system::error_code error;
  parser.put(boost::asio::buffer(wire), error);
  if (error == bhttp::error::need_more) error = {};
  if (!parser.got_some()) return 0;
  if (!error && !parser.is_done()) parser.put_eof(error);  // the client closed after sending
  if (error || !parser.is_done()) return 0;  // the server answers 400 (or 413, 431) itself
  if (!parser.has_path()) return 0;          // and 400 here too
  practica::http::Request request = std::move(parser.request());
  request.remote_address = "203.0.113.9";

  const practica::http::Response response = application->pipeline().Handle(request);
  if (trace) {
    std::fprintf(stderr, "%s %s -> %d\n", std::string(ToString(request.method)).c_str(),
                 request.path.c_str(), response.status);
  }
  Check(response.status >= 100 && response.status <= 599, "the status is an HTTP status");
  Check(response.status != 500, "no request makes the server fail (500)");
  if (response.status >= 400 && request.path.starts_with("/api/") &&
      request.method != practica::http::Method::kHead) {
    Check(response.headers.Get("Content-Type") == "application/problem+json",
          "an API error is problem+json");
    const boost::json::value problem = boost::json::parse(response.body, error);
    Check(!error && problem.is_object(), "a problem is a JSON object");
    const auto* status = problem.get_object().if_contains("status");
    Check(status != nullptr && status->is_int64() && status->get_int64() == response.status,
          "a problem's status is the response's");
  }
  return 0;
}
