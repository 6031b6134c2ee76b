// The HTTP/1.1 server of `practica serve`: Boost.Beast, asynchronous, keep-alive, N threads.
//
// Each I/O thread runs its own io_context and owns the connections accepted onto it; the parser is
// rebuilt for every request with explicit header and body limits, and a timeout is set before
// every read and write. Handlers run through the transport-neutral http::Pipeline: on the I/O
// thread, or on the blocking pool for routes marked blocking, whose result is posted back.
//
// Shutdown (SIGINT/SIGTERM or Shutdown()): the listener closes at once, idle keep-alive
// connections are closed, requests in flight finish and are answered with Connection: close, and
// Run() returns when the last connection is gone or after `shutdown_grace`, whichever is first.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/error.h"
#include "http/pipeline.h"

namespace practica::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;             // 0: any free port (see Server::port())
  int threads = 0;                  // 0: one per core
  size_t header_limit = 16 * 1024;  // bytes of request line + headers; over it: 431
  size_t body_limit = 1024 * 1024;  // bytes of body; over it: 413
  // A route whose RouteOptions::max_body is above body_limit (a course upload, 50 MiB) receives
  // up to that much from the callers it admits (http::Pipeline::BodyLimit: a signed-in route and
  // a token that passes its access, checked before the body is read), but never more than
  // `large_body_limit`, within `large_body_timeout`, and only `max_large_bodies` requests at a
  // time (beyond: 503): together they bound the memory large bodies can take.
  size_t large_body_limit = 64 * 1024 * 1024;
  std::chrono::milliseconds large_body_timeout{300'000};
  int max_large_bodies = 4;
  std::chrono::milliseconds header_timeout{10'000};  // to receive a request's headers
  std::chrono::milliseconds body_timeout{30'000};    // to receive its body
  std::chrono::milliseconds idle_timeout{30'000};    // a keep-alive connection with no request
  std::chrono::milliseconds write_timeout{30'000};   // to send a response
  std::chrono::milliseconds shutdown_grace{8'000};   // in-flight work after a shutdown signal
  bool handle_signals = true;                        // SIGINT/SIGTERM trigger Shutdown()
  // Routes marked blocking (password hashing, writes) run on this many worker threads (0: one
  // per core), with at most `max_blocking_pending` waiting or running; beyond that: 503.
  int blocking_threads = 0;
  int max_blocking_pending = 256;
};

class Server {
 public:
  // `pipeline` must outlive the server.
  Server(ServerOptions options, const http::Pipeline& pipeline);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. After it succeeds, port() is the bound port.
  Status Listen();
  uint16_t port() const;

  // Serves until shutdown completes. Call once, after Listen().
  void Run();

  // Starts a graceful shutdown. Thread-safe, idempotent.
  void Shutdown();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace practica::server
