// Data-parallel training over LibTorch's c10d: this process's place in a process group (a TCP
// store at MASTER_ADDR:MASTER_PORT served by rank 0, then Gloo on the CPU or NCCL on CUDA), and
// the collectives a training step needs: rank 0's weights for everyone, every rank's embeddings
// for the contrastive losses, the gradients summed over ranks, a few numbers agreed on. A rank
// that dies or stops answering makes every collective of the others throw (a closed connection
// at once, a silent rank after the timeout), so the run stops with a message instead of hanging.
// Internal torch header of the trainer.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "core/ml/DistributedEnvironment.h"

namespace heardmap {

class DataParallel {
 public:
  // backend: "auto" (NCCL on CUDA where this build has it, else Gloo), "gloo" or "nccl". Throws
  // std::runtime_error when the group cannot form within timeoutSeconds, naming the rendezvous.
  DataParallel(const DistributedEnvironment& env, const std::string& backend, torch::Device device,
               double timeoutSeconds);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return env_.rank; }
  int worldSize() const { return env_.worldSize; }
  const std::string& backendName() const { return backendName_; }

  // Every rank takes rank 0's tensors (the parameters and buffers of a module, in place).
  void broadcast(const std::vector<torch::Tensor>& tensors);
  // The dim-0 concatenation of every rank's `local` (the same shape on every rank) in rank order;
  // this rank's own rows are `local` itself, so the gradient flows back through them.
  torch::Tensor gatherWithGradient(const torch::Tensor& local);
  // The gradients of the next backward summed over the ranks (divided by the world size when
  // average) while that backward runs: begin before it, finish after it. A hook on each
  // parameter copies its gradient into its bucket as autograd produces it; each full bucket
  // starts its all-reduce at once (in bucket order, the same on every rank); finish waits for
  // them and writes the sums into the gradients.
  void beginGradientReduction(const std::vector<torch::Tensor>& parameters, bool average);
  void finishGradientReduction();
  // Sums numbers over the ranks (the step's loss and stop votes).
  std::vector<double> sum(const std::vector<double>& values);
  void barrier();
  // Throws on every rank alike unless all ranks pass rank 0's value: "rank R <what> X, rank 0
  // <what> Y: <advice>" (", another rank does not" where this rank has rank 0's value).
  void requireSameAsRankZero(int64_t value, const std::string& what, const std::string& advice);

  struct Group;  // the c10d objects (DataParallel.cpp)

 private:
  void gradientReady(size_t index, const torch::Tensor& gradient);

  DistributedEnvironment env_;
  std::string backendName_;
  torch::Device device_;
  std::unique_ptr<Group> group_;
};

// True when this build can join a group with backend ("gloo" or "nccl").
bool dataParallelBackendBuilt(const std::string& backend);

}  // namespace heardmap
