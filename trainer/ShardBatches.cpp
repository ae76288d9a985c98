// Torch translation unit: training batches read from shards.
#include "ShardBatchesTorch.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace heardmap {
namespace {

// Steps gathered ahead of the one training.
constexpr size_t kPrefetchSteps = 3;
// The official recipes' augmentation: resize to 1.1 x the side, random crop of the side (so a
// crop of 1 / 1.1 of the resized frame, scaled back up).
constexpr double kCropFraction = 1.0 / 1.1;
// int16 full scale (the shards were written as round(x * 32767)).
constexpr float kInt16Scale = 32767.0f;

}  // namespace

ShardBatches::ShardBatches(const ShardReader& reader, const EpochOrder& order,
                           const PreprocessingContract& contract, torch::Device device,
                           bool augment, int rank, int worldSize)
    : reader_(reader),
      order_(order),
      contract_(contract),
      frontEnd_(contract, device),
      augment_(augment),
      rank_(rank),
      worldSize_(worldSize),
      windowSamples_(contract.windowSamples()),
      pinned_(device.is_cuda()) {
  const ShardLayout& layout = reader.layout();
  if (layout.rateHz != contract.sampleRateHz) {
    throw std::runtime_error(reader.folder() + " holds audio at " + std::to_string(layout.rateHz) +
                             " Hz; the model's contract needs " + contract.summary() +
                             " (shards are never resampled here; `heardmap data shards` writes "
                             "16 kHz, the rate of every trainable method's contract)");
  }
  if (layout.audioSamples < windowSamples_) {
    throw std::runtime_error(reader.folder() + " holds " + std::to_string(layout.audioSamples) +
                             "-sample audio; the model's window is " +
                             std::to_string(windowSamples_) + " samples (" + contract.summary() +
                             "): make the shards with a longer --seconds");
  }
  crop_ =
      augment ? std::max<int64_t>(8, std::llround(layout.sizePx * kCropFraction)) : layout.sizePx;
  thread_ = std::thread([this] { prefetchLoop(); });
}

ShardBatches::~ShardBatches() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

ShardBatches::HostBatch ShardBatches::gather(int64_t step) const {
  const std::vector<int64_t> samples = order_.samplesFor(step, rank_, worldSize_);
  const auto b = static_cast<int64_t>(samples.size());
  const int64_t size = reader_.layout().sizePx;
  const int64_t epoch = order_.epochOf(step);
  HostBatch batch;
  batch.step = step;
  const auto host = torch::TensorOptions().pinned_memory(pinned_);
  batch.frames = torch::empty({b, size, size, 3}, host.dtype(torch::kUInt8));
  batch.audio = torch::empty({b, windowSamples_}, host.dtype(torch::kInt16));
  batch.left = torch::empty({b, 1}, torch::kFloat);
  batch.top = torch::empty({b, 1}, torch::kFloat);
  batch.flip = torch::empty({b, 1}, torch::kBool);
  const int64_t slack = reader_.layout().audioSamples - windowSamples_;
  auto left = batch.left.accessor<float, 2>();
  auto top = batch.top.accessor<float, 2>();
  auto flip = batch.flip.accessor<bool, 2>();
  for (int64_t i = 0; i < b; ++i) {
    const int64_t sample = samples[static_cast<size_t>(i)];
    uint64_t state = order_.augmentSeed(epoch, sample);
    std::memcpy(batch.frames.data_ptr<uint8_t>() + i * reader_.frameBytes(), reader_.frame(sample),
                static_cast<size_t>(reader_.frameBytes()));
    // The window at a random offset of the stored audio (its centre without augmentation).
    const int64_t offset =
        augment_ ? static_cast<int64_t>(unitDraw(state) * static_cast<double>(slack + 1))
                 : slack / 2;
    std::memcpy(batch.audio.data_ptr<int16_t>() + i * windowSamples_,
                reader_.audio(sample) + offset * 2, static_cast<size_t>(windowSamples_) * 2);
    const double room = static_cast<double>(size - crop_ + 1);
    left[i][0] = augment_ ? static_cast<float>(std::floor(unitDraw(state) * room)) : 0.0f;
    top[i][0] = augment_ ? static_cast<float>(std::floor(unitDraw(state) * room)) : 0.0f;
    flip[i][0] = augment_ && unitDraw(state) < 0.5;
  }
  return batch;
}

void ShardBatches::prefetchLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(
        lock, [&] { return stopping_ || (nextToGather_ >= 0 && ready_.size() < kPrefetchSteps); });
    if (stopping_) {
      return;
    }
    const int64_t step = nextToGather_;
    lock.unlock();
    HostBatch batch;
    std::exception_ptr error;
    try {
      batch = gather(step);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (step != nextToGather_) {
      continue;  // the consumer jumped elsewhere meanwhile
    }
    if (error) {
      error_ = error;
      nextToGather_ = -1;
    } else {
      ready_.push_back(std::move(batch));
      ++nextToGather_;
    }
    changed_.notify_all();
  }
}

std::pair<torch::Tensor, torch::Tensor> ShardBatches::forStep(int64_t step) {
  HostBatch batch;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!ready_.empty() && ready_.front().step != step) {
      ready_.pop_front();
    }
    if (ready_.empty() && nextToGather_ != step) {
      nextToGather_ = step;  // a jump (the first step, a resumed run, the final check)
      changed_.notify_all();
    }
    const auto waitStart = std::chrono::steady_clock::now();
    changed_.wait(lock, [&] { return error_ || (!ready_.empty() && ready_.front().step == step); });
    waitedSeconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - waitStart).count();
    if (error_) {
      std::rethrow_exception(std::exchange(error_, nullptr));
    }
    batch = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
  }
  torch::NoGradGuard noGrad;
  const torch::Device device = frontEnd_.device();
  const int64_t size = contract_.imageSize;
  torch::Tensor images =
      batch.frames.to(device, /*non_blocking=*/true).permute({0, 3, 1, 2}).to(torch::kFloat);
  if (augment_ || images.size(2) != size) {
    images = resizedCropFlip(images, batch.left, batch.top, batch.flip, crop_, size);
  }
  const torch::Tensor windows =
      batch.audio.to(device, /*non_blocking=*/true).to(torch::kFloat) / kInt16Scale;
  return {frontEnd_.normalised(images).contiguous(), frontEnd_.spectrograms(windows)};
}

}  // namespace heardmap
