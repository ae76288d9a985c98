#include "MicrophoneCapture.h"

#include <portaudio.h>

#include <algorithm>
#include <cmath>

#include "MediaError.h"
#include "PortAudioSystem.h"

namespace heardmap {
namespace {

// Frames per PortAudio input buffer (~16 ms at 16 kHz).
constexpr unsigned long kFramesPerBuffer = 256;

int captureCallback(const void* input, void*, unsigned long frames, const PaStreamCallbackTimeInfo*,
                    PaStreamCallbackFlags, void* user) {
  static_cast<MicrophoneCapture*>(user)->capture(static_cast<const float*>(input), frames);
  return paContinue;
}

}  // namespace

std::vector<InputDeviceInfo> listInputDevices() {
  std::vector<InputDeviceInfo> out;
  if (!initializePortAudio()) {
    return out;
  }
  const PaDeviceIndex defaultInput = Pa_GetDefaultInputDevice();
  const int count = Pa_GetDeviceCount();
  for (int i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (info == nullptr || info->maxInputChannels < 1) {
      continue;
    }
    InputDeviceInfo device;
    device.index = i;
    device.name = info->name != nullptr ? info->name : "?";
    const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
    device.hostApi = api != nullptr && api->name != nullptr ? api->name : "?";
    device.maxInputChannels = info->maxInputChannels;
    device.defaultRateHz = info->defaultSampleRate;
    device.isDefault = i == defaultInput;
    out.push_back(device);
  }
  return out;
}

MicrophoneCapture::MicrophoneCapture(int deviceIndex, int rateHz, double ringSeconds) {
  if (!initializePortAudio()) {
    throw MediaError("no microphone: PortAudio failed to initialise");
  }
  const PaDeviceIndex device = deviceIndex >= 0 ? deviceIndex : Pa_GetDefaultInputDevice();
  if (device == paNoDevice || device >= Pa_GetDeviceCount()) {
    throw MediaError("no microphone: no audio input device was found");
  }
  const PaDeviceInfo* info = Pa_GetDeviceInfo(device);
  if (info == nullptr || info->maxInputChannels < 1) {
    throw MediaError("device " + std::to_string(device) + " has no input channels");
  }
  rateHz_ = rateHz > 0 ? rateHz : static_cast<int>(std::lround(info->defaultSampleRate));
  size_t size = 1;
  while (size < static_cast<size_t>(ringSeconds * rateHz_) + kFramesPerBuffer) {
    size <<= 1;
  }
  ring_.assign(size, 0.0f);
  mask_ = size - 1;

  PaStreamParameters parameters{};
  parameters.device = device;
  parameters.channelCount = 1;
  parameters.sampleFormat = paFloat32;
  parameters.suggestedLatency = info->defaultLowInputLatency;
  PaStream* stream = nullptr;
  PaError rc = Pa_OpenStream(&stream, &parameters, nullptr, rateHz_, kFramesPerBuffer, paNoFlag,
                             captureCallback, this);
  if (rc != paNoError) {
    throw MediaError("cannot open microphone '" + std::string(info->name) + "' at " +
                     std::to_string(rateHz_) + " Hz: " + Pa_GetErrorText(rc));
  }
  rc = Pa_StartStream(stream);
  if (rc != paNoError) {
    Pa_CloseStream(stream);
    throw MediaError(std::string("cannot start microphone: ") + Pa_GetErrorText(rc));
  }
  stream_ = stream;
  if (const PaStreamInfo* streamInfo = Pa_GetStreamInfo(stream)) {
    latencySeconds_ = streamInfo->inputLatency;
  }
  const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
  description_ = "mic: " + std::string(info->name) + " (" + (api != nullptr ? api->name : "?") +
                 ") " + std::to_string(rateHz_) + " Hz, " +
                 std::to_string(static_cast<int>(std::lround(latencySeconds_ * 1000.0))) +
                 " ms device latency";
}

MicrophoneCapture::~MicrophoneCapture() {
  if (stream_ != nullptr) {
    Pa_StopStream(static_cast<PaStream*>(stream_));
    Pa_CloseStream(static_cast<PaStream*>(stream_));
  }
}

void MicrophoneCapture::capture(const float* input, unsigned long frames) {
  uint64_t position = written_.load(std::memory_order_relaxed);
  float peak = 0.0f;
  double sumSquares = 0.0;
  for (unsigned long i = 0; i < frames; ++i) {
    float v = input != nullptr ? input[i] : 0.0f;
    if (!std::isfinite(v)) {
      v = 0.0f;  // ALSA's null PCM delivers garbage floats
    }
    ring_[(position + i) & mask_] = v;
    peak = std::max(peak, std::abs(v));
    sumSquares += static_cast<double>(v) * v;
  }
  written_.store(position + frames, std::memory_order_release);
  peak_.store(peak, std::memory_order_relaxed);
  rms_.store(
      frames > 0 ? static_cast<float>(std::sqrt(sumSquares / static_cast<double>(frames))) : 0.0f,
      std::memory_order_relaxed);
}

std::vector<float> MicrophoneCapture::latest(size_t count) const {
  std::vector<float> out(count, 0.0f);
  const uint64_t end = written_.load(std::memory_order_acquire);
  const uint64_t available = std::min<uint64_t>({end, count, ring_.size()});
  const uint64_t first = end - available;
  for (uint64_t i = 0; i < available; ++i) {
    out[count - available + i] = ring_[(first + i) & mask_];
  }
  return out;
}

bool MicrophoneCapture::isRunning() const {
  return stream_ != nullptr && Pa_IsStreamActive(static_cast<PaStream*>(stream_)) == 1;
}

void MicrophoneCapture::abort() {
  if (stream_ != nullptr) {
    Pa_AbortStream(static_cast<PaStream*>(stream_));
  }
}

std::string MicrophoneCapture::errorText() const {
  if (isRunning()) {
    return {};
  }
  return "the microphone stopped (unplugged or failed)";
}

}  // namespace heardmap
