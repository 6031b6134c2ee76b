#include "lambda/admin_event.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/user.h"
#include "lambda/http_event.h"

namespace practica::lambda {
namespace {

namespace json = boost::json;

constexpr std::string_view kCommandMember = "practica_admin";

Error NotAnAdminEvent() {
  Error error = Error::Invalid("The event is no admin command.");
  error.type = std::string(kUnknownEventType);
  return error;
}

// The string member `name`, or why not.
Result<std::string> StringMember(const json::object& event, std::string_view name) {
  const json::value* value = event.if_contains(name);
  if (value == nullptr || !value->is_string() || value->get_string().empty()) {
    return Error::Invalid("The admin command needs \"" + std::string(name) +
                          "\", a non-empty string.");
  }
  return std::string(value->get_string());
}

}  // namespace

Result<AdminCommand> DecodeAdminEvent(std::string_view event) {
  boost::system::error_code ec;
  const json::value value = json::parse(event, ec);
  const json::object* object = ec ? nullptr : value.if_object();
  if (object == nullptr) return NotAnAdminEvent();
  const json::value* command = object->if_contains(kCommandMember);
  if (command == nullptr || !command->is_string()) return NotAnAdminEvent();

  AdminCommand admin;
  std::vector<std::string_view> members;
  if (command->get_string() == "migrate") {
    admin.kind = AdminCommand::Kind::kMigrate;
  } else if (command->get_string() == "set-role") {
    admin.kind = AdminCommand::Kind::kSetRole;
    members = {"email", "role"};
  } else {
    return Error::Invalid(
        "Unknown admin command; \"practica_admin\" is \"migrate\" or \"set-role\".");
  }
  for (const auto& member : *object) {
    const std::string_view key = member.key();
    if (key == kCommandMember) continue;
    if (std::find(members.begin(), members.end(), key) == members.end()) {
      return Error::Invalid("The admin command " + std::string(command->get_string()) +
                            " takes no member \"" + std::string(key) + "\".");
    }
  }
  if (admin.kind == AdminCommand::Kind::kSetRole) {
    Result<std::string> email = StringMember(*object, "email");
    if (!email.ok()) return std::move(email).error();
    Result<std::string> role = StringMember(*object, "role");
    if (!role.ok()) return std::move(role).error();
    if (!domain::ParseRole(*role)) {
      return Error::Invalid("\"role\" must be learner, instructor or admin.");
    }
    admin.email = std::move(email).value();
    admin.role = std::move(role).value();
  }
  return admin;
}

std::string EncodeAdminAnswer(const AdminCommand& command, const std::vector<std::string>& output) {
  json::array lines;
  for (const std::string& line : output) lines.emplace_back(line);
  return json::serialize(json::object{
      {"command", command.kind == AdminCommand::Kind::kMigrate ? "migrate" : "set-role"},
      {"output", std::move(lines)}});
}

}  // namespace practica::lambda
