// UTC offsets of IANA time zones, read from the system's compiled zone files (TZif, RFC 8536).
// Used to find a learner's local day for streaks. Thread-safe; zones are cached once loaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace practica {

class TimeZone {
 public:
  // "UTC" always works; other names are read from /usr/share/zoneinfo (kNotFound when missing,
  // kInvalid when the file is not TZif). Loaded zones are cached for the life of the process.
  static Result<std::shared_ptr<const TimeZone>> Load(std::string_view name);

  // Seconds east of UTC at `unix_seconds`. Past the last transition in the file (2037 in
  // Debian's "fat" files) the last offset is kept.
  int64_t OffsetAt(int64_t unix_seconds) const;

 private:
  std::vector<int64_t> transitions_;  // sorted
  std::vector<int32_t> offsets_;      // offsets_[i] applies from transitions_[i]
  int32_t initial_offset_ = 0;        // before the first transition
};

}  // namespace practica
