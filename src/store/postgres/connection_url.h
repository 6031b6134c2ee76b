// Keeping the database password out of everything Practica prints.
//
// A PostgreSQL connection string (a postgresql:// URL or libpq's "key=value" form) may carry the
// password, and libpq quotes parts of a malformed connection string back in its error messages.
// Every message built from a connection attempt goes through RedactPassword before it leaves
// store/postgres, and no message ever quotes the connection string itself.
#pragma once

#include <string>
#include <string_view>

namespace practica::store::postgres {

// `text` with every occurrence of the password that `connection_string` carries replaced by
// "***": the password of a URL's user info, of a URL's `password` query parameter, or of a
// `password=` keyword, both as written and percent-decoded. Text is returned unchanged when the
// connection string has no password.
std::string RedactPassword(std::string_view text, std::string_view connection_string);

}  // namespace practica::store::postgres
