// The server under concurrent load, for the sanitizers as much as for the answers: several I/O
// threads, the blocking pool, asynchronous routes answered from threads of their own, and a
// shutdown that arrives while clients are still sending. A real server on port 0, spoken to over
// plain sockets from many client threads; the tsan preset runs it under ThreadSanitizer.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/pipeline.h"
#include "server/server.h"

namespace practica::server {
namespace {

constexpr int kClients = 8;

class ServerConcurrencyTest : public ::testing::Test {
 protected:
  ServerConcurrencyTest() {
    const auto echo = [](std::string_view where) {
      return [where](const http::Request& request) -> Result<http::Response> {
        return http::Response::Json(200, std::string(where) + ":" + request.body);
      };
    };
    router_.Add(http::Method::kPost, "/api/io", http::RouteOptions{}, echo("io"));
    router_.Add(http::Method::kPost, "/api/blocking",
                http::RouteOptions{http::Access::kPublic, 64 * 1024, true, {}}, echo("blocking"));
    // Answers from a thread of its own, as the SQLite writer does after a group commit.
    router_.AddAsync(http::Method::kPost, "/api/async", http::RouteOptions{},
                     [this](const http::Request& request, http::Reply reply) {
                       std::lock_guard lock(repliers_mutex_);
                       repliers_.emplace_back([body = request.body, reply = std::move(reply)] {
                         std::this_thread::sleep_for(std::chrono::milliseconds(1));
                         reply(http::Response::Json(200, "async:" + body));
                       });
                     });
    pipeline_.emplace(router_, http::PipelineOptions{});

    ServerOptions options;
    options.port = 0;
    options.threads = 3;
    options.blocking_threads = 2;
    options.handle_signals = false;
    options.shutdown_grace = std::chrono::milliseconds(5000);
    server_.emplace(options, *pipeline_);
    EXPECT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }

  ~ServerConcurrencyTest() override {
    server_->Shutdown();
    thread_.join();
    for (auto& replier : repliers_) replier.join();
  }

  // POSTs `body` to `path` on a connection of its own; the status and the body of the answer
  // (status 0 when the server closed or refused the connection without one).
  std::pair<int, std::string> Post(const std::string& path, const std::string& body) const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server_->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      const std::string request = "POST " + path +
                                  " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                  "Content-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body;
      if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
        char buffer[4096];
        ssize_t n = 0;
        while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, size_t(n));
      }
    }
    ::close(fd);
    if (answer.size() < 12) return {0, ""};
    const size_t start = answer.find("\r\n\r\n");
    return {std::stoi(answer.substr(9, 3)),
            start == std::string::npos ? "" : answer.substr(start + 4)};
  }

  http::Router router_;
  std::optional<http::Pipeline> pipeline_;
  std::optional<Server> server_;
  std::thread thread_;
  std::mutex repliers_mutex_;
  std::vector<std::thread> repliers_;  // GUARDED_BY(repliers_mutex_) until the server has stopped
};

TEST_F(ServerConcurrencyTest, ManyClientsOnEveryKindOfRouteGetTheirOwnAnswers) {
  const std::vector<std::string> kinds = {"io", "blocking", "async"};
  std::atomic<int> wrong{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < 30; ++i) {
        const std::string& kind = kinds[size_t(i) % kinds.size()];
        const std::string body = "\"" + std::to_string(c) + "-" + std::to_string(i) + "\"";
        if (Post("/api/" + kind, body) != std::make_pair(200, kind + ":" + body)) ++wrong;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(ServerConcurrencyTest, AShutdownWhileClientsSendAnswersOrClosesEveryConnection) {
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      const std::string path = c % 2 == 0 ? "/api/blocking" : "/api/async";
      while (!stop.load()) {
        const auto [status, body] = Post(path, "\"x\"");
        if (status == 200) {
          ++answered;
        } else if (status != 0 && status != 503) {
          ++unexpected;
        }
        if (status == 0) return;  // the listener is gone
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server_->Shutdown();
  thread_.join();  // Run() returns: every connection answered or closed
  stop.store(true);
  for (auto& client : clients) client.join();
  thread_ = std::thread([] {});  // for the destructor's join
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(unexpected.load(), 0);
}

}  // namespace
}  // namespace practica::server
