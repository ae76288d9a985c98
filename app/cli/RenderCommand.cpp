#include "RenderCommand.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "ProgressBar.h"
#include "RenderJob.h"
#include "core/CommandLine.h"
#include "core/Methods.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Torch intra-op threads for headless rendering (the 2-core target machine).
constexpr int kDefaultThreads = 2;

// What --help adds below the options.
constexpr const char* kRenderNotes =
    "Without --checkpoint (or with --checkpoint untrained) an untrained compact model is used,\n"
    "and the output says so. --method names the method of a bare .pth of EZ-VSL-family names\n"
    "(default ezvsl); --momentum-branch takes a SLAVC file's momentum copies.";

// Longest persistence time constant accepted (a minute of smoothing).
constexpr double kMaxPersistenceMs = 60000.0;
// Most torch threads accepted for --threads.
constexpr long long kMaxThreads = 256;
// Latest snapshot time accepted, in seconds (a day of video).
constexpr double kMaxSnapshotSeconds = 86400.0;

// The command's options, read into options, checkpoint, loadOptions and threads.
void addRenderOptions(CLI::App& app, RenderOptions& options, std::string& checkpoint,
                      LoadOptions& loadOptions, int& threads) {
  app.footer(kRenderNotes);
  app.add_option("input", options.inputPath, "The clip (any format FFmpeg reads)")->required();
  app.add_option("-o,--out", options.outputPath, "The mp4 to write");
  app.add_option("--png", options.snapshotPath, "A PNG of one frame (with --snapshot)");
  addNumber(app, "--snapshot", options.snapshotSeconds, 0.0, kMaxSnapshotSeconds,
            "Time of the PNG, in seconds");
  app.add_option("--checkpoint", checkpoint, "safetensors or .pth; 'untrained' = the demo model");
  app.add_option_function<std::string>(
         "--method",
         [&](const std::string& name) { loadOptions.method = methodNamed(name, "--method").name; },
         "The method of a bare .pth")
      ->type_name("NAME");
  app.add_flag("--momentum-branch", loadOptions.momentumBranch,
               "Take a SLAVC file's momentum copies");
  addChoice(app, "--colormap", options.overlay.colormap, colormapFromName, "colormap",
            "jet, viridis, inferno, gray", "Colour map");
  addNumber(app, "--opacity", options.overlay.opacity, 0.0, 1.0, "Overlay opacity, 0..1");
  addChoice(app, "--normalization", options.overlay.normalization, normalizationFromName,
            "normalization", "minmax, absolute, running", "Colour range");
  addNumber(app, "--threshold", options.overlay.threshold, 0.0, 1.0,
            "Hide scores below this, 0..1");
  addNumber(app, "--persistence-ms", options.overlay.persistenceMs, 0.0, kMaxPersistenceMs,
            "Temporal smoothing time constant");
  addChoice(app, "--placement", options.placement, placementFromName, "placement",
            "centred, causal", "Audio window placement, default the contract's");
  addCount(app, "--threads", threads, 1, kMaxThreads, "Torch threads");
}

}  // namespace

int runRenderCommand(int argc, char** argv) {
  RenderOptions options;
  std::string checkpoint;
  LoadOptions loadOptions;
  int threads = kDefaultThreads;
  CLI::App app(
      "Renders a clip with a model's heatmap over it (mp4 with the clip's audio) "
      "and/or a PNG at one time.",
      "heardmap render");
  addRenderOptions(app, options, checkpoint, loadOptions, threads);
  if (const std::optional<int> status = parseCommandLine(app, "heardmap render", argc, argv)) {
    return *status;
  }

  try {
    LocalizationModel::setThreadCount(threads);
    const std::unique_ptr<LocalizationModel> model = LocalizationModel::open(
        checkpoint == "untrained" ? std::string() : checkpoint, loadOptions);
    const CheckpointInfo& info = model->info();
    std::fprintf(stderr, "model: %s from %s\n", info.displayName().c_str(), info.source.c_str());
    if (!info.trained) {
      std::fprintf(stderr,
                   "model: UNTRAINED weights - the heatmap shows no learned localisation\n");
    }
    std::fprintf(stderr, "contract: %s\n", info.contract.summary().c_str());
    std::unique_ptr<ProgressBar> progressBar;
    const RenderSummary summary = renderOverlay(options, *model, [&](int64_t done, int64_t total) {
      if (!progressBar) {
        progressBar = std::make_unique<ProgressBar>("render", total);
      }
      progressBar->update(done);
    });
    if (progressBar) {
      progressBar->finish();
    }
    if (summary.audioPresent) {
      std::fprintf(stderr, "audio: %d Hz resampled to %d Hz for the model (contract)\n",
                   summary.audioSourceRateHz, info.contract.sampleRateHz);
    } else {
      std::fprintf(stderr, "audio: the file has no audio track; the model heard silence\n");
    }
    if (!summary.warning.empty()) {
      std::fprintf(stderr, "warning: %s\n", summary.warning.c_str());
    }
    std::fprintf(stderr, "rendered %lld frames in %.1f s (%.1f ms inference per frame)\n",
                 static_cast<long long>(summary.frames), summary.wallSeconds,
                 summary.meanInferenceMs);
    if (!options.outputPath.empty()) {
      std::fprintf(stderr, "wrote %s\n", options.outputPath.c_str());
    }
    if (!options.snapshotPath.empty()) {
      std::fprintf(stderr, "wrote %s\n", options.snapshotPath.c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\nheardmap render: %s\n", e.what());
    return 1;
  }
}

}  // namespace heardmap
