// Raw SQLite access for the adapter tests: a connection beside the store's own, to count rows or
// tamper with the file the way a crash or another process would.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite/database.h"

namespace practica::store::testing {

using sqlite::Database;
using sqlite::Statement;

inline std::unique_ptr<Database> OpenRaw(const std::filesystem::path& file) {
  Result<std::unique_ptr<Database>> database = Database::Open(file);
  EXPECT_TRUE(database.ok()) << database.error().message;
  return database.ok() ? std::move(database).value() : nullptr;
}

// Rows in `table` (a name from the test itself, never outside input).
inline int64_t Count(Database& database, const std::string& table) {
  Result<Statement> count = database.Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(count.ok()) << count.error().message;
  if (!count.ok()) return -1;
  Result<bool> row = count->Step();
  EXPECT_TRUE(row.ok() && *row);
  return count->ColumnInt(0);
}

}  // namespace practica::store::testing
