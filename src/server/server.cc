#include "server/server.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/log.h"
#include "http/problem.h"
#include "server/request_parser.h"

namespace practica::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Each I/O thread runs its own io_context and owns the connections accepted onto it, so a
// connection's handlers never run concurrently and need no strand (the nginx worker model).
using Executor = asio::io_context::executor_type;
using Socket = tcp::socket::rebind_executor<Executor>::other;
using Stream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;

// A header field this server may put on the wire: a token name and a value without CR, LF or NUL
// (anything else could split the response).
bool IsSafeField(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    if (!token) return false;
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// Writes the status line and header fields into `out` (reused between requests); the body is sent
// from the response itself, in the same gathered write.
void SerializeHead(const http::Response& response, bool keep_alive, std::string& out) {
  out.clear();
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += http::StatusReason(response.status);
  out += "\r\n";
  for (const auto& [name, value] : response.headers.fields()) {
    if (!IsSafeField(name, value)) {
      log::Warn("dropped an unsafe response header", {{"header", name}});
      continue;
    }
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  const bool bodiless = response.status == 204 || response.status == 304 || response.status < 200;
  if (!bodiless) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
}

// Lets 10,000 idle keep-alive connections exist: raise the open-file limit to its hard maximum.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

class Server::Impl : public std::enable_shared_from_this<Server::Impl> {
 public:
  Impl(ServerOptions options, const http::Pipeline& pipeline)
      : options_(std::move(options)),
        pipeline_(pipeline),
        blocking_pool_(static_cast<size_t>(
            options_.blocking_threads > 0
                ? options_.blocking_threads
                : std::max(1, static_cast<int>(std::thread::hardware_concurrency())))) {
    const int threads = options_.threads > 0
                            ? options_.threads
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    for (int i = 0; i < threads; ++i) {
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      guards_.emplace_back(contexts_.back()->get_executor());
    }
    acceptor_.emplace(*contexts_[0]);
    signals_.emplace(*contexts_[0]);
    grace_timer_.emplace(*contexts_[0]);
    accept_timer_.emplace(*contexts_[0]);
  }

  Status Listen();
  void Run();
  void Shutdown();
  void AcceptBacklog();
  uint16_t port() const { return port_; }

  class Connection;
  void Register(Connection* connection, std::weak_ptr<Connection> weak);
  void Unregister(Connection* connection);
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }
  const ServerOptions& options() const { return options_; }
  const http::Pipeline& pipeline() const { return pipeline_; }
  asio::thread_pool& blocking_pool() { return blocking_pool_; }
  // Claims a place for one blocking request; false when max_blocking_pending are taken.
  bool TryReserveBlocking() {
    if (blocking_pending_.fetch_add(1) < options_.max_blocking_pending) return true;
    blocking_pending_.fetch_sub(1);
    return false;
  }
  // The same for a request receiving a body above body_limit; false when max_large_bodies are.
  bool TryReserveLargeBody() {
    if (large_bodies_.fetch_add(1) < options_.max_large_bodies) return true;
    large_bodies_.fetch_sub(1);
    return false;
  }
  void ReleaseLargeBody() { large_bodies_.fetch_sub(1); }
  void ReleaseBlocking() { blocking_pending_.fetch_sub(1); }

 private:
  void Accept();
  void PauseAccepting(const beast::error_code& ec);
  void StopWhenIdle();
  void StopAll();

  ServerOptions options_;
  const http::Pipeline& pipeline_;
  asio::thread_pool blocking_pool_;
  std::atomic<int> blocking_pending_{0};
  std::atomic<int> large_bodies_{0};
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<Executor>> guards_;  // keep idle contexts running
  size_t next_context_ = 0;                                  // only the acceptor touches it
  std::optional<tcp::acceptor> acceptor_;                    // on contexts_[0]
  std::optional<asio::signal_set> signals_;                  // on contexts_[0]
  std::optional<asio::steady_timer> grace_timer_;            // on contexts_[0]
  std::optional<asio::steady_timer> accept_timer_;           // on contexts_[0]
  std::chrono::milliseconds accept_pause_{0};  // after failed accepts; only the acceptor touches it
  uint64_t failed_accepts_ = 0;                // in the current run of failures; the same
  uint16_t port_ = 0;
  std::atomic<bool> shutting_down_{false};

  std::mutex connections_mutex_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;  // GUARDED_BY(mutex)
};

// One client connection. Every member runs on the thread of the connection's io_context.
class Server::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Impl> server, Socket socket)
      : server_(std::move(server)), stream_(std::move(socket)) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
  }

  ~Connection() {
    ReleaseLargeBody();
    server_->Unregister(this);
  }

  void Start() {
    server_->Register(this, weak_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Called on the connection's thread when the server begins shutting down. A connection whose
  // next request has begun to arrive is in flight, not idle: it is read and answered (with
  // Connection: close) like one whose header was complete. An idle one is closed unanswered by
  // cancelling its read rather than closing the socket: the socket may already have handed a
  // request's bytes to a read whose completion is queued behind this call, and that read goes on.
  void OnShutdown() {
    if (busy_ || RequestBegun()) return;
    stream_.cancel();  // a read still waiting ends with operation_aborted: OnReadError closes
  }

  Executor executor() { return stream_.get_executor(); }

 private:
  void ReadHeader() {
    if (server_->shutting_down() && !RequestBegun()) return Close();
    ReleaseLargeBody();  // the previous request's body is gone with its response
    busy_ = false;
    if (served_ == 0 || buffer_.size() > 0) return ReadHeaderNow();
    parser_.reset();  // a resting connection keeps neither the last request nor its answer
    response_ = http::Response{};
    // A kept-alive connection may rest for idle_timeout, but once the next request begins, its
    // header has header_timeout like a new connection's: otherwise a client that sent one quick
    // request could dribble the next header for the whole idle timeout (slowloris).
    stream_.expires_after(server_->options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                              if (ec) return self->OnReadError(ec);
                              self->buffer_.commit(bytes);
                              self->ReadHeaderNow();
                            });
  }

  void ReadHeaderNow() {
    if (server_->shutting_down() && !RequestBegun()) return Close();
    const ServerOptions& options = server_->options();
    // A whole, plain, bodiless head already read (a kept-alive GET nearly always) skips Beast.
    const std::string_view buffered(static_cast<const char*>(buffer_.data().data()),
                                    buffer_.size());
    if (std::optional<SimpleHead> simple = ParseSimpleHead(buffered, options.header_limit)) {
      buffer_.consume(simple->size);
      parser_.reset();
      busy_ = true;
      keep_alive_ = true;
      simple->request.remote_address = remote_address_;
      return Dispatch(std::move(simple->request));
    }
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(options.header_limit));
    // Beast compares a Content-Length with the limit as the header ends, before OnHeader can
    // choose this request's limit: let the header through up to the largest any route may have,
    // and check the request's own limit in OnHeader.
    parser_->body_limit(std::max(options.body_limit, options.large_body_limit));
    stream_.expires_after(options.header_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    if (parser_->is_done()) return OnRead({});  // no body: skip a read and a timer
    const ServerOptions& options = server_->options();
    size_t limit = options.body_limit;
    const auto length = parser_->content_length();  // none: chunked
    // Only a body over the usual limit needs its route asked (a token check); attempts and
    // other small bodies go straight on. The parser's request has no body yet.
    if ((!length || *length > limit) && parser_->has_path()) {
      limit = std::min(server_->pipeline().BodyLimit(parser_->request(), options.body_limit),
                       std::max(options.body_limit, options.large_body_limit));
    }
    const bool large = limit > options.body_limit;
    if (length && *length > limit) {
      return SendTransportError(413, "The request body exceeds the size limit.");
    }
    if (large) {
      if (!server_->TryReserveLargeBody()) {
        return SendTransportError(503, "The server is busy; try again in a moment.");
      }
      holds_large_body_ = true;
    }
    parser_->body_limit(limit);  // for a chunked body, counted as it arrives
    stream_.expires_after(large ? options.large_body_timeout : options.body_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec2, size_t) { self->OnRead(ec2); });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) {
      return SendTransportError(431, "The request line and headers exceed the size limit.");
    }
    if (ec == bhttp::error::body_limit) {
      return SendTransportError(413, "The request body exceeds the size limit.");
    }
    const bool parse_error =
        ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
    if (parse_error) return SendTransportError(400, "The request is not valid HTTP/1.1.");
    // Otherwise the client went away or stayed silent too long: it gets no answer.
    Close();
  }

  void ReleaseLargeBody() {
    if (holds_large_body_) server_->ReleaseLargeBody();
    holds_large_body_ = false;
  }

  void OnRead(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    keep_alive_ = parser_->keep_alive();
    if (!parser_->has_path()) {
      return SendTransportError(400, "The request target must be an absolute path.");
    }
    http::Request request = std::move(parser_->request());
    request.remote_address = remote_address_;
    Dispatch(std::move(request));
  }

  // Hands a complete request to the pipeline (or to the pool, for a blocking route).
  void Dispatch(http::Request request) {
    const bool head = request.method == http::Method::kHead;

    if (server_->pipeline().IsBlocking(request)) return HandleOnPool(std::move(request), head);
    server_->pipeline().HandleAsync(
        std::move(request), [self = shared_from_this(), head](http::Response response) mutable {
          // Inline when the handler answered at once on this thread; posted when it answered later
          // from another thread (a group commit).
          asio::dispatch(self->executor(), [self, response = std::move(response), head]() mutable {
            self->response_ = std::move(response);
            self->Send(head);
          });
        });
  }

  // Runs a blocking route on the pool and writes its response from this connection's thread.
  void HandleOnPool(http::Request request, bool head) {
    if (!server_->TryReserveBlocking()) {
      return SendTransportError(503, "The server is busy; try again in a moment.");
    }
    asio::post(server_->blocking_pool(), [self = shared_from_this(), request = std::move(request),
                                          head]() mutable {
      // The pool thread is released as soon as the handler returns; an asynchronous handler
      // replies later from its own thread.
      self->server_->pipeline().HandleAsync(
          std::move(request), [self, head](http::Response response) mutable {
            asio::post(self->executor(), [self, response = std::move(response), head]() mutable {
              self->response_ = std::move(response);
              self->Send(head);
            });
          });
      self->server_->ReleaseBlocking();
    });
  }

  void SendTransportError(int status, std::string_view detail) {
    const std::string request_id = http::RequestIdFor(http::Request{});
    response_ = http::Problem(status, detail, request_id);
    http::AddSecurityHeaders(response_.headers);
    response_.headers.Set("X-Request-Id", request_id);
    if (status == 503) response_.headers.Set("Retry-After", "1");
    log::Info("request rejected",
              {{"request_id", request_id}, {"status", status}, {"remote", remote_address_}});
    keep_alive_ = false;
    busy_ = true;
    Send(false);
  }

  // Writes response_; with `head`, only its status line and headers.
  void Send(bool head) {
    const bool keep = keep_alive_ && !server_->shutting_down();
    SerializeHead(response_, keep, head_);
    const bool with_body = !head && response_.status != 204 && response_.status != 304;
    const std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(head_), with_body ? asio::buffer(response_.body) : asio::const_buffer()};
    ++served_;
    stream_.expires_after(server_->options().write_timeout);
    asio::async_write(stream_, buffers,
                      [self = shared_from_this(), keep](beast::error_code ec, size_t) {
                        self->OnWrite(ec, keep);
                      });
  }

  void OnWrite(beast::error_code ec, bool keep) {
    if (ec || !keep) return Close();
    ReadHeader();
  }

  // Whether bytes of the next request were read or wait in the socket: the client sent them
  // before it could know the server was shutting down.
  bool RequestBegun() {
    beast::error_code ec;
    return buffer_.size() > 0 || stream_.socket().available(ec) > 0;
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  // What a kept-alive connection reads when its next request begins; the header reader takes
  // the rest.
  static constexpr size_t kFirstRead = 2048;

  std::shared_ptr<Impl> server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  http::Response response_;  // the response being written
  std::string head_;         // its serialized status line and header fields
  std::string remote_address_;
  bool keep_alive_ = true;
  bool busy_ = false;              // from a complete request header until its response is written
  bool holds_large_body_ = false;  // this request took one of the max_large_bodies places
  uint64_t served_ = 0;
};

