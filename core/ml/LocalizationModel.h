// A sound-source localisation model behind a torch-free interface (pimpl): load / save weights,
// run one frame + audio window to a heatmap. The only torch code lives in LocalizationModel.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "CheckpointInfo.h"
#include "ForeignCheckpoint.h"
#include "core/Heatmap.h"
#include "core/RgbImage.h"
#include "core/TensorData.h"

namespace heardmap {

class EzvslNet;
// The visual network's output for one frame and the audio network's for one window (opaque;
// defined in LocalizationModel.cpp).
struct VisualFeatures;
struct AudioFeatures;

// What loadWeights did.
struct LoadReport {
  int loaded = 0;
  std::vector<std::string> unexpected;  // tensors in the file the model does not have
  std::vector<std::string> missing;     // model tensors the file lacked (allowed for backbones)
};

// Timings of one localize() call, in milliseconds.
struct InferenceTiming {
  double spectrogramMs = 0.0;
  double visualMs = 0.0;
  double audioMs = 0.0;
  double totalMs = 0.0;
};

class LocalizationModel {
 public:
  ~LocalizationModel();
  LocalizationModel(const LocalizationModel&) = delete;
  LocalizationModel& operator=(const LocalizationModel&) = delete;

  // A randomly initialised model (deterministic per seed), flagged untrained.
  static std::unique_ptr<LocalizationModel> createUntrained(const ModelConfig& config,
                                                            const PreprocessingContract& contract,
                                                            uint64_t seed);
  // load(path), or for an empty path the untrained compact model (seed 1) the demo starts with.
  static std::unique_ptr<LocalizationModel> open(const std::string& pathOrEmpty,
                                                 const LoadOptions& options = {});
  // Loads a Heardmap .safetensors checkpoint, or a PyTorch .pth/.pt: an EZ-VSL-family model
  // (keys imgnet.*, audnet.*, img_proj.*, aud_proj.*), a SLAVC one (img_proj1/2, aud_proj1/2,
  // momentum_*), or torchvision ResNet-18 weights, which initialise the visual trunk. Throws
  // CheckpointError naming file and tensor.
  static std::unique_ptr<LocalizationModel> load(const std::string& path,
                                                 const LoadOptions& options = {});

  // The raw map of inputs already preprocessed as the official data loaders give them: image
  // 3 x S x S (or 1 x 3 x S x S) normalised per the contract, spectrogram F x T (or 1 x 1 x F x T)
  // log-scaled and normalised, both F32. For checking the network against a reference on
  // identical inputs. Throws std::invalid_argument for other shapes or dtypes.
  Heatmap mapOfInputs(const TensorData& image, const TensorData& spectrogram);

  // Copies weights in. Shapes must match exactly (error names the tensor and both shapes).
  // allowMissing lets a partial dict (a pretrained backbone) leave the rest as initialised.
  LoadReport loadWeights(const StateDict& weights, bool allowMissing);
  // inferenceOnly leaves out the training-only tensors (isTrainingOnlyTensor).
  StateDict stateDict(DType storeAs = DType::F32, bool inferenceOnly = false) const;
  // Writes a safetensors checkpoint with the metadata block (atomic).
  void save(const std::string& path, DType storeAs = DType::F32, bool inferenceOnly = false) const;
  // Tensors only a loss reads (SSPL's SimSiam projector and predictor): a checkpoint may leave
  // them out, and loading one that does keeps them as initialised.
  static bool isTrainingOnlyTensor(const std::string& name);

  // Heatmap (raw cosine map, e.g. 7x7) for frame and an audio window of
  // contract().windowSamples() samples at contract().sampleRateHz. Thread-compatible: one caller.
  Heatmap localize(const RgbImage& frame, const std::vector<float>& audioWindow,
                   InferenceTiming* timing = nullptr);

  // The two halves of localize(), so that views whose models share a visual network (same
  // visualFingerprint()) run it once per frame. localizeWith throws std::invalid_argument for
  // features of a different visual network. Both only read the model: several threads may run
  // them on one model at once (InferenceWorker's lanes do).
  std::shared_ptr<const VisualFeatures> encodeVisual(const RgbImage& frame);
  Heatmap localizeWith(const VisualFeatures& features, const std::vector<float>& audioWindow,
                       InferenceTiming* timing = nullptr);
  // The audio half alone (spectrogram + audio network), and the cosine map of the two halves:
  // visual and audio passes are independent, so they can run on different threads.
  std::shared_ptr<const AudioFeatures> encodeAudio(const std::vector<float>& audioWindow);
  Heatmap combine(const VisualFeatures& visual, const AudioFeatures& audio);
  // Hash of the visual weights (imgnet.*, img_proj.*) and the contract, computed on first use
  // after the weights were loaded. Equal fingerprints = interchangeable visual features.
  uint64_t visualFingerprint() const;

  const CheckpointInfo& info() const;
  CheckpointInfo& info();
  const PreprocessingContract& contract() const { return info().contract; }
  std::vector<std::string> parameterNames() const;  // parameters and buffers, torchvision names
  int64_t parameterCount() const;
  // Heatmap side for the contract's image size (7 at 224 for ResNet-18).
  int mapSize() const;

  // Frames cropped as the method's official test loader crops its stills (contract().imageCrop
  // "centre": LVS and SSPL resize the shorter side and take the centred square). Off by default:
  // the player and render give the model the whole picture, so that its map lies over it;
  // heardmap eval turns it on.
  void setEvaluationCrop(bool on);

  // Intra-op threads for torch (and 1 OpenBLAS thread to avoid oversubscription).
  static void setThreadCount(int threads);
  // The count last given to setThreadCount (torch's default if never called).
  static int threadCount();
  // Intra-op threads for torch calls made from the calling thread (OpenMP keeps the count per
  // thread); used by InferenceWorker's parallel lanes.
  static void setThreadCountForThisThread(int threads);

 private:
  friend EzvslNet& networkOf(LocalizationModel& model);  // training access (EzvslNet.h)
  struct Impl;
  explicit LocalizationModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace heardmap
