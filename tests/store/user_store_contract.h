// The UserStore contract: one parameterised suite every adapter must pass.
//
// An adapter's test file instantiates it with a factory that builds a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreContractTest,
//                            ::testing::Values(UserStoreAdapter{"sqlite", MakeSqliteUsers}),
//                            UserAdapterName);
//
// The suite checks only what user_store.h promises (plus the shared rules of user_checks.h),
// including its atomicity under concurrent callers; adapter-specific behaviour belongs in the
// adapter's own tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/user_store.h"

namespace practica::store {

// gtest prints these port values readably in failed expectations.
void PrintTo(const SessionInfo& session, std::ostream* os);
void PrintTo(const TotpState& state, std::ostream* os);

namespace testing {

// One store under test together with whatever keeps it alive, all released on destruction.
class UserStoreHarness {
 public:
  virtual ~UserStoreHarness() = default;
  virtual UserStore& store() = 0;
};

struct UserStoreAdapter {
  std::string name;  // [A-Za-z0-9_]+, becomes part of the test names
  std::function<std::unique_ptr<UserStoreHarness>()> make_empty;
};

// gtest prints the adapter's name instead of its bytes.
void PrintTo(const UserStoreAdapter& adapter, std::ostream* os);

std::string UserAdapterName(const ::testing::TestParamInfo<UserStoreAdapter>& info);

// Sample values for adapter tests too: a learner created at 1'700'000'000 with a well-formed
// Argon2id hash, and a refresh token valid for 30 days from `issued_at`.
NewUser MakeNewUser(const std::string& id, const std::string& email,
                    const std::string& display_name = "Ada Lovelace");
RefreshToken MakeToken(const std::string& hash, const std::string& family,
                       const std::string& user_id, int64_t issued_at = 1'700'000'000,
                       int64_t expires_at = 1'700'000'000 + 30 * 24 * 60 * 60);

class UserStoreContractTest : public ::testing::TestWithParam<UserStoreAdapter> {
 protected:
  void SetUp() override;
  UserStore& store() { return harness_->store(); }

 private:
  std::unique_ptr<UserStoreHarness> harness_;
};

}  // namespace testing
}  // namespace practica::store
