// libFuzzer target: opening and decoding media as every consumer does (the video decoder with a
// seek, the audio decoder with resampling, the still-image loader).
#include <cstdint>
#include <exception>
#include <string>

#include "FuzzInput.h"
#include "app/media/AudioTrack.h"
#include "app/media/ImageLoader.h"
#include "app/media/VideoDecoder.h"

using namespace heardmap;

// Frames decoded per input at most (keeps each run short).
constexpr int kMaxFrames = 8;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::writeInput("input.media", data, size);
  try {
    VideoDecoder decoder(path);
    for (int i = 0; i < kMaxFrames && decoder.nextFrame(); ++i) {
    }
    decoder.seek(0.5);
    (void)decoder.nextFrame();
  } catch (const std::exception&) {
  }
  try {
    (void)decodeAudio(path, 16000);
  } catch (const std::exception&) {
  }
  try {
    (void)decodeImageRgba(path, 256);
  } catch (const std::exception&) {
  }
  return 0;
}
