// heardmap-train-bench: training throughput of every method (samples/s, median of several short
// runs, scene synthesis included) on this machine's device; builds with the trainer alone (no Qt,
// FFmpeg or PortAudio), so it runs on the GPU machine too. --model-only times the model step alone
// (forward, loss, backward, Adam) on random device-resident inputs, the figure to set beside a
// PyTorch loop of the same model (bench/pytorch_train_loop.py). --scenes times the training
// inputs alone (pictures + spectrograms ready on the device): the CPU synthesizer on 1 and on
// --data-threads threads against the device renderer.
// Usage: heardmap-train-bench (--pack PACK [--scenes] | --model-only) [--batch N] [--steps N]
//        [--runs N] [--threads N] [--data-threads N] [--precision bf16|fp32]
//        [--variant compact|small|full] [--synthesis auto|device|cpu] [--channels-last]
//        [--image-padding zeros|circular]
//        [--methods "..."]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <torch/torch.h>

#include <chrono>

#include "core/CommandLine.h"
#include "core/data/AssetPack.h"
#include "core/data/SceneSynthesizer.h"
#include "core/ml/EzvslNet.h"
#include "trainer/CudaAutocastTorch.h"
#include "trainer/ForeachAdamTorch.h"
#include "trainer/OptimizerState.h"
#include "trainer/Trainer.h"
#include "trainer/TrainingBatchesTorch.h"
#include "trainer/TrainingMethodTorch.h"

using namespace heardmap;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Model step throughput on random inputs: warm-up steps, then steps timed (device synchronised).
double modelOnlyRate(const TrainingConfig& config, int64_t warmup) {
  const bool cuda = torch::cuda::is_available();
  const torch::Device device = cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  LocalizationModel::setThreadCount(config.threads);
  if (cuda) {
    at::globalContext().setBenchmarkCuDNN(true);  // as the trainer
  }
  const std::unique_ptr<TrainingMethod> method = makeTrainingMethod(config);
  auto model = createModelFromScratch(config, *method);
  const PreprocessingContract contract = model->contract();
  const ModelConfig& modelConfig = model->info().config;
  EzvslNet& net = networkOf(*model);
  net->imageDropout = method->imageDropout();
  net->to(device);
  if (config.channelsLast) {
    setConvolutionLayout(*net, torch::MemoryFormat::ChannelsLast);
  }
  net->train();
  ForeachAdam optimizer(net->parameters(), torch::optim::AdamOptions(config.learningRate));
  const int64_t batch = config.batchSize;
  const auto layout =
      config.channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  const torch::Tensor images =
      torch::randn({batch, 3, contract.imageSize, contract.imageSize}, device).contiguous(layout);
  const torch::Tensor spectrograms =
      torch::randn({batch + method->extraNegativeAudio(config.batchSize), 1,
                    contract.frequencyBins(), contract.timeFrames()},
                   device)
          .contiguous(layout);
  const bool mixed = cuda && config.precision == "bf16";
  const auto step = [&](int64_t k) {
    torch::Tensor loss;
    {
      const CudaAutocast autocast(mixed);
      loss = method->networkLoss(net, images, spectrograms, modelConfig.temperature, k)
                 .to(torch::kFloat);
    }
    optimizer.clearGradients();
    loss.backward();
    optimizer.step();
  };
  for (int64_t k = 0; k < warmup; ++k) {
    step(k);
  }
  if (cuda) {
    torch::cuda::synchronize();
  }
  const auto start = std::chrono::steady_clock::now();
  for (int64_t k = 0; k < config.steps; ++k) {
    step(warmup + k);
  }
  if (cuda) {
    torch::cuda::synchronize();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(config.steps * batch) / seconds;
}

// Training inputs per second for one step's batch: warm-up steps, then steps timed (device
// synchronised), the CPU synthesizer on config.dataThreads or the device renderer.
double sceneRate(const TrainingConfig& config, const AssetPack& pack, bool onDevice,
                 int64_t warmup) {
  const bool cuda = torch::cuda::is_available();
  const torch::Device device = cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  LocalizationModel::setThreadCount(config.threads);
  const std::unique_ptr<TrainingMethod> method = makeTrainingMethod(config);
  ModelConfig modelConfig = ModelConfig::named(config.variant);
  const PreprocessingContract contract = method->contract(modelConfig.defaultImageSize());
  SynthesisOptions options;
  options.imageSize = contract.imageSize;
  options.split = Split::Train;
  const SceneSynthesizer scenes(pack, options);
  const TrainingBatches batches(config, scenes, nullptr, 0, contract, device, onDevice);
  const auto sync = [&] {
    if (cuda) {
      torch::cuda::synchronize();
    }
  };
  for (int64_t k = 0; k < warmup; ++k) {
    batches.forStep(k);
  }
  sync();
  const auto start = std::chrono::steady_clock::now();
  for (int64_t k = 0; k < config.steps; ++k) {
    const auto inputs = batches.forStep(warmup + k);
    (void)inputs;
  }
  sync();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(config.steps * config.batchSize) / seconds;
}

}  // namespace

