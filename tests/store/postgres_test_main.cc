// main() of postgres_store_test. Its tests need a PostgreSQL server: ctest runs the binary through
// tests/services/run_with.py, which starts a throw-away one. Run directly without it, the binary
// says how instead of failing every test one by one (or, worse, skipping them in silence).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const char* url = std::getenv("PRACTICA_TEST_POSTGRES_URL");
  if ((url == nullptr || *url == '\0') && !GTEST_FLAG_GET(list_tests)) {
    std::cerr << argv[0] << ": PRACTICA_TEST_POSTGRES_URL is not set. These tests need a "
              << "PostgreSQL server; run them with a throw-away one:\n"
              << "  python3 tests/services/run_with.py --postgres -- " << argv[0] << "\n"
              << "or through ctest, which does that.\n";
    return 2;
  }
  return RUN_ALL_TESTS();
}
