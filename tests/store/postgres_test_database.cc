#include "postgres_test_database.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <pqxx/nontransaction>
#include <random>

namespace practica::store::testing {
namespace {

constexpr const char* kUrlVariable = "PRACTICA_TEST_POSTGRES_URL";

std::string RandomSchemaName() {
  std::random_device random;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string name = "test_";
  for (int i = 0; i < 16; ++i) name += "0123456789abcdef"[digit(random)];
  return name;
}

pqxx::result ExecOn(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction transaction(connection);
  return transaction.exec(sql);
}

}  // namespace

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

TestSchema::TestSchema() : name_(RandomSchemaName()) {
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

}  // namespace practica::store::testing
