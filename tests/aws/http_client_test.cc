#include "aws/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fixture_process.h"

namespace practica::aws {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::FixtureProcess;
using testing::StartHttpFixture;
using testing::TempDir;

std::shared_ptr<HttpClient> MakeClient(HttpClientOptions options = {}) {
  auto client = HttpClient::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.error().message;
  return client.ok() ? *client : nullptr;
}

boost::json::value JsonOf(const Result<HttpResponse>& response) {
  if (!response.ok()) {
    ADD_FAILURE() << response.error().message;
    return {};
  }
  return boost::json::parse(response->body);
}

// A TCP listener that never accepts: the kernel completes connections into its backlog, and nobody
// ever reads or answers. The silent peer a timeout exists for.
class DeafListener {
 public:
  DeafListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    EXPECT_EQ(::bind(fd_, raw, length), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    EXPECT_EQ(::getsockname(fd_, raw, &length), 0);
    port_ = ntohs(address.sin_port);
  }
  ~DeafListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(ParseUrlTest, SplitsWhatAConnectionNeeds) {
  auto url = ParseUrl("https://dynamodb.eu-west-1.amazonaws.com");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/");
  EXPECT_FALSE(url->host_is_ip);
  EXPECT_EQ(url->HostHeader(), "dynamodb.eu-west-1.amazonaws.com");

  url = ParseUrl("HTTP://127.0.0.1:8000/a%20b/c?x=1&y");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->port, 8000);
  EXPECT_EQ(url->target, "/a%20b/c?x=1&y");
  EXPECT_TRUE(url->host_is_ip);
  EXPECT_EQ(url->HostHeader(), "127.0.0.1:8000");

  url = ParseUrl("http://[fd00:ec2::254]/latest");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "fd00:ec2::254");
  EXPECT_TRUE(url->host_is_ip);
  EXPECT_EQ(url->HostHeader(), "[fd00:ec2::254]");

  url = ParseUrl("https://Example.COM:443?q");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->target, "/?q");
  EXPECT_EQ(url->HostHeader(), "example.com");
}

TEST(ParseUrlTest, RefusesWhatWouldBeDroppedOrMisread) {
  for (const char* bad : {"", "/relative", "ftp://example.com/", "https://user:pw@example.com/",
                          "https://example.com/#fragment", "https://exa%6dple.com/", "http://:80/",
                          "http://example.com:0/", "http://example.com:99999/"}) {
    const auto url = ParseUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    if (!url.ok()) {
      EXPECT_EQ(url.error().code, ErrorCode::kInvalid) << bad;
    }
  }
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture_ = StartHttpFixture();
    ASSERT_NE(fixture_, nullptr);
    base_ = "http://127.0.0.1:" + fixture_->first_line();
  }

  Result<HttpResponse> Get(HttpClient& client, const std::string& path) {
    return client.Send({.method = "GET", .url = base_ + path});
  }

  // The connection number the fixture served each request for `path` on, in order.
  std::vector<int64_t> ConnectionsServing(const std::string& path) {
    const auto log = JsonOf(MakeClient()->Send({.url = base_ + "/log"}));
    std::vector<int64_t> connections;
    for (const auto& entry : log.as_array()) {
      if (entry.at("path").as_string() == path) {
        connections.push_back(entry.at("connection").as_int64());
      }
    }
    return connections;
  }

  std::unique_ptr<FixtureProcess> fixture_;
  std::string base_;
};

TEST_F(HttpClientTest, GetSendsHeadersAndReadsTheResponse) {
  auto client = MakeClient();
  const auto response =
      client->Send({.method = "GET", .url = base_ + "/echo?x=1", .headers = {{"X-Test", "a b"}}});
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("content-type"), "application/json");
  const auto echo = JsonOf(response);
  EXPECT_EQ(echo.at("method").as_string(), "GET");
  EXPECT_EQ(echo.at("path").as_string(), "/echo?x=1");
  EXPECT_EQ(echo.at("headers").at("x-test").as_string(), "a b");
  EXPECT_EQ(echo.at("headers").at("host").as_string(), "127.0.0.1:" + fixture_->first_line());
}

