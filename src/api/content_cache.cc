#include "api/content_cache.h"

#include <mutex>

#include "http/conditional.h"

namespace practica::api {
namespace {
constexpr size_t kMaxEntries = 4096;
}  // namespace

ContentCache::ContentCache(store::ContentStore& store, std::chrono::milliseconds recheck)
    : store_(store), recheck_(recheck) {}

void ContentCache::RefreshVersion() {
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  if (now < due) return;
  // One thread does the check; the others keep serving what is cached meanwhile.
  if (!next_check_ns_.compare_exchange_strong(due, now + recheck_.count())) return;
  Result<int64_t> version = store_.ContentVersion();
  if (!version.ok()) return;  // keep serving; a store outage shows up in /api/ready
  std::unique_lock lock(mutex_);
  if (*version != version_) {
    entries_.clear();
    version_ = *version;
  }
}

Result<std::shared_ptr<const CachedBody>> ContentCache::Get(
    const std::string& key, const std::function<Result<std::string>()>& render) {
  RefreshVersion();
  {
    std::shared_lock lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
  }
  Result<std::string> body = render();
  if (!body.ok()) return std::move(body).error();
  auto entry = std::make_shared<CachedBody>();
  entry->etag = http::EntityTag(*body);
  entry->body = std::move(body).value();
  std::unique_lock lock(mutex_);
  // Keys can come from the query string (a cursor), so the map is bounded: past the cap it starts
  // over rather than grow without limit.
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[key] = entry;
  return std::shared_ptr<const CachedBody>(std::move(entry));
}

void ContentCache::Invalidate() {
  std::unique_lock lock(mutex_);
  entries_.clear();
  next_check_ns_.store(0, std::memory_order_relaxed);
  version_ = -1;
}

}  // namespace practica::api
