// heardmap-train: trains a localisation method (CUDA when available), alone or as one process of
// a torchrun-style group.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "ShipCheckpoint.h"
#include "Trainer.h"
#include "core/CommandLine.h"

namespace {

// Most test scenes per condition `ship` may re-evaluate (as heardmap-train's own limit).
constexpr long long kMaxShipEvalPerCondition = 100000;

// Set by SIGTERM / SIGINT: the run stops after its current step and saves a checkpoint.
std::atomic<bool> stopRequested{false};

void requestStop(int) {
  stopRequested = true;
}

// heardmap-train ship CHECKPOINT --out FILE [--pack PACK --eval-per-condition N]
int shipCommand(int argc, char** argv) {
  std::string checkpoint;
  std::string output;
  heardmap::ShipOptions options;
  CLI::App app(
      "Rewrites a trained checkpoint in the shipped form (fp16, without training-only heads), "
      "its metadata kept; with --eval-per-condition its test table is replaced by one of the "
      "fp16 weights on N scenes per condition.",
      "heardmap-train ship");
  app.add_option("checkpoint", checkpoint, "The trained checkpoint")->required();
  app.add_option("--out", output, "The shipped checkpoint")->required();
  app.add_option("--pack", options.packPath, "The asset pack of the test scenes");
  heardmap::addCount(app, "--eval-per-condition", options.evalPerCondition, 0,
                     kMaxShipEvalPerCondition, "Test scenes per condition (0: keep the table)");
  if (const std::optional<int> status =
          heardmap::parseCommandLine(app, "heardmap-train ship", argc, argv)) {
    return *status;
  }
  try {
    const uintmax_t bytes = heardmap::shipCheckpoint(checkpoint, output, options);
    std::fprintf(stderr, "wrote %s (%.2f MB, fp16, without training-only heads%s)\n",
                 output.c_str(), static_cast<double>(bytes) / 1e6,
                 options.evalPerCondition > 0 ? ", test table re-evaluated" : "");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heardmap-train: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGTERM, requestStop);
  std::signal(SIGINT, requestStop);
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (!arguments.empty() && (arguments[0] == "--help" || arguments[0] == "-h")) {
    std::fputs(heardmap::TrainingConfig::usage().c_str(), stdout);
    return 0;
  }
  if (!arguments.empty() && arguments[0] == "ship") {
    return shipCommand(argc - 1, argv + 1);
  }
  heardmap::TrainingConfig config;
  try {
    config = heardmap::TrainingConfig::fromArguments(arguments);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "heardmap-train: %s\n%s", e.what(),
                 heardmap::TrainingConfig::usage().c_str());
    return 2;
  }
  try {
    const heardmap::TrainingSummary summary = heardmap::train(
        config,
        [](const std::string& line) {
          std::printf("%s\n", line.c_str());
          std::fflush(stdout);
        },
        &stopRequested);
    std::fprintf(stderr, "trained %lld steps on %s in %.0f s (%.1f samples/s); ",
                 static_cast<long long>(summary.stepsDone), summary.device.c_str(),
                 summary.wallSeconds, summary.samplesPerSecond);
    if (summary.loaderWaitSeconds >= 0) {
      std::fprintf(stderr, "the steps waited %.1f s for the shard loader; ",
                   summary.loaderWaitSeconds);
    }
    if (summary.rank != 0) {
      std::fprintf(stderr, "rank %d done (rank 0 writes %s)\n", summary.rank,
                   config.outputPath.c_str());
    } else if (summary.savedStep >= 0) {
      std::fprintf(stderr, "wrote %s (step %lld)\n", config.outputPath.c_str(),
                   static_cast<long long>(summary.savedStep));
    } else {
      std::fprintf(stderr, "nothing written (%s unchanged)\n", config.outputPath.c_str());
    }
    return summary.stoppedOnNonFinite ? 3 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heardmap-train: %s\n", e.what());
    return 1;
  }
}
