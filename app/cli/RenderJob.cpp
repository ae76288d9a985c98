#include "RenderJob.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/media/AudioAtRates.h"
#include "app/media/AudioTrack.h"
#include "app/media/MediaError.h"
#include "app/media/PngWriter.h"
#include "app/media/VideoDecoder.h"
#include "app/media/VideoEncoder.h"
#include "core/AtomicFile.h"
#include "core/AudioWindow.h"
#include "core/HeatmapCompositor.h"
#include "core/HeatmapProcessor.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {

RenderSummary renderOverlay(const RenderOptions& options, LocalizationModel& model,
                            const RenderProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  RenderSummary summary;
  if (options.outputPath.empty() && options.snapshotPath.empty()) {
    throw MediaError("nothing to render: give --out and/or --png");
  }
  for (const std::string& output : {options.outputPath, options.snapshotPath}) {
    if (!output.empty()) {
      checkOutputFile(output, {options.inputPath});
    }
  }
  VideoDecoder decoder(options.inputPath);
  const MediaInfo& info = decoder.info();
  PreprocessingContract contract = model.contract();
  if (options.placement != WindowPlacement::Invalid) {
    contract.placement = options.placement;
  }

  // Audio for the output file at the source rate, and for the model at the contract's rate.
  const int outputRateHz =
      info.hasAudio && info.audioSampleRateHz > 0 ? info.audioSampleRateHz : 48000;
  AudioTrack track = decodeAudio(options.inputPath, outputRateHz, info.durationSeconds);
  AudioAtRates audio(std::move(track.samples), outputRateHz);
  const std::vector<float>& outputAudio = audio.source();  // what the output file's track gets
  const std::vector<float>& modelAudio = *audio.at(contract.sampleRateHz);
  summary.audioPresent = track.present;
  summary.audioSourceRateHz = track.sourceSampleRateHz;

  std::unique_ptr<VideoEncoder> encoder;
  if (!options.outputPath.empty()) {
    encoder = std::make_unique<VideoEncoder>(options.outputPath, info.width, info.height,
                                             info.frameRate, outputRateHz);
  }
  HeatmapProcessor processor;
  processor.setSettings(options.overlay);
  HeatmapCompositor compositor;
  compositor.setSettings(options.overlay);

  const int64_t expectedFrames = std::max<int64_t>(
      1, static_cast<int64_t>(std::llround(info.durationSeconds * info.frameRate)));
  bool snapshotDone = options.snapshotPath.empty();
  if (!encoder && !snapshotDone) {
    decoder.seek(options.snapshotSeconds);
  }
  size_t audioWritten = 0;
  double inferenceMsTotal = 0.0;
  // The worker runs the visual and audio halves on parallel lanes (not owned: model outlives it).
  InferenceWorker worker;
  worker.setModels({std::shared_ptr<LocalizationModel>(&model, [](LocalizationModel*) {})});
  while (std::optional<RgbImage> frame = decoder.nextFrame()) {
    const std::vector<float> window = cutAudioWindow(modelAudio, frame->timeSeconds, contract);
    InferenceRequest request;
    request.frame = *frame;
    request.audioWindows.push_back(window);
    InferenceResult result = worker.infer(std::move(request));
    if (!result.errors.front().empty()) {
      throw std::runtime_error(result.errors.front());
    }
    const Heatmap heatmap = std::move(result.heatmaps.front());
    inferenceMsTotal += heatmap.inferenceMs;
    const RgbImage composed = compositor.compose(*frame, processor.process(heatmap));
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
      // Keep audio interleaved with video: write samples up to the end of this frame's slot.
      const size_t audioEnd = std::min(
          outputAudio.size(), static_cast<size_t>(std::llround(static_cast<double>(summary.frames) /
                                                               info.frameRate * outputRateHz)));
      if (audioEnd > audioWritten) {
        encoder->writeAudio(outputAudio.data() + audioWritten, audioEnd - audioWritten);
        audioWritten = audioEnd;
      }
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
    if (audioWritten < outputAudio.size()) {
      encoder->writeAudio(outputAudio.data() + audioWritten, outputAudio.size() - audioWritten);
    }
    encoder->finish();
  }
  summary.meanInferenceMs =
      summary.frames > 0 ? inferenceMsTotal / static_cast<double>(summary.frames) : 0.0;
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
