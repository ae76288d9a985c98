// heardmap-bench: prints a table of the pipeline's speeds on this machine (medians of repeated
// runs). Usage: heardmap-bench [CLIP.mp4] [--quick]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/media/AudioTrack.h"
#include "app/media/VideoDecoder.h"
#include "core/AudioCondition.h"
#include "core/AudioWindow.h"
#include "core/BilinearResampler.h"
#include "core/CommandLine.h"
#include "core/HeatmapCompositor.h"
#include "core/HeatmapProcessor.h"
#include "core/Spectrogram.h"
#include "core/data/SceneSynthesizer.h"
#include "core/eval/BenchmarkAccumulator.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"

using namespace heardmap;
using Clock = std::chrono::steady_clock;

namespace {

// Repetitions per measured row (after kWarmupRuns unmeasured ones).
constexpr int kRuns = 20;
constexpr int kWarmupRuns = 3;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void row(const std::string& what, const std::string& value, const std::string& note = "") {
  std::printf("| %-56s | %14s | %-34s |\n", what.c_str(), value.c_str(), note.c_str());
}

std::string format(const char* fmt, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), fmt, value);
  return buffer;
}

// Frames per second of a full pass over the clip, repeated `passes` times; median.
double passFps(const std::string& clip, int passes,
               const std::function<void(const RgbImage&)>& work) {
  std::vector<double> fps;
  for (int p = 0; p < passes; ++p) {
    VideoDecoder decoder(clip);
    int frames = 0;
    const auto start = Clock::now();
    while (std::optional<RgbImage> frame = decoder.nextFrame()) {
      work(*frame);
      ++frames;
    }
    fps.push_back(frames / (millisecondsSince(start) / 1000.0));
  }
  return median(fps);
}

// The compositor's map upsampling at 1280 x 720 from a 7 x 7 map: Eigen's weight matrices
// (BilinearResampler, what compose() uses) beside the per-pixel bilinear sample (the shader's
// reference), side by side in one run.
void upsamplingRows(int runs) {
  constexpr int kWidth = 1280;  // a 720p frame
  constexpr int kHeight = 720;
  DisplayHeatmap map;
  map.width = map.height = 7;
  for (int i = 0; i < 49; ++i) {
    map.scores.push_back(static_cast<float>(std::sin(i * 0.7)));
  }
  std::vector<double> eigenMs;
  std::vector<double> loopMs;
  float sink = 0.0f;
  for (int r = 0; r < kWarmupRuns + runs * 2; ++r) {
    auto start = Clock::now();
    const std::vector<float> up =
        BilinearResampler(7, 7, kWidth, kHeight, SampleGrid::PixelCentres).resample(map.scores);
    const double eigen = millisecondsSince(start);
    sink += up[up.size() / 2];
    start = Clock::now();
    std::vector<float> loop(static_cast<size_t>(kWidth) * kHeight);
    for (int y = 0; y < kHeight; ++y) {
      for (int x = 0; x < kWidth; ++x) {
        loop[static_cast<size_t>(y) * kWidth + x] =
            HeatmapCompositor::sample(map, (x + 0.5f) / kWidth, (y + 0.5f) / kHeight);
      }
    }
    const double perPixel = millisecondsSince(start);
    sink += loop[loop.size() / 2];
    if (r >= kWarmupRuns) {
      eigenMs.push_back(eigen);
      loopMs.push_back(perPixel);
    }
  }
  row("map to 1280x720: Eigen weight matrices", format("%.2f ms", median(eigenMs)),
      format("per-pixel sample: %.2f ms", median(loopMs)) +
          format(" (x%.1f)", median(loopMs) / std::max(1e-9, median(eigenMs))));
  if (sink == 12345.0f) {
    std::printf("%f\n", static_cast<double>(sink));  // keeps the work from being optimised away
  }
}

}  // namespace

