// UTF-8 validation for bundle files.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace practica::content {

// The byte offset of the first byte that is not part of a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are ill-formed), or nullopt if `text` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

}  // namespace practica::content
