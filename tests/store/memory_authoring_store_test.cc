#include "store/memory/memory_authoring_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "authoring_store_contract.h"

namespace practica::store::memory {
namespace {

using testing::AuthoringStoreContractTest;

class MemoryHarness : public testing::AuthoringStoreHarness {
 public:
  AuthoringStore& store() override { return store_; }

 private:
  MemoryAuthoringStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, AuthoringStoreContractTest,
                         ::testing::Values(testing::AuthoringStoreAdapter{
                             "memory", [] { return std::make_unique<MemoryHarness>(); }}),
                         testing::AuthoringAdapterName);

}  // namespace
}  // namespace practica::store::memory
