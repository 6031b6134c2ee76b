// The origin secret: a value CloudFront adds to every request it forwards to /api/* (the header
// kOriginHeader), kept in Secrets Manager (PRACTICA_ORIGIN_SECRET names the secret). A request
// without it did not come through the edge (its web ACL, its TLS, its rate rules) and is refused.
//
// Rotation never drops traffic: the secret's rotation function (infra/rotation/) makes a pending
// value, puts it on the distribution, and only then makes it current. While CloudFront's edges
// switch over, requests carry the old value or the new one, so every version that may be in
// flight is accepted: AWSCURRENT, AWSPREVIOUS and AWSPENDING. The values are read again every
// `refresh_every`, and at once (at most every `min_refresh`) when a request presents a value this
// process does not know, which is how a rotation that started after the last read is caught up.
// Start-up reads AWSCURRENT alone (one call less on every Lambda cold start, two outside a
// rotation); the first value that does not match it has every stage read at once.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace practica::app {

inline constexpr std::string_view kOriginHeader = "X-Origin-Verify";

class OriginSecret {
 public:
  // The values to accept now: AWSCURRENT alone when `every_stage` is false; an error when none
  // can be read.
  using Fetch = std::function<Result<std::vector<std::string>>(bool every_stage)>;
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    std::chrono::milliseconds refresh_every = std::chrono::minutes(5);
    std::chrono::milliseconds min_refresh = std::chrono::seconds(30);
  };

  OriginSecret(Fetch fetch, Options options, Now now = std::chrono::steady_clock::now);

  // Reads the current value for the first time: start-up refuses to run without it.
  Status Load();

  // Whether `presented` is one of the values, compared in constant time against each. Reads the
  // values again first when they are older than refresh_every, and once more when nothing
  // matched and the last read is older than min_refresh or held AWSCURRENT alone. A failed re-read
  // keeps the values already known (logged, never with a value). Thread-safe; a re-read blocks
  // other callers for its duration (a few Secrets Manager calls every few minutes).
  bool Accepts(std::string_view presented);

 private:
  // REQUIRES: mutex_ is held.
  void RefreshLocked();  // every stage
  bool MatchesLocked(std::string_view presented) const;

  Fetch fetch_;
  Options options_;
  Now now_;
  std::mutex mutex_;
  std::vector<std::string> values_;
  std::chrono::steady_clock::time_point fetched_at_;
  bool every_stage_tried_ = false;  // false until the first read of every stage is tried
};

// Reads the secret's version that holds a stage ("AWSCURRENT", …); kNotFound when none does.
using SecretStageReader = std::function<Result<std::string>(std::string_view version_stage)>;

// The values OriginSecret accepts: AWSCURRENT (it must exist), and with `every_stage`
// AWSPREVIOUS and AWSPENDING when a version holds them. Empty values are left out.
Result<std::vector<std::string>> ReadOriginSecretValues(const SecretStageReader& read,
                                                        bool every_stage);

}  // namespace practica::app
