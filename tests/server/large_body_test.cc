// A route may take bodies above the server's usual limit (a course upload): only from callers
// its access admits, never beyond the route's own limit or the server's ceiling, and only a few
// at a time. A real server on port 0, spoken to over plain sockets.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "http/pipeline.h"
#include "server/server.h"

namespace practica::server {
namespace {

constexpr size_t kMiB = 1024 * 1024;

class LargeBodyTest : public ::testing::Test {
 protected:
  LargeBodyTest() {
    const auto size_of_body = [](const http::Request& request) -> Result<http::Response> {
      return http::Response::Json(200, std::to_string(request.body.size()));
    };
    router_.Add(http::Method::kPost, "/api/upload",
                http::RouteOptions{http::Access::kSignedIn, 8 * kMiB, false, {}}, size_of_body);
    router_.Add(http::Method::kPost, "/api/huge",
                http::RouteOptions{http::Access::kSignedIn, 100 * kMiB, false, {}}, size_of_body);
    router_.Add(http::Method::kPost, "/api/public",
                http::RouteOptions{http::Access::kPublic, 8 * kMiB, false, {}}, size_of_body);
    router_.Add(http::Method::kPost, "/api/small",
                http::RouteOptions{http::Access::kSignedIn, 64 * 1024, false, {}}, size_of_body);
    http::PipelineOptions pipeline_options;
    pipeline_options.authenticate = [](std::string_view token) -> Result<http::Principal> {
      if (token != "good") return Error::Unauthorized("The access token is not valid.");
      return http::Principal{"usr_1", domain::Role::kInstructor, "ses_1", true};
    };
    pipeline_.emplace(router_, std::move(pipeline_options));

    ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.blocking_threads = 1;
    options.handle_signals = false;
    options.body_limit = 1 * kMiB;
    options.large_body_limit = 16 * kMiB;
    options.max_large_bodies = 1;
    server_.emplace(options, *pipeline_);
    EXPECT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }

  ~LargeBodyTest() override {
    server_->Shutdown();
    thread_.join();
  }

  int Connect() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server_->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
  }

  static void Send(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;  // the server answered early and closed: the answer is what counts
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Everything the server sends until it closes the connection.
  static std::string ReadAll(int fd) {
    std::string answer;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, size_t(n));
    return answer;
  }

  static std::string Head(std::string_view path, size_t length, std::string_view token) {
    std::string head =
        "POST " + std::string(path) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!token.empty()) head += "Authorization: Bearer " + std::string(token) + "\r\n";
    return head + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
  }

  // POSTs `length` bytes to `path` (only the header when `send_body` is false: the server decides
  // from it) and gives the status and the body of the answer.
  std::pair<int, std::string> Post(std::string_view path, size_t length, std::string_view token,
                                   bool send_body = true) const {
    const int fd = Connect();
    Send(fd, Head(path, length, token));
    if (send_body) Send(fd, std::string(length, 'z'));
    const std::string answer = ReadAll(fd);
    ::close(fd);
    const int status = answer.size() > 12 ? std::stoi(answer.substr(9, 3)) : 0;
    const size_t body = answer.find("\r\n\r\n");
    return {status, body == std::string::npos ? "" : answer.substr(body + 4)};
  }

  http::Router router_;
  std::optional<http::Pipeline> pipeline_;
  std::optional<Server> server_;
  std::thread thread_;
};

TEST_F(LargeBodyTest, AnAdmittedCallerMaySendUpToTheRoutesLimit) {
  EXPECT_EQ(Post("/api/upload", 3 * kMiB, "good"), std::make_pair(200, std::to_string(3 * kMiB)));
  EXPECT_EQ(Post("/api/upload", 8 * kMiB, "good"), std::make_pair(200, std::to_string(8 * kMiB)));
  EXPECT_EQ(Post("/api/upload", 8 * kMiB + 1, "good", false).first, 413);
}

TEST_F(LargeBodyTest, ACallerTheRouteRefusesGetsTheUsualLimit) {
  EXPECT_EQ(Post("/api/upload", 3 * kMiB, "", false).first, 413);
  EXPECT_EQ(Post("/api/upload", 3 * kMiB, "forged", false).first, 413);
  // Within the usual limit, the route's own refusal.
  EXPECT_EQ(Post("/api/upload", 1000, "").first, 401);
  EXPECT_EQ(Post("/api/upload", 1000, "forged").first, 401);
}

TEST_F(LargeBodyTest, PublicAndSmallRoutesKeepTheUsualLimit) {
  EXPECT_EQ(Post("/api/public", 3 * kMiB, "good", false).first, 413);
  EXPECT_EQ(Post("/api/public", 1000, "").first, 200);
  EXPECT_EQ(Post("/api/small", 2 * kMiB, "good", false).first, 413);
  EXPECT_EQ(Post("/api/small", 100 * 1024, "good").first, 413);  // the pipeline's route check
  EXPECT_EQ(Post("/api/nowhere", 2 * kMiB, "good", false).first, 413);
}

TEST_F(LargeBodyTest, TheServersCeilingBoundsEveryRoute) {
  EXPECT_EQ(Post("/api/huge", 16 * kMiB + 1, "good", false).first, 413);
  EXPECT_EQ(Post("/api/huge", 17 * kMiB, "good", false).first, 413);
  EXPECT_EQ(Post("/api/huge", 2 * kMiB, "good").first, 200);
}

TEST_F(LargeBodyTest, AChunkedBodyIsCountedAsItArrives) {
  const int fd = Connect();
  Send(fd,
       "POST /api/upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
       "Authorization: Bearer good\r\nTransfer-Encoding: chunked\r\n\r\n");
  // 1 MiB, then a chunk that would take the body past the route's 8 MiB: refused at its size line.
  Send(fd, "100000\r\n" + std::string(kMiB, 'z') + "\r\n");
  Send(fd, "700001\r\n");
  const std::string answer = ReadAll(fd);
  ::close(fd);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413");
}

TEST_F(LargeBodyTest, OnlyMaxLargeBodiesAreReceivedAtOnce) {
  // The first upload's header is in and half its body: it holds the one place.
  const int first = Connect();
  Send(first, Head("/api/upload", 2 * kMiB, "good"));
  Send(first, std::string(kMiB, 'z'));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Post("/api/upload", 2 * kMiB, "good", false).first, 503);
  // Small bodies are not held up.
  EXPECT_EQ(Post("/api/upload", 1000, "good").first, 200);

  Send(first, std::string(kMiB, 'z'));
  const std::string answer = ReadAll(first);
  ::close(first);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 200");
  // The place is free again once the first is answered.
  EXPECT_EQ(Post("/api/upload", 2 * kMiB, "good").first, 200);
}

}  // namespace
}  // namespace practica::server
