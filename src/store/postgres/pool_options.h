// How many PostgreSQL connections a store keeps, and how long a call waits for one.
#pragma once

#include <chrono>

namespace practica::store::postgres {

struct PoolOptions {
  // The most connections the store holds at once (opened on demand, kept while healthy). Keep the
  // sum over every process below the server's max_connections (RDS: about RAM / 9.5 MiB).
  int max_connections = 4;
  // How long a call waits for a connection when all are in use before it fails with
  // kUnavailable, so that an overloaded database sheds load instead of queueing without end.
  std::chrono::milliseconds acquire_timeout{5000};
  // How long opening one connection may take when the connection string sets no connect_timeout
  // (libpq would wait without end): a database host that drops packets then fails the calls that
  // need a new connection instead of hanging them.
  std::chrono::milliseconds connect_timeout{5000};
};

}  // namespace practica::store::postgres
