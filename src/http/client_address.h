// Who sent a request, for per-client limits: the transport's peer, or, behind proxies the
// operator declared (PRACTICA_TRUSTED_PROXIES), the address those proxies recorded in
// X-Forwarded-For. A client can write anything into X-Forwarded-For itself; only the entries a
// trusted proxy appended are facts, so the header is read from the right and never by default.
#pragma once

#include <string>

#include "http/message.h"

namespace practica::http {

// With `trusted_proxies` n = 0: request.remote_address. Otherwise the chain of addresses is the
// X-Forwarded-For entries (every such header, in order, comma-separated) followed by the peer;
// each trusted proxy accounts for one address from the right, and the address n places left of
// the peer is the client. A last entry equal to the peer is one hop written twice (API Gateway
// and the ALB's Lambda events report the address they also appended) and counts once. A chain
// shorter than n gives its first address. Never fails; at worst it names a proxy.
std::string ClientAddress(const Request& request, int trusted_proxies);

}  // namespace practica::http
