#include "RenderJob.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "app/media/AudioAtRates.h"
#include "app/media/AudioTrack.h"
#include "app/media/MediaError.h"
#include "app/media/PngWriter.h"
#include "app/media/VideoDecoder.h"
#include "app/media/VideoEncoder.h"
#include "app/pipeline/AudioSource.h"
#include "app/pipeline/FrameJob.h"
#include "app/pipeline/InterleavedAudio.h"
#include "core/AtomicFile.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Refuses a render with nothing to write, or an output that cannot be written (before decoding).
void checkOutputs(const RenderOptions& options) {
  if (options.outputPath.empty() && options.snapshotPath.empty()) {
    throw MediaError("nothing to render: give --out and/or --png");
  }
  for (const std::string& output : {options.outputPath, options.snapshotPath}) {
    if (!output.empty()) {
      checkOutputFile(output, {options.inputPath});
    }
  }
}

// The frame with the model's map over it (one view: the model's own message on failure).
RgbImage composeFrame(FrameJob& job, const RgbImage& frame) {
  std::vector<ViewMaps> maps;
  try {
    maps = job.run(frame);
  } catch (const ViewFailed& e) {
    throw std::runtime_error(e.reason);
  }
  return job.compose(0, frame, maps.front().display);
}

}  // namespace

RenderSummary renderOverlay(const RenderOptions& options, LocalizationModel& model,
                            const RenderProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  RenderSummary summary;
  checkOutputs(options);
  VideoDecoder decoder(options.inputPath);
  const MediaInfo& info = decoder.info();

  // Audio for the output file at the source rate; the model hears it at its contract's rate.
  const int outputRateHz =
      info.hasAudio && info.audioSampleRateHz > 0 ? info.audioSampleRateHz : 48000;
  AudioTrack track = decodeAudio(options.inputPath, outputRateHz, info.durationSeconds);
  AudioAtRates audio(std::move(track.samples), outputRateHz);
  const std::vector<float>& outputAudio = audio.source();  // what the output file's track gets
  summary.audioPresent = track.present;
  summary.audioSourceRateHz = track.sourceSampleRateHz;

  std::unique_ptr<VideoEncoder> encoder;
  if (!options.outputPath.empty()) {
    encoder = std::make_unique<VideoEncoder>(options.outputPath, info.width, info.height,
                                             info.frameRate, outputRateHz);
  }
  // The model is not owned by the job: the caller's model outlives it.
  ClipAudioSource clipSource(&audio);
  FrameJob job({{std::shared_ptr<LocalizationModel>(&model, [](LocalizationModel*) {}),
                 AudioCondition::Real, options.overlay, options.placement}},
               clipSource, nullptr);
  std::optional<InterleavedAudio> interleave;
  if (encoder) {
    interleave.emplace(*encoder, outputAudio, outputRateHz, info.frameRate, 0.0);
  }

  const int64_t expectedFrames = std::max<int64_t>(
      1, static_cast<int64_t>(std::llround(info.durationSeconds * info.frameRate)));
  bool snapshotDone = options.snapshotPath.empty();
  if (!encoder && !snapshotDone) {
    decoder.seek(options.snapshotSeconds);
  }
  while (std::optional<RgbImage> frame = decoder.nextFrame()) {
    const RgbImage composed = composeFrame(job, *frame);
    ++summary.frames;
    if (!snapshotDone && frame->timeSeconds + 0.5 / info.frameRate >= options.snapshotSeconds) {
      writePng(options.snapshotPath, composed);
      snapshotDone = true;
      if (!encoder) {
        break;
      }
    }
    if (encoder) {
      encoder->writeVideo(composed);
      interleave->afterFrames(summary.frames);
    }
    if (progress) {
      progress(summary.frames, expectedFrames);
    }
  }
  if (!snapshotDone) {
    throw MediaError("snapshot time " + std::to_string(options.snapshotSeconds) +
                     " s is past the end of '" + options.inputPath + "'");
  }
  if (summary.frames == 0) {
    throw MediaError("'" + options.inputPath + "' gave no picture to render" +
                     (decoder.warning().empty() ? "" : " (" + decoder.warning() + ")") +
                     "; nothing written");
  }
  if (encoder) {
    interleave->writeRest();
    encoder->finish();
  }
  summary.meanInferenceMs = job.meanInferenceMs();
  summary.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.warning = !decoder.warning().empty() ? decoder.warning() : track.warning;
  // A stream that ends well before its stated duration is a truncated or damaged file.
  if (encoder) {
    summary.warning =
        partialDecodeReport(summary.frames, 0.0, info.durationSeconds, info, summary.warning);
  }
  return summary;
}

}  // namespace heardmap
