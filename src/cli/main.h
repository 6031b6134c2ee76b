// `practica` command line: serve | lambda | import | export | migrate | user | analytics |
// version.
#pragma once

namespace practica::cli {

// Parses arguments, runs the command, returns the process exit code
// (0 success, 1 failure, 2 usage error).
int Main(int argc, char** argv);

}  // namespace practica::cli
