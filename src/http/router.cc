#include "http/router.h"

#include <cstdlib>

#include "common/log.h"
#include "http/problem.h"

namespace practica::http {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::AddAsync(Method method, std::string pattern, RouteOptions options,
                      AsyncHandler handler) {
  Add(method, std::move(pattern), std::move(options), Handler{});
  routes_.back().async_handler = std::move(handler);
}

void Router::Add(Method method, std::string pattern, RouteOptions options, Handler handler) {
  for (const Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      log::Error("duplicate route", {{"pattern", pattern}});
      std::abort();
    }
  }
  Compiled compiled;
  for (std::string_view segment : SplitPath(pattern)) compiled.segments.emplace_back(segment);
  compiled_.push_back(std::move(compiled));
  routes_.push_back({method, std::move(pattern), std::move(options), std::move(handler), {}});
}

bool Router::MatchPattern(const Compiled& pattern, const std::vector<std::string_view>& path,
                          std::vector<std::pair<std::string, std::string>>& params) {
  if (pattern.segments.size() != path.size()) return false;
  params.clear();
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& want = pattern.segments[i];
    if (IsPlaceholder(want)) {
      if (path[i].empty()) return false;
      params.emplace_back(want.substr(1, want.size() - 2), std::string(path[i]));
    } else if (want != path[i]) {
      return false;
    }
  }
  return true;
}

const Route* Router::Match(Request& request, Response& miss) const {
  const std::vector<std::string_view> path = SplitPath(request.path);
  const Method wanted = request.method == Method::kHead ? Method::kGet : request.method;
  std::vector<std::pair<std::string, std::string>> params;
  std::string allow;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (!MatchPattern(compiled_[i], path, params)) continue;
    if (routes_[i].method == wanted) {
      request.path_params = std::move(params);
      return &routes_[i];
    }
    if (!allow.empty()) allow += ", ";
    allow += ToString(routes_[i].method);
    if (routes_[i].method == Method::kGet) allow += ", HEAD";
  }
  if (allow.empty()) {
    miss = Problem(404, "No API route matches this path.", request.request_id);
  } else {
    miss = Problem(405, "This path does not accept that method.", request.request_id);
    miss.headers.Set("Allow", allow);
  }
  return nullptr;
}

Response Router::Dispatch(Request& request) const {
  Response miss;
  const Route* route = Match(request, miss);
  if (route == nullptr) return miss;
  if (!route->handler)
    return Problem(500, "This route answers asynchronously.", request.request_id);
  Result<Response> result = route->handler(request);
  if (!result.ok()) return ProblemFromError(result.error(), request.request_id);
  return std::move(result).value();
}

}  // namespace practica::http
