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

// The training run (train() below turns torch's errors into plain messages).
// One training run, in the order it happens: the constructor sets it up (device, objective, model
// from --resume, --init or scratch, scenes, batches, optimizer and its saved moments); run() is
// the loop; finish() the end (the budget's evaluation, the last check and save).
class TrainingRun {
 public:
  TrainingRun(const TrainingConfig& config, const ProgressSink& progress)
      : config_(config), progress_(progress) {
    chooseDevice();
    method_ = makeTrainingMethod(config_);
    pack_ = std::make_unique<AssetPack>(AssetPack::load(config_.packPath));
    // The checkpoint's path must take files now, not at the first checkpoint of a long run (and
    // temporaries of killed saves go).
    checkOutputFile(config_.outputPath, {config_.packPath, config_.initPath, config_.clipsPath});
    startModel();
    prepareData();
    prepareNetwork();
  }

  TrainingSummary run(const std::atomic<bool>* stopRequested);

 private:
  void chooseDevice();
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
  const ProgressSink& progress_;
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
  device_ = cuda_ ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
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
      contract, device_, config_.synthesis == "device" || (config_.synthesis == "auto" && cuda_));
  if (!clips_) {
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
  CheckpointInfo& info = model_->info();
  Json training = config_.toJson();
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
  return method_->networkLoss(*net_, images, spectrograms, tau, step).to(torch::kFloat);
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
  const double remaining = remainingSeconds(config_, summary_.wallSeconds, stepsDone - startStep_,
                                            config_.steps - stepsDone);
  if (config_.progress == ProgressFormat::JsonLines) {
    progress_(
        progressLine(StepProgress{stepsDone, config_.steps, meanLoss, summary_.samplesPerSecond,
                                  summary_.wallSeconds, remaining}));
    return;
  }
  char line[256];
  std::snprintf(line, sizeof(line), "step %lld/%lld  loss %.4f  %.1f samples/s  %.0f s%s",
                static_cast<long long>(stepsDone), static_cast<long long>(config_.steps), meanLoss,
                summary_.samplesPerSecond, summary_.wallSeconds,
                last ? "" : ("  about " + roughDuration(remaining) + " left").c_str());
  progress_(line);
}

TrainingSummary TrainingRun::run(const std::atomic<bool>* stopRequested) {
  EzvslNet& net = *net_;
  // A checkpoint is written only for weights whose loss has been seen finite: the weights after
  // step k are saved at the start of step k + 1, once its loss is known.
  start_ = Clock::now();
  // Short runs report every step (smooth curves in the trainer pane), long ones every 10.
  const int64_t progressEvery = std::clamp<int64_t>(config_.steps / 50, 1, kProgressEvery);
  int64_t samples = 0;
  bool trunksFrozen = false;
  if (startStep_ < config_.freezeTrunkSteps) {
    progress_("--freeze-trunks " + std::to_string(config_.freezeTrunkSteps) +
              ": imgnet and audnet frozen until step " + std::to_string(config_.freezeTrunkSteps));
  }
  double lossSum = 0.0;
  int lossCount = 0;
  for (int64_t step = startStep_; step < config_.steps; ++step) {
    if (config_.maxMinutes > 0 && step > startStep_ &&
        std::chrono::duration<double>(Clock::now() - start_).count() >= 60.0 * config_.maxMinutes) {
      summary_.stoppedByBudget = true;
      reportStop(step, "time budget", ": --max-minutes reached");
      break;
    }
    if (stopRequested != nullptr && stopRequested->load()) {
      summary_.stoppedByRequest = true;
      reportStop(step, "requested", " as requested");
      break;
    }
    // Every frozen step, since an evaluation puts the whole network back in training mode.
    const bool freezeNow = step < config_.freezeTrunkSteps;
    if (freezeNow || trunksFrozen) {
      setTrunksFrozen(net, freezeNow);
      if (trunksFrozen && !freezeNow) {
        progress_("step " + std::to_string(step) + ": imgnet and audnet train from here");
      }
      trunksFrozen = freezeNow;
    }
    const torch::Tensor loss = lossForStep(step);
    const double lossValue = loss.item<double>();
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
    loss.backward();
    optimizer_->step();
    if ((step + 1) % kWeightCheckEvery == 0 && !parametersFinite(net)) {
      stopNonFinite(step + 1, "non-finite weights");
      break;
    }
    samples += config_.batchSize;
    lossSum += lossValue;
    ++lossCount;
    summary_.stepsDone = step + 1;
    summary_.finalLoss = lossValue;
    summary_.wallSeconds = std::chrono::duration<double>(Clock::now() - start_).count();
    summary_.samplesPerSecond = static_cast<double>(samples) / summary_.wallSeconds;
    const bool last = step + 1 == config_.steps;
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
  return summary_;
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
    const double checkLoss = lossForStep(summary_.stepsDone).item<double>();
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
