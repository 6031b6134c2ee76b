#include "lambda/admin_event.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lambda/http_event.h"

namespace practica::lambda {
namespace {

using Kind = AdminCommand::Kind;

TEST(DecodeAdminEvent, MigrateAndSetRole) {
  Result<AdminCommand> migrate = DecodeAdminEvent(R"({"practica_admin":"migrate"})");
  ASSERT_TRUE(migrate.ok()) << migrate.error().message;
  EXPECT_EQ(migrate->kind, Kind::kMigrate);

  Result<AdminCommand> set_role =
      DecodeAdminEvent(R"({"practica_admin":"set-role","email":"ada@example.org","role":"admin"})");
  ASSERT_TRUE(set_role.ok()) << set_role.error().message;
  EXPECT_EQ(set_role->kind, Kind::kSetRole);
  EXPECT_EQ(set_role->email, "ada@example.org");
  EXPECT_EQ(set_role->role, "admin");
}

TEST(DecodeAdminEvent, WhatIsNoAdminCommandIsAnUnknownEvent) {
  for (const char* event : {"", "[]", "null", "{}", R"({"command":"migrate"})",
                            R"({"practica_admin":["migrate"]})", R"({"practica_admin":null})"}) {
    Result<AdminCommand> command = DecodeAdminEvent(event);
    ASSERT_FALSE(command.ok()) << event;
    EXPECT_EQ(command.error().type, kUnknownEventType) << event;
  }
}

TEST(DecodeAdminEvent, AnAdminCommandWithAnythingElseIsRefusedNamingIt) {
  const auto refused = [](const char* event) {
    Result<AdminCommand> command = DecodeAdminEvent(event);
    EXPECT_FALSE(command.ok()) << event;
    if (command.ok()) return std::string();
    EXPECT_EQ(command.error().code, ErrorCode::kInvalid);
    EXPECT_NE(command.error().type, kUnknownEventType) << event;
    return command.error().message;
  };
  EXPECT_NE(refused(R"({"practica_admin":"drop-everything"})").find("Unknown admin command"),
            std::string::npos);
  EXPECT_NE(refused(R"({"practica_admin":"migrate","version":"2.0"})").find("\"version\""),
            std::string::npos);
  EXPECT_NE(refused(R"({"practica_admin":"set-role","email":"a@b.c"})").find("\"role\""),
            std::string::npos);
  EXPECT_NE(refused(R"({"practica_admin":"set-role","email":"a@b.c","role":"root"})")
                .find("learner, instructor or admin"),
            std::string::npos);
  EXPECT_NE(refused(R"({"practica_admin":"set-role","email":7,"role":"admin"})").find("\"email\""),
            std::string::npos);
  refused(R"({"practica_admin":"set-role","email":"a@b.c","role":"admin","requestContext":{}})");
}

// Every sample event of every source that can invoke a function (API Gateway, ALB, DynamoDB
// Streams…) is no admin command, whatever it carries.
TEST(DecodeAdminEvent, NoSampleEventOfAnotherServicePassesForOne) {
  const std::filesystem::path events =
      std::filesystem::path(PRACTICA_SOURCE_DIR).parent_path() / "shared/testdata/lambda-events";
  if (!std::filesystem::is_directory(events)) GTEST_SKIP() << events << " is missing";
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(events)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    Result<AdminCommand> command = DecodeAdminEvent(text.str());
    ASSERT_FALSE(command.ok()) << entry.path();
    EXPECT_EQ(command.error().type, kUnknownEventType) << entry.path();
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(EncodeAdminAnswer, NamesTheCommandAndItsOutput) {
  AdminCommand command;
  command.kind = Kind::kMigrate;
  EXPECT_EQ(EncodeAdminAnswer(command, {"database up to date"}),
            R"({"command":"migrate","output":["database up to date"]})");
}

}  // namespace
}  // namespace practica::lambda
