#include "store/postgres/schema.h"

#include <string>
#include <utility>

#include "store/postgres/connection_pool.h"
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

Result<std::unique_ptr<ConnectionPool>> OpenStorePool(
    ConnectionSource source, const PoolOptions& options,
    std::span<const PreparedStatement> statements) {
  if (options.max_connections < 1) {
    return Error::Invalid("a PostgreSQL store needs at least one connection",
                          {{"max_connections", "must be at least 1"}});
  }
  if (options.acquire_timeout.count() < 0) {
    return Error::Invalid("the acquire timeout is negative",
                          {{"acquire_timeout", "must not be negative"}});
  }
  if (options.connect_timeout.count() <= 0) {
    return Error::Invalid("the connect timeout is not positive",
                          {{"connect_timeout", "must be positive"}});
  }
  auto pool = std::make_unique<ConnectionPool>(std::move(source), options, statements);
  Status schema = pool->Autocommit([](pqxx::transaction_base& transaction) {
    return CheckSchemaVersion(SchemaVersion(transaction));
  });
  if (!schema.ok()) return std::move(schema).error();
  return pool;
}

}  // namespace practica::store::postgres
