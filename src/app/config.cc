#include "app/config.h"

#include <charconv>

namespace practica::app {

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto invalid = [&] {
    return Error::Invalid("listen address '" + std::string(text) +
                          "' must be HOST:PORT, e.g. 127.0.0.1:8080");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return invalid();
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.back() != ']') return invalid();
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return invalid();
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

}  // namespace practica::app
