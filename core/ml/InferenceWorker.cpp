#include "InferenceWorker.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

namespace heardmap {

namespace {

// Most parallel lanes (the machines this runs on have 2-16 cores; views are at most 6).
constexpr int kMaxLanes = 3;

}  // namespace

InferenceWorker::InferenceWorker() {
  fullThreads_ = std::max(1, LocalizationModel::threadCount());
  for (int i = 1; i < std::min(fullThreads_, kMaxLanes); ++i) {
    helpers_.emplace_back([this] { helperLoop(); });
  }
  thread_ = std::thread([this] { run(); });
}

InferenceWorker::~InferenceWorker() {
  requests_.close();
  thread_.join();
  {
    std::lock_guard<std::mutex> lock(laneMutex_);
    stopping_ = true;
  }
  laneWake_.notify_all();
  for (std::thread& helper : helpers_) {
    helper.join();
  }
}

void InferenceWorker::setIntraThreads(int threads) {
  if (intraThreads_ != threads) {
    LocalizationModel::setThreadCountForThisThread(threads);
    intraThreads_ = threads;
  }
}

void InferenceWorker::helperLoop() {
  LocalizationModel::setThreadCountForThisThread(1);
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(laneMutex_);
  while (true) {
    laneWake_.wait(lock, [&] { return stopping_ || laneEpoch_ != seen; });
    if (stopping_) {
      return;
    }
    seen = laneEpoch_;
    const std::function<void(int)>* task = laneTask_;
    const int count = laneTaskCount_;
    lock.unlock();
    for (int i = laneNext_++; i < count; i = laneNext_++) {
      (*task)(i);
    }
    lock.lock();
    if (--lanesBusy_ == 0) {
      laneDone_.notify_all();
    }
  }
}

void InferenceWorker::runOnLanes(int count, const std::function<void(int)>& task) {
  if (helpers_.empty() || count <= 1) {
    setIntraThreads(fullThreads_);
    for (int i = 0; i < count; ++i) {
      task(i);
    }
    return;
  }
  setIntraThreads(1);
  {
    std::lock_guard<std::mutex> lock(laneMutex_);
    laneTask_ = &task;
    laneTaskCount_ = count;
    laneNext_ = 0;
    lanesBusy_ = static_cast<int>(helpers_.size());
    ++laneEpoch_;
  }
  laneWake_.notify_all();
  for (int i = laneNext_++; i < count; i = laneNext_++) {
    task(i);
  }
  std::unique_lock<std::mutex> lock(laneMutex_);
  laneDone_.wait(lock, [&] { return lanesBusy_ == 0; });
}

uint64_t InferenceWorker::setModels(std::vector<std::shared_ptr<LocalizationModel>> models) {
  std::vector<uint64_t> fingerprints;
  for (const auto& model : models) {
    fingerprints.push_back(model ? model->visualFingerprint() : 0);
  }
  std::lock_guard<std::mutex> lock(modelMutex_);
  models_ = std::move(models);
  fingerprints_ = std::move(fingerprints);
  return ++generation_;
}

std::vector<std::shared_ptr<LocalizationModel>> InferenceWorker::models() const {
  std::lock_guard<std::mutex> lock(modelMutex_);
  return models_;
}

int InferenceWorker::distinctVisualNetworks() const {
  std::lock_guard<std::mutex> lock(modelMutex_);
  std::set<uint64_t> distinct;
  for (size_t i = 0; i < models_.size(); ++i) {
    if (models_[i]) {
      distinct.insert(fingerprints_[i]);
    }
  }
  return static_cast<int>(distinct.size());
}

void InferenceWorker::submit(InferenceRequest request) {
  requests_.put(std::move(request));
}

std::optional<InferenceResult> InferenceWorker::takeResult() {
  std::optional<InferenceResult> result = results_.take();
  if (result && result->generation != generation_.load()) {
    return std::nullopt;  // computed for a model set that has been replaced
  }
  return result;
}

InferenceResult InferenceWorker::infer(InferenceRequest request) {
  request.generation = generation_.load();
  submit(std::move(request));
  while (std::optional<InferenceResult> result = results_.waitAndTake()) {
    if (result->generation == generation_.load()) {
      return std::move(*result);
    }
  }
  throw std::runtime_error("inference worker stopped");
}

void InferenceWorker::run() {
  while (std::optional<InferenceRequest> request = requests_.waitAndTake()) {
    std::vector<std::shared_ptr<LocalizationModel>> models;
    std::vector<uint64_t> fingerprints;
    {
      std::lock_guard<std::mutex> lock(modelMutex_);
      if (request->generation != generation_.load()) {
        continue;
      }
      models = models_;
      fingerprints = fingerprints_;
    }
    results_.put(runFrame(*request, models, fingerprints));
  }
}

// One frame for every model: a visual pass per distinct visual network and an audio pass per
// view on the parallel lanes, then the cosine maps.
InferenceResult InferenceWorker::runFrame(
    const InferenceRequest& request, const std::vector<std::shared_ptr<LocalizationModel>>& models,
    const std::vector<uint64_t>& fingerprints) {
  const auto start = std::chrono::steady_clock::now();
  InferenceResult result;
  result.timeSeconds = request.frame.timeSeconds;
  result.generation = request.generation;
  result.heatmaps.resize(models.size());
  result.errors.resize(models.size());
  // One parallel phase: a visual pass per distinct visual network and an audio pass per view
  // (independent of each other), then the cheap cosine maps.
  std::vector<uint64_t> distinct;
  std::vector<size_t> firstUser;
  for (size_t i = 0; i < models.size(); ++i) {
    if (models[i] &&
        std::find(distinct.begin(), distinct.end(), fingerprints[i]) == distinct.end()) {
      distinct.push_back(fingerprints[i]);
      firstUser.push_back(i);
    }
  }
  std::vector<std::shared_ptr<const VisualFeatures>> visual(distinct.size());
  std::vector<double> visualMs(distinct.size(), 0.0);
  std::vector<std::string> visualError(distinct.size());
  std::vector<std::shared_ptr<const AudioFeatures>> audio(models.size());
  const int visualTasks = static_cast<int>(distinct.size());
  runOnLanes(visualTasks + static_cast<int>(models.size()), [&](int task) {
    if (task < visualTasks) {
      const size_t k = static_cast<size_t>(task);
      const auto visualStart = std::chrono::steady_clock::now();
      try {
        visual[k] = models[firstUser[k]]->encodeVisual(request.frame);
      } catch (const std::exception& e) {
        visualError[k] = e.what();
      }
      visualMs[k] =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - visualStart)
              .count();
      return;
    }
    const size_t i = static_cast<size_t>(task - visualTasks);
    if (!models[i]) {
      return;
    }
    try {
      if (i >= request.audioWindows.size()) {
        throw std::invalid_argument("no audio window for this view");
      }
      audio[i] = models[i]->encodeAudio(request.audioWindows[i]);
    } catch (const std::exception& e) {
      result.errors[i] = e.what();
    }
  });
  result.visualPasses = visualTasks;
  for (size_t i = 0; i < models.size(); ++i) {
    if (!models[i] || !audio[i]) {
      continue;
    }
    const size_t k = static_cast<size_t>(
        std::find(distinct.begin(), distinct.end(), fingerprints[i]) - distinct.begin());
    try {
      if (!visualError[k].empty()) {
        throw std::runtime_error(visualError[k]);
      }
      Heatmap heatmap = models[i]->combine(*visual[k], *audio[i]);
      if (firstUser[k] == i) {
        heatmap.inferenceMs += visualMs[k];  // the view that paid for the visual pass
      }
      result.heatmaps[i] = std::move(heatmap);
    } catch (const std::exception& e) {
      result.errors[i] = e.what();
    }
  }
  result.totalMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace heardmap
