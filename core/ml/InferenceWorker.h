// Runs the views' models on their own thread, one frame at a time. Requests and results hand off
// latest-wins: a request that arrives while the models are busy replaces the waiting one (counted
// as dropped), so the worker never falls behind the playhead. All models see the same frame, and
// models with the same visual network (LocalizationModel::visualFingerprint) share one visual pass.
// With several passes per frame and LocalizationModel::threadCount() >= 2, the passes run on
// parallel lanes of one torch thread each (small convolutions scale better across models than
// within one); a single pass uses all threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "LocalizationModel.h"
#include "core/LatestSlot.h"

namespace heardmap {

struct InferenceRequest {
  RgbImage frame;
  // One audio window per model (each at its own contract's rate and length), in model order.
  std::vector<std::vector<float>> audioWindows;
  uint64_t generation = 0;  // from setModels(); requests of an older model set are ignored
};

struct InferenceResult {
  double timeSeconds = 0.0;
  uint64_t generation = 0;
  std::vector<Heatmap> heatmaps;    // one per model; empty where that model failed
  std::vector<std::string> errors;  // one per model; empty when it succeeded
  int visualPasses = 0;             // visual networks run for this frame (<= models)
  double totalMs = 0.0;
};

class InferenceWorker {
 public:
  InferenceWorker();
  ~InferenceWorker();
  InferenceWorker(const InferenceWorker&) = delete;
  InferenceWorker& operator=(const InferenceWorker&) = delete;

  // Swaps the model set (entries may repeat or be null); returns the generation that requests
  // for it must carry. Computes the visual fingerprints here, on the caller's thread.
  uint64_t setModels(std::vector<std::shared_ptr<LocalizationModel>> models);
  std::vector<std::shared_ptr<LocalizationModel>> models() const;
  uint64_t generation() const { return generation_.load(); }
  // Distinct visual networks in the current set (what one frame costs in visual passes).
  int distinctVisualNetworks() const;
  // Posts work (replacing a waiting request).
  void submit(InferenceRequest request);
  // The newest finished result of the current generation, if one arrived since the last call.
  std::optional<InferenceResult> takeResult();
  // Submits request (for the current model set) and waits for its result: offline work (render,
  // export) that wants every frame and the parallel lanes. Not to be mixed with submit().
  InferenceResult infer(InferenceRequest request);
  uint64_t droppedRequests() const { return requests_.droppedCount(); }
  int lanes() const { return static_cast<int>(helpers_.size()) + 1; }

 private:
  void run();
  InferenceResult runFrame(const InferenceRequest& request,
                           const std::vector<std::shared_ptr<LocalizationModel>>& models,
                           const std::vector<uint64_t>& fingerprints);
  void helperLoop();
  // Runs task(0..count-1) on every lane (this thread included) and returns when all are done.
  void runOnLanes(int count, const std::function<void(int)>& task);
  void setIntraThreads(int threads);

  mutable std::mutex modelMutex_;
  std::vector<std::shared_ptr<LocalizationModel>> models_;
  std::vector<uint64_t> fingerprints_;
  std::atomic<uint64_t> generation_{0};
  LatestSlot<InferenceRequest> requests_;
  LatestSlot<InferenceResult> results_;
  // Parallel lanes (helpers beside the worker thread).
  std::vector<std::thread> helpers_;
  std::mutex laneMutex_;
  std::condition_variable laneWake_;
  std::condition_variable laneDone_;
  const std::function<void(int)>* laneTask_ = nullptr;
  int laneTaskCount_ = 0;
  std::atomic<int> laneNext_{0};
  int lanesBusy_ = 0;
  uint64_t laneEpoch_ = 0;
  bool stopping_ = false;
  int intraThreads_ = 0;  // of the worker thread
  int fullThreads_ = 1;
  std::thread thread_;
};

}  // namespace heardmap
