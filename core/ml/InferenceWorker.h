// Runs a LocalizationModel on its own thread. Requests and results hand off latest-wins: a request
// that arrives while the model is busy replaces the waiting one (counted as dropped), so the
// worker never falls behind the playhead.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "../LatestSlot.h"
#include "LocalizationModel.h"

namespace heardmap {

struct InferenceRequest {
  RgbImage frame;
  std::vector<float> audioWindow;  // the contract's window, already cut
};

class InferenceWorker {
 public:
  InferenceWorker();
  ~InferenceWorker();
  InferenceWorker(const InferenceWorker&) = delete;
  InferenceWorker& operator=(const InferenceWorker&) = delete;

  // Swaps the model; takes effect at the next request. nullptr stops producing heatmaps.
  void setModel(std::shared_ptr<LocalizationModel> model);
  std::shared_ptr<LocalizationModel> model() const;
  // Posts work (replacing a waiting request).
  void submit(InferenceRequest request);
  // The newest finished heatmap, if one arrived since the last call.
  std::optional<Heatmap> takeResult();
  // The last error message (e.g. a contract mismatch), empty if none.
  std::string lastError() const;
  uint64_t droppedRequests() const { return requests_.droppedCount(); }

 private:
  void run();

  mutable std::mutex modelMutex_;
  std::shared_ptr<LocalizationModel> model_;
  std::string lastError_;
  LatestSlot<InferenceRequest> requests_;
  LatestSlot<Heatmap> results_;
  std::thread thread_;
};

}  // namespace heardmap
