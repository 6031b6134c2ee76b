// The server's two ways of reading a request head against each other: ParseSimpleHead, the fast
// road for plain bodiless GETs, and RequestParser, Beast's parser (server/request_parser.h).
//
// Invariants: whatever ParseSimpleHead accepts, Beast accepts too, as a complete bodiless request
// on a connection that stays open, having read exactly as many bytes, with the same method, path,
// query and fields (names and values byte for byte, in order). The fast road may decline what
// Beast accepts (it then costs only speed), never the other way round.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

#include "fuzz_check.h"
#include "server/request_parser.h"

using practica::fuzz::AsText;
using practica::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view wire = AsText(data, size);
  constexpr size_t kHeaderLimit = 16 * 1024;
  const std::optional<practica::server::SimpleHead> simple =
      practica::server::ParseSimpleHead(wire, kHeaderLimit);
  if (!simple) return 0;
  Check(simple->size <= wire.size() && simple->size <= kHeaderLimit, "the head lies in the input");

  practica::server::RequestParser beast;
  beast.header_limit(static_cast<uint32_t>(kHeaderLimit));
  beast.body_limit(1024 * 1024);
  boost::system::error_code error;
  const size_t used = beast.put(boost::asio::buffer(wire.data(), wire.size()), error);
  Check(!error, "Beast accepts what the fast road accepted", error.message());
  Check(beast.is_done(), "Beast reads a complete request without a body");
  Check(used == simple->size, "both read the same bytes",
        std::to_string(used) + " against " + std::to_string(simple->size));
  Check(beast.keep_alive(), "the connection stays open");
  Check(beast.has_path(), "Beast finds the same path");

  const practica::http::Request& fast = simple->request;
  const practica::http::Request& slow = beast.request();
  Check(fast.method == slow.method, "the same method");
  Check(fast.path == slow.path, "the same path", fast.path + " against " + slow.path);
  Check(fast.query == slow.query, "the same query", fast.query + " against " + slow.query);
  Check(slow.body.empty(), "no body");
  Check(fast.headers.fields() == slow.headers.fields(), "the same fields in the same order");
  return 0;
}
