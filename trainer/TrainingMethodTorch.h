// One interface for every training method: its loss on a batch of encoded frames and audio, what
// it changes in the architecture, the extra negative audio it wants, and how it is recorded. All
// of them localise with the cosine map cos(v(p), a) (LocalizationModel::localize) under the
// EZ-VSL-family preprocessing contract. Internal torch header of the trainer (*Torch.h).
#pragma once

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/PreprocessingContract.h"
#include "core/ml/EzvslNet.h"
#include "core/ml/ModelConfig.h"
#include "core/ml/TrainingConfig.h"

namespace heardmap {

// Gathers a per-process tensor into the global batch's (dim 0, in process order), this
// process's own rows keeping their gradient (DataParallel::gatherWithGradient).
using BatchGather = std::function<torch::Tensor(const torch::Tensor&)>;

class TrainingMethod {
 public:
  virtual ~TrainingMethod() = default;
  // A trainable row of methods() (core/Methods.h).
  virtual std::string name() const = 0;
  // One line for logs and the checkpoint: the paper, and what this implementation does.
  virtual std::string recipe() const = 0;
  // True where the paper's details are unknown and the spec's provisional recipe is used.
  virtual bool provisional() const { return false; }
  // Architecture tweaks for a model trained from scratch (LVS: layer4 stride 1).
  virtual void configureModel(ModelConfig& config) const { (void)config; }
  // The preprocessing contract of a model trained from scratch at an image size.
  virtual PreprocessingContract contract(int imageSize) const;
  // Dropout on the visual backbone map while training (FNAC).
  virtual double imageDropout() const { return 0.0; }
  // Silence / noise audio windows appended to a batch of batchSize pairs (SSL-SaN).
  virtual int extraNegativeAudio(int batchSize) const {
    (void)batchSize;
    return 0;
  }
  // visual: B x D x h x w, audio: (B + extraNegativeAudio(B)) x D, both unit length over D.
  virtual torch::Tensor loss(const torch::Tensor& visual, const torch::Tensor& audio,
                             double temperature, int64_t step) const = 0;
  // False for a loss that compares each sample only with itself (SSPL): with several processes
  // its gradients are averaged, not gathered from one loss over the global batch.
  virtual bool contrastsAcrossBatch() const { return true; }
  // The step's loss from the network and its inputs (images B x 3 x S x S, spectrograms
  // (B + extra) x 1 x F x T). By default loss() of the encoded batch, where gather (when set)
  // first makes the embeddings those of the global batch of every process (positives in process
  // order, then every process's extra audio); SSPL runs its own two-view pass.
  virtual torch::Tensor networkLoss(EzvslNet& net, const torch::Tensor& images,
                                    const torch::Tensor& spectrograms, double temperature,
                                    int64_t step, const BatchGather& gather = nullptr) const;
};

// The method named by config.method, with its hyper-parameters; std::invalid_argument if unknown.
std::unique_ptr<TrainingMethod> makeTrainingMethod(const TrainingConfig& config);

// The untrained model a run from scratch starts with: config's variant, method, temperature and
// trunk flags (--layer4-stride, --image-padding) over the method's own architecture, the method's
// contract at the variant's image size, weights seeded by config.seed.
std::unique_ptr<LocalizationModel> createModelFromScratch(const TrainingConfig& config,
                                                          const TrainingMethod& method);

// The model a run from --init starts with, and one line that says what it took from the base.
struct InitialModel {
  std::unique_ptr<LocalizationModel> model;
  std::string description;
};

// The model a fine-tuning run starts with: the base checkpoint's architecture (size, padding,
// strides, temperature) and preprocessing contract, for config.method. --layer4-stride and
// --image-padding, where given, replace the base's stride and padding (the weights keep their
// names and shapes). Where the method needs modules the base lacks (SSPL's PCM, audio head and
// SimSiam head, from any other method's base) or has no use for the base's (those of an SSPL
// base), or the trunk changes, the model is built anew and takes every base tensor whose name
// and shape it has; the rest start as initialised (seeded by config.seed). The description
// names what was taken, what is new, what was left out and the trunk changed. Throws
// CheckpointError for a base that shares no tensor with the method's model.
InitialModel createModelFromInit(const TrainingConfig& config);

}  // namespace heardmap
