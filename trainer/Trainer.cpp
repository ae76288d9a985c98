// Torch translation unit: the training loop.
#include "Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "CudaAutocastTorch.h"
#include "DataParallelTorch.h"
#include "EzvslObjectiveTorch.h"
#include "ForeachAdamTorch.h"
#include "OptimizerState.h"
#include "TestSplitMetrics.h"
#include "TrainingBatchesTorch.h"
#include "TrainingMethodTorch.h"
#include "core/AtomicFile.h"
#include "core/RoughDuration.h"

#include "core/data/ClipPack.h"
#include "core/data/SceneSynthesizer.h"
#include "core/eval/BenchmarkAccumulator.h"
#include "core/eval/TrainerProgress.h"
#include "core/ml/DistributedEnvironment.h"
#include "core/ml/EzvslNet.h"

namespace heardmap {
namespace {

using Clock = std::chrono::steady_clock;

// Lines of text progress: one every this many steps.
constexpr int64_t kProgressEvery = 10;
// Steps between checks that every weight is finite (also checked before every save): each check
// is a device synchronisation and two kernels per tensor, too dear for every GPU step; a blown-up
// weight shows in the next loss anyway, which is checked every step.
constexpr int64_t kWeightCheckEvery = 25;

// Seconds the run has left: its remaining steps at this run's mean pace so far (periodic
// evaluations included), or what is left of --max-minutes when that ends it sooner.
double remainingSeconds(const TrainingConfig& config, double elapsedSeconds, int64_t stepsDone,
                        int64_t stepsLeft) {
  double seconds = elapsedSeconds / static_cast<double>(std::max<int64_t>(stepsDone, 1)) *
                   static_cast<double>(stepsLeft);
  if (config.maxMinutes > 0) {
    seconds = std::min(seconds, std::max(0.0, 60.0 * config.maxMinutes - elapsedSeconds));
  }
  return seconds;
}

// True when every parameter is finite (one device synchronisation).
bool parametersFinite(EzvslNet& net) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> flags;
  for (const torch::Tensor& p : net->parameters()) {
    flags.push_back(torch::isfinite(p).all());
  }
  return torch::stack(flags).all().item<bool>();
}

// Freezes the visual and audio trunks (imgnet, audnet: no gradients, and batch norm in eval mode
// so that its running statistics stay as they are), or lets them train again.
void setTrunksFrozen(EzvslNet& net, bool frozen) {
  for (torch::nn::Module* trunk : {static_cast<torch::nn::Module*>(net->imgnet.get()),
                                   static_cast<torch::nn::Module*>(net->audnet.get())}) {
    for (torch::Tensor& p : trunk->parameters()) {
      p.requires_grad_(!frozen);
      if (frozen) {
        p.mutable_grad() = torch::Tensor();  // Adam skips a parameter without a gradient
      }
    }
    trunk->train(!frozen);
  }
}

// The test-split table of the model, on the CPU in the standard layout; the network goes back to
// the device (and to channels-last) afterwards.
BenchmarkResult evaluate(LocalizationModel& model, const SceneSynthesizer& test, int perCondition,
                         torch::Device device, bool channelsLast) {
  EzvslNet& net = networkOf(model);
  net->eval();
  net->to(torch::kCPU);
  setConvolutionLayout(*net, torch::MemoryFormat::Contiguous);
  const BenchmarkResult result = evaluateTestSplit(model, test, perCondition);
  net->to(device);
  if (channelsLast) {
    setConvolutionLayout(*net, torch::MemoryFormat::ChannelsLast);
  }
  net->train();
  return result;
}

// One training run, in the order it happens: the constructor sets it up (device, objective, model
// from --resume, --init or scratch, scenes, batches, optimizer and its saved moments); run() is
// the loop; finish() the end (the budget's evaluation, the last check and save).
class TrainingRun {
 public:
  TrainingRun(const TrainingConfig& config, const ProgressSink& progress)
      : config_(config), progress_(progress), env_(DistributedEnvironment::fromEnvironment()) {
    if (config_.batchSize % env_.worldSize != 0) {
      throw std::runtime_error("--batch " + std::to_string(config_.batchSize) +
                               " is the global batch: it must divide by WORLD_SIZE " +
                               std::to_string(env_.worldSize));
    }
    chooseDevice();
    joinProcessGroup();
    method_ = makeTrainingMethod(config_);
    pack_ = std::make_unique<AssetPack>(AssetPack::load(config_.packPath));
    // The checkpoint's path must take files now, not at the first checkpoint of a long run (and
    // temporaries of killed saves go). Only rank 0 writes.
    if (root()) {
      checkOutputFile(config_.outputPath, {config_.packPath, config_.initPath, config_.clipsPath});
    }
    startModel();
    prepareData();
    prepareNetwork();
  }

