// Small JSON writing helpers that do not pull in Boost.JSON (for logs and hot paths).
#pragma once

#include <string>
#include <string_view>

namespace practica {

// Appends `text` as a JSON string literal (with quotes). Invalid UTF-8 bytes become U+FFFD so the
// output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text);

std::string JsonString(std::string_view text);

}  // namespace practica
