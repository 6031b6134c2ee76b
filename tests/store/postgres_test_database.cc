#include "postgres_test_database.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <pqxx/nontransaction>
#include <random>
#include <thread>

namespace practica::store::testing {
namespace {

constexpr const char* kUrlVariable = "PRACTICA_TEST_POSTGRES_URL";

pqxx::result ExecOn(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction transaction(connection);
  return transaction.exec(sql);
}

// The part of the server's URL after the user info: HOST:PORT/DB.
std::string ServerAddress() {
  const std::string server = ServerUrl();
  return server.substr(server.rfind('@') + 1);
}

}  // namespace

std::string RandomName(const std::string& prefix) {
  std::random_device random;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string name = prefix;
  for (int i = 0; i < 16; ++i) name += "0123456789abcdef"[digit(random)];
  return name;
}

std::string ServerUrl() {
  const char* url = std::getenv(kUrlVariable);
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << kUrlVariable << " is not set; run the tests through "
                  << "tests/services/run_with.py --postgres -- …";
    return "";
  }
  return url;
}

std::string WithSessionOptions(const std::string& url, const std::string& options) {
  std::string encoded;
  for (const char c : options) {
    if (c == ' ') {
      encoded += "%20";
    } else if (c == '=') {
      encoded += "%3D";
    } else {
      encoded += c;
    }
  }
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=" + encoded;
}

TestSchema::TestSchema() : name_(RandomName("test_")) {
  const std::string server = ServerUrl();
  if (server.empty()) return;
  url_ = WithSessionOptions(server, "-c search_path=" + name_);
  Exec("CREATE SCHEMA " + name_);
}

TestSchema::~TestSchema() {
  if (!url_.empty()) Exec("DROP SCHEMA " + name_ + " CASCADE");
}

pqxx::result TestSchema::Exec(const std::string& sql) const {
  try {
    return ExecOrThrow(sql);
  } catch (const std::exception& error) {
    ADD_FAILURE() << sql << ": " << error.what();
    return {};
  }
}

pqxx::result TestSchema::ExecOrThrow(const std::string& sql) const { return ExecOn(url_, sql); }

TestRole::TestRole(const TestSchema& schema)
    : schema_(schema), name_(RandomName("role_")), password_(RandomName("pw-")) {
  schema_.Exec("CREATE ROLE " + name_ + " LOGIN PASSWORD '" + password_ + "'");
  schema_.Exec("GRANT USAGE, CREATE ON SCHEMA " + schema_.name() + " TO " + name_);
  schema_.Exec("GRANT ALL ON ALL TABLES IN SCHEMA " + schema_.name() + " TO " + name_);
  schema_.Exec("ALTER ROLE " + name_ + " SET search_path = " + schema_.name());
}

TestRole::~TestRole() {
  TerminateSessions();
  schema_.Exec("DROP OWNED BY " + name_);  // its grants
  schema_.Exec("DROP ROLE " + name_);
}

std::string TestRole::host() const {
  const std::string address = ServerAddress();
  return address.substr(0, address.rfind(':'));
}

int TestRole::port() const {
  const std::string address = ServerAddress();
  const size_t colon = address.rfind(':');
  return std::stoi(address.substr(colon + 1, address.find('/') - colon - 1));
}

std::string TestRole::dbname() const {
  const std::string address = ServerAddress();
  return address.substr(address.find('/') + 1);
}

std::string TestRole::Url(const std::string& password) const {
  return "postgresql://" + name_ + ":" + password + "@" + ServerAddress();
}

void TestRole::SetPassword(const std::string& password) {
  schema_.Exec("ALTER ROLE " + name_ + " PASSWORD '" + password + "'");
  password_ = password;
}

int TestRole::TerminateSessions() const {
  // The second argument of pg_terminate_backend waits until the backend has exited.
  const pqxx::result ended = schema_.Exec(
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
      "WHERE usename = '" +
      name_ + "'");
  return ended.empty() ? -1 : ended[0][0].as<int>();
}

int TestRole::Sessions(int at_most) const {
  int sessions = -1;
  for (int i = 0; i < 500; ++i) {
    const pqxx::result counted =
        schema_.Exec("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + name_ + "'");
    sessions = counted.empty() ? -1 : counted[0][0].as<int>();
    if (sessions <= at_most) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return sessions;
}

}  // namespace practica::store::testing