  TrainingSummary run(const std::atomic<bool>* stopRequested);

 private:
  void chooseDevice();
  void joinProcessGroup();  // several processes: the c10d group (rank 0 alone reports from here)
  bool root() const { return env_.rank == 0; }
  // One step's loss (with several processes: the mean over ranks) and whether every rank goes
  // on: stop requests and the time budget are voted on, so that all ranks stop at one step.
  struct StepVote {
    double loss = 0.0;
    bool stopRequested = false;
    bool budgetOver = false;
  };
  StepVote vote(double loss, bool stopRequested, bool budgetOver);
  // --freeze-trunks: the trunks frozen for this step, or training again from it.
  void updateFrozenTrunks(int64_t step);
  // Backward, with several processes the gradients summed (global negatives) or averaged over
  // the ranks while it runs.
  void backward(const torch::Tensor& loss);
  void startModel();  // --resume, --init or from scratch
  void prepareData();
  void prepareNetwork();  // on the device, with the optimizer (and a resumed run's moments)
  void restoreMoments();
  void saveCheckpoint(int64_t stepsDone);
  // The test-split table of the current weights, reported and kept for the next checkpoint.
  void evaluateAt(int64_t stepsDone);
  torch::Tensor lossForStep(int64_t step);
  // One "stopped" progress record, or a text line.
  void reportStop(int64_t step, const std::string& reason, const std::string& text);
  void stopNonFinite(int64_t step, const std::string& reason);
  void reportProgress(int64_t stepsDone, double meanLoss, bool last);
  // After the loop: a run cut short by its budget is still evaluated; the final weights are
  // checked on one more batch and saved.
  void finish();

  const TrainingConfig& config_;
  ProgressSink progress_;  // silent on ranks other than 0
  DistributedEnvironment env_;
  std::unique_ptr<DataParallel> parallel_;  // several processes
  BatchGather gather_;                      // global negatives over the processes
  int64_t totalSteps_ = 0;                  // --steps, or --epochs x steps per epoch
  bool trunksFrozen_ = false;
  TrainingSummary summary_;
  torch::Device device_{torch::kCPU};
  bool cuda_ = false;
  bool mixedPrecision_ = false;
  std::unique_ptr<TrainingMethod> method_;
  std::unique_ptr<AssetPack> pack_;
  std::unique_ptr<LocalizationModel> model_;
  int64_t startStep_ = 0;
  std::string initReport_;           // what a run from --init took from its base, for the record
  double earlierWallSeconds_ = 0.0;  // a resumed run's time before this one (the record's total)
  std::unique_ptr<SceneSynthesizer> trainScenes_;
  std::unique_ptr<SceneSynthesizer> testScenes_;
  std::unique_ptr<ClipPack> clips_;  // the user's own videos instead of synthetic positives
  std::unique_ptr<TrainingBatches> batches_;
  EzvslNet* net_ = nullptr;
  std::unique_ptr<ForeachAdam> optimizer_;
  Json pendingMetrics_;
  Clock::time_point start_;
};

void TrainingRun::chooseDevice() {
  cuda_ = torch::cuda::is_available();
  // One GPU per process: torchrun's LOCAL_RANK picks it.
  device_ = cuda_ ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(env_.localRank))
                  : torch::Device(torch::kCPU);
  summary_.device = cuda_ ? "cuda" : "cpu (" + std::to_string(config_.threads) + " threads)";
  LocalizationModel::setThreadCount(config_.threads);
  torch::manual_seed(config_.seed);
  if (cuda_) {
    // Fixed shapes all run long: let cuDNN pick its fastest convolution algorithms.
    at::globalContext().setBenchmarkCuDNN(true);
  }
  // Mixed precision: bf16 autocast on CUDA unless --precision fp32; the CPU always trains in fp32.
  mixedPrecision_ = cuda_ && config_.precision == "bf16";
  summary_.device += mixedPrecision_ ? ", bf16 autocast" : ", fp32";
}

