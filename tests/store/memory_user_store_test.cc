#include "store/memory/memory_user_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "user_store_contract.h"

namespace practica::store::memory {
namespace {

using testing::UserStoreContractTest;

class MemoryUsersHarness : public testing::UserStoreHarness {
 public:
  UserStore& store() override { return store_; }

 private:
  MemoryUserStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, UserStoreContractTest,
                         ::testing::Values(testing::UserStoreAdapter{
                             "memory", [] { return std::make_unique<MemoryUsersHarness>(); }}),
                         testing::UserAdapterName);

}  // namespace
}  // namespace practica::store::memory
