// The keys and clock of the token fuzz target, shared with fuzz/seeds.cc, which signs its seeds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/token.h"

namespace practica::fuzz {

// Two keys, as during a rotation: the first signs, both verify.
inline std::vector<auth::SigningKey> TokenKeys() {
  return {{"k2", std::string(32, '\x02')}, {"k1", std::string(32, '\x01')}};
}

// The time Verify is asked at; seeds are issued shortly before.
inline constexpr int64_t kTokenNow = 1'750'000'000;

}  // namespace practica::fuzz