void TrainingRun::joinProcessGroup() {
  if (!env_.distributed()) {
    return;
  }
  parallel_ = std::make_unique<DataParallel>(env_, config_.backend, device_,
                                             config_.collectiveTimeoutSeconds);
  summary_.device +=
      ", " + std::to_string(env_.worldSize) + " processes (" + parallel_->backendName() + ")";
  summary_.rank = env_.rank;
  progress_(env_.summary() + " joined over " + parallel_->backendName() +
            (root() ? "" : "; rank 0 reports the run"));
  if (!root()) {
    progress_ = [](const std::string&) {};
  }
}

TrainingRun::StepVote TrainingRun::vote(double loss, bool stopRequested, bool budgetOver) {
  if (!parallel_) {
    return {loss, stopRequested, budgetOver};
  }
  const std::vector<double> sums =
      parallel_->sum({loss, stopRequested ? 1.0 : 0.0, budgetOver ? 1.0 : 0.0});
  return {sums[0] / env_.worldSize, sums[1] > 0, sums[2] > 0};
}

void TrainingRun::backward(const torch::Tensor& loss) {
  if (!parallel_) {
    loss.backward();
    return;
  }
  parallel_->beginGradientReduction((*net_)->parameters(), /*average=*/!gather_);
  loss.backward();
  parallel_->finishGradientReduction();
}

void TrainingRun::startModel() {
  if (config_.resume && std::filesystem::exists(config_.outputPath)) {
    model_ = LocalizationModel::load(config_.outputPath);
    const double recordedSteps = model_->info().training.numberOr("steps_done", 0);
    if (!std::isfinite(recordedSteps) || recordedSteps < 0 || recordedSteps > 1e9 ||
        recordedSteps != std::floor(recordedSteps)) {
      throw std::runtime_error(config_.outputPath + ": training record 'steps_done' " +
                               model_->info().training.at("steps_done").dump() +
                               " is not a step count in [0, 1e9]; nothing was written");
    }
    startStep_ = static_cast<int64_t>(recordedSteps);
    initReport_ = model_->info().training.stringOr("init_report", "");
    earlierWallSeconds_ = model_->info().training.numberOr("wall_seconds", 0.0);
    if (model_->info().config.method != config_.method) {
      throw std::runtime_error(config_.outputPath + " was trained with --method " +
                               model_->info().config.method + ", not " + config_.method +
                               ": resume with the same method or write to a new --out");
    }
  } else if (!config_.initPath.empty()) {
    InitialModel initial = createModelFromInit(config_);
    model_ = std::move(initial.model);
    progress_(initial.description);
    initReport_ = initial.description;
  } else {
    model_ = createModelFromScratch(config_, *method_);
  }
  model_->info().trained = true;
  model_->info().source = config_.outputPath;
}

void TrainingRun::prepareData() {
  const PreprocessingContract contract = model_->contract();
  SynthesisOptions trainOptions;
  trainOptions.imageSize = contract.imageSize;
  trainOptions.sampleRateHz = contract.sampleRateHz;
  trainOptions.windowSeconds = contract.windowSeconds;
  trainOptions.split = Split::Train;
  trainScenes_ = std::make_unique<SceneSynthesizer>(*pack_, trainOptions);
  testScenes_ = std::make_unique<SceneSynthesizer>(testSplitScenes(*pack_, contract));
  if (!config_.clipsPath.empty()) {
    clips_ = std::make_unique<ClipPack>(ClipPack::load(config_.clipsPath));
    if (clips_->sampleRateHz != contract.sampleRateHz ||
        std::lround(clips_->windowSeconds * clips_->sampleRateHz) != contract.windowSamples()) {
      throw std::runtime_error(config_.clipsPath + " holds " +
                               std::to_string(clips_->windowSeconds) + " s windows at " +
                               std::to_string(clips_->sampleRateHz) +
                               " Hz; the model's contract needs " + contract.summary());
    }
    progress_("training pairs: " + std::to_string(clips_->samples.size()) + " frames from " +
              std::to_string(clips_->sourceCount()) + " videos in " + config_.clipsPath);
  }
  // Synthetic training scenes rendered where the model trains (plans drawn here, pixels and
  // samples made on the device), unless --synthesis cpu or the user's own clips.
  batches_ = std::make_unique<TrainingBatches>(
      config_, *trainScenes_, clips_.get(), method_->extraNegativeAudio(config_.batchSize),
      contract, device_, config_.synthesis == "device" || (config_.synthesis == "auto" && cuda_),
      env_.rank, env_.worldSize);
  totalSteps_ = config_.steps;
  if (const ShardReader* shards = batches_->shards()) {
    if (config_.epochs > 0) {
      totalSteps_ = config_.epochs * batches_->stepsPerEpoch();
    }
    progress_("training pairs: " + std::to_string(shards->sampleCount()) + " samples in " +
              std::to_string(shards->index().shards.size()) + " shards of " + shards->folder() +
              ", " + std::to_string(batches_->stepsPerEpoch()) + " steps per epoch of batch " +
              std::to_string(config_.batchSize) + ", augment " + config_.augment);
    summary_.device += ", shards";
  } else if (!clips_) {
    summary_.device += batches_->rendersOnDevice() ? ", scenes rendered on the device"
                                                   : ", scenes rendered on the CPU";
  }
}

