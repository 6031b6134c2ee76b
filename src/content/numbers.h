// Numbers as bundle files write them: parsed strictly (the whole text must be a finite decimal
// number) and formatted as the shortest text that parses back to the same double.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace practica::content {

// "5", "-2.5", "1e-6", "+3". Not "0x10", "inf", "nan", "5 apples".
std::optional<double> ParseNumber(std::string_view text);

// A whole number ("3", "-1"); "3.0" and "3e2" are not.
std::optional<std::int64_t> ParseInteger(std::string_view text);

// "N%" → N / 100 computed from the decimal text, so that FormatPercent(*ParsePercent(s)) keeps
// the digits the author wrote and ParsePercent(FormatPercent(x)) == x for every finite x.
std::optional<double> ParsePercent(std::string_view text);

// The shortest text that reads back as `value`: plain digits from 1e-6 up to 1e15 ("0.0005",
// "31536000"), an exponent beyond ("1e-09", "2.5e+20").
std::string FormatNumber(double value);

// The "N%" text that ParsePercent reads back as `fraction`.
std::string FormatPercent(double fraction);

}  // namespace practica::content
