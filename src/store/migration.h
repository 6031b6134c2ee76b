// What every store's schema migrations have in common (store/sqlite/migrations.h,
// store/postgres/migrations.h): a numbered list of SQL scripts, and the report of a run.
#pragma once

#include <span>
#include <string_view>

#include "common/error.h"

namespace practica::store {

struct Migration {
  int version;            // 1, 2, 3, … with no gaps
  std::string_view name;  // for logs: "user tables"
  std::string_view sql;   // statements without parameters, BEGIN or COMMIT
};

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  bool changed() const { return from_version != to_version; }
};

// kInternal unless the versions are 1, 2, 3, … in order without gaps (a bug in the list).
Status CheckMigrationList(std::span<const Migration> migrations);

}  // namespace practica::store
