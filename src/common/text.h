// Text utilities shared by every layer: UTF-8 checks and ASCII case handling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace practica {

// Length of the well-formed UTF-8 sequence at the start of `text` (1–4), or 0 if it is not one
// (overlong forms, surrogates and code points above U+10FFFF are rejected).
size_t Utf8SequenceLength(std::string_view text);

// The byte offset of the first byte that does not start a well-formed sequence, or nullopt if
// all of `text` is valid UTF-8.
std::optional<size_t> FindInvalidUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text).has_value(); }

char AsciiLower(char c);
std::string AsciiLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
std::string_view TrimWhitespace(std::string_view text);
// The 1-based line on which the byte at `offset` of `text` stands (for messages naming a line).
int LineAt(std::string_view text, size_t offset);
// "text" in double quotes, for naming a value in an error message (no escaping).
std::string Quoted(std::string_view text);

// The parts joined, in one allocation. Also the way round GCC 12's false -Wrestrict at -O3 on
// `"literal" + std::string`, which release builds (-Werror) would stop on.
std::string Concat(std::initializer_list<std::string_view> parts);

// FNV-1a, 64 bits: a fast, stable, non-cryptographic hash (ETags, deterministic seeds).
uint64_t Fnv1a64(std::string_view text);

// A faster hash for keys that never leave the process: eight bytes a step, `seed` chaining several
// strings into one digest. Not stable across builds or byte orders, and not for keys an attacker
// chooses into a table that keeps them (it is not keyed).
uint64_t HashWords(std::string_view text, uint64_t seed = 0);

}  // namespace practica