// Longer than 80 lines: the table's rows in the order they print, each measured where it is.
int main(int argc, char** argv) {
  std::string clip = HEARDMAP_DEMO_CLIP;
  bool quick = false;
  CLI::App app("The pipeline's speed table (decode, inference, compositing, encode) on a clip.",
               "heardmap-bench");
  app.add_option("clip", clip, "The clip (default: the demo clip)");
  app.add_flag("--quick", quick, "Fewer runs and passes");
  if (const std::optional<int> status =
          heardmap::parseCommandLine(app, "heardmap-bench", argc, argv)) {
    return *status;
  }
  const int runs = quick ? 5 : kRuns;
  const int passes = quick ? 1 : 3;
  const MediaInfo info = VideoDecoder(clip).info();
  std::printf("clip: %s (%s)\n\n", clip.c_str(), info.summary().c_str());
  std::printf("| %-56s | %14s | %-34s |\n", "measure", "median", "note");
  std::printf("|%s|%s|%s|\n", std::string(58, '-').c_str(), std::string(16, '-').c_str(),
              std::string(36, '-').c_str());

  const double decodeFps = passFps(clip, passes, [](const RgbImage&) {});
  row("decode to RGB", format("%.0f fps", decodeFps), "FFmpeg, 1 decoder thread");

  const PreprocessingContract contract = PreprocessingContract::ezvsl();
  const AudioTrack track = decodeAudio(clip, contract.sampleRateHz, info.durationSeconds);
  const std::vector<float> window =
      cutAudioWindow(track.samples, info.durationSeconds / 2, contract);
  const Spectrogram spectrogram(contract);
  std::vector<double> times;
  for (int i = 0; i < kWarmupRuns + runs * 2; ++i) {
    const auto start = Clock::now();
    const std::vector<float> out = spectrogram.compute(window);
    if (i >= kWarmupRuns) {
      times.push_back(millisecondsSince(start));
    }
  }
  row("spectrogram 257x200 (3 s at 16 kHz)", format("%.2f ms", median(times)),
      "double-precision FFT");

  VideoDecoder frameSource(clip);
  frameSource.seek(info.durationSeconds / 2);
  const RgbImage frame = *frameSource.nextFrame();

  struct Variant {
    const char* name;
    ModelConfig config;
  };
  double compactTwoThreadMs = 0.0;
  for (const Variant& variant :
       {Variant{"full (ResNet-18, 224, D=512)", ModelConfig::full()},
        Variant{"compact (1/2 width, 160, D=128)", ModelConfig::compact()}}) {
    PreprocessingContract c = contract;
    c.imageSize = variant.config.defaultImageSize();
    auto model = LocalizationModel::createUntrained(variant.config, c, 1);
    for (int threads : {1, 2}) {
      LocalizationModel::setThreadCount(threads);
      std::vector<double> visual;
      std::vector<double> audio;
      std::vector<double> total;
      for (int i = 0; i < kWarmupRuns + runs; ++i) {
        InferenceTiming timing;
        model->localize(frame, window, &timing);
        if (i >= kWarmupRuns) {
          visual.push_back(timing.visualMs);
          audio.push_back(timing.audioMs);
          total.push_back(timing.totalMs);
        }
      }
      const std::string label = std::string(variant.name) + ", " + std::to_string(threads) + " thr";
      row("visual encoder: " + label, format("%.1f ms", median(visual)),
          "resize + normalise + trunk + proj");
      row("audio encoder: " + label, format("%.1f ms", median(audio)));
      row("frame total: " + label, format("%.1f ms", median(total)),
          format("= %.1f heatmaps/s", 1000.0 / median(total)));
      if (variant.config.baseWidth == 32 && threads == 2) {
        compactTwoThreadMs = median(total);
      }
    }
  }

  // End to end, as `heardmap render` does it minus encoding: decode, cut the audio window,
  // infer, smooth/normalise and composite on the CPU, every frame, compact model, 2 threads.
  LocalizationModel::setThreadCount(2);
  PreprocessingContract compactContract = contract;
  compactContract.imageSize = ModelConfig::compact().defaultImageSize();
  auto compact = LocalizationModel::createUntrained(ModelConfig::compact(), compactContract, 1);
  HeatmapProcessor processor;
  HeatmapCompositor compositor;
  compositor.setSettings(OverlaySettings{});
  InferenceWorker renderWorker;  // as `heardmap render` runs it: visual + audio on 2 lanes
  renderWorker.setModels({std::shared_ptr<LocalizationModel>(compact.get(), [](auto*) {})});
  const double overlayFps = passFps(clip, passes, [&](const RgbImage& f) {
    InferenceRequest request;
    request.frame = f;
    request.audioWindows.push_back(cutAudioWindow(track.samples, f.timeSeconds, compactContract));
    const InferenceResult result = renderWorker.infer(std::move(request));
    compositor.compose(f, processor.process(result.heatmaps.front()));
  });
  row("end-to-end overlay, compact, 2 threads", format("%.1f fps", overlayFps),
      "decode+infer+CPU composite, serial");
  const double composeOnlyFps = passFps(clip, passes, [&](const RgbImage& f) {
    Heatmap h;
    h.width = h.height = 5;
    h.scores.assign(25, 0.1f);
    h.scores[12] = 0.5f;
    h.updateRange();
    h.timeSeconds = f.timeSeconds;
    compositor.compose(f, processor.process(h));
  });
  row("decode + CPU composite only", format("%.1f fps", composeOnlyFps),
      "the GUI composites on the GPU");
  upsamplingRows(runs);

  // The compare grid: N views on the same frame through the app's InferenceWorker (one visual
  // pass per distinct visual network; passes spread over parallel lanes). Distinct = N different
  // compact models; shared = one model heard under N audio conditions (models x conditions).
  std::vector<std::shared_ptr<LocalizationModel>> gridModels;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    gridModels.push_back(
        LocalizationModel::createUntrained(ModelConfig::compact(), compactContract, seed));
  }
  const std::vector<AudioCondition> gridConditions = {
      AudioCondition::Real,     AudioCondition::Silence, AudioCondition::WhiteNoise,
      AudioCondition::MutedMic, AudioCondition::Real,    AudioCondition::Silence};
  InferenceWorker worker;
  for (const bool shared : {false, true}) {
    for (const int views : {1, 2, 4, 6}) {
      std::vector<std::shared_ptr<LocalizationModel>> set;
      for (int v = 0; v < views; ++v) {
        set.push_back(gridModels[shared ? 0 : static_cast<size_t>(v)]);
      }
      const uint64_t generation = worker.setModels(set);
      const double gridFps = passFps(clip, passes, [&](const RgbImage& f) {
        InferenceRequest request;
        request.frame = f;
        request.generation = generation;
        const std::vector<float> real =
            cutAudioWindow(track.samples, f.timeSeconds, compactContract);
        for (int v = 0; v < views; ++v) {
          request.audioWindows.push_back(applyAudioCondition(gridConditions[static_cast<size_t>(v)],
                                                             real, {}, static_cast<uint64_t>(v)));
        }
        worker.submit(std::move(request));
        while (!worker.takeResult()) {
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
      });
      row(format("grid, %.0f compact view(s), ", views) +
              (shared ? "1 model x conditions" : "distinct models"),
          format("%.1f fps", gridFps), format("decode + all maps, %.0f lane(s)", worker.lanes()));
    }
  }

  // Synthetic benchmark: scene generation alone, and the whole evaluation per sample.
  const std::string packPath = HEARDMAP_DEFAULT_PACK;
  try {
    const AssetPack assets = AssetPack::load(packPath);
    SynthesisOptions options;
    options.split = Split::Test;
    const SceneSynthesizer synthesizer(assets, options);
    const int scenes = quick ? 40 : 200;
    auto start = Clock::now();
    for (int i = 0; i < scenes; ++i) {
      synthesizer.make(SceneSynthesizer::testSeed(
                           allConditions()[static_cast<size_t>(i) % allConditions().size()], i),
                       allConditions()[static_cast<size_t>(i) % allConditions().size()]);
    }
    row("synthetic scene generation (224 px, 3 s audio)",
        format("%.0f scenes/s", scenes / (millisecondsSince(start) / 1000.0)),
        "1 thread, plain C++");
    // Serial (localize on 2 intra-op threads) against the inference worker's 2 lanes of one
    // thread each, as `heardmap eval` and the trainer's test split run it.
    for (const bool lanes : {false, true}) {
      BenchmarkAccumulator accumulator("compact", 0.5);
      start = Clock::now();
      for (int i = 0; i < scenes; ++i) {
        const SceneCondition condition =
            allConditions()[static_cast<size_t>(i) % allConditions().size()];
        const Scene scene = synthesizer.make(SceneSynthesizer::testSeed(condition, i), condition);
        accumulator.add(evalTargetOf(scene),
                        lanes ? renderWorker.infer({scene.image, {scene.audio}, 0}).heatmaps.front()
                              : compact->localize(scene.image, scene.audio));
      }
      accumulator.finish();
      row(lanes ? "evaluation throughput, compact, 2 lanes"
                : "evaluation throughput, compact, serial",
          format("%.1f samples/s", scenes / (millisecondsSince(start) / 1000.0)),
          lanes ? "the same, on the worker's lanes" : "generate + infer + metrics, serial");
    }
  } catch (const std::exception& e) {
    std::printf("(no asset pack at %s: %s)\n", packPath.c_str(), e.what());
  }
  std::printf(
      "\ntarget: compact model >= 30 fps overlay on 2 CPU cores; inference alone allows %.1f/s\n",
      compactTwoThreadMs > 0 ? 1000.0 / compactTwoThreadMs : 0.0);
  return 0;
}