TEST_F(HttpClientTest, PostSendsTheBody) {
  auto client = MakeClient();
  const auto response = client->Send({.method = "POST",
                                      .url = base_ + "/echo",
                                      .headers = {{"Content-Type", "application/json"}},
                                      .body = R"({"a":1})"});
  const auto echo = JsonOf(response);
  EXPECT_EQ(echo.at("method").as_string(), "POST");
  EXPECT_EQ(echo.at("body").as_string(), R"({"a":1})");
  EXPECT_EQ(echo.at("headers").at("content-length").as_string(), "7");
  EXPECT_EQ(echo.at("headers").at("content-type").as_string(), "application/json");
}

TEST_F(HttpClientTest, ReusesAKeptAliveConnection) {
  auto client = MakeClient();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Get(*client, "/echo").ok());
  EXPECT_EQ(ConnectionsServing("/echo"), std::vector<int64_t>(5, 1));
}

TEST_F(HttpClientTest, ThreadsShareOneClientAndItsPool) {
  auto client = MakeClient();
  constexpr int kThreads = 4;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!Get(*client, "/echo").ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  const auto connections = ConnectionsServing("/echo");
  EXPECT_EQ(connections.size(), 80u);
  // A caller opens a connection only when every pooled one is in use by another caller.
  EXPECT_LE(std::set<int64_t>(connections.begin(), connections.end()).size(), size_t{kThreads});
}

TEST_F(HttpClientTest, DoesNotReuseAConnectionTheServerClosed) {
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, "/close").ok());
  const auto response = Get(*client, "/echo");
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(ConnectionsServing("/echo"), std::vector<int64_t>{2});
}

TEST_F(HttpClientTest, RetriesAnIdempotentRequestOnceWhenAReusedConnectionDrops) {
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, "/echo").ok());
  // The fixture reads the request on the kept-alive connection and closes it without a word.
  const auto response = Get(*client, "/drop-reused");
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(ConnectionsServing("/drop-reused"), (std::vector<int64_t>{1, 2}));
}

TEST_F(HttpClientTest, DoesNotRetryAPostUnlessMarkedIdempotent) {
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, "/echo").ok());
  const auto post = client->Send({.method = "POST", .url = base_ + "/drop-reused", .body = "x"});
  ASSERT_FALSE(post.ok());
  EXPECT_EQ(post.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(post.error().message.find("no response"), std::string::npos) << post.error().message;
  EXPECT_EQ(ConnectionsServing("/drop-reused"), std::vector<int64_t>{1});

  ASSERT_TRUE(Get(*client, "/echo").ok());  // a new connection, kept alive
  const auto safe = client->Send(
      {.method = "POST", .url = base_ + "/drop-reused", .body = "x", .idempotent = true});
  ASSERT_TRUE(safe.ok()) << safe.error().message;
  const auto served = ConnectionsServing("/drop-reused");
  ASSERT_EQ(served.size(), 3u);
  EXPECT_NE(served[2], served[1]);  // dropped on the kept-alive connection, answered on a new one
}

TEST_F(HttpClientTest, ASilentServerFailsAtTheDeadline) {
  auto client = MakeClient();
  const auto started = steady_clock::now();
  const auto response =
      client->Send({.method = "GET", .url = base_ + "/silent"}, started + milliseconds(300));
  const auto elapsed = steady_clock::now() - started;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("timed out"), std::string::npos)
      << response.error().message;
  EXPECT_GE(elapsed, milliseconds(300));
  EXPECT_LT(elapsed, milliseconds(1500));
  // The timed-out connection is gone; the client carries on with a new one.
  EXPECT_TRUE(Get(*client, "/echo").ok());
}

