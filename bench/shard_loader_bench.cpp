// heardmap-shard-bench: the shard loader's speed on this machine, in samples/s (median of several
// runs): gathering a step's samples from the memory-mapped shards on one thread (the loader
// alone), the batches ready on the training device (prefetch thread, crop / flip, spectrograms)
// and whole training steps (EZ-VSL, the loader feeding them). bench/loader-bench.sh sets these
// beside a PyTorch DataLoader over the same frames + wavs (bench/dataloader_bench.py).
// Usage: heardmap-shard-bench --shards DIR --pack PACK [--batch N] [--steps N] [--runs N]
//        [--threads N] [--augment crop-flip|none] [--variant compact|small|full]
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/CommandLine.h"
#include "core/ml/LocalizationModel.h"
#include "core/ml/TrainingConfig.h"
#include "trainer/ShardBatchesTorch.h"
#include "trainer/Trainer.h"

using namespace heardmap;

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string shards;
  std::string pack;
  std::string augment = "crop-flip";
  std::string variant = "compact";
  int batch = 32;
  int steps = 20;
  int runs = 3;
  int threads = 2;
  CLI::App app("Shard loader speed: the loader alone, batches on the device, training steps.",
               "heardmap-shard-bench");
  app.add_option("--shards", shards, "The shards folder (heardmap data shards)")->required();
  app.add_option("--pack", pack, "An asset pack (the trainer's test split)")->required();
  addCount(app, "--batch", batch, 2, 4096, "Batch");
  addCount(app, "--steps", steps, 1, 100000, "Steps per run");
  addCount(app, "--runs", runs, 1, 1000, "Runs (the median is reported)");
  addCount(app, "--threads", threads, 1, 256, "Torch threads");
  addName(app, "--augment", augment, {"crop-flip", "none"}, "Augmentation");
  addName(app, "--variant", variant, {"compact", "small", "full"}, "Model size");
  if (const std::optional<int> status = parseCommandLine(app, "heardmap-shard-bench", argc, argv)) {
    return *status;
  }
  LocalizationModel::setThreadCount(threads);
  const ShardReader reader(shards);
  const EpochOrder order(reader.sampleCount(), batch, 12345);
  const PreprocessingContract contract = PreprocessingContract::ezvsl();
  const torch::Device device = torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  // The training runs' checkpoints (and Adam moments) go here and are removed.
  const std::filesystem::path scratch = std::filesystem::temp_directory_path() /
                                        ("heardmap-shard-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(scratch);
  std::vector<double> gathered;
  std::vector<double> ready;
  std::vector<double> trained;
  for (int run = 0; run < runs; ++run) {
    {
      ShardBatches batches(reader, order, contract, device, augment == "crop-flip", 0, 1);
      auto start = Clock::now();
      for (int s = 0; s < steps; ++s) {
        batches.gather(run * steps + s);
      }
      gathered.push_back(batch * steps / secondsSince(start));
      start = Clock::now();
      for (int s = 0; s < steps; ++s) {
        const auto inputs = batches.forStep(run * steps + s);
        inputs.second.sum().item<float>();  // on the device and finished
      }
      ready.push_back(batch * steps / secondsSince(start));
    }
    const TrainingConfig config =
        TrainingConfig::fromArguments({"--pack",
                                       pack,
                                       "--shards",
                                       shards,
                                       "--out",
                                       (scratch / "bench.safetensors").string(),
                                       "--steps",
                                       std::to_string(steps),
                                       "--batch",
                                       std::to_string(batch),
                                       "--threads",
                                       std::to_string(threads),
                                       "--variant",
                                       variant,
                                       "--augment",
                                       augment,
                                       "--eval-per-condition",
                                       "0",
                                       "--checkpoint-every",
                                       std::to_string(steps + 1),
                                       "--seed",
                                       std::to_string(run + 1)});
    try {
      trained.push_back(train(config, [](const std::string&) {}).samplesPerSecond);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "heardmap-shard-bench: %s\n", e.what());
      std::filesystem::remove_all(scratch);
      return 1;
    }
  }
  std::filesystem::remove_all(scratch);
  std::printf("shards: %s (%lld samples, %d px, %s)\n", shards.c_str(),
              static_cast<long long>(reader.sampleCount()), reader.layout().sizePx,
              device.is_cuda() ? "cuda" : ("cpu, " + std::to_string(threads) + " threads").c_str());
  std::printf("| stage (batch %d, %d steps, median of %d runs) | samples/s |\n", batch, steps,
              runs);
  std::printf("|---|---:|\n");
  std::printf("| loader alone: gather from the mapped shards, 1 thread | %.0f |\n",
              median(gathered));
  std::printf("| batches ready on the device (prefetch, %s, spectrograms) | %.0f |\n",
              augment.c_str(), median(ready));
  std::printf("| training steps, ezvsl %s, fed by the loader | %.1f |\n", variant.c_str(),
              median(trained));
  return 0;
}
