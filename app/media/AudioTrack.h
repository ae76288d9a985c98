// A decoded audio track as mono float samples.
#pragma once

#include <string>
#include <vector>

namespace heardmap {

struct AudioTrack {
  std::vector<float> samples;  // mono (channel average), [-1, 1]
  int sampleRateHz = 0;
  int sourceSampleRateHz = 0;  // the file's rate before resampling (0 when there is no track)
  bool present = false;        // false: the file has no audio track (samples are silence)
  std::string warning;         // non-fatal decode trouble

  double durationSeconds() const {
    return sampleRateHz > 0 ? static_cast<double>(samples.size()) / sampleRateHz : 0.0;
  }
};

// Decodes the best audio stream of path, averaged to mono and resampled to sampleRateHz. A file
// without audio gives present = false and durationSeconds of silence. Throws MediaError for
// unreadable files.
AudioTrack decodeAudio(const std::string& path, int sampleRateHz, double silenceSeconds = 0.0);
// Resamples mono audio (FFmpeg swresample). Returns samples unchanged when the rates match.
std::vector<float> resampleMono(const std::vector<float>& samples, int fromHz, int toHz);

}  // namespace heardmap
