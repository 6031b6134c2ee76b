#include "app/origin_secret.h"

#include <utility>

#include "auth/crypto.h"
#include "common/log.h"

namespace practica::app {

OriginSecret::OriginSecret(Fetch fetch, Options options, Now now)
    : fetch_(std::move(fetch)), options_(options), now_(std::move(now)) {}

Status OriginSecret::Load() {
  Result<std::vector<std::string>> values = fetch_(false);
  if (!values.ok()) return std::move(values).error();
  if (values->empty()) return Error::Invalid("the origin secret holds no value");
  const std::lock_guard lock(mutex_);
  values_ = std::move(values).value();
  fetched_at_ = now_();
  return Status::Ok();
}

void OriginSecret::RefreshLocked() {
  // Stamped before the read: a failing Secrets Manager is asked again only after min_refresh.
  fetched_at_ = now_();
  every_stage_tried_ = true;
  Result<std::vector<std::string>> values = fetch_(true);
  if (!values.ok() || values->empty()) {
    log::Warn("the origin secret could not be read again; the values known are kept",
              {{"error", values.ok() ? std::string("no value") : values.error().message}});
    return;
  }
  values_ = std::move(values).value();
}

bool OriginSecret::MatchesLocked(std::string_view presented) const {
  // Every value is compared, so the time taken does not say which one matched.
  bool matched = false;
  for (const std::string& value : values_) {
    matched = auth::ConstantTimeEquals(value, presented) || matched;
  }
  return matched;
}

bool OriginSecret::Accepts(std::string_view presented) {
  if (presented.empty()) return false;
  const std::lock_guard lock(mutex_);
  if (now_() - fetched_at_ >= options_.refresh_every) RefreshLocked();
  if (MatchesLocked(presented)) return true;
  if (every_stage_tried_ && now_() - fetched_at_ < options_.min_refresh) return false;
  RefreshLocked();
  return MatchesLocked(presented);
}

Result<std::vector<std::string>> ReadOriginSecretValues(const SecretStageReader& read,
                                                        bool every_stage) {
  std::vector<std::string> values;
  for (const std::string_view stage : {"AWSCURRENT", "AWSPREVIOUS", "AWSPENDING"}) {
    if (!every_stage && stage != "AWSCURRENT") break;
    Result<std::string> value = read(stage);
    if (!value.ok()) {
      // Only the current version must exist: the others come and go with rotations.
      if (stage != "AWSCURRENT" && value.error().code == ErrorCode::kNotFound) continue;
      return std::move(value).error();
    }
    if (!value->empty()) values.push_back(std::move(value).value());
  }
  return values;
}

}  // namespace practica::app
