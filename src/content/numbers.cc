#include "content/numbers.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace practica::content {
namespace {

// Only the characters of a plain decimal number; from_chars would also accept "inf" and "nan".
bool LooksDecimal(std::string_view text) {
  if (text.empty()) return false;
  bool digit_seen = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digit_seen = true;
    } else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
      return false;
    }
  }
  return digit_seen;
}

std::string_view StripPlus(std::string_view text) {
  if (text.size() > 1 && text.front() == '+' && text[1] != '-' && text[1] != '+') {
    text.remove_prefix(1);
  }
  return text;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view text) {
  if (!LooksDecimal(text)) return std::nullopt;
  text = StripPlus(text);
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  text = StripPlus(text);
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<double> ParsePercent(std::string_view text) {
  if (text.size() < 2 || text.back() != '%') return std::nullopt;
  text.remove_suffix(1);
  if (!LooksDecimal(text) || !ParseNumber(text)) return std::nullopt;
  // Divide by 100 in decimal, by moving the exponent, so that the result is the double nearest
  // to the number the author wrote rather than a rounded quotient of two doubles.
  std::string_view mantissa = text;
  long long exponent = 0;
  if (const size_t e = text.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = text.substr(0, e);
    const auto parsed = ParseInteger(text.substr(e + 1));
    if (!parsed) return std::nullopt;
    exponent = *parsed;
  }
  return ParseNumber(std::string(mantissa) + "e" + std::to_string(exponent - 2));
}

std::string FormatNumber(double value) {
  // Plain digits read best ("0.0005", "31536000"); very small or large magnitudes take an exponent.
  const double magnitude = std::fabs(value);
  const bool fixed = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  char buffer[64];
  const auto [ptr, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value,
                    fixed ? std::chars_format::fixed : std::chars_format::scientific);
  if (ec != std::errc()) return "0";
  return std::string(buffer, ptr);
}

std::string FormatPercent(double fraction) {
  if (fraction == 0) return "0%";
  // The shortest scientific text of the fraction, "d.ddde±XX", has the digits that identify it;
  // the percentage has the same digits with the exponent raised by two.
  char buffer[64];
  const auto [ptr, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, fraction, std::chars_format::scientific);
  if (ec != std::errc()) return "0%";
  const std::string_view text(buffer, static_cast<size_t>(ptr - buffer));
  const size_t e = text.find('e');
  std::string_view mantissa = text.substr(0, e);
  const long long exponent = ParseInteger(text.substr(e + 1)).value_or(0) + 2;

  std::string sign;
  if (!mantissa.empty() && mantissa.front() == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  // The value is 0.DIGITS × 10^(exponent + 1); write it without an exponent when that stays short.
  const long long point = exponent + 1;  // digits before the decimal point
  std::string out;
  if (point > 15 || point < -5) {
    out = std::string(mantissa) + "e" + std::to_string(exponent);
  } else if (point <= 0) {
    out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(point)) + "." +
          digits.substr(static_cast<size_t>(point));
  }
  return sign + out + "%";
}

}  // namespace practica::content
