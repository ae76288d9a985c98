// Thrown for media that cannot be opened, decoded or written; the message names the file.
#pragma once

#include <stdexcept>
#include <string>

namespace heardmap {

class MediaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// FFmpeg's text for an AVERROR code.
std::string ffmpegErrorText(int code);

}  // namespace heardmap
