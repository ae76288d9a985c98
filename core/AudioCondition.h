// Negative-audio probes: what a view's model hears instead of (or as) the clip's audio. The
// condition is shown on every view and recorded with each failure annotation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace heardmap {

enum class AudioCondition {
  Invalid = 0,
  Real,        // the clip's own audio (or the live microphone)
  Silence,     // digital zeros
  WhiteNoise,  // Gaussian white noise at kWhiteNoiseRms
  OffScreen,   // audio of another clip at the same time: a sound that is not in the picture
  MutedMic,    // a muted microphone: its self-noise floor only (kMutedMicRms)
};

// RMS of the white-noise probe (-20 dBFS, the loudness of the synthetic noise scenes).
constexpr float kWhiteNoiseRms = 0.1f;
// RMS of the muted-microphone probe (-66 dBFS, a typical USB microphone's self-noise).
constexpr float kMutedMicRms = 0.0005f;

// Stable names for files and settings ("real", "silence", "white-noise", "off-screen",
// "muted-mic") and short labels for the views.
std::string audioConditionName(AudioCondition condition);
std::string audioConditionLabel(AudioCondition condition);
AudioCondition audioConditionFromName(const std::string& name);  // Invalid if unknown
std::vector<AudioCondition> allAudioConditions();

// The window the model hears under condition. real is the window cut from the clip; other is the
// same window cut from the off-screen clip (needed for OffScreen only, must have real's length,
// else std::invalid_argument). Noise is deterministic per seed (e.g. the frame index).
std::vector<float> applyAudioCondition(AudioCondition condition, const std::vector<float>& real,
                                       const std::vector<float>& other, uint64_t seed);

}  // namespace heardmap
