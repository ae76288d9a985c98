// heardmap-train-bench: training throughput of every method (samples/s, median of several short
// runs, scene synthesis included) on this machine's device; builds with the trainer alone (no Qt,
// FFmpeg or PortAudio), so it runs on the GPU machine too.
// Usage: heardmap-train-bench --pack PACK [--batch N] [--steps N] [--runs N] [--threads N]
//                             [--data-threads N] [--precision bf16|fp32] [--methods "..."]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "trainer/Trainer.h"

using namespace heardmap;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  std::string pack;
  std::string batch = "32";
  std::string steps = "20";
  int runs = 3;
  std::string threads = "2";
  std::string dataThreads = "1";
  std::string precision = "bf16";
  std::string methods = "ezvsl lvs marginnce fnac sslsan";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--pack") {
      pack = value;
    } else if (arg == "--batch") {
      batch = value;
    } else if (arg == "--steps") {
      steps = value;
    } else if (arg == "--runs") {
      runs = std::max(1, std::stoi(value));
    } else if (arg == "--threads") {
      threads = value;
    } else if (arg == "--data-threads") {
      dataThreads = value;
    } else if (arg == "--precision") {
      precision = value;
    } else if (arg == "--methods") {
      methods = value;
    } else {
      std::fprintf(stderr, "unknown option %s\n", arg.c_str());
      return 2;
    }
  }
  if (pack.empty()) {
    std::fprintf(stderr,
                 "usage: heardmap-train-bench --pack PACK [--batch N] [--steps N] [--runs N]\n"
                 "                            [--threads N] [--precision bf16|fp32] "
                 "[--methods \"...\"]\n");
    return 2;
  }
  const std::string out =
      (std::filesystem::temp_directory_path() / "heardmap-train-bench.safetensors").string();
  std::printf("| method | device | batch | samples/s (median of %d runs of %s steps) |\n", runs,
              steps.c_str());
  std::printf("|---|---|---:|---:|\n");
  std::istringstream list(methods);
  std::string method;
  while (list >> method) {
    std::vector<double> rates;
    std::string device;
    for (int r = 0; r < runs; ++r) {
      const std::vector<std::string> arguments = {"--pack",
                                                  pack,
                                                  "--method",
                                                  method,
                                                  "--steps",
                                                  steps,
                                                  "--batch",
                                                  batch,
                                                  "--threads",
                                                  threads,
                                                  "--data-threads",
                                                  dataThreads,
                                                  "--precision",
                                                  precision,
                                                  "--eval-per-condition",
                                                  "1",
                                                  "--checkpoint-every",
                                                  "1000000",
                                                  "--warmup-steps",
                                                  "0",
                                                  "--out",
                                                  out};
      const TrainingConfig config = TrainingConfig::fromArguments(arguments);
      const TrainingSummary summary = train(config, [](const std::string&) {});
      rates.push_back(summary.samplesPerSecond);
      device = summary.device;
    }
    std::printf("| %s | %s | %s | %.1f |\n", method.c_str(), device.c_str(), batch.c_str(),
                median(rates));
    std::fflush(stdout);
  }
  std::filesystem::remove(out);
  std::filesystem::remove(out + ".optimizer.pt");
  return 0;
}