TEST_F(HttpClientTest, BodiesUpToTheLimitArriveWholeAndLargerOnesFail) {
  auto client = MakeClient({.max_body_bytes = 1 << 20});
  const auto large = Get(*client, "/bytes/1048576");
  ASSERT_TRUE(large.ok()) << large.error().message;
  EXPECT_EQ(large->body, std::string(1 << 20, 'x'));

  const auto oversized = Get(*client, "/bytes/1048577");
  ASSERT_FALSE(oversized.ok());
  EXPECT_EQ(oversized.error().code, ErrorCode::kInternal);
  EXPECT_NE(oversized.error().message.find("larger than 1048576 bytes"), std::string::npos)
      << oversized.error().message;
  EXPECT_TRUE(Get(*client, "/echo").ok());
}

TEST_F(HttpClientTest, RefusesRequestsThatCouldBeMisread) {
  auto client = MakeClient();
  const auto split = client->Send(
      {.method = "GET", .url = base_ + "/echo", .headers = {{"X-A", "v\r\nX-Injected: 1"}}});
  ASSERT_FALSE(split.ok());
  EXPECT_EQ(split.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(split.error().message.find("Injected"), std::string::npos) << split.error().message;

  const auto length = client->Send(
      {.method = "POST", .url = base_ + "/echo", .headers = {{"content-length", "0"}}});
  ASSERT_FALSE(length.ok());
  EXPECT_EQ(length.error().code, ErrorCode::kInvalid);

  const auto method = client->Send({.method = "GE T", .url = base_ + "/echo"});
  ASSERT_FALSE(method.ok());
  EXPECT_EQ(method.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(ConnectionsServing("/echo").empty());
}

TEST_F(HttpClientTest, ErrorsQuoteNeitherHeaderValuesNorTheQuery) {
  auto client = MakeClient();
  const auto response =
      client->Send({.method = "GET",
                    .url = base_ + "/silent?X-Amz-Security-Token=query-secret",
                    .headers = {{"Authorization", "AWS4-HMAC-SHA256 header-secret"},
                                {"X-Amz-Security-Token", "token-secret"}}},
                   steady_clock::now() + milliseconds(200));
  ASSERT_FALSE(response.ok());
  const std::string& message = response.error().message;
  EXPECT_NE(message.find("GET http://127.0.0.1:" + fixture_->first_line() + "/silent"),
            std::string::npos)
      << message;
  for (const char* secret : {"query-secret", "header-secret", "token-secret"}) {
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
}

TEST(HttpClientFailureTest, ARefusedConnectionIsUnavailable) {
  int port;
  {
    DeafListener closed;  // a port that was free a moment ago and has no listener now
    port = closed.port();
  }
  auto client = MakeClient();
  const auto response = client->Send({.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("connect failed"), std::string::npos)
      << response.error().message;
}

TEST(HttpClientFailureTest, APeerThatAcceptsButNeverAnswersTimesOut) {
  DeafListener deaf;
  auto client = MakeClient({.connect_timeout = milliseconds(200)});
  const std::string host = "127.0.0.1:" + std::to_string(deaf.port());

  auto response =
      client->Send({.url = "http://" + host + "/"}, steady_clock::now() + milliseconds(200));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("timed out"), std::string::npos)
      << response.error().message;

  // Over TLS the handshake is what waits, bounded by connect_timeout.
  const auto started = steady_clock::now();
  response = client->Send({.url = "https://" + host + "/"}, started + std::chrono::seconds(5));
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("TLS handshake timed out"), std::string::npos)
      << response.error().message;
  EXPECT_LT(steady_clock::now() - started, milliseconds(1500));
}

TEST(HttpClientFailureTest, CreateRefusesAMissingCaFile) {
  TempDir dir;
  const auto client = HttpClient::Create({.ca_file = (dir.path() / "none.pem").string()});
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, ErrorCode::kInvalid);
}

class HttpsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture_ = StartHttpFixture({"--tls", dir_.path().string()});
    ASSERT_NE(fixture_, nullptr);
    port_ = fixture_->first_line();
    ca_file_ = (dir_.path() / "ca.pem").string();
  }

  TempDir dir_;
  std::unique_ptr<FixtureProcess> fixture_;
  std::string port_;
  std::string ca_file_;
};

