// Where a PostgreSQL store gets the connection string of each connection it opens: fixed, or read
// from somewhere that can change under a running server (an RDS secret in Secrets Manager that a
// rotation rewrites; app/stores.cc makes that one).
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "common/error.h"

namespace practica::store::postgres {

// Called before each new connection with refresh=false: answer quickly (a kept value, not a
// network call each time). Called with refresh=true, at most once per connection attempt, after
// the server refused the credentials the last answer held: read them again (the password may have
// been rotated) and return what to use now; rate-limiting the reads is the source's business.
// An Error fails the call that needed a connection (as kUnavailable). May be called from any
// thread, concurrently.
using ConnectionSource = std::function<Result<std::string>(bool refresh)>;

// Always `connection_string`; re-reading changes nothing.
inline ConnectionSource FixedConnectionString(std::string connection_string) {
  return [connection_string = std::move(connection_string)](bool) -> Result<std::string> {
    return connection_string;
  };
}

}  // namespace practica::store::postgres
