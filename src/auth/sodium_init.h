// Internal to the auth layer: libsodium must be initialised once before use.
#pragma once

namespace practica::auth {

// Calls sodium_init() the first time (thread-safe through a function-local static) and aborts if
// it fails: without it libsodium may pick unsafe defaults, and no caller could recover anyway.
// Every auth function that calls libsodium calls this first; afterwards it costs one load.
void EnsureSodiumInitialized();

}  // namespace practica::auth
