#include "http/client_address.h"

#include <vector>

#include "common/text.h"

namespace practica::http {

std::string ClientAddress(const Request& request, int trusted_proxies) {
  if (trusted_proxies <= 0) return request.remote_address;
  std::vector<std::string_view> chain;
  for (const auto& [name, value] : request.headers.fields()) {
    if (!EqualsIgnoreCase(name, "X-Forwarded-For")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view entry = TrimWhitespace(rest.substr(0, comma));
      if (!entry.empty()) chain.push_back(entry);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (!request.remote_address.empty() &&
      (chain.empty() || chain.back() != request.remote_address)) {
    chain.push_back(request.remote_address);
  }
  if (chain.empty()) return request.remote_address;
  const size_t hops = static_cast<size_t>(trusted_proxies);
  return std::string(chain.size() > hops ? chain[chain.size() - 1 - hops] : chain.front());
}

}  // namespace practica::http
