#include "RenderCommand.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "ProgressBar.h"
#include "RenderJob.h"
#include "core/FlagValue.h"
#include "core/Methods.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Torch intra-op threads for headless rendering (the 2-core target machine).
constexpr int kDefaultThreads = 2;

void printUsage() {
  std::fprintf(
      stderr,
      "usage: heardmap render IN [--out OUT.mp4] [--png OUT.png --snapshot SECONDS]\n"
      "                          [--checkpoint FILE] [--colormap jet|viridis|inferno|gray]\n"
      "                          [--opacity 0..1] [--normalization minmax|absolute|running]\n"
      "                          [--threshold 0..1] [--persistence-ms MS] [--threads N]\n"
      "                          [--placement centred|causal] [--method NAME] [--momentum-branch]\n"
      "Without --checkpoint (or with --checkpoint untrained) an untrained compact model is used,\n"
      "and the output says so. --method names the method of a bare .pth of EZ-VSL-family names\n"
      "(default ezvsl); --momentum-branch takes a SLAVC file's momentum copies.\n");
}

// Longest persistence time constant accepted (a minute of smoothing).
constexpr double kMaxPersistenceMs = 60000.0;
// Most torch threads accepted for --threads.
constexpr long long kMaxThreads = 256;
// Latest snapshot time accepted, in seconds (a day of video).
constexpr double kMaxSnapshotSeconds = 86400.0;

}  // namespace

int runRenderCommand(int argc, char** argv) {
  RenderOptions options;
  std::string checkpoint;
  LoadOptions loadOptions;
  int threads = kDefaultThreads;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      const auto value = [&]() -> const char* {
        if (i + 1 >= argc) {
          throw std::invalid_argument(arg + " needs a value");
        }
        return argv[++i];
      };
      if (arg == "--out" || arg == "-o") {
        options.outputPath = value();
      } else if (arg == "--png") {
        options.snapshotPath = value();
      } else if (arg == "--snapshot") {
        options.snapshotSeconds = numberInRange(arg, value(), 0.0, kMaxSnapshotSeconds);
      } else if (arg == "--checkpoint") {
        checkpoint = value();
      } else if (arg == "--method") {
        loadOptions.method = methodNamed(value(), arg).name;
      } else if (arg == "--momentum-branch") {
        loadOptions.momentumBranch = true;
      } else if (arg == "--colormap") {
        options.overlay.colormap = colormapFromName(value());
        if (options.overlay.colormap == ColormapId::Invalid) {
          throw std::invalid_argument(std::string("--colormap: unknown colormap '") + argv[i] +
                                      "' (jet, viridis, inferno, gray)");
        }
      } else if (arg == "--opacity") {
        options.overlay.opacity = static_cast<float>(numberInRange(arg, value(), 0.0, 1.0));
      } else if (arg == "--normalization") {
        options.overlay.normalization = normalizationFromName(value());
        if (options.overlay.normalization == NormalizationMode::Invalid) {
          throw std::invalid_argument("unknown normalization (minmax, absolute, running)");
        }
      } else if (arg == "--threshold") {
        options.overlay.threshold = static_cast<float>(numberInRange(arg, value(), 0.0, 1.0));
      } else if (arg == "--persistence-ms") {
        options.overlay.persistenceMs = numberInRange(arg, value(), 0.0, kMaxPersistenceMs);
      } else if (arg == "--placement") {
        options.placement = placementFromName(value());
        if (options.placement == WindowPlacement::Invalid) {
          throw std::invalid_argument("unknown placement (centred, causal)");
        }
      } else if (arg == "--threads") {
        threads = static_cast<int>(integerInRange(arg, value(), 1, kMaxThreads));
      } else if (arg == "--help" || arg == "-h") {
        printUsage();
        return 0;
      } else if (!arg.empty() && arg[0] == '-') {
        throw std::invalid_argument("unknown option " + arg);
      } else if (options.inputPath.empty()) {
        options.inputPath = arg;
      } else {
        throw std::invalid_argument("more than one input file");
      }
    }
    if (options.inputPath.empty()) {
      throw std::invalid_argument("no input file");
    }
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "heardmap render: %s\n", e.what());
    printUsage();
    return 2;
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