void TrainingRun::prepareNetwork() {
  net_ = &networkOf(*model_);
  EzvslNet& net = *net_;
  net->imageDropout = method_->imageDropout();
  net->to(device_);
  if (config_.channelsLast) {
    setConvolutionLayout(*net, torch::MemoryFormat::ChannelsLast);
  }
  net->train();
  optimizer_ = std::make_unique<ForeachAdam>(
      net->parameters(),
      torch::optim::AdamOptions(config_.learningRate).weight_decay(config_.weightDecay));
  if (startStep_ > 0) {
    restoreMoments();
  }
  if (parallel_) {
    // A rank that did not find rank 0's checkpoint (another machine without it) would start
    // over with fresh Adam moments: every rank resumes from the same step, or none trains.
    parallel_->requireSameAsRankZero(startStep_, "starts at step",
                                     "every rank must read the same --out checkpoint (a shared "
                                     "filesystem, or a copy at the same path)");
    // Every rank starts from rank 0's weights and statistics (the same file or seed gives the
    // same ones anyway; this makes it so).
    parallel_->broadcast(net->parameters());
    parallel_->broadcast(net->buffers());
    if (config_.negatives == "global" && method_->contrastsAcrossBatch()) {
      gather_ = [this](const torch::Tensor& local) { return parallel_->gatherWithGradient(local); };
    }
  }
}

void TrainingRun::restoreMoments() {
  // The Adam moments saved with the weights (a run from before they were saved restarts them,
  // and says so).
  const std::optional<std::string> saved =
      readMomentsFor(config_.outputPath, model_->info().training, progress_);
  if (!saved) {
    return;
  }
  std::istringstream moments(*saved);
  try {
    torch::load(*optimizer_, moments, device_);
  } catch (const c10::Error& e) {
    const std::string reason = e.what_without_backtrace();
    throw std::runtime_error("cannot read the Adam moments in " +
                             recordedMomentsPath(config_.outputPath, model_->info().training) +
                             " (" + reason.substr(0, reason.find('\n')) +
                             "); nothing was written: move that file away to resume with "
                             "fresh moments, or train to a new --out");
  }
}

void TrainingRun::saveCheckpoint(int64_t stepsDone) {
  if (!root()) {
    summary_.savedStep = stepsDone;  // rank 0 writes it
    return;
  }
  CheckpointInfo& info = model_->info();
  Json training = config_.toJson();
  training["steps"] = Json(static_cast<double>(totalSteps_));
  training["world_size"] = Json(env_.worldSize);
  if (parallel_) {
    training["backend"] = Json(parallel_->backendName());
  }
  if (const ShardReader* shards = batches_->shards()) {
    training["shard_samples"] = Json(static_cast<double>(shards->sampleCount()));
    training["steps_per_epoch"] = Json(static_cast<double>(batches_->stepsPerEpoch()));
  }
  // The size and padding of the model trained (from the flags, or kept from --init / --resume).
  training["variant"] = Json(info.config.variantName());
  training["image_padding"] = Json(info.config.imagePadding);
  if (!initReport_.empty()) {
    training["init_report"] = Json(initReport_);
  }
  training["steps_done"] = Json(static_cast<double>(stepsDone));
  training["device"] = Json(summary_.device);
  training["wall_seconds"] = Json(earlierWallSeconds_ + summary_.wallSeconds);
  training["samples_per_second"] = Json(summary_.samplesPerSecond);
  training["final_loss"] = Json(summary_.finalLoss);
  training["recipe"] = Json(method_->recipe());
  training["provisional"] = Json(method_->provisional());
  // The moments first, under this step's name; the checkpoint that records them is the commit.
  std::ostringstream moments;
  torch::save(*optimizer_, moments);
  writeMomentsFor(config_.outputPath, stepsDone, moments.str(), training);
  info.training = training;
  if (!pendingMetrics_.isNull()) {
    info.metrics = pendingMetrics_;
  }
  model_->save(config_.outputPath, config_.halfPrecision ? DType::F16 : DType::F32,
               config_.inferenceOnly);
  removeOtherMoments(config_.outputPath, training);
  summary_.savedStep = stepsDone;
}

