// Parses one HTTP/1.1 request straight into an http::Request.
//
// Beast's basic_parser does all of the parsing, validation and framing (request line, field
// syntax, Content-Length, chunked bodies, header and body limits); this class only stores what it
// hands over. Beast's own request_parser would first copy every header field into its field
// container, one allocation each, for the server to copy them again into an http::Request: here
// each field is copied once, from the read buffer into request().headers. Every request carries
// its access token in a field, so that second copy was part of what a token costs.
//
// ParseSimpleHead is a faster road for the commonest request, a GET with its whole head already
// read: it takes only a strict subset of what Beast accepts and gives up on anything else.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <optional>
#include <string_view>

#include "http/message.h"

namespace practica::server {

class RequestParser : public boost::beast::http::basic_parser<true> {
 public:
  // The request as parsed so far: method, path, query, headers and, once the body is read, body.
  http::Request& request() { return request_; }
  // False when the target is not an absolute path, or has a malformed %-escape; the request then
  // has no path, and the server answers 400.
  bool has_path() const { return has_path_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view method, string_view target, int,
                       error_code&) override;
  void on_response_impl(int, string_view, int, error_code& ec) override;
  void on_field_impl(boost::beast::http::field, string_view name, string_view value,
                     error_code&) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override;
  size_t on_body_impl(string_view body, error_code&) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override;
  void on_finish_impl(error_code&) override {}

  http::Request request_;
  bool has_path_ = false;
};

// A request parsed by ParseSimpleHead: it has no body and its connection stays open.
struct SimpleHead {
  http::Request request;
  size_t size = 0;  // the head's bytes, its final empty line included
};

// Parses `buffered` when it begins with a whole request head (of at most `header_limit` bytes)
// that is plainly well formed and announces no body: an upper-case method, an origin-form target
// of visible ASCII, HTTP/1.1, and fields whose names are letters, digits and '-' and whose values
// hold no control character but HTAB, every line ending in CRLF. A head naming Connection,
// Proxy-Connection, Content-Length, Transfer-Encoding or Upgrade, folding a line, or anything
// else is left to RequestParser (nullopt), which accepts or refuses it: so this function never
// accepts what Beast refuses, and what it accepts it reads as Beast reads it (field values without
// the blanks around them). Beast reads a header one byte at a time through several loops; this
// finds line ends with memchr and checks each value in one pass, which makes a request carrying
// a 350-byte access token about 2,000 instructions cheaper.
std::optional<SimpleHead> ParseSimpleHead(std::string_view buffered, size_t header_limit);

}  // namespace practica::server
