#include "AudioDevicePlayback.h"

#include <portaudio.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "MediaError.h"
#include "PortAudioSystem.h"
#include "WallClockPlayback.h"

namespace heardmap {
namespace {

// Frames per PortAudio buffer (~10 ms at 48 kHz).
constexpr unsigned long kFramesPerBuffer = 512;
// How long the device's pace is watched after opening it.
constexpr std::chrono::milliseconds kPaceCheck{150};
// A device consuming audio faster than this multiple of real time cannot be the clock.
constexpr double kMaxPaceRatio = 3.0;

int callback(const void*, void* output, unsigned long frames, const PaStreamCallbackTimeInfo*,
             PaStreamCallbackFlags, void* user) {
  static_cast<AudioDevicePlayback*>(user)->render(static_cast<float*>(output), frames);
  return paContinue;
}

}  // namespace

AudioDevicePlayback::AudioDevicePlayback(std::shared_ptr<const std::vector<float>> samples,
                                         int sampleRateHz)
    : samples_(std::move(samples)), sampleRateHz_(sampleRateHz) {
  data_ = samples_->data();
  size_ = samples_->size();
  if (!initializePortAudio()) {
    throw MediaError("PortAudio failed to initialise");
  }
  const PaDeviceIndex device = Pa_GetDefaultOutputDevice();
  if (device == paNoDevice) {
    throw MediaError("no sound output device");
  }
  const PaDeviceInfo* deviceInfo = Pa_GetDeviceInfo(device);
  PaStreamParameters parameters{};
  parameters.device = device;
  parameters.channelCount = 1;
  parameters.sampleFormat = paFloat32;
  parameters.suggestedLatency = deviceInfo->defaultLowOutputLatency;
  PaStream* stream = nullptr;
  PaError rc = Pa_OpenStream(&stream, nullptr, &parameters, sampleRateHz_, kFramesPerBuffer,
                             paClipOff, callback, this);
  if (rc != paNoError) {
    throw MediaError(std::string("cannot open sound device '") + deviceInfo->name +
                     "': " + Pa_GetErrorText(rc));
  }
  stream_ = stream;
  rc = Pa_StartStream(stream);
  if (rc != paNoError) {
    Pa_CloseStream(stream);
    stream_ = nullptr;
    throw MediaError(std::string("cannot start sound device: ") + Pa_GetErrorText(rc));
  }
  if (const PaStreamInfo* info = Pa_GetStreamInfo(stream)) {
    outputLatencySeconds_ = info->outputLatency;
  }
  // A clock master must keep time: some sinks (ALSA's "null" PCM) take samples as fast as they are
  // produced. Measure the stream's pace while it plays silence and refuse a device that races.
  std::this_thread::sleep_for(kPaceCheck);
  const double consumedSeconds = static_cast<double>(framesRendered_.load()) / sampleRateHz_;
  const double elapsedSeconds = std::chrono::duration<double>(kPaceCheck).count();
  if (consumedSeconds > kMaxPaceRatio * elapsedSeconds + 4.0 * kFramesPerBuffer / sampleRateHz_) {
    Pa_StopStream(stream);
    Pa_CloseStream(stream);
    stream_ = nullptr;
    char message[256];
    std::snprintf(message, sizeof(message),
                  "sound device '%s' does not keep time (took %.1f s of audio in %.2f s)",
                  deviceInfo->name, consumedSeconds, elapsedSeconds);
    throw MediaError(message);
  }
  description_ = std::string("audio: ") + deviceInfo->name + " (" +
                 Pa_GetHostApiInfo(deviceInfo->hostApi)->name + ") " +
                 std::to_string(sampleRateHz_) + " Hz";
}

AudioDevicePlayback::~AudioDevicePlayback() {
  if (stream_ != nullptr) {
    Pa_StopStream(static_cast<PaStream*>(stream_));
    Pa_CloseStream(static_cast<PaStream*>(stream_));
  }
}

void AudioDevicePlayback::render(float* out, unsigned long frames) {
  framesRendered_.fetch_add(frames, std::memory_order_relaxed);
  const double seekTo = pendingSeekSamples_.exchange(-1.0, std::memory_order_acq_rel);
  if (seekTo >= 0.0) {
    positionSamples_.store(seekTo, std::memory_order_relaxed);
  }
  if (!playing_.load(std::memory_order_relaxed)) {
    for (unsigned long i = 0; i < frames; ++i) {
      out[i] = 0.0f;
    }
    return;
  }
  double position = positionSamples_.load(std::memory_order_relaxed);
  const double step = speed_.load(std::memory_order_relaxed);
  for (unsigned long i = 0; i < frames; ++i) {
    const double floorPosition = std::floor(position);
    const size_t index = static_cast<size_t>(std::max(0.0, floorPosition));
    float value = 0.0f;
    if (position >= 0.0 && index + 1 < size_) {
      const float t = static_cast<float>(position - floorPosition);
      value = data_[index] + t * (data_[index + 1] - data_[index]);
    } else if (position >= 0.0 && index < size_) {
      value = data_[index];
    }
    out[i] = value;
    position += step;
  }
  positionSamples_.store(position, std::memory_order_relaxed);
}

void AudioDevicePlayback::play() {
  playing_.store(true);
}
void AudioDevicePlayback::pause() {
  playing_.store(false);
}

void AudioDevicePlayback::seek(double timeSeconds) {
  // Applied by the callback at its next buffer, so a seek never races its position update.
  pendingSeekSamples_.store(std::max(0.0, timeSeconds) * sampleRateHz_);
}

void AudioDevicePlayback::setSpeed(double speed) {
  speed_.store(speed);
}

double AudioDevicePlayback::timeSeconds() const {
  const double pending = pendingSeekSamples_.load();
  if (pending >= 0.0) {
    return pending / sampleRateHz_;
  }
  const double t = positionSamples_.load() / sampleRateHz_;
  return playing_.load() ? std::max(0.0, t - outputLatencySeconds_ * speed_.load()) : t;
}

std::unique_ptr<PlaybackClock> openPlayback(std::shared_ptr<const std::vector<float>> samples,
                                            int sampleRateHz) {
  const char* noAudio = std::getenv("HEARDMAP_NO_AUDIO");
  if (noAudio != nullptr && std::string(noAudio) == "1") {
    return std::make_unique<WallClockPlayback>("sound output off (HEARDMAP_NO_AUDIO=1)");
  }
  try {
    return std::make_unique<AudioDevicePlayback>(std::move(samples), sampleRateHz);
  } catch (const MediaError& e) {
    return std::make_unique<WallClockPlayback>(e.what());
  }
}

}  // namespace heardmap
