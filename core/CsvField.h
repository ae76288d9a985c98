// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
#pragma once

#include <string>

namespace heardmap {

inline std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (const char c : text) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

}  // namespace heardmap
