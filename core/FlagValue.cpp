#include "FlagValue.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace heardmap {
namespace {

std::string shortNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", v);
  return buffer;
}

}  // namespace

double numberInRange(const std::string& flag, const std::string& text, double low, double high) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (text.empty() || end != begin + text.size() || !std::isfinite(value) || errno == ERANGE) {
    throw std::invalid_argument(flag + " needs a finite number, got '" + text + "'");
  }
  if (value < low || value > high) {
    throw std::invalid_argument(flag + " must be in [" + shortNumber(low) + ", " +
                                shortNumber(high) + "], got " + text);
  }
  return value;
}

long long integerInRange(const std::string& flag, const std::string& text, long long low,
                         long long high) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(begin, &end, 10);
  if (text.empty() || end != begin + text.size() || errno == ERANGE) {
    throw std::invalid_argument(flag + " needs a whole number, got '" + text + "'");
  }
  if (value < low || value > high) {
    throw std::invalid_argument(flag + " must be in [" + std::to_string(low) + ", " +
                                std::to_string(high) + "], got " + text);
  }
  return value;
}

}  // namespace heardmap
