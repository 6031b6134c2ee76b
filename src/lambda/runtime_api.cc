#include "lambda/runtime_api.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

#include "common/json.h"
#include "common/text.h"

namespace practica::lambda {
namespace {

// The Runtime API is plain HTTP/1.1 on a local address, so a socket is all this takes. The aws/
// HTTP client would also work, but building it sets up TLS and loads the system's certificate
// authorities (about 10 ms), which a cold start cannot afford for a connection that never uses
// them.

using Clock = std::chrono::steady_clock;
// No deadline: wait for as long as it takes.
constexpr Clock::time_point kNoDeadline = Clock::time_point::max();

// Every call but /next is answered at once: one that takes longer means the Runtime API is gone.
constexpr std::chrono::seconds kCallTimeout{10};
constexpr size_t kMaxHeaderBytes = 64 * 1024;
// Lambda's own limit on a request payload is 6 MB; this leaves room and still bounds memory.
constexpr size_t kMaxBodyBytes = 32 * 1024 * 1024;

const std::string kPrefix = "/2018-06-01/runtime";

// Request ids are UUIDs; anything else could not go into a URL path as it is.
bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string ErrorBody(const FunctionError& error) {
  std::string body = "{\"errorMessage\":";
  AppendJsonString(body, error.message);
  body += ",\"errorType\":";
  AppendJsonString(body, error.type);
  body += ",\"stackTrace\":[]}";
  return body;
}

std::string Errno(std::string_view what) { return std::string(what) + ": " + std::strerror(errno); }

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // the server will close the connection after it

  std::string_view Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (EqualsIgnoreCase(key, name)) return value;
    }
    return {};
  }
};

class HttpRuntimeApi final : public RuntimeApi {
 public:
  HttpRuntimeApi(sockaddr_storage address, socklen_t address_size, std::string host, int wake_read,
                 int wake_write)
      : address_(address),
        address_size_(address_size),
        host_(std::move(host)),
        wake_read_(wake_read),
        wake_write_(wake_write) {}

  ~HttpRuntimeApi() override {
    Disconnect();
    ::close(wake_read_);
    ::close(wake_write_);
  }

  Result<Invocation> Next() override {
    auto reply = Call("GET", kPrefix + "/invocation/next", {}, {}, kNoDeadline, true);
    if (!reply.ok()) return std::move(reply).error();
    if (reply->status != 200) return Refused("/invocation/next", reply->status);
    Invocation invocation;
    invocation.request_id = reply->Header("Lambda-Runtime-Aws-Request-Id");
    if (!IsSafeRequestId(invocation.request_id)) {
      return Error::Internal("the Runtime API sent an invocation without a usable request id");
    }
    invocation.trace_id = reply->Header("Lambda-Runtime-Trace-Id");
    invocation.function_arn = reply->Header("Lambda-Runtime-Invoked-Function-Arn");
    const std::string_view deadline = reply->Header("Lambda-Runtime-Deadline-Ms");
    // A missing or malformed deadline leaves 0 (none) rather than failing an invocation that
    // Lambda times out by itself anyway.
    std::from_chars(deadline.data(), deadline.data() + deadline.size(), invocation.deadline_ms);
    invocation.event = std::move(reply->body);
    return invocation;
  }

  Status PostResponse(std::string_view request_id, std::string_view payload) override {
    return Post("/invocation/" + std::string(request_id) + "/response", payload, {});
  }

  Status PostError(std::string_view request_id, const FunctionError& error) override {
    return Post("/invocation/" + std::string(request_id) + "/error", ErrorBody(error), error.type);
  }

  Status PostInitError(const FunctionError& error) override {
    return Post("/init/error", ErrorBody(error), error.type);
  }

  void Interrupt() override {
    const char byte = 1;
    // The pipe is never drained: once interrupted, every later wait ends at once too.
    (void)!::write(wake_write_, &byte, 1);
  }

 private:
  // 4xx refuses this one call (kInvalid: a payload over the limit, an unknown request id); 5xx
  // says the Runtime API is in a state the runtime should exit from (kUnavailable).
  static Error Refused(std::string_view path, int status) {
    std::string message =
        "the Runtime API answered " + std::string(path) + " with HTTP " + std::to_string(status);
    if (status >= 400 && status < 500) return Error::Invalid(std::move(message));
    return Error::Unavailable(std::move(message));
  }

  Status Post(const std::string& path, std::string_view body, std::string_view error_type) {
    std::string extra;
    // The type is ours ("Practica.…"), but a line break in it would split the request.
    if (!error_type.empty() && error_type.find_first_of("\r\n") == std::string_view::npos) {
      extra = "Lambda-Runtime-Function-Error-Type: " + std::string(error_type) + "\r\n";
    }
    auto reply = Call("POST", kPrefix + path, extra, body, Clock::now() + kCallTimeout, false);
    if (!reply.ok()) return std::move(reply).error();
    if (reply->status != 202) return Refused(path, reply->status);
    return Status::Ok();
  }