void TrainingRun::evaluateAt(int64_t stepsDone) {
  if (!root()) {
    return;  // rank 0 alone evaluates
  }
  const BenchmarkResult result =
      evaluate(*model_, *testScenes_, config_.evalPerCondition, device_, config_.channelsLast);
  pendingMetrics_ = compactMetrics(result);
  summary_.metrics = pendingMetrics_;
  progress_(config_.progress == ProgressFormat::JsonLines
                ? progressLine(EvalProgress{stepsDone, pendingMetrics_})
                : "eval at step " + std::to_string(stepsDone) + ":\n" +
                      benchmarkMarkdown({result}));
}

torch::Tensor TrainingRun::lossForStep(int64_t step) {
  const auto [images, spectrograms] = batches_->forStep(step);
  const double tau = model_->info().config.temperature;
  const CudaAutocast autocast(mixedPrecision_);
  return method_->networkLoss(*net_, images, spectrograms, tau, step, gather_).to(torch::kFloat);
}

void TrainingRun::reportStop(int64_t step, const std::string& reason, const std::string& text) {
  progress_(config_.progress == ProgressFormat::JsonLines
                ? progressLine(StopProgress{step, reason})
                : "stopped at step " + std::to_string(step) + text);
}

void TrainingRun::stopNonFinite(int64_t step, const std::string& reason) {
  summary_.stoppedOnNonFinite = true;
  reportStop(step, reason, ": " + reason + "; the last good checkpoint is kept");
}

void TrainingRun::reportProgress(int64_t stepsDone, double meanLoss, bool last) {
  StepProgress p;
  p.step = stepsDone;
  p.steps = totalSteps_;
  p.loss = meanLoss;
  p.samplesPerSecond = summary_.samplesPerSecond;
  p.elapsedSeconds = summary_.wallSeconds;
  p.remainingSeconds = remainingSeconds(config_, summary_.wallSeconds, stepsDone - startStep_,
                                        totalSteps_ - stepsDone);
  p.worldSize = env_.worldSize;
  if (batches_->stepsPerEpoch() > 0) {
    p.epoch = std::max<int64_t>(stepsDone - 1, 0) / batches_->stepsPerEpoch() + 1;
    p.epochs = (totalSteps_ + batches_->stepsPerEpoch() - 1) / batches_->stepsPerEpoch();
  }
  if (config_.progress == ProgressFormat::JsonLines) {
    progress_(progressLine(p));
    return;
  }
  const std::string epoch =
      p.epochs > 0 ? "  epoch " + std::to_string(p.epoch) + "/" + std::to_string(p.epochs) : "";
  const std::string world =
      env_.distributed() ? "  " + std::to_string(env_.worldSize) + " processes" : "";
  char line[320];
  std::snprintf(line, sizeof(line), "step %lld/%lld%s  loss %.4f  %.1f samples/s%s  %.0f s%s",
                static_cast<long long>(stepsDone), static_cast<long long>(totalSteps_),
                epoch.c_str(), meanLoss, summary_.samplesPerSecond, world.c_str(),
                summary_.wallSeconds,
                last ? "" : ("  about " + roughDuration(p.remainingSeconds) + " left").c_str());
  progress_(line);
}

