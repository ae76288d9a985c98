// 16-bit PCM mono WAV files (for exported scenes and audio snapshots).
#pragma once

#include <string>
#include <vector>

namespace heardmap {

// Writes samples in [-1, 1] (clipped) atomically. Throws FileError.
void writeWavMono16(const std::string& path, const std::vector<float>& samples, int sampleRateHz);

}  // namespace heardmap
