// The routing table: method + path pattern → handler. Patterns are literal segments and
// `{name}` placeholders that match one non-empty segment ("/api/courses/{course}").
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/error.h"
#include "http/access.h"
#include "http/message.h"

namespace practica::http {

// A handler parses the request, calls one service function and formats the answer. Errors it
// returns become problem+json in exactly one place (problem.cc).
using Handler = std::function<Result<Response>(const Request&)>;

// A handler that answers later (after a group commit, say): it must call `reply` exactly once, on
// any thread. The request stays valid only until the handler returns: copy what the reply needs.
using Reply = std::function<void(Result<Response>)>;
using AsyncHandler = std::function<void(const Request&, Reply reply)>;

struct Route {
  Method method;
  std::string pattern;
  RouteOptions options;
  Handler handler;  // exactly one of handler and async_handler is set
  AsyncHandler async_handler;
};

class Router {
 public:
  // Registers a route. Registering the same method and pattern twice is a bug (aborts).
  void Add(Method method, std::string pattern, RouteOptions options, Handler handler);
  void Add(Method method, std::string pattern, Handler handler) {
    Add(method, std::move(pattern), RouteOptions{}, std::move(handler));
  }
  void AddAsync(Method method, std::string pattern, RouteOptions options, AsyncHandler handler);

  // The route for request.path and method (HEAD is served by GET routes), filling
  // request.path_params; nullptr with `miss` set to a 404 problem (no such path) or a 405 problem
  // with Allow (path known, method not).
  const Route* Match(Request& request, Response& miss) const;

  // Match, then call the handler; a handler's Error becomes a problem. (The pipeline adds access
  // control between the two; this is the plain form.)
  Response Dispatch(Request& request) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" entries are placeholders
  };
  static bool MatchPattern(const Compiled& pattern, const std::vector<std::string_view>& path,
                           std::vector<std::pair<std::string, std::string>>& params);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;  // parallel to routes_
};

}  // namespace practica::http
