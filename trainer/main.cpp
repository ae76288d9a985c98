// heardmap-train: trains a localisation method on synthetic scenes (CUDA when available).
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
#include "core/FlagValue.h"

namespace {

// Most test scenes per condition `ship` may re-evaluate (as heardmap-train's own limit).
constexpr long long kMaxShipEvalPerCondition = 100000;

// Set by SIGTERM / SIGINT: the run stops after its current step and saves a checkpoint.
std::atomic<bool> stopRequested{false};

void requestStop(int) {
  stopRequested = true;
}

// heardmap-train ship CHECKPOINT --out FILE [--pack PACK --eval-per-condition N]
int shipCommand(const std::vector<std::string>& arguments) {
  const char* usage =
      "heardmap-train: usage: heardmap-train ship CHECKPOINT --out FILE "
      "[--pack PACK --eval-per-condition N]\n";
  std::string output;
  heardmap::ShipOptions options;
  bool valid = arguments.size() >= 4 && arguments.size() % 2 == 0;
  for (size_t i = 2; valid && i + 1 < arguments.size(); i += 2) {
    const std::string& value = arguments[i + 1];
    if (arguments[i] == "--out") {
      output = value;
    } else if (arguments[i] == "--pack") {
      options.packPath = value;
    } else if (arguments[i] == "--eval-per-condition") {
      try {
        options.evalPerCondition = static_cast<int>(
            heardmap::integerInRange(arguments[i], value, 0, kMaxShipEvalPerCondition));
      } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "heardmap-train ship: %s\n", e.what());
        return 2;
      }
    } else {
      valid = false;
    }
  }
  if (!valid || output.empty()) {
    std::fputs(usage, stderr);
    return 2;
  }
  try {
    const uintmax_t bytes = heardmap::shipCheckpoint(arguments[1], output, options);
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
    return shipCommand(arguments);
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
    if (summary.savedStep >= 0) {
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
