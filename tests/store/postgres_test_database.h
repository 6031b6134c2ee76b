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

// A random lowercase name with `prefix`, for schemas, roles and secrets.
std::string RandomName(const std::string& prefix);

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

// A login role of its own (password authentication, as on RDS) that may use the tables of
// `schema` and has it as its search_path, for tests that change or refuse its password. Make it
// after the schema is migrated (it is granted the tables that exist then). Dropped on destruction.
class TestRole {
 public:
  explicit TestRole(const TestSchema& schema);
  ~TestRole();
  TestRole(const TestRole&) = delete;
  TestRole& operator=(const TestRole&) = delete;

  const std::string& name() const { return name_; }
  const std::string& password() const { return password_; }
  // The server's host, port and database, as the server's URL names them.
  std::string host() const;
  int port() const;
  std::string dbname() const;
  // postgresql://ROLE:PASSWORD@HOST:PORT/DB (the role's search_path selects the schema).
  std::string Url(const std::string& password) const;
  std::string Url() const { return Url(password_); }

  // ALTER ROLE … PASSWORD: what a rotation does to the database. New sessions need the new
  // password; sessions that are open stay open.
  void SetPassword(const std::string& password);
  // Ends every session of the role, and waits until they have gone (what a failover, an idle
  // timeout or an operator does to a pool); returns how many there were.
  int TerminateSessions() const;
  // How many sessions of the role the server has, after waiting (up to 5 s) for it to be at most
  // `at_most`: a client's disconnect ends its backend a moment later.
  int Sessions(int at_most = 0) const;

 private:
  const TestSchema& schema_;
  std::string name_;
  std::string password_;
};

}  // namespace practica::store::testing
