// The ContentStore contract: one parameterised suite every adapter must pass.
//
// An adapter's test file instantiates it with a factory that builds a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, ContentStoreContractTest,
//                            ::testing::Values(ContentStoreAdapter{"sqlite", MakeSqliteHarness}),
//                            AdapterName);
//
// The suite checks only what content_store.h promises (plus the shared id checks of
// course_checks.h); adapter-specific behaviour belongs in the adapter's own tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/content_store.h"

namespace practica::store::testing {

// One store under test together with whatever keeps it alive (a temp dir, a local server), all
// released on destruction.
class ContentStoreHarness {
 public:
  virtual ~ContentStoreHarness() = default;
  virtual ContentStore& store() = 0;
};

struct ContentStoreAdapter {
  std::string name;  // [A-Za-z0-9_]+, becomes part of the test names
  std::function<std::unique_ptr<ContentStoreHarness>()> make_empty;
};

// gtest prints the adapter's name instead of its bytes.
void PrintTo(const ContentStoreAdapter& adapter, std::ostream* os);

std::string AdapterName(const ::testing::TestParamInfo<ContentStoreAdapter>& info);

class ContentStoreContractTest : public ::testing::TestWithParam<ContentStoreAdapter> {
 protected:
  void SetUp() override;
  ContentStore& store() { return harness_->store(); }

 private:
  std::unique_ptr<ContentStoreHarness> harness_;
};

}  // namespace practica::store::testing
