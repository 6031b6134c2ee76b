// Standard base64 (RFC 4648 §4, with padding): how Lambda's HTTP events carry binary bodies
// (isBase64Encoded). auth/ has base64url for tokens; this is the other alphabet.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace practica::lambda {

std::string Base64Encode(std::string_view bytes);

// nullopt for a character outside the alphabet, a length that is not a multiple of 4, padding
// anywhere but at the end, or non-zero bits after the last byte (so a body has one encoding).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace practica::lambda