Status Server::Impl::Listen() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return Error::Invalid("listen address '" + options_.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Unavailable("cannot listen on " + options_.host + ":" +
                              std::to_string(options_.port) + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint().port();
  return Status::Ok();
}

void Server::Impl::Accept() {
  asio::io_context& target = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_->async_accept(target, [self = shared_from_this()](beast::error_code ec, Socket socket) {
    if (ec) {
      if (!self->acceptor_->is_open()) return;  // shutting down
      return self->PauseAccepting(ec);
    }
    if (self->failed_accepts_ > 0) {
      log::Info("accepting connections again", {{"failed_accepts", self->failed_accepts_}});
      self->failed_accepts_ = 0;
      self->accept_pause_ = std::chrono::milliseconds(0);
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Connection>(self, std::move(socket))->Start();
    self->Accept();
  });
}

// Connections the kernel completed before a shutdown wait in the listen backlog, their requests
// possibly sent already; closing the listener would reset them. They are taken first, without
// waiting, and served like the connections that were accepted in time (their requests are in
// flight). On contexts_[0], before the listener closes.
void Server::Impl::AcceptBacklog() {
  beast::error_code ec;
  acceptor_->non_blocking(true, ec);
  while (!ec) {
    asio::io_context& target = *contexts_[next_context_];
    next_context_ = (next_context_ + 1) % contexts_.size();
    Socket socket(target);
    acceptor_->accept(socket, ec);
    if (!ec) std::make_shared<Connection>(shared_from_this(), std::move(socket))->Start();
  }
}

// Out of file descriptors (EMFILE, ENFILE) or socket memory, accepting again at once fails again
// at once: the acceptor would spin on one core and log thousands of lines a second while the
// connections it cannot take wait in the backlog anyway. Instead it waits, 5 ms doubling up to a
// second (as Go's net/http does), logs the first failure of a run and then every hundredth, and
// resumes as soon as an accept succeeds. Connections already open are served meanwhile.
void Server::Impl::PauseAccepting(const beast::error_code& ec) {
  using std::chrono::milliseconds;
  accept_pause_ = std::clamp(accept_pause_ * 2, milliseconds(5), milliseconds(1000));
  if (failed_accepts_++ % 100 == 0) {
    log::Warn("accept failed; pausing accepts",
              {{"error", ec.message()},
               {"pause_ms", static_cast<int64_t>(accept_pause_.count())},
               {"failed_accepts", failed_accepts_}});
  }
  accept_timer_->expires_after(accept_pause_);
  accept_timer_->async_wait([self = shared_from_this()](beast::error_code timer_ec) {
    if (timer_ec || !self->acceptor_->is_open()) return;  // cancelled: shutting down
    self->Accept();
  });
}

void Server::Impl::Run() {
  RaiseFileLimit();
  if (options_.handle_signals) {
    signals_->add(SIGINT);
    signals_->add(SIGTERM);
    signals_->async_wait([self = shared_from_this()](beast::error_code ec, int signal) {
      if (ec) return;
      log::Info("shutdown requested", {{"signal", signal}});
      self->Shutdown();
    });
  }
  Accept();
  log::Info("listening", {{"address", options_.host},
                          {"port", static_cast<int>(port_)},
                          {"threads", static_cast<uint64_t>(contexts_.size())}});
  log::FlushLogs();

  std::vector<std::thread> pool;
  for (size_t i = 1; i < contexts_.size(); ++i) {
    pool.emplace_back([this, i] { contexts_[i]->run(); });
  }
  contexts_[0]->run();
  for (auto& thread : pool) thread.join();
  blocking_pool_.join();
  log::Info("stopped");
}

void Server::Impl::Shutdown() {
  if (shutting_down_.exchange(true)) return;
  asio::post(*contexts_[0], [self = shared_from_this()] {
    beast::error_code ignored;
    self->AcceptBacklog();
    self->acceptor_->close(ignored);
    self->accept_timer_->cancel();
    self->signals_->cancel(ignored);
    self->grace_timer_->expires_after(self->options_.shutdown_grace);
    self->grace_timer_->async_wait([self](beast::error_code ec) {
      if (ec) return;  // cancelled: every connection finished in time
      log::Warn("shutdown grace period over; closing remaining connections");
      self->StopAll();
    });
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard lock(self->connections_mutex_);
      for (auto& [ptr, weak] : self->connections_) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
    }
    for (auto& connection : live) {
      asio::post(connection->executor(), [connection] { connection->OnShutdown(); });
    }
    self->StopWhenIdle();
  });
}

void Server::Impl::Register(Connection* connection, std::weak_ptr<Connection> weak) {
  std::lock_guard lock(connections_mutex_);
  connections_.emplace(connection, std::move(weak));
}

void Server::Impl::Unregister(Connection* connection) {
  {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(connection);
  }
  if (shutting_down()) StopWhenIdle();
}

void Server::Impl::StopWhenIdle() {
  bool idle = false;
  {
    std::lock_guard lock(connections_mutex_);
    idle = connections_.empty();
  }
  if (!idle) return;
  asio::post(*contexts_[0], [self = shared_from_this()] {
    self->grace_timer_->cancel();
    for (auto& guard : self->guards_) guard.reset();  // each context ends when its work is done
  });
}

void Server::Impl::StopAll() {
  for (auto& context : contexts_) context->stop();
}

Server::Server(ServerOptions options, const http::Pipeline& pipeline)
    : impl_(std::make_shared<Impl>(std::move(options), pipeline)) {}

Server::~Server() = default;

Status Server::Listen() { return impl_->Listen(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Shutdown() { impl_->Shutdown(); }

}  // namespace practica::server
