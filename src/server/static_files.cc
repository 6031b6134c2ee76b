#include "server/static_files.h"

#include <array>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/log.h"
#include "common/text.h"
#include "http/conditional.h"
#include "http/problem.h"

namespace practica::server {
namespace fs = std::filesystem;

namespace {

constexpr uintmax_t kMaxFileSize = 32u << 20;

std::string_view ContentTypeFor(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(name, ext)) return type;
  }
  return "application/octet-stream";
}

// A build tool's content hash in the file name: "index-4f2a9c1b.js" or "index.4f2a9c1b.css".
bool LooksHashed(std::string_view path) {
  if (!StartsWith(path, "/assets/")) return false;
  const size_t slash = path.rfind('/');
  std::string_view name = path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  name = name.substr(0, dot);
  const size_t sep = name.find_last_of("-.");
  if (sep == std::string_view::npos) return false;
  const std::string_view hash = name.substr(sep + 1);
  if (hash.size() < 8) return false;
  for (char c : hash) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ReadWholeFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// True when the client lists `coding` in Accept-Encoding with a non-zero q.
bool Accepts(std::string_view accept_encoding, std::string_view coding) {
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    std::string_view item = TrimWhitespace(accept_encoding.substr(0, comma));
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string_view name = TrimWhitespace(item.substr(0, semi));
    if (!EqualsIgnoreCase(name, coding)) continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = TrimWhitespace(item.substr(semi + 1));
    if (StartsWith(params, "q=") || StartsWith(params, "Q=")) {
      params.remove_prefix(2);
      // q=0, q=0.0, q=0.00… mean "not acceptable".
      const bool zero = !params.empty() && params.front() == '0' &&
                        params.find_first_not_of("0.", 0) == std::string_view::npos;
      return !zero;
    }
    return true;
  }
  return false;
}

// Traversal attempts ("..", "."), backslashes and NUL bytes are errors, not misses.
bool IsSafePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\0') != std::string_view::npos) return false;
  if (path.find('\\') != std::string_view::npos) return false;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const std::string_view segment = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

}  // namespace

std::unique_ptr<StaticFiles> StaticFiles::Load(const fs::path& root) {
  auto files = std::unique_ptr<StaticFiles>(new StaticFiles());
  std::error_code ec;
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical_root)) {
    log::Warn("web root not found; only the API is served", {{"web_root", root.string()}});
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(canonical_root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (EndsWith(name, ".br") || EndsWith(name, ".gz")) continue;  // loaded with their original
    std::error_code file_ec;
    const fs::path real = fs::canonical(path, file_ec);
    if (file_ec || !fs::is_regular_file(real, file_ec)) continue;
    const auto relative = real.lexically_relative(canonical_root);
    if (relative.empty() || *relative.begin() == "..") {
      log::Warn("skipping a link out of the web root", {{"path", path.string()}});
      continue;
    }
    if (fs::file_size(real, file_ec) > kMaxFileSize) {
      log::Warn("skipping an oversized file", {{"path", path.string()}});
      continue;
    }
    File file;
    if (!ReadWholeFile(real, file.identity.body)) continue;
    std::string url = "/";  // built in two steps: GCC 12 warns falsely on "/" + string at -O3
    url += path.lexically_relative(canonical_root).generic_string();
    file.content_type = std::string(ContentTypeFor(name));
    file.identity.etag = http::EntityTag(file.identity.body);
    if (LooksHashed(url)) {
      file.cache_control = "public, max-age=31536000, immutable";
    } else {
      file.cache_control = "no-cache";
    }
    for (const auto& [suffix, slot] :
         {std::pair{".br", &file.brotli}, std::pair{".gz", &file.gzip}}) {
      auto variant = std::make_unique<Variant>();
      fs::path compressed = path;
      compressed += suffix;
      if (fs::is_regular_file(compressed, file_ec) && ReadWholeFile(compressed, variant->body)) {
        variant->etag = http::EntityTag(file.identity.body, suffix + 1);
        *slot = std::move(variant);
      }
    }
    files->files_.emplace(url, std::move(file));
  }
  log::Info("web app loaded", {{"web_root", canonical_root.string()},
                               {"files", static_cast<uint64_t>(files->files_.size())}});
  return files;
}

const StaticFiles::File* StaticFiles::Find(std::string_view path) const {
  const auto it = files_.find(std::string(path));
  return it == files_.end() ? nullptr : &it->second;
}

http::Response StaticFiles::Serve(const http::Request& request) const {
  if (request.method != http::Method::kGet && request.method != http::Method::kHead) {
    http::Response response =
        http::Problem(405, "Static files accept only GET and HEAD.", request.request_id);
    response.headers.Set("Allow", "GET, HEAD");
    return response;
  }
  if (!IsSafePath(request.path)) {
    return http::Problem(400, "The path is not allowed.", request.request_id);
  }

  const File* file = Find(request.path == "/" ? "/index.html" : request.path);
  if (file == nullptr) {
    const size_t slash = request.path.rfind('/');
    const bool client_route = request.path.find('.', slash) == std::string::npos;
    if (client_route) file = Find("/index.html");
  }
  if (file == nullptr) return http::Problem(404, "No such file.", request.request_id);

  const std::string_view accept = request.headers.Get("Accept-Encoding").value_or("");
  const Variant* variant = &file->identity;
  const char* encoding = nullptr;
  if (file->brotli && Accepts(accept, "br")) {
    variant = file->brotli.get();
    encoding = "br";
  } else if (file->gzip && Accepts(accept, "gzip")) {
    variant = file->gzip.get();
    encoding = "gzip";
  }

  http::Response response;
  response.headers.Set("Cache-Control", file->cache_control);
  response.headers.Set("ETag", variant->etag);
  if (file->brotli || file->gzip) response.headers.Set("Vary", "Accept-Encoding");
  const auto if_none_match = request.headers.Get("If-None-Match");
  if (if_none_match && http::IfNoneMatchMatches(*if_none_match, variant->etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.headers.Set("Content-Type", file->content_type);
  if (encoding != nullptr) response.headers.Set("Content-Encoding", encoding);
  response.body = variant->body;
  return response;
}

}  // namespace practica::server
