#include "InferenceWorker.h"

namespace heardmap {

InferenceWorker::InferenceWorker() : thread_([this] { run(); }) {}

InferenceWorker::~InferenceWorker() {
  requests_.close();
  thread_.join();
}

void InferenceWorker::setModel(std::shared_ptr<LocalizationModel> model) {
  std::lock_guard<std::mutex> lock(modelMutex_);
  model_ = std::move(model);
  lastError_.clear();
}

std::shared_ptr<LocalizationModel> InferenceWorker::model() const {
  std::lock_guard<std::mutex> lock(modelMutex_);
  return model_;
}

void InferenceWorker::submit(InferenceRequest request) {
  requests_.put(std::move(request));
}

std::optional<Heatmap> InferenceWorker::takeResult() {
  return results_.take();
}

std::string InferenceWorker::lastError() const {
  std::lock_guard<std::mutex> lock(modelMutex_);
  return lastError_;
}

void InferenceWorker::run() {
  while (std::optional<InferenceRequest> request = requests_.waitAndTake()) {
    const std::shared_ptr<LocalizationModel> current = model();
    if (!current) {
      continue;
    }
    try {
      results_.put(current->localize(request->frame, request->audioWindow));
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(modelMutex_);
      lastError_ = e.what();
    }
  }
}

}  // namespace heardmap
