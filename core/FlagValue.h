// Numbers from command-line flags and config files, range-checked where they are read: a value
// that is not a number, not finite, not whole (for counts) or out of range is an error that names
// the flag.
#pragma once

#include <string>

namespace heardmap {

// The number in text (all of it), within [low, high]; throws std::invalid_argument naming flag.
double numberInRange(const std::string& flag, const std::string& text, double low, double high);
// A whole number in text within [low, high]; throws std::invalid_argument naming flag.
long long integerInRange(const std::string& flag, const std::string& text, long long low,
                         long long high);

}  // namespace heardmap