TrainingSummary TrainingRun::run(const std::atomic<bool>* stopRequested) {
  EzvslNet& net = *net_;
  // A checkpoint is written only for weights whose loss has been seen finite: the weights after
  // step k are saved at the start of step k + 1, once its loss is known.
  start_ = Clock::now();
  // Short runs report every step (smooth curves in the trainer pane), long ones every 10.
  const int64_t progressEvery = std::clamp<int64_t>(totalSteps_ / 50, 1, kProgressEvery);
  int64_t samples = 0;
  if (startStep_ < config_.freezeTrunkSteps) {
    progress_("--freeze-trunks " + std::to_string(config_.freezeTrunkSteps) +
              ": imgnet and audnet frozen until step " + std::to_string(config_.freezeTrunkSteps));
  }
  double lossSum = 0.0;
  int lossCount = 0;
  for (int64_t step = startStep_; step < totalSteps_; ++step) {
    const bool budgetOver =
        config_.maxMinutes > 0 && step > startStep_ &&
        std::chrono::duration<double>(Clock::now() - start_).count() >= 60.0 * config_.maxMinutes;
    const bool stopNow = stopRequested != nullptr && stopRequested->load();
    updateFrozenTrunks(step);
    const torch::Tensor loss = lossForStep(step);
    // Several processes agree on the loss and on stopping (rank 0's clock rules the budget); the
    // step that sees a stop computes its loss but changes nothing.
    const StepVote agreed = vote(loss.item<double>(), stopNow, budgetOver && root());
    const double lossValue = agreed.loss;
    if (agreed.budgetOver || agreed.stopRequested) {
      summary_.stoppedByBudget = agreed.budgetOver;
      summary_.stoppedByRequest = !agreed.budgetOver;
      reportStop(step, agreed.budgetOver ? "time budget" : "requested",
                 agreed.budgetOver ? ": --max-minutes reached" : " as requested");
      break;
    }
    if (!std::isfinite(lossValue)) {
      stopNonFinite(step, "non-finite loss");
      break;
    }
    if (step > startStep_ && step % config_.checkpointEvery == 0) {
      if (!parametersFinite(net)) {
        stopNonFinite(step, "non-finite weights");
        break;
      }
      saveCheckpoint(step);
    }
    optimizer_->clearGradients();
    backward(loss);
    optimizer_->step();
    if (parallel_) {
      parallel_->broadcast(net->buffers());  // batch-norm statistics: rank 0's, as DDP's
    }
    if ((step + 1) % kWeightCheckEvery == 0 && !parametersFinite(net)) {
      stopNonFinite(step + 1, "non-finite weights");
      break;
    }
    samples += config_.batchSize;  // the global batch
    lossSum += lossValue;
    ++lossCount;
    summary_.stepsDone = step + 1;
    summary_.finalLoss = lossValue;
    summary_.wallSeconds = std::chrono::duration<double>(Clock::now() - start_).count();
    summary_.samplesPerSecond = static_cast<double>(samples) / summary_.wallSeconds;
    const bool last = step + 1 == totalSteps_;
    if ((step + 1) % progressEvery == 0 || last) {
      reportProgress(step + 1, lossSum / lossCount, last);
      lossSum = 0.0;
      lossCount = 0;
    }
    if (last || (config_.evalEvery > 0 && (step + 1) % config_.evalEvery == 0)) {
      evaluateAt(step + 1);
    }
  }
  finish();
  if (batches_->shards() != nullptr) {
    summary_.loaderWaitSeconds = batches_->loaderWaitSeconds();
  }
  return summary_;
}

void TrainingRun::updateFrozenTrunks(int64_t step) {
  // Every frozen step, since an evaluation puts the whole network back in training mode.
  const bool freezeNow = step < config_.freezeTrunkSteps;
  if (freezeNow || trunksFrozen_) {
    setTrunksFrozen(*net_, freezeNow);
    if (trunksFrozen_ && !freezeNow) {
      progress_("step " + std::to_string(step) + ": imgnet and audnet train from here");
    }
    trunksFrozen_ = freezeNow;
  }
}

void TrainingRun::finish() {
  EzvslNet& net = *net_;
  if (summary_.stoppedByBudget && summary_.stepsDone > startStep_ &&
      (config_.evalEvery <= 0 || summary_.stepsDone % config_.evalEvery != 0)) {
    evaluateAt(summary_.stepsDone);
  }
  if (!summary_.stoppedOnNonFinite && summary_.stepsDone > startStep_) {
    // The final weights have no next step to vouch for them: check one more batch's loss (in
    // eval mode, so that the check leaves the batch-norm statistics as training left them).
    torch::NoGradGuard noGrad;
    net->eval();
    const double checkLoss =
        vote(lossForStep(summary_.stepsDone).item<double>(), false, false).loss;
    net->train();
    if (std::isfinite(checkLoss) && parametersFinite(net)) {
      saveCheckpoint(summary_.stepsDone);
    } else {
      stopNonFinite(summary_.stepsDone, "non-finite loss or weights after the last step");
    }
  }
}

}  // namespace

TrainingSummary train(const TrainingConfig& config, const ProgressSink& progress,
                      const std::atomic<bool>* stopRequested) {
  try {
    TrainingRun run(config, progress);
    return run.run(stopRequested);
  } catch (const c10::Error& e) {
    // Torch's messages carry a C++ backtrace, noise to whoever reads them: the message alone.
    throw std::runtime_error(e.what_without_backtrace());
  }
}

}  // namespace heardmap
