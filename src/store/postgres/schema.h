// Reading and checking the schema version (migrations.h), for MigratePostgres and the stores'
// Open. Internal to store/postgres: it includes libpqxx.
#pragma once

#include <memory>
#include <pqxx/transaction_base>
#include <span>

#include "common/error.h"
#include "store/postgres/connect.h"
#include "store/postgres/connection_source.h"
#include "store/postgres/pool_options.h"

namespace practica::store::postgres {

// The highest applied migration, 0 when schema_migrations does not exist. May throw pqxx errors.
int SchemaVersion(pqxx::transaction_base& transaction);

// kConflict unless `version` is exactly this build's LatestSchemaVersion(), with a message that
// says what to do.
Status CheckSchemaVersion(int version);

// The refusal of a schema newer than `latest`.
Error NewerSchema(int version, int latest);

class ConnectionPool;

// What every store's Open does first: checks `options` (kInvalid when out of range), makes the
// pool, connects (the connection stays in the pool for the first call) and checks the schema
// version, so that a wrong address, a refused password or an unmigrated database stops start-up
// (kUnavailable, kConflict). `statements` must outlive the pool.
Result<std::unique_ptr<ConnectionPool>> OpenStorePool(
    ConnectionSource source, const PoolOptions& options,
    std::span<const PreparedStatement> statements);

}  // namespace practica::store::postgres
