#include "http/client_address.h"

#include <gtest/gtest.h>

namespace practica::http {
namespace {

Request From(std::string peer, std::initializer_list<std::string> forwarded = {}) {
  Request request;
  request.remote_address = std::move(peer);
  for (const std::string& value : forwarded) request.headers.Add("X-Forwarded-For", value);
  return request;
}

TEST(ClientAddress, WithoutTrustedProxiesTheHeaderIsIgnored) {
  // A single node: whatever a client writes into X-Forwarded-For, the peer is the client.
  EXPECT_EQ(ClientAddress(From("203.0.113.7", {"198.51.100.1"}), 0), "203.0.113.7");
  EXPECT_EQ(ClientAddress(From("203.0.113.7"), 0), "203.0.113.7");
}

TEST(ClientAddress, CloudFrontInFrontOfApiGateway) {
  // The peer is the edge server; CloudFront appended the viewer's address.
  EXPECT_EQ(ClientAddress(From("130.176.1.2", {"203.0.113.7"}), 1), "203.0.113.7");
  // API Gateway appending the peer it also reports counts once.
  EXPECT_EQ(ClientAddress(From("130.176.1.2", {"203.0.113.7, 130.176.1.2"}), 1), "203.0.113.7");
}

TEST(ClientAddress, AForgedEntryLeftOfTheTrustedOnesIsNotTaken) {
  // The client sent "X-Forwarded-For: 10.9.9.9" itself; CloudFront appended the real address.
  EXPECT_EQ(ClientAddress(From("130.176.1.2", {"10.9.9.9, 203.0.113.7"}), 1), "203.0.113.7");
  // CloudFront, then the load balancer (the peer of `practica serve`).
  EXPECT_EQ(ClientAddress(From("10.40.1.5", {"10.9.9.9, 203.0.113.7, 10.40.0.9"}), 2),
            "203.0.113.7");
}

TEST(ClientAddress, RepeatedHeadersAreOneListInOrder) {
  EXPECT_EQ(ClientAddress(From("10.40.1.5", {"10.9.9.9", "203.0.113.7 ,10.40.0.9"}), 2),
            "203.0.113.7");
}

TEST(ClientAddress, AShortChainGivesItsFirstAddress) {
  // Configured for two proxies, reached without any: the peer is all there is.
  EXPECT_EQ(ClientAddress(From("203.0.113.7"), 2), "203.0.113.7");
  EXPECT_EQ(ClientAddress(From("10.40.1.5", {"203.0.113.7"}), 2), "203.0.113.7");
}

}  // namespace
}  // namespace practica::http
