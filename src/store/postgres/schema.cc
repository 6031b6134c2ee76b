#include "store/postgres/schema.h"

#include <string>

#include "store/postgres/migrations.h"

namespace practica::store::postgres {

int SchemaVersion(pqxx::transaction_base& transaction) {
  // to_regclass resolves the name through the search_path, as the stores' statements do.
  if (!transaction.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].as<bool>()) {
    return 0;
  }
  return transaction.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
}

Status CheckSchemaVersion(int version) {
  const int latest = LatestSchemaVersion();
  if (version > latest) return NewerSchema(version, latest);
  if (version < latest) {
    return Error::Conflict("the PostgreSQL database has schema version " + std::to_string(version) +
                           ", older than this build of practica needs (" + std::to_string(latest) +
                           "); run `practica migrate` first");
  }
  return Status::Ok();
}

Error NewerSchema(int version, int latest) {
  return Error::Conflict("the PostgreSQL database has schema version " + std::to_string(version) +
                         ", newer than this build of practica knows (" + std::to_string(latest) +
                         "); run a newer practica");
}

}  // namespace practica::store::postgres
