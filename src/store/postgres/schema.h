// Reading and checking the schema version (migrations.h), for MigratePostgres and the stores'
// Open. Internal to store/postgres: it includes libpqxx.
#pragma once

#include <pqxx/transaction_base>

#include "common/error.h"

namespace practica::store::postgres {

// The highest applied migration, 0 when schema_migrations does not exist. May throw pqxx errors.
int SchemaVersion(pqxx::transaction_base& transaction);

// kConflict unless `version` is exactly this build's LatestSchemaVersion(), with a message that
// says what to do.
Status CheckSchemaVersion(int version);

// The refusal of a schema newer than `latest`.
Error NewerSchema(int version, int latest);

}  // namespace practica::store::postgres
