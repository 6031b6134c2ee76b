#include "api/content_cache.h"

#include <mutex>

#include "http/conditional.h"

namespace practica::api {
namespace {
constexpr size_t kMaxEntries = 4096;
}  // namespace

ContentCache::ContentCache(store::ContentStore& store, std::chrono::milliseconds recheck)
    : version_watch_(store, recheck) {}

void ContentCache::DropIfStale() {
  const int64_t current = version_watch_.Current();
  {
    std::shared_lock lock(mutex_);
    if (current == version_) return;
  }
  std::unique_lock lock(mutex_);
  if (current != version_) {
    entries_.clear();
    version_ = current;
  }
}

Result<std::shared_ptr<const CachedBody>> ContentCache::Get(
    const std::string& key, const std::function<Result<std::string>()>& render) {
  DropIfStale();
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
  version_watch_.Expire();
  version_ = -1;
}

}  // namespace practica::api
