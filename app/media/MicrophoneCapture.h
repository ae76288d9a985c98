// Live microphone input through PortAudio. The callback copies samples into a preallocated ring
// (single writer, single reader; no locks, no allocation) and publishes the write position and
// the block level through atomics. Readers take the newest samples for a causal model window.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace heardmap {

struct InputDeviceInfo {
  int index = -1;  // PortAudio device index
  std::string name;
  std::string hostApi;
  int maxInputChannels = 0;
  double defaultRateHz = 0.0;
  bool isDefault = false;
};

// The input devices PortAudio sees; empty when there is no microphone (a normal state).
std::vector<InputDeviceInfo> listInputDevices();

class MicrophoneCapture {
 public:
  // Opens deviceIndex (-1 = the default input) in mono at rateHz (0 = the device's default rate)
  // and starts capturing; the ring holds ringSeconds. Throws MediaError with a clear message when
  // there is no device or it cannot be opened.
  MicrophoneCapture(int deviceIndex, int rateHz, double ringSeconds);
  ~MicrophoneCapture();
  MicrophoneCapture(const MicrophoneCapture&) = delete;
  MicrophoneCapture& operator=(const MicrophoneCapture&) = delete;

  // The newest count samples, oldest first, zeros for what was not yet captured.
  std::vector<float> latest(size_t count) const;
  int sampleRateHz() const { return rateHz_; }
  // Input latency reported by the device, in seconds.
  double deviceLatencySeconds() const { return latencySeconds_; }
  // Peak and RMS of the newest callback block (linear, 0..1).
  float blockPeak() const { return peak_.load(std::memory_order_relaxed); }
  float blockRms() const { return rms_.load(std::memory_order_relaxed); }
  uint64_t samplesCaptured() const { return written_.load(std::memory_order_acquire); }
  // False once the stream stopped (device unplugged or failed); errorText() then says why.
  bool isRunning() const;
  // Stops capturing now, as an unplugged or failed device does (the stream ends).
  void abort();
  std::string errorText() const;
  // e.g. "mic: USB Audio (ALSA) 16000 Hz, 12 ms"
  std::string description() const { return description_; }

  // Called by PortAudio's callback (public for the C trampoline only).
  void capture(const float* input, unsigned long frames);

 private:
  std::vector<float> ring_;  // power-of-two size
  uint64_t mask_ = 0;
  std::atomic<uint64_t> written_{0};
  std::atomic<float> peak_{0.0f};
  std::atomic<float> rms_{0.0f};
  void* stream_ = nullptr;
  int rateHz_ = 0;
  double latencySeconds_ = 0.0;
  std::string description_;
};

}  // namespace heardmap
