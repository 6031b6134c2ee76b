// A private schema per test in the PostgreSQL database that tests/services/run_with.py provides
// (PRACTICA_TEST_POSTGRES_URL), and raw access to it beside the store's own connections.
//
// Each TestSchema is a fresh, empty schema with a random name; its url() selects it through the
// search_path, so a store opened on it sees only its own tables, and tests stay isolated without
// a database or a cluster each. The schema is dropped on destruction.
#pragma once

#include <pqxx/connection>
#include <pqxx/result>
#include <string>

namespace practica::store::testing {

// The server's URL; fails the test (and returns "") when the variable is unset.
std::string ServerUrl();

// `url` with `options` (libpq's: -c settings for the session) added.
std::string WithSessionOptions(const std::string& url, const std::string& options);

class TestSchema {
 public:
  TestSchema();
  ~TestSchema();
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;

  const std::string& name() const { return name_; }
  // The server's URL with this schema first on the search_path.
  const std::string& url() const { return url_; }
  // Runs SQL (no parameters; text from the test itself) in this schema on a new connection, so
  // that it works across server restarts. Failures are test failures (an empty result).
  pqxx::result Exec(const std::string& sql) const;
  // The same, with the server's errors thrown to the caller.
  pqxx::result ExecOrThrow(const std::string& sql) const;

 private:
  std::string name_;
  std::string url_;
};

}  // namespace practica::store::testing
