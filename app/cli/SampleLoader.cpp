#include "SampleLoader.h"

#include <optional>
#include <string>

#include "app/media/AudioTrack.h"
#include "app/media/ImageLoader.h"
#include "app/media/JpegDecoder.h"
#include "app/media/MediaError.h"
#include "app/media/VideoDecoder.h"

namespace heardmap {

// The frame, and the audio at each rate the models' contracts ask for (resampled by the decoder,
// never cut at another model's rate).
LoadedSample loadSample(const EvalSample& sample, const std::set<int>& ratesHz) {
  LoadedSample loaded;
  if (!sample.imagePath.empty() && isJpegFile(sample.imagePath)) {
    loaded.frame = decodeJpegLikePil(sample.imagePath);  // the official loaders' pixels (PIL)
  } else if (!sample.imagePath.empty()) {
    const RgbaImage rgba = decodeImageRgba(sample.imagePath);
    loaded.frame.width = rgba.width;
    loaded.frame.height = rgba.height;
    loaded.frame.pixels.reserve(static_cast<size_t>(rgba.width * rgba.height * 3));
    for (size_t i = 0; i < rgba.pixels.size(); i += 4) {
      loaded.frame.pixels.insert(loaded.frame.pixels.end(),
                                 rgba.pixels.begin() + static_cast<std::ptrdiff_t>(i),
                                 rgba.pixels.begin() + static_cast<std::ptrdiff_t>(i + 3));
    }
  } else {
    VideoDecoder decoder(sample.videoPath);
    const double duration = decoder.info().durationSeconds;
    const double t = sample.frameSeconds >= 0   ? sample.frameSeconds
                     : sample.clipFraction >= 0 ? sample.clipFraction * duration
                                                : duration / 2;
    if (duration > 0 && t > duration) {
      throw MediaError("frame time " + std::to_string(t) + " s is past the end of '" +
                       sample.videoPath + "' (" + std::to_string(duration) + " s)");
    }
    decoder.seek(t);
    std::optional<RgbImage> frame = decoder.nextFrame();
    if (!frame) {
      throw MediaError("no frame at " + std::to_string(t) + " s in '" + sample.videoPath + "'");
    }
    loaded.frame = std::move(*frame);
  }
  for (int rateHz : ratesHz) {
    const AudioTrack track = decodeAudio(sample.audioPath, rateHz);
    if (!track.present || track.samples.empty()) {
      throw MediaError("'" + sample.audioPath + "' has no audio track");
    }
    if (sample.audioCentreSeconds > track.durationSeconds()) {
      throw MediaError("audio time " + std::to_string(sample.audioCentreSeconds) +
                       " s is past the end of '" + sample.audioPath + "' (" +
                       std::to_string(track.durationSeconds()) + " s)");
    }
    loaded.audioCentreSeconds = sample.audioCentreSeconds >= 0 ? sample.audioCentreSeconds
                                : sample.clipFraction >= 0
                                    ? sample.clipFraction * track.durationSeconds()
                                    : track.durationSeconds() / 2;
    loaded.audioByRateHz[rateHz] = track.samples;
  }
  return loaded;
}

}  // namespace heardmap
