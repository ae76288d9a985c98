#include "AudioCondition.h"

#include <random>
#include <stdexcept>

namespace heardmap {
namespace {

std::vector<float> gaussianNoise(size_t count, float rms, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> gaussian(0.0f, rms);
  std::vector<float> out(count);
  for (float& v : out) {
    v = gaussian(rng);
  }
  return out;
}

}  // namespace

std::string audioConditionName(AudioCondition condition) {
  switch (condition) {
    case AudioCondition::Real:
      return "real";
    case AudioCondition::Silence:
      return "silence";
    case AudioCondition::WhiteNoise:
      return "white-noise";
    case AudioCondition::OffScreen:
      return "off-screen";
    case AudioCondition::MutedMic:
      return "muted-mic";
    case AudioCondition::Invalid:
      break;
  }
  return "invalid";
}

std::string audioConditionLabel(AudioCondition condition) {
  switch (condition) {
    case AudioCondition::Real:
      return "real audio";
    case AudioCondition::Silence:
      return "silence";
    case AudioCondition::WhiteNoise:
      return "white noise";
    case AudioCondition::OffScreen:
      return "off-screen audio";
    case AudioCondition::MutedMic:
      return "muted mic";
    case AudioCondition::Invalid:
      break;
  }
  return "?";
}

AudioCondition audioConditionFromName(const std::string& name) {
  for (AudioCondition c : allAudioConditions()) {
    if (audioConditionName(c) == name) {
      return c;
    }
  }
  return AudioCondition::Invalid;
}

std::vector<AudioCondition> allAudioConditions() {
  return {AudioCondition::Real, AudioCondition::Silence, AudioCondition::WhiteNoise,
          AudioCondition::OffScreen, AudioCondition::MutedMic};
}

std::vector<float> applyAudioCondition(AudioCondition condition, const std::vector<float>& real,
                                       const std::vector<float>& other, uint64_t seed) {
  switch (condition) {
    case AudioCondition::Real:
      return real;
    case AudioCondition::Silence:
      return std::vector<float>(real.size(), 0.0f);
    case AudioCondition::WhiteNoise:
      return gaussianNoise(real.size(), kWhiteNoiseRms, seed);
    case AudioCondition::MutedMic:
      return gaussianNoise(real.size(), kMutedMicRms, seed ^ 0x9e3779b97f4a7c15ull);
    case AudioCondition::OffScreen:
      if (other.size() != real.size()) {
        throw std::invalid_argument("off-screen probe: the other clip's window has " +
                                    std::to_string(other.size()) + " samples, expected " +
                                    std::to_string(real.size()));
      }
      return other;
    case AudioCondition::Invalid:
      break;
  }
  throw std::invalid_argument("applyAudioCondition: invalid condition");
}

}  // namespace heardmap
