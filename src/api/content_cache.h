// Caches rendered JSON bodies of published content (catalog, outlines, lessons).
//
// Content changes rarely and is read on every page view, so GET handlers serve bytes rendered once.
// Entries are dropped when ContentStore::ContentVersion() changes; the version is polled at most
// once per `recheck` interval, so a change made by another process (`practica import`) shows within
// that interval and one made through this process's store at once (Invalidate()).
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "api/content_version.h"
#include "common/error.h"
#include "store/content_store.h"

namespace practica::api {

struct CachedBody {
  std::string body;
  std::string etag;
};

class ContentCache {
 public:
  explicit ContentCache(store::ContentStore& store,
                        std::chrono::milliseconds recheck = std::chrono::milliseconds(1000));

  // The cached body for `key`, or the result of `render` (cached only when it succeeds).
  Result<std::shared_ptr<const CachedBody>> Get(const std::string& key,
                                                const std::function<Result<std::string>()>& render);

  void Invalidate();

 private:
  // Drops every entry when the content version has moved.
  void DropIfStale();

  ContentVersion version_watch_;
  std::shared_mutex mutex_;
  int64_t version_ = -1;  // GUARDED_BY(mutex_)
  std::unordered_map<std::string, std::shared_ptr<const CachedBody>>
      entries_;  // GUARDED_BY(mutex_)
};

}  // namespace practica::api
