// The AuthoringStore contract: one parameterised suite every adapter must pass.
//
// An adapter's test file instantiates it with a factory that builds a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, AuthoringStoreContractTest,
//                            ::testing::Values(AuthoringStoreAdapter{"sqlite", MakeHarness}),
//                            AuthoringAdapterName);
//
// The suite checks only what authoring_store.h promises (plus the shared checks of
// authoring_checks.h), including that optimistic concurrency holds when writers race.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/authoring_store.h"

namespace practica::store {

void PrintTo(const AuthoredCourse& course, std::ostream* os);

namespace testing {

class AuthoringStoreHarness {
 public:
  virtual ~AuthoringStoreHarness() = default;
  virtual AuthoringStore& store() = 0;
};

struct AuthoringStoreAdapter {
  std::string name;  // [A-Za-z0-9_]+, becomes part of the test names
  std::function<std::unique_ptr<AuthoringStoreHarness>()> make_empty;
};

void PrintTo(const AuthoringStoreAdapter& adapter, std::ostream* os);
std::string AuthoringAdapterName(const ::testing::TestParamInfo<AuthoringStoreAdapter>& info);

class AuthoringStoreContractTest : public ::testing::TestWithParam<AuthoringStoreAdapter> {
 protected:
  void SetUp() override;
  AuthoringStore& store() { return harness_->store(); }

 private:
  std::unique_ptr<AuthoringStoreHarness> harness_;
};

}  // namespace testing
}  // namespace practica::store
