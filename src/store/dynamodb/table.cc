#include "store/dynamodb/table.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <thread>

namespace practica::store::dynamodb {
namespace {

namespace json = boost::json;

json::array Keys(std::string_view hash, std::string_view range) {
  return json::array{json::object{{"AttributeName", hash}, {"KeyType", "HASH"}},
                     json::object{{"AttributeName", range}, {"KeyType", "RANGE"}}};
}

std::string_view Str(const json::value* value) {
  if (value == nullptr || !value->is_string()) return {};
  const json::string& text = value->get_string();
  return {text.data(), text.size()};
}

// The TableStatus, or an error (kNotFound with type "resource-not-found" when there is no table).
Result<json::object> Describe(aws::dynamodb::Client& client, std::string_view table) {
  Result<json::object> described = client.Call("DescribeTable", json::object{{"TableName", table}});
  if (!described.ok()) return std::move(described).error();
  json::value* description = described->if_contains("Table");
  if (description == nullptr || !description->is_object()) {
    return Error::Unavailable("DynamoDB DescribeTable: no Table in the response");
  }
  return std::move(description->get_object());
}

Status WaitUntilActive(aws::dynamodb::Client& client, std::string_view table) {
  for (int i = 0; i < 600; ++i) {
    Result<json::object> description = Describe(client, table);
    if (description.ok() && Str(description->if_contains("TableStatus")) == "ACTIVE") {
      return Status::Ok();
    }
    if (!description.ok() && description.error().code != ErrorCode::kNotFound) {
      return std::move(description).error();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Error::Unavailable("DynamoDB table " + std::string(table) +
                            " did not become ACTIVE within a minute");
}

}  // namespace

Result<bool> CreateTable(aws::dynamodb::Client& client, std::string_view table) {
  json::object request{
      {"TableName", table},
      {"BillingMode", "PAY_PER_REQUEST"},
      {"AttributeDefinitions",
       json::array{json::object{{"AttributeName", "pk"}, {"AttributeType", "S"}},
                   json::object{{"AttributeName", "sk"}, {"AttributeType", "S"}},
                   json::object{{"AttributeName", "gsi1pk"}, {"AttributeType", "S"}},
                   json::object{{"AttributeName", "gsi1sk"}, {"AttributeType", "S"}}}},
      {"KeySchema", Keys("pk", "sk")},
      {"GlobalSecondaryIndexes",
       json::array{json::object{
           {"IndexName", kDueIndex},
           {"KeySchema", Keys("gsi1pk", "gsi1sk")},
           // The due-cards query reads only the card: the attempt logs stay out of the index.
           {"Projection",
            json::object{{"ProjectionType", "INCLUDE"},
                         {"NonKeyAttributes",
                          json::array{"course", "exercise", "lesson", "stability", "difficulty",
                                      "due", "last_review", "reps", "lapses"}}}}}}}};
  bool created = true;
  Result<json::object> done = client.Call("CreateTable", std::move(request));
  if (!done.ok()) {
    // Another process created it first: that is what we wanted.
    const std::string& message = done.error().message;
    const bool exists = message.find("ResourceInUseException") != std::string::npos ||
                        message.find("already exists") != std::string::npos;
    if (!exists) return std::move(done).error();
    created = false;
  }
  if (Status active = WaitUntilActive(client, table); !active.ok())
    return std::move(active).error();
  return created;
}

Status CheckTable(aws::dynamodb::Client& client, std::string_view table) {
  Result<json::object> description = Describe(client, table);
  if (!description.ok()) {
    Error error = std::move(description).error();
    if (error.code == ErrorCode::kNotFound) {
      return Error::Unavailable("DynamoDB table " + std::string(table) +
                                " does not exist; create it with `practica migrate`");
    }
    error.message = "DynamoDB table " + std::string(table) + " is unreachable: " + error.message;
    error.code = ErrorCode::kUnavailable;
    return error;
  }
  const auto has_key = [](const json::value* schema, std::string_view hash,
                          std::string_view range) {
    if (schema == nullptr || !schema->is_array()) return false;
    bool found_hash = false;
    bool found_range = false;
    for (const json::value& key : schema->get_array()) {
      if (!key.is_object()) continue;
      const std::string_view name = Str(key.get_object().if_contains("AttributeName"));
      const std::string_view type = Str(key.get_object().if_contains("KeyType"));
      found_hash = found_hash || (name == hash && type == "HASH");
      found_range = found_range || (name == range && type == "RANGE");
    }
    return found_hash && found_range;
  };
  bool index_found = false;
  if (const json::value* indexes = description->if_contains("GlobalSecondaryIndexes");
      indexes != nullptr && indexes->is_array()) {
    for (const json::value& index : indexes->get_array()) {
      if (index.is_object() && Str(index.get_object().if_contains("IndexName")) == kDueIndex &&
          has_key(index.get_object().if_contains("KeySchema"), "gsi1pk", "gsi1sk")) {
        index_found = true;
      }
    }
  }
  if (!has_key(description->if_contains("KeySchema"), "pk", "sk") || !index_found) {
    return Error::Unavailable("DynamoDB table " + std::string(table) +
                              " is not practica's: it needs key pk/sk and the index \"due\" "
                              "(gsi1pk/gsi1sk); point PRACTICA_*_STORE at another table");
  }
  if (Str(description->if_contains("TableStatus")) != "ACTIVE") {
    return Error::Unavailable("DynamoDB table " + std::string(table) + " is not ACTIVE yet");
  }
  return Status::Ok();
}

}  // namespace practica::store::dynamodb