  // One request and its reply. A kept-alive connection that turns out closed before any byte of
  // the reply arrived is replaced and the request sent once more: the server cannot have acted on
  // it, since it answers every request it reads.
  Result<Reply> Call(std::string_view method, const std::string& target, std::string_view extra,
                     std::string_view body, Clock::time_point deadline, bool interruptible) {
    std::string head;
    head.reserve(160 + extra.size());
    head.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ");
    head.append(host_).append("\r\n");
    if (method == "POST") {
      head.append("Content-Type: application/json\r\nContent-Length: ");
      head.append(std::to_string(body.size())).append("\r\n");
    }
    head.append(extra).append("\r\n");
    for (int attempt = 0;; ++attempt) {
      const bool reused = fd_ >= 0;
      if (!reused) {
        if (Status connected = Connect(deadline); !connected.ok()) return connected.error();
      }
      bool answered = false;
      Result<Reply> reply = Exchange(head, body, deadline, interruptible, answered);
      if (!reply.ok()) {
        Disconnect();
        if (reused && !answered && attempt == 0 && !Interrupted()) continue;
        return reply;
      }
      if (reply->close) Disconnect();
      return reply;
    }
  }

  Result<Reply> Exchange(std::string_view head, std::string_view body, Clock::time_point deadline,
                         bool interruptible, bool& answered) {
    if (Status sent = Send(head, body, deadline); !sent.ok()) return sent.error();
    Reply reply;
    size_t header_end = std::string::npos;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (buffer_.size() > kMaxHeaderBytes) {
        return Error::Unavailable("the Runtime API sent a header too large");
      }
      if (Status read = Receive(deadline, interruptible, answered); !read.ok()) return read.error();
    }
    if (Status parsed = ParseHead(std::string_view(buffer_).substr(0, header_end), reply);
        !parsed.ok()) {
      return parsed.error();
    }
    buffer_.erase(0, header_end + 4);
    if (Status read = ReadBody(reply, deadline, interruptible, answered); !read.ok()) {
      return read.error();
    }
    return reply;
  }

  static Status ParseHead(std::string_view head, Reply& reply) {
    const size_t line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    if (!StartsWith(status_line, "HTTP/1.") || status_line.size() < 12) {
      return Error::Unavailable("the Runtime API's reply is not HTTP/1.x");
    }
    const std::string_view code = status_line.substr(9, 3);
    if (std::from_chars(code.data(), code.data() + 3, reply.status).ec != std::errc()) {
      return Error::Unavailable("the Runtime API's reply has no status code");
    }
    reply.close = status_line[7] == '0';  // HTTP/1.0 closes unless told otherwise
    std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
    while (!rest.empty()) {
      const size_t end = rest.find("\r\n");
      const std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? "" : rest.substr(end + 2);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      reply.headers.emplace_back(TrimWhitespace(line.substr(0, colon)),
                                 TrimWhitespace(line.substr(colon + 1)));
    }
    const std::string_view connection = reply.Header("Connection");
    if (EqualsIgnoreCase(connection, "close")) reply.close = true;
    if (EqualsIgnoreCase(connection, "keep-alive")) reply.close = false;
    return Status::Ok();
  }

  // By Content-Length or chunked transfer coding (Go's net/http chunks a body it was not told the
  // length of, once it passes 2 KB).
  Status ReadBody(Reply& reply, Clock::time_point deadline, bool interruptible, bool& answered) {
    const auto need = [&](size_t bytes) -> Status {
      while (buffer_.size() < bytes) {
        if (Status read = Receive(deadline, interruptible, answered); !read.ok()) return read;
      }
      return Status::Ok();
    };
    if (reply.status == 204 || reply.status == 304 || reply.status / 100 == 1) return Status::Ok();
    if (EqualsIgnoreCase(reply.Header("Transfer-Encoding"), "chunked")) {
      for (;;) {
        size_t line_end;
        while ((line_end = buffer_.find("\r\n")) == std::string::npos) {
          if (Status read = Receive(deadline, interruptible, answered); !read.ok()) return read;
        }
        size_t size = 0;
        const auto [end, ec] = std::from_chars(buffer_.data(), buffer_.data() + line_end, size, 16);
        if (ec != std::errc() || end == buffer_.data()) {
          return Error::Unavailable("the Runtime API sent a malformed chunk");
        }
        if (reply.body.size() + size > kMaxBodyBytes) {
          return Error::Unavailable("the Runtime API sent a body too large");
        }
        if (size == 0) {  // the last chunk, then trailers up to an empty line
          size_t end_of_trailers;
          while ((end_of_trailers = buffer_.find("\r\n\r\n", line_end)) == std::string::npos) {
            if (Status read = Receive(deadline, interruptible, answered); !read.ok()) return read;
          }
          buffer_.erase(0, end_of_trailers + 4);
          return Status::Ok();
        }
        if (Status got = need(line_end + 2 + size + 2); !got.ok()) return got;
        reply.body.append(buffer_, line_end + 2, size);
        buffer_.erase(0, line_end + 2 + size + 2);
      }
    }
    const std::string_view length = reply.Header("Content-Length");
    if (!length.empty()) {
      size_t size = 0;
      if (std::from_chars(length.data(), length.data() + length.size(), size).ec != std::errc() ||
          size > kMaxBodyBytes) {
        return Error::Unavailable("the Runtime API sent a bad Content-Length");
      }
      if (Status got = need(size); !got.ok()) return got;
      reply.body.assign(buffer_, 0, size);
      buffer_.erase(0, size);
      return Status::Ok();
    }
    // Without either, the body would run to the end of the connection, which the Runtime API
    // never does and a kept-alive connection cannot.
    return Error::Unavailable("the Runtime API's reply has no length");
  }

  Status Connect(Clock::time_point deadline) {
    buffer_.clear();
    fd_ = ::socket(address_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return Error::Unavailable(Errno("socket"));
    const int one = 1;
    (void)::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address_), address_size_) != 0) {
      if (errno != EINPROGRESS) {
        Error error = Error::Unavailable(Errno("connecting to the Runtime API"));
        Disconnect();
        return error;
      }
      if (Status ready = Wait(POLLOUT, deadline, false); !ready.ok()) {
        Disconnect();
        return ready;
      }
      int failure = 0;
      socklen_t size = sizeof failure;
      (void)::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &failure, &size);
      if (failure != 0) {
        errno = failure;
        Error error = Error::Unavailable(Errno("connecting to the Runtime API"));
        Disconnect();
        return error;
      }
    }
    return Status::Ok();
  }

  void Disconnect() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buffer_.clear();
  }

  bool Interrupted() const {
    pollfd wake{wake_read_, POLLIN, 0};
    return ::poll(&wake, 1, 0) == 1;
  }

  // Waits for `events` on the socket; kUnavailable at the deadline or when interrupted.
  Status Wait(short events, Clock::time_point deadline, bool interruptible) {
    for (;;) {
      int timeout = -1;
      if (deadline != kNoDeadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return Error::Unavailable("the Runtime API did not answer in time");
        timeout = static_cast<int>(std::min<int64_t>(left, 60'000));
      }
      pollfd fds[2] = {{fd_, events, 0}, {wake_read_, POLLIN, 0}};
      const int ready = ::poll(fds, interruptible ? 2 : 1, timeout);
      if (ready < 0 && errno != EINTR) return Error::Unavailable(Errno("poll"));
      if (interruptible && (fds[1].revents & POLLIN) != 0) {
        return Error::Unavailable("the wait for the next invocation was interrupted");
      }
      if (ready > 0 && fds[0].revents != 0) return Status::Ok();
    }
  }

  Status Send(std::string_view head, std::string_view body, Clock::time_point deadline) {
    for (std::string_view part : {head, body}) {
      while (!part.empty()) {
        const ssize_t sent = ::send(fd_, part.data(), part.size(), MSG_NOSIGNAL);
        if (sent > 0) {
          part.remove_prefix(static_cast<size_t>(sent));
          continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
          return Error::Unavailable(Errno("sending to the Runtime API"));
        }
        if (Status ready = Wait(POLLOUT, deadline, false); !ready.ok()) return ready;
      }
    }
    return Status::Ok();
  }

  // Appends what the socket has to buffer_ (at least one byte).
  Status Receive(Clock::time_point deadline, bool interruptible, bool& answered) {
    char chunk[16 * 1024];
    for (;;) {
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got > 0) {
        buffer_.append(chunk, static_cast<size_t>(got));
        answered = true;
        return Status::Ok();
      }
      if (got == 0) return Error::Unavailable("the Runtime API closed the connection");
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        return Error::Unavailable(Errno("reading from the Runtime API"));
      }
      if (Status ready = Wait(POLLIN, deadline, interruptible); !ready.ok()) return ready;
    }
  }

  const sockaddr_storage address_;
  const socklen_t address_size_;
  const std::string host_;  // the Host header: the address as given
  const int wake_read_;     // Interrupt() makes this readable
  const int wake_write_;
  int fd_ = -1;
  std::string buffer_;  // received and not yet consumed
};

}  // namespace

Result<std::unique_ptr<RuntimeApi>> ConnectRuntimeApi(std::string_view address) {
  if (address.empty()) {
    return Error::Invalid(
        "AWS_LAMBDA_RUNTIME_API is not set: `practica lambda` runs inside Lambda");
  }
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return Error::Invalid("AWS_LAMBDA_RUNTIME_API must be HOST:PORT");
  }
  std::string host(address.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port(address.substr(colon + 1));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return Error::Invalid("AWS_LAMBDA_RUNTIME_API names no address this host can reach");
  }
  sockaddr_storage storage{};
  std::memcpy(&storage, found->ai_addr, found->ai_addrlen);
  const auto size = static_cast<socklen_t>(found->ai_addrlen);
  ::freeaddrinfo(found);
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) return Error::Internal(Errno("pipe"));
  return std::unique_ptr<RuntimeApi>(
      new HttpRuntimeApi(storage, size, std::string(address), wake[0], wake[1]));
}

}  // namespace practica::lambda
