// A duration as a person reads an estimate: "40 s", "12 min", "2.5 h".
#pragma once

#include <string>

namespace heardmap {

// Seconds under 90 in seconds, under 90 minutes in minutes, else in hours to one decimal.
std::string roughDuration(double seconds);

}  // namespace heardmap