// Longer than 80 lines: the table's rows in the order they print, each measured where it is.
int main(int argc, char** argv) {
  std::string pack;
  std::string batch = "32";
  std::string steps = "20";
  int runs = 3;
  std::string threads = "2";
  std::string dataThreads = "1";
  std::string precision = "bf16";
  std::string methods = "ezvsl lvs marginnce fnac sslsan sspl";
  std::string variant = "compact";
  std::string synthesis = "auto";
  std::string imagePadding = "zeros";
  bool modelOnly = false;
  bool scenesOnly = false;
  bool channelsLast = false;
  // Values go to heardmap-train's own flags, which check them (and name the flag).
  CLI::App app("Training speed: scene rendering and the model step of each method.",
               "heardmap-train-bench");
  app.add_option("--pack", pack, "The asset pack (all but --model-only)");
  app.add_flag("--scenes", scenesOnly, "Scene rendering only");
  app.add_flag("--model-only", modelOnly, "The model step only (no pack)");
  app.add_flag("--channels-last", channelsLast, "channels-last memory layout");
  app.add_option("--batch", batch, "Scenes per step");
  app.add_option("--steps", steps, "Steps per run");
  heardmap::addCount(app, "--runs", runs, 1, 1000, "Runs (the median is reported)");
  app.add_option("--threads", threads, "Torch threads");
  app.add_option("--data-threads", dataThreads, "Scene threads");
  app.add_option("--precision", precision, "bf16 or fp32");
  app.add_option("--methods", methods, "Methods, space-separated");
  app.add_option("--variant", variant, "compact, small or full");
  app.add_option("--synthesis", synthesis, "auto, device or cpu");
  app.add_option("--image-padding", imagePadding, "zeros or circular");
  if (const std::optional<int> status =
          heardmap::parseCommandLine(app, "heardmap-train-bench", argc, argv)) {
    return *status;
  }
  if (pack.empty() && !modelOnly) {
    std::fprintf(stderr, "heardmap-train-bench: --pack PACK, or --model-only\n");
    return 2;
  }
  const std::string out =
      (std::filesystem::temp_directory_path() / "heardmap-train-bench.safetensors").string();
  const bool cuda = torch::cuda::is_available();
  const auto configWith = [&](const std::string& method, const std::string& threadsForData,
                              const std::string& synthesisMode) {
    // The pack is only read by full runs; model-only runs give the flag a placeholder.
    std::vector<std::string> arguments = {"--pack",
                                          pack.empty() ? std::string("-") : pack,
                                          "--method",
                                          method,
                                          "--variant",
                                          variant,
                                          "--steps",
                                          steps,
                                          "--batch",
                                          batch,
                                          "--threads",
                                          threads,
                                          "--data-threads",
                                          threadsForData,
                                          "--precision",
                                          precision,
                                          "--synthesis",
                                          synthesisMode,
                                          "--eval-per-condition",
                                          "1",
                                          "--checkpoint-every",
                                          "1000000",
                                          "--warmup-steps",
                                          "0",
                                          "--image-padding",
                                          imagePadding,
                                          "--out",
                                          out};
    if (channelsLast) {
      arguments.push_back("--channels-last");
    }
    return TrainingConfig::fromArguments(arguments);
  };
  if (scenesOnly) {
    const AssetPack assets = AssetPack::load(pack);
    std::printf(
        "| scenes rendered by | threads | device | batch | scenes/s (median of %d runs of %s "
        "steps) |\n|---|---:|---|---:|---:|\n",
        runs, steps.c_str());
    std::fflush(stdout);
    struct Row {
      std::string renderer;
      std::string dataThreads;
      bool onDevice;
    };
    std::vector<Row> rows = {{"CPU synthesizer", "1", false}};
    if (dataThreads != "1") {
      rows.push_back({"CPU synthesizer", dataThreads, false});
    }
    rows.push_back({"device renderer", "-", true});
    for (const Row& row : rows) {
      const TrainingConfig config = configWith("ezvsl", row.onDevice ? "1" : row.dataThreads,
                                               row.onDevice ? "device" : "cpu");
      std::vector<double> rates;
      for (int r = 0; r < runs; ++r) {
        rates.push_back(sceneRate(config, assets, row.onDevice, /*warmup=*/2));
      }
      std::printf("| %s | %s | %s | %s | %.0f |\n", row.renderer.c_str(),
                  row.onDevice ? threads.c_str() : row.dataThreads.c_str(), cuda ? "cuda" : "cpu",
                  batch.c_str(), median(rates));
      std::fflush(stdout);
    }
    return 0;
  }
  const std::string device =
      cuda ? "cuda, " + (precision == "bf16" ? std::string("bf16 autocast") : std::string("fp32"))
           : "cpu (" + threads + " threads), fp32";
  const std::string layout = std::string(channelsLast ? ", channels-last" : "") +
                             (imagePadding == "circular" ? ", circular padding" : "");
  std::printf(
      "| method | variant | device | batch | %s samples/s (median of %d runs of %s "
      "steps) |\n",
      modelOnly ? "model-step" : "training", runs, steps.c_str());
  std::printf("|---|---|---|---:|---:|\n");
  std::fflush(stdout);
  std::istringstream list(methods);
  std::string method;
  while (list >> method) {
    std::vector<double> rates;
    for (int r = 0; r < runs; ++r) {
      const TrainingConfig config = configWith(method, dataThreads, synthesis);
      if (modelOnly) {
        rates.push_back(modelOnlyRate(config, /*warmup=*/3));
      } else {
        rates.push_back(train(config, [](const std::string&) {}).samplesPerSecond);
      }
    }
    std::printf("| %s | %s | %s%s | %s | %.1f |\n", method.c_str(), variant.c_str(), device.c_str(),
                layout.c_str(), batch.c_str(), median(rates));
    std::fflush(stdout);
  }
  removeOtherMoments(out, Json(Json::Object{}));  // every moments file of out
  std::filesystem::remove(out);
  return 0;
}
