// Admin commands as Lambda events: `practica migrate` and `practica user set-role` for a
// deployment whose database is reachable only from inside its VPC, run by a function of their own
// (PRACTICA_LAMBDA_HANDLER=admin) that nothing but a direct `lambda:InvokeFunction` reaches:
//
//   {"practica_admin": "migrate"}
//   {"practica_admin": "set-role", "email": "you@example.org", "role": "admin"}
//
// The shape is strict, so that no event another service makes can pass for one: a JSON object
// whose members are exactly these (no other member, not even an empty one). API Gateway, ALB and
// DynamoDB Streams events always carry members of their own (version, requestContext, Records…)
// and cannot put one at the top level, whatever a client sends.
//
// Pure functions: no I/O, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace practica::lambda {

struct AdminCommand {
  enum class Kind { kMigrate, kSetRole };
  Kind kind = Kind::kMigrate;
  std::string email;  // set-role only
  std::string role;   // set-role only: learner | instructor | admin
};

// kInvalid with Error::type kUnknownEventType when `event` is no admin command (not an object,
// or without a string "practica_admin"); kInvalid naming the problem when it is one with an
// unknown command, a missing, extra or mistyped member, or an unknown role.
Result<AdminCommand> DecodeAdminEvent(std::string_view event);

// The answer to a command that ran: {"command": "...", "output": ["line", …]}.
std::string EncodeAdminAnswer(const AdminCommand& command, const std::vector<std::string>& output);

}  // namespace practica::lambda
