#include "server/request_parser.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <string>
#include <utility>
#include <vector>

namespace practica::server {
namespace {

constexpr size_t kLimit = 8 * 1024;
using Fields = std::vector<std::pair<std::string, std::string>>;

// What Beast's road makes of `wire`: nullopt when it refuses it or wants more bytes.
struct BeastRead {
  http::Request request;
  size_t used = 0;
  bool keep_alive = false;
};
std::optional<BeastRead> ReadWithBeast(std::string_view wire) {
  RequestParser parser;
  parser.header_limit(static_cast<uint32_t>(kLimit));
  parser.body_limit(1024 * 1024);
  boost::system::error_code error;
  const size_t used = parser.put(boost::asio::buffer(wire.data(), wire.size()), error);
  if (error || !parser.is_done() || !parser.has_path()) return std::nullopt;
  return BeastRead{std::move(parser.request()), used, parser.keep_alive()};
}

TEST(ParseSimpleHead, ReadsAPlainGetAsBeastDoes) {
  const std::string wire =
      "GET /api/courses/caf%C3%A9/lessons/one?limit=5&q=a%20b HTTP/1.1\r\n"
      "Host: localhost:8080\r\n"
      "Authorization: Bearer aaa.bbb.ccc\r\n"
      "X-Blanks: \t  padded value \t\r\n"
      "X-Empty:\r\n"
      "User-Agent: caf\xc3\xa9\r\n"
      "\r\n";
  const std::optional<SimpleHead> simple = ParseSimpleHead(wire, kLimit);
  ASSERT_TRUE(simple);
  EXPECT_EQ(simple->size, wire.size());
  EXPECT_EQ(simple->request.method, http::Method::kGet);
  EXPECT_EQ(simple->request.path, "/api/courses/caf\xc3\xa9/lessons/one");
  EXPECT_EQ(simple->request.query, "limit=5&q=a%20b");
  const Fields expected = {{"Host", "localhost:8080"},
                           {"Authorization", "Bearer aaa.bbb.ccc"},
                           {"X-Blanks", "padded value"},
                           {"X-Empty", ""},
                           {"User-Agent", "caf\xc3\xa9"}};
  EXPECT_EQ(simple->request.headers.fields(), expected);

  const std::optional<BeastRead> beast = ReadWithBeast(wire);
  ASSERT_TRUE(beast);
  EXPECT_EQ(beast->used, simple->size);
  EXPECT_TRUE(beast->keep_alive);
  EXPECT_EQ(beast->request.path, simple->request.path);
  EXPECT_EQ(beast->request.query, simple->request.query);
  EXPECT_EQ(beast->request.headers.fields(), expected);
}

TEST(ParseSimpleHead, LeavesTheNextPipelinedRequestUnread) {
  const std::string first = "HEAD /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::optional<SimpleHead> simple =
      ParseSimpleHead(first + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n", kLimit);
  ASSERT_TRUE(simple);
  EXPECT_EQ(simple->size, first.size());
  EXPECT_EQ(simple->request.method, http::Method::kHead);
  EXPECT_EQ(simple->request.path, "/a");
}

TEST(ParseSimpleHead, AHeadWithoutFieldsIsRead) {
  const std::optional<SimpleHead> simple = ParseSimpleHead("GET / HTTP/1.1\r\n\r\n", kLimit);
  ASSERT_TRUE(simple);
  EXPECT_EQ(simple->request.path, "/");
  EXPECT_TRUE(simple->request.headers.fields().empty());
}

// Each of these is left to Beast, which accepts some (and reads them its own way) and refuses
// others; the fast road must not guess which.
TEST(ParseSimpleHead, LeavesEverythingElseToBeast) {
  const std::string ok_line = "GET / HTTP/1.1\r\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"an unfinished head", ok_line + "Host: x\r\n"},
      {"a body", "POST /api/x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"},
      {"a chunked body", "POST /api/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"a lower-case framing field", ok_line + "content-length: 0\r\n\r\n"},
      {"Connection", ok_line + "Connection: close\r\n\r\n"},
      {"Proxy-Connection", ok_line + "proxy-connection: keep-alive\r\n\r\n"},
      {"Upgrade", ok_line + "Upgrade: websocket\r\n\r\n"},
      {"HTTP/1.0", "GET / HTTP/1.0\r\n\r\n"},
      {"HTTP/2.0", "GET / HTTP/2.0\r\n\r\n"},
      {"a lower-case method", "get / HTTP/1.1\r\n\r\n"},
      {"a method with a dash", "M-SEARCH / HTTP/1.1\r\n\r\n"},
      {"no method", " / HTTP/1.1\r\n\r\n"},
      {"an absolute-form target", "GET http://x/ HTTP/1.1\r\n\r\n"},
      {"a target with a byte above 0x7F", "GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n"},
      {"a space in the target", "GET /a b HTTP/1.1\r\n\r\n"},
      {"a malformed escape", "GET /a%zz HTTP/1.1\r\n\r\n"},
      {"two spaces", "GET  / HTTP/1.1\r\n\r\n"},
      {"a folded field", ok_line + "X-A: one\r\n two\r\n\r\n"},
      {"a field starting with a blank", ok_line + " X-A: one\r\n\r\n"},
      {"a bare LF in a value", ok_line + "X-A: a\nb\r\n\r\n"},
      {"a CR in a value", ok_line + "X-A: a\rb\r\n\r\n"},
      {"a DEL in a value", ok_line + "X-A: a\x7f\r\n\r\n"},
      {"a NUL in a value", ok_line + std::string("X-A: a\0b\r\n\r\n", 12)},
      {"a DEL deep in a long value",
       ok_line + "X-A: " + std::string(40, 'a') + "\x7f" + std::string(40, 'a') + "\r\n\r\n"},
      {"an ESC deep in a long value",
       ok_line + "X-A: " + std::string(40, 'a') + "\x1b" + std::string(40, 'a') + "\r\n\r\n"},
      {"a control byte beside an HTAB",
       ok_line + "X-A: " + std::string(20, 'a') + "\t\x01" + std::string(20, 'a') + "\r\n\r\n"},
      {"a blank before the colon", ok_line + "X-A : b\r\n\r\n"},
      {"an underscore in a name", ok_line + "X_A: b\r\n\r\n"},
      {"an empty name", ok_line + ": b\r\n\r\n"},
      {"no colon", ok_line + "X-A b\r\n\r\n"},
      {"bare LF line ends", "GET / HTTP/1.1\nHost: x\n\n"},
      {"a head longer than the limit", ok_line + "X-A: " + std::string(kLimit, 'a') + "\r\n\r\n"},
  };
  for (const auto& [what, wire] : cases) {
    EXPECT_FALSE(ParseSimpleHead(wire, kLimit)) << what;
  }
}

TEST(ParseSimpleHead, LongValuesWithTabsAndHighBytesAreRead) {
  const std::string value = std::string(20, 'a') + "\t" + std::string(20, 'b') + "\xff\x80";
  const std::optional<SimpleHead> simple =
      ParseSimpleHead("GET / HTTP/1.1\r\nX-A: " + value + "\r\n\r\n", kLimit);
  ASSERT_TRUE(simple);
  EXPECT_EQ(simple->request.headers.Get("X-A"), value);
}

TEST(ParseSimpleHead, AnEmptyBufferIsNoHead) {
  // A connection's buffer before its first read: no bytes, and no storage either.
  EXPECT_FALSE(ParseSimpleHead(std::string_view(), kLimit));
  EXPECT_FALSE(ParseSimpleHead("GET / HTTP/1.1\r\n\r\n", 0));
}

TEST(ParseSimpleHead, TheLimitCountsTheWholeHeadWithItsEmptyLine) {
  const std::string wire = "GET / HTTP/1.1\r\nX-A: aaaa\r\n\r\n";
  EXPECT_TRUE(ParseSimpleHead(wire, wire.size()));
  EXPECT_FALSE(ParseSimpleHead(wire, wire.size() - 1));
}

}  // namespace
}  // namespace practica::server