TEST_F(HttpsClientTest, TrustsTheConfiguredAuthorityAndSendsTheHostName) {
  auto client = MakeClient({.ca_file = ca_file_});
  const std::string url = "https://localhost:" + port_ + "/echo";
  const auto first = client->Send({.url = url});
  const auto echo = JsonOf(first);
  EXPECT_EQ(echo.at("sni").as_string(), "localhost");
  EXPECT_EQ(echo.at("connection").as_int64(), 1);

  const auto second = JsonOf(client->Send({.url = url}));
  EXPECT_EQ(second.at("connection").as_int64(), 1);  // the TLS connection was kept and reused
  EXPECT_EQ(second.at("request_on_connection").as_int64(), 2);
}

TEST_F(HttpsClientTest, RefusesACertificateThatDoesNotNameTheHost) {
  auto client = MakeClient({.ca_file = ca_file_});
  // Same server, same trusted certificate, but it names "localhost", not 127.0.0.1.
  const auto response = client->Send({.url = "https://127.0.0.1:" + port_ + "/echo"});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("was rejected"), std::string::npos)
      << response.error().message;
  EXPECT_NE(response.error().message.find("mismatch"), std::string::npos)
      << response.error().message;
}

TEST_F(HttpsClientTest, RefusesACertificateFromAnUntrustedAuthority) {
  auto client = MakeClient();  // the system's trust store, which has never heard of the test CA
  const auto response = client->Send({.url = "https://localhost:" + port_ + "/echo"});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("was rejected"), std::string::npos)
      << response.error().message;
  EXPECT_NE(response.error().message.find("local issuer"), std::string::npos)
      << response.error().message;
}

// OpenSSL's default locations, pointed somewhere for one test (they are read from the environment
// at each HttpClient::Create).
class ScopedCertEnvironment {
 public:
  ScopedCertEnvironment(const std::string& file, const std::string& dir) {
    ::setenv("SSL_CERT_FILE", file.c_str(), 1);
    ::setenv("SSL_CERT_DIR", dir.c_str(), 1);
  }
  ~ScopedCertEnvironment() {
    ::unsetenv("SSL_CERT_FILE");
    ::unsetenv("SSL_CERT_DIR");
  }
};

// As on Amazon Linux with Debian's libcrypto (the Lambda zip): the default locations hold nothing,
// and the client falls back to the first distribution bundle that loads.
TEST_F(HttpsClientTest, FallsBackToACaBundleWhenTheDefaultLocationsHoldNone) {
  const ScopedCertEnvironment nowhere((dir_.path() / "none.pem").string(),
                                      (dir_.path() / "none").string());
  auto client =
      MakeClient({.ca_bundle_fallbacks = {(dir_.path() / "missing.crt").string(), ca_file_}});
  const auto echo = JsonOf(client->Send({.url = "https://localhost:" + port_ + "/echo"}));
  EXPECT_EQ(echo.at("sni").as_string(), "localhost");
}

TEST_F(HttpsClientTest, KeepsTheDefaultLocationsWhenTheyHoldAuthorities) {
  // The system's bundle as SSL_CERT_FILE: not empty, so the fallback (the test CA) is not loaded.
  const ScopedCertEnvironment system("/etc/ssl/certs/ca-certificates.crt",
                                     (dir_.path() / "none").string());
  auto client = MakeClient({.ca_bundle_fallbacks = {ca_file_}});
  const auto response = client->Send({.url = "https://localhost:" + port_ + "/echo"});
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("local issuer"), std::string::npos)
      << response.error().message;
}

}  // namespace
}  // namespace practica::aws
