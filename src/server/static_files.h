// The built web app (web/dist) served from memory.
//
// Load() reads every file under the root once, with its precompressed .br/.gz siblings, and
// computes strong ETags; requests never touch the file system, so no request path can reach a file
// outside the root. Symlinks that lead outside the root are skipped at load time. A rebuilt
// web/dist is picked up on the next start.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace practica::server {

class StaticFiles {
 public:
  // A missing root gives an empty set (every path then 404s) and a warning in the log.
  static std::unique_ptr<StaticFiles> Load(const std::filesystem::path& root);

  // GET/HEAD only. "/" and client-side routes (paths whose last segment has no '.') get
  // index.html (Cache-Control: no-cache); hashed assets under /assets/ are immutable for a year;
  // If-None-Match → 304; a .br/.gz variant when Accept-Encoding allows it.
  // Paths with "..", ".", a backslash or a NUL → 400.
  http::Response Serve(const http::Request& request) const;

  size_t file_count() const { return files_.size(); }

 private:
  struct Variant {
    std::string body;
    std::string etag;
  };
  struct File {
    std::string content_type;
    std::string cache_control;
    Variant identity;
    std::unique_ptr<Variant> gzip;
    std::unique_ptr<Variant> brotli;
  };

  const File* Find(std::string_view path) const;

  std::unordered_map<std::string, File> files_;  // key: "/assets/app-1a2b3c.js"
};

}  // namespace practica::server
