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
TrainingSummary runTraining(const TrainingConfig& config, const ProgressSink& progress,
                            const std::atomic<bool>* stopRequested) {
  TrainingSummary summary;
  const bool cuda = torch::cuda::is_available();
  const torch::Device device = cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  summary.device = cuda ? "cuda" : "cpu (" + std::to_string(config.threads) + " threads)";
  LocalizationModel::setThreadCount(config.threads);
  torch::manual_seed(config.seed);
  if (cuda) {
    // Fixed shapes all run long: let cuDNN pick its fastest convolution algorithms.
    at::globalContext().setBenchmarkCuDNN(true);
  }
  const std::unique_ptr<TrainingMethod> method = makeTrainingMethod(config);
  // Mixed precision: bf16 autocast on CUDA unless --precision fp32; the CPU always trains in fp32.
  const bool mixedPrecision = cuda && config.precision == "bf16";
  summary.device += mixedPrecision ? ", bf16 autocast" : ", fp32";

  const AssetPack pack = AssetPack::load(config.packPath);
  // The checkpoint's path must take files now, not at the first checkpoint of a long run (and
  // temporaries of killed saves go).
  checkOutputFile(config.outputPath, {config.packPath, config.initPath, config.clipsPath});
  std::unique_ptr<LocalizationModel> model;
  int64_t startStep = 0;
  std::string initReport;  // what a run from --init took from its base, for the training record
  double earlierWallSeconds = 0.0;  // a resumed run's time before this one (the record's total)
  if (config.resume && std::filesystem::exists(config.outputPath)) {
    model = LocalizationModel::load(config.outputPath);
    const double recordedSteps = model->info().training.numberOr("steps_done", 0);
    if (!std::isfinite(recordedSteps) || recordedSteps < 0 || recordedSteps > 1e9 ||
        recordedSteps != std::floor(recordedSteps)) {
      throw std::runtime_error(config.outputPath + ": training record 'steps_done' " +
                               model->info().training.at("steps_done").dump() +
                               " is not a step count in [0, 1e9]; nothing was written");
    }
    startStep = static_cast<int64_t>(recordedSteps);
    initReport = model->info().training.stringOr("init_report", "");
    earlierWallSeconds = model->info().training.numberOr("wall_seconds", 0.0);
    if (model->info().config.method != config.method) {
      throw std::runtime_error(config.outputPath + " was trained with --method " +
                               model->info().config.method + ", not " + config.method +
                               ": resume with the same method or write to a new --out");
    }
  } else if (!config.initPath.empty()) {
    InitialModel initial = createModelFromInit(config);
    model = std::move(initial.model);
    progress(initial.description);
    initReport = initial.description;
  } else {
    model = createModelFromScratch(config, *method);
  }
  model->info().trained = true;
  model->info().source = config.outputPath;
  const PreprocessingContract contract = model->contract();
  SynthesisOptions trainOptions;
  trainOptions.imageSize = contract.imageSize;
  trainOptions.sampleRateHz = contract.sampleRateHz;
  trainOptions.windowSeconds = contract.windowSeconds;
  trainOptions.split = Split::Train;
  const SceneSynthesizer trainScenes(pack, trainOptions);
  const SceneSynthesizer testScenes = testSplitScenes(pack, contract);
  // The user's own videos (pairs made by `heardmap data clips`) instead of synthetic positives.
  std::unique_ptr<ClipPack> clips;
  if (!config.clipsPath.empty()) {
    clips = std::make_unique<ClipPack>(ClipPack::load(config.clipsPath));
    if (clips->sampleRateHz != contract.sampleRateHz ||
        std::lround(clips->windowSeconds * clips->sampleRateHz) != contract.windowSamples()) {
      throw std::runtime_error(config.clipsPath + " holds " + std::to_string(clips->windowSeconds) +
                               " s windows at " + std::to_string(clips->sampleRateHz) +
                               " Hz; the model's contract needs " + contract.summary());
    }
    progress("training pairs: " + std::to_string(clips->samples.size()) + " frames from " +
             std::to_string(clips->sourceCount()) + " videos in " + config.clipsPath);
  }

  // Synthetic training scenes rendered where the model trains (plans drawn here, pixels and
  // samples made on the device), unless --synthesis cpu or the user's own clips.
  const TrainingBatches batches(
      config, trainScenes, clips.get(), method->extraNegativeAudio(config.batchSize), contract,
      device, config.synthesis == "device" || (config.synthesis == "auto" && cuda));
  if (!clips) {
    summary.device += batches.rendersOnDevice() ? ", scenes rendered on the device"
                                                : ", scenes rendered on the CPU";
  }

  EzvslNet& net = networkOf(*model);
  net->imageDropout = method->imageDropout();
  net->to(device);
  if (config.channelsLast) {
    setConvolutionLayout(*net, torch::MemoryFormat::ChannelsLast);
  }
  net->train();
  ForeachAdam optimizer(
      net->parameters(),
      torch::optim::AdamOptions(config.learningRate).weight_decay(config.weightDecay));
  if (startStep > 0) {
    // Resume: the Adam moments saved with the weights (a run from before they were saved restarts
    // them, and says so).
    const std::optional<std::string> saved =
        readMomentsFor(config.outputPath, model->info().training, progress);
    if (saved) {
      std::istringstream moments(*saved);
      try {
        torch::load(optimizer, moments, device);
      } catch (const c10::Error& e) {
        const std::string reason = e.what_without_backtrace();
        throw std::runtime_error("cannot read the Adam moments in " +
                                 recordedMomentsPath(config.outputPath, model->info().training) +
                                 " (" + reason.substr(0, reason.find('\n')) +
                                 "); nothing was written: move that file away to resume with "
                                 "fresh moments, or train to a new --out");
      }
    }
  }

  const auto saveCheckpoint = [&](int64_t stepsDone, const Json& metrics) {
    CheckpointInfo& info = model->info();
    Json training = config.toJson();
    // The size and padding of the model trained (from the flags, or kept from --init / --resume).
    training["variant"] = Json(info.config.variantName());
    training["image_padding"] = Json(info.config.imagePadding);
    if (!initReport.empty()) {
      training["init_report"] = Json(initReport);
    }
    training["steps_done"] = Json(static_cast<double>(stepsDone));
    training["device"] = Json(summary.device);
    training["wall_seconds"] = Json(earlierWallSeconds + summary.wallSeconds);
    training["samples_per_second"] = Json(summary.samplesPerSecond);
    training["final_loss"] = Json(summary.finalLoss);
    training["recipe"] = Json(method->recipe());
    training["provisional"] = Json(method->provisional());
    // The moments first, under this step's name; the checkpoint that records them is the commit.
    std::ostringstream moments;
    torch::save(optimizer, moments);
    writeMomentsFor(config.outputPath, stepsDone, moments.str(), training);
    info.training = training;
    if (!metrics.isNull()) {
      info.metrics = metrics;
    }
    model->save(config.outputPath, config.halfPrecision ? DType::F16 : DType::F32,
                config.inferenceOnly);
    removeOtherMoments(config.outputPath, training);
    summary.savedStep = stepsDone;
  };

  const auto lossForStep = [&](int64_t step) {
    const auto [images, spectrograms] = batches.forStep(step);
    const double tau = model->info().config.temperature;
    const CudaAutocast autocast(mixedPrecision);
    return method->networkLoss(net, images, spectrograms, tau, step).to(torch::kFloat);
  };
  // One "stopped" progress record: {"event": "stopped", "reason": R, "step": N}, or a text line.
  const auto reportStop = [&](int64_t step, const std::string& reason, const std::string& text) {
    progress(config.progress == ProgressFormat::JsonLines
                 ? progressLine(StopProgress{step, reason})
                 : "stopped at step " + std::to_string(step) + text);
  };
  const auto stop = [&](int64_t step, const std::string& reason) {
    summary.stoppedOnNonFinite = true;
    reportStop(step, reason, ": " + reason + "; the last good checkpoint is kept");
  };

  Json pendingMetrics;
  // The test-split table of the current weights, reported and kept for the next checkpoint.
  const auto evaluateAt = [&](int64_t stepsDone) {
    const BenchmarkResult result =
        evaluate(*model, testScenes, config.evalPerCondition, device, config.channelsLast);
    pendingMetrics = compactMetrics(result);
    summary.metrics = pendingMetrics;
    progress(config.progress == ProgressFormat::JsonLines
                 ? progressLine(EvalProgress{stepsDone, pendingMetrics})
                 : "eval at step " + std::to_string(stepsDone) + ":\n" +
                       benchmarkMarkdown({result}));
  };

  // A checkpoint is written only for weights whose loss has been seen finite: the weights after
  // step k are saved at the start of step k + 1, once its loss is known.
  const auto start = Clock::now();
  // Short runs report every step (smooth curves in the trainer pane), long ones every 10.
  const int64_t progressEvery = std::clamp<int64_t>(config.steps / 50, 1, kProgressEvery);
  int64_t samples = 0;
  bool trunksFrozen = false;
  if (startStep < config.freezeTrunkSteps) {
    progress("--freeze-trunks " + std::to_string(config.freezeTrunkSteps) +
             ": imgnet and audnet frozen until step " + std::to_string(config.freezeTrunkSteps));
  }
  double lossSum = 0.0;
  int lossCount = 0;
  for (int64_t step = startStep; step < config.steps; ++step) {
    if (config.maxMinutes > 0 && step > startStep &&
        std::chrono::duration<double>(Clock::now() - start).count() >= 60.0 * config.maxMinutes) {
      summary.stoppedByBudget = true;
      reportStop(step, "time budget", ": --max-minutes reached");
      break;
    }
    if (stopRequested != nullptr && stopRequested->load()) {
      summary.stoppedByRequest = true;
      reportStop(step, "requested", " as requested");
      break;
    }
    // Every frozen step, since an evaluation puts the whole network back in training mode.
    const bool freezeNow = step < config.freezeTrunkSteps;
    if (freezeNow || trunksFrozen) {
      setTrunksFrozen(net, freezeNow);
      if (trunksFrozen && !freezeNow) {
        progress("step " + std::to_string(step) + ": imgnet and audnet train from here");
      }
      trunksFrozen = freezeNow;
    }
    const torch::Tensor loss = lossForStep(step);
    const double lossValue = loss.item<double>();
    if (!std::isfinite(lossValue)) {
      stop(step, "non-finite loss");
      break;
    }
    if (step > startStep && step % config.checkpointEvery == 0) {
      if (!parametersFinite(net)) {
        stop(step, "non-finite weights");
        break;
      }
      saveCheckpoint(step, pendingMetrics);
    }
    optimizer.clearGradients();
    loss.backward();
    optimizer.step();
    if ((step + 1) % kWeightCheckEvery == 0 && !parametersFinite(net)) {
      stop(step + 1, "non-finite weights");
      break;
    }
    samples += config.batchSize;
    lossSum += lossValue;
    ++lossCount;
    summary.stepsDone = step + 1;
    summary.finalLoss = lossValue;
    summary.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    summary.samplesPerSecond = static_cast<double>(samples) / summary.wallSeconds;

    const bool last = step + 1 == config.steps;
    if ((step + 1) % progressEvery == 0 || last) {
      const double remaining = remainingSeconds(config, summary.wallSeconds, step + 1 - startStep,
                                                config.steps - step - 1);
      if (config.progress == ProgressFormat::JsonLines) {
        progress(
            progressLine(StepProgress{step + 1, config.steps, lossSum / lossCount,
                                      summary.samplesPerSecond, summary.wallSeconds, remaining}));
      } else {
        char line[256];
        std::snprintf(line, sizeof(line), "step %lld/%lld  loss %.4f  %.1f samples/s  %.0f s%s",
                      static_cast<long long>(step + 1), static_cast<long long>(config.steps),
                      lossSum / lossCount, summary.samplesPerSecond, summary.wallSeconds,
                      last ? "" : ("  about " + roughDuration(remaining) + " left").c_str());
        progress(line);
      }
      lossSum = 0.0;
      lossCount = 0;
    }
    if (last || (config.evalEvery > 0 && (step + 1) % config.evalEvery == 0)) {
      evaluateAt(step + 1);
    }
  }
  // A run cut short by its time budget is still evaluated (its checkpoint carries the table).
  if (summary.stoppedByBudget && summary.stepsDone > startStep &&
      (config.evalEvery <= 0 || summary.stepsDone % config.evalEvery != 0)) {
    evaluateAt(summary.stepsDone);
  }
  if (!summary.stoppedOnNonFinite && summary.stepsDone > startStep) {
    // The final weights have no next step to vouch for them: check one more batch's loss (in
    // eval mode, so that the check leaves the batch-norm statistics as training left them).
    torch::NoGradGuard noGrad;
    net->eval();
    const double checkLoss = lossForStep(summary.stepsDone).item<double>();
    net->train();
    if (std::isfinite(checkLoss) && parametersFinite(net)) {
      saveCheckpoint(summary.stepsDone, pendingMetrics);
    } else {
      stop(summary.stepsDone, "non-finite loss or weights after the last step");
    }
  }
  return summary;
}

}  // namespace

TrainingSummary train(const TrainingConfig& config, const ProgressSink& progress,
                      const std::atomic<bool>* stopRequested) {
  try {
    return runTraining(config, progress, stopRequested);
  } catch (const c10::Error& e) {
    // Torch's messages carry a C++ backtrace, noise to whoever reads them: the message alone.
    throw std::runtime_error(e.what_without_backtrace());
  }
}

}  // namespace heardmap
