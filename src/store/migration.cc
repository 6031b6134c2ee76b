#include "store/migration.h"

#include <string>

namespace practica::store {

Status CheckMigrationList(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Error::Internal("migration versions must be 1, 2, 3, … without gaps; found " +
                             std::to_string(migrations[i].version) + " at position " +
                             std::to_string(i + 1));
    }
  }
  return Status::Ok();
}

}  // namespace practica::store
