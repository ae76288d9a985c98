// Torch translation unit: the inputs of each training step.
#include "TrainingBatchesTorch.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "DeviceSceneBatcherTorch.h"
#include "core/ml/EzvslNet.h"

namespace heardmap {
namespace {

// Runs task(0..count-1) on up to `threads` threads (the calling one included).
void parallelFor(int count, int threads, const std::function<void(int)>& task) {
  const int workers = std::clamp(threads, 1, std::max(1, count));
  if (workers == 1) {
    for (int i = 0; i < count; ++i) {
      task(i);
    }
    return;
  }
  std::atomic<int> next{0};
  const auto loop = [&] {
    for (int i = next++; i < count; i = next++) {
      task(i);
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) {
    pool.emplace_back(loop);
  }
  loop();
  for (std::thread& t : pool) {
    t.join();
  }
}

// SSL-SaN's extra audio alternates silence and noise.
SceneCondition negativeCondition(int k) {
  return k % 2 == 0 ? SceneCondition::Silence : SceneCondition::Noise;
}

}  // namespace

TrainingBatches::TrainingBatches(const TrainingConfig& config, const SceneSynthesizer& scenes,
                                 const ClipPack* clips, int extraNegatives,
                                 const PreprocessingContract& contract, torch::Device device,
                                 bool renderOnDevice, int rank, int worldSize)
    : config_(config),
      scenes_(scenes),
      clips_(clips),
      extraNegatives_(extraNegatives),
      contract_(contract),
      device_(device),
      localBatch_(config.batchSize / worldSize),
      firstIndex_(rank * (config.batchSize / worldSize)),
      negativeBase_(rank * extraNegatives) {
  if (!config.shardsPath.empty()) {
    shardReader_ = std::make_unique<ShardReader>(config.shardsPath);
    epochOrder_ =
        std::make_unique<EpochOrder>(shardReader_->sampleCount(), config.batchSize, config.seed);
    shardBatches_ = std::make_unique<ShardBatches>(*shardReader_, *epochOrder_, contract, device,
                                                   config.augment == "crop-flip", rank, worldSize);
  } else if (renderOnDevice && clips == nullptr) {
    deviceScenes_ =
        std::make_unique<DeviceSceneBatcher>(scenes, contract, device.is_cuda() ? "cuda" : "cpu");
  }
}

TrainingBatches::~TrainingBatches() = default;

double TrainingBatches::loaderWaitSeconds() const {
  return shardBatches_ ? shardBatches_->waitedSeconds() : 0.0;
}

void setConvolutionLayout(torch::nn::Module& module, torch::MemoryFormat layout) {
  torch::NoGradGuard noGrad;
  for (torch::Tensor& p : module.parameters()) {
    if (p.dim() == 4) {
      p.set_data(p.data().contiguous(layout));
    }
  }
}

uint64_t TrainingBatches::seedOf(uint64_t runSeed, int64_t step, int index) {
  uint64_t x = runSeed * 0x9E3779B97F4A7C15ull +
               static_cast<uint64_t>(step) * 0xBF58476D1CE4E5B9ull + static_cast<uint64_t>(index);
  x ^= x >> 31;
  return x;
}

std::pair<torch::Tensor, torch::Tensor> TrainingBatches::forStep(int64_t step) const {
  auto [images, spectrograms] = inputsFor(step);
  if (config_.channelsLast) {
    images = images.contiguous(torch::MemoryFormat::ChannelsLast);
    spectrograms = spectrograms.contiguous(torch::MemoryFormat::ChannelsLast);
  }
  return {images, spectrograms};
}

std::pair<torch::Tensor, torch::Tensor> TrainingBatches::inputsFor(int64_t step) const {
  const uint64_t seed = config_.seed;
  const int batch = localBatch_;
  const int first = firstIndex_;
  if (deviceScenes_) {
    std::vector<ScenePlan> plans;
    for (int i = 0; i < batch; ++i) {
      plans.push_back(scenes_.plan(seedOf(seed, step, first + i), SceneCondition::Positive));
    }
    const DeviceSceneBatcher::Impl& device = deviceScenes_->impl();
    const torch::Tensor images = device.normalisedImages(plans);
    for (int k = negativeBase_; k < negativeBase_ + extraNegatives_; ++k) {
      plans.push_back(scenes_.plan(seedOf(seed + 1, step, k), negativeCondition(k)));
    }
    return {images, device.frontEnd.spectrograms(device.audio(plans, seedOf(seed + 2, step, 0)))};
  }
  std::vector<Scene> negatives;
  std::vector<const std::vector<float>*> negativeWindows;
  for (int k = negativeBase_; k < negativeBase_ + extraNegatives_; ++k) {
    negatives.push_back(scenes_.make(seedOf(seed + 1, step, k), negativeCondition(k)));
  }
  for (const Scene& s : negatives) {
    negativeWindows.push_back(&s.audio);
  }
  if (shardBatches_) {
    auto [images, spectrograms] = shardBatches_->forStep(step);
    if (!negativeWindows.empty()) {
      spectrograms =
          torch::cat({spectrograms, spectrogramTensor(negativeWindows, contract_).to(device_)});
    }
    return {images, spectrograms};
  }
  std::vector<Scene> positives;
  std::vector<const RgbImage*> frames;
  std::vector<const std::vector<float>*> windows;
  if (clips_ != nullptr) {
    for (int i = 0; i < batch; ++i) {
      const ClipSample& pair =
          clips_->samples[seedOf(seed, step, first + i) % clips_->samples.size()];
      frames.push_back(&pair.frame);
      windows.push_back(&pair.audio);
    }
  } else {
    // Scenes are independent (seeded by step and index): synthesise them on dataThreads.
    positives.resize(static_cast<size_t>(batch));
    parallelFor(batch, config_.dataThreads, [&](int i) {
      positives[static_cast<size_t>(i)] =
          scenes_.make(seedOf(seed, step, first + i), SceneCondition::Positive);
    });
    for (const Scene& s : positives) {
      frames.push_back(&s.image);
      windows.push_back(&s.audio);
    }
  }
  windows.insert(windows.end(), negativeWindows.begin(), negativeWindows.end());
  return {imageTensor(frames, contract_).to(device_),
          spectrogramTensor(windows, contract_).to(device_)};
}

}  // namespace heardmap
