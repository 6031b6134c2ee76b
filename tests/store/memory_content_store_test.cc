#include "store/memory/memory_content_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "content_store_contract.h"

namespace practica::store::memory {
namespace {

using testing::ContentStoreContractTest;

class MemoryHarness : public testing::ContentStoreHarness {
 public:
  ContentStore& store() override { return store_; }

 private:
  MemoryContentStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, ContentStoreContractTest,
                         ::testing::Values(testing::ContentStoreAdapter{
                             "memory", [] { return std::make_unique<MemoryHarness>(); }}),
                         testing::AdapterName);

}  // namespace
}  // namespace practica::store::memory
