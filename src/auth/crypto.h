// Small cryptographic helpers shared by the auth code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace practica::auth {

std::string Sha256Hex(std::string_view data);

std::string Base64UrlEncode(std::string_view bytes);  // unpadded
// nullopt for characters outside the base64url alphabet, padding, or a bad length.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Compares in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace practica::auth
