// Torch translation unit: data-parallel collectives over c10d.
#include "DataParallelTorch.h"

#include <torch/version.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#if HEARDMAP_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if HEARDMAP_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace heardmap {
namespace {

// Gradient bucket size: DDP's default bucket_cap_mb (25 MB) for its later buckets; the compact
// models (23 MB of gradients) would fit one, so smaller ones here let the first start while
// backward still runs. The first bucket is smaller still (DDP's 1 MB).
constexpr int64_t kBucketBytes = 8 * 1024 * 1024;
constexpr int64_t kFirstBucketBytes = 1024 * 1024;

#if TORCH_VERSION_MAJOR >= 2
using GroupBase = c10d::Backend;  // LibTorch 2.x: a process group's backend
#else
using GroupBase = c10d::ProcessGroup;
#endif

// A collective's handle (ProcessGroup::Work in 1.13, c10d::Work in 2.x).
using WorkPtr = decltype(std::declval<GroupBase&>().barrier());

// An exception's message; torch's first line alone, without its C++ backtrace.
std::string plain(const std::exception& e) {
  const auto* torchError = dynamic_cast<const c10::Error*>(&e);
  const std::string text = torchError != nullptr ? torchError->what_without_backtrace() : e.what();
  return text.substr(0, text.find('\n'));
}

// One bucket of gradients: the parameters in it, their gradients end to end, how many have not
// arrived yet in this backward, and its all-reduce once started.
struct GradientBucket {
  std::vector<size_t> members;  // parameter indices
  int64_t numel = 0;
  int pending = 0;
  std::vector<at::Tensor> flat;
  WorkPtr work;
};

// The gradient sums of one backward (DataParallel::beginGradientReduction).
struct GradientReduction {
  std::mutex mutex;
  std::vector<bool> hooked;  // per parameter: its hook is registered
  bool active = false;       // a backward is being reduced
  bool average = false;
  std::vector<torch::Tensor> parameters;
  std::vector<std::pair<int, int64_t>> slotOf;  // per parameter: bucket (-1: none), offset
  std::vector<bool> arrived;
  std::vector<GradientBucket> buckets;
  std::vector<bool> trained;  // per parameter: whether it trains, as when buckets were made
  size_t nextToLaunch = 0;
};

// Buckets for the parameters of r that train, in reverse parameter order, as backward produces
// the gradients (the last layers' bucket is ready first); a small first bucket starts the
// traffic early (as DDP's). Each bucket's buffer takes its members' gradients end to end.
void planBuckets(GradientReduction& r, const torch::TensorOptions& options) {
  r.buckets.clear();
  r.slotOf.assign(r.parameters.size(), {-1, 0});
  int64_t limit = kFirstBucketBytes;
  for (size_t i = r.parameters.size(); i-- > 0;) {
    const torch::Tensor& p = r.parameters[i];
    if (!p.requires_grad()) {
      continue;  // frozen (the same on every rank)
    }
    if (r.buckets.empty() ||
        (r.buckets.back().numel + p.numel()) * static_cast<int64_t>(sizeof(float)) > limit) {
      if (!r.buckets.empty()) {
        limit = kBucketBytes;
      }
      r.buckets.emplace_back();
    }
    GradientBucket& bucket = r.buckets.back();
    r.slotOf[i] = {static_cast<int>(r.buckets.size()) - 1, bucket.numel};
    bucket.members.push_back(i);
    bucket.numel += p.numel();
  }
  for (GradientBucket& bucket : r.buckets) {
    bucket.flat = {torch::zeros({bucket.numel}, options)};
  }
}

}  // namespace

struct DataParallel::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<GroupBase> collectives;
  bool hostTransport = false;  // Gloo: tensors travel through host memory in float
  GradientReduction reduction;
};

bool dataParallelBackendBuilt(const std::string& backend) {
  if (backend == "gloo") {
    return HEARDMAP_WITH_GLOO != 0;
  }
  if (backend == "nccl") {
    return HEARDMAP_WITH_NCCL != 0;
  }
  return false;
}

DataParallel::DataParallel(const DistributedEnvironment& env, const std::string& backend,
                           torch::Device device, double timeoutSeconds)
    : env_(env), device_(device), group_(std::make_unique<Group>()) {
  backendName_ = backend != "auto"                                      ? backend
                 : device.is_cuda() && dataParallelBackendBuilt("nccl") ? "nccl"
                                                                        : "gloo";
  if (backendName_ == "nccl" && !device.is_cuda()) {
    throw std::runtime_error("--backend nccl needs CUDA; this process trains on the CPU");
  }
  if (!dataParallelBackendBuilt(backendName_)) {
    throw std::runtime_error("this heardmap-train was built without c10d " + backendName_ + " (" +
                             (backendName_ == "gloo" ? "no gloo headers were found: install "
                                                       "libgloo-dev or use a LibTorch that has "
                                                       "them"
                                                     : "configure with -DHEARDMAP_WITH_NCCL=ON") +
                             "); it cannot train with WORLD_SIZE " + std::to_string(env.worldSize));
  }
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(timeoutSeconds * 1000.0));
  const std::string rendezvous = env.masterAddress + ":" + std::to_string(env.masterPort);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(env.masterPort);
    options.isServer = env.rank == 0 && !env.agentStore;
    options.numWorkers = static_cast<size_t>(env.worldSize);
    options.waitWorkers = !env.agentStore;
    options.timeout = timeout;
    // The group's keys under their own prefix (torchrun's agent keeps its own in the same store).
    group_->store = c10::make_intrusive<c10d::PrefixStore>(
        "heardmap/attempt_" + std::to_string(env.restartCount),
        c10::make_intrusive<c10d::TCPStore>(env.masterAddress, options));
#if HEARDMAP_WITH_NCCL
    if (backendName_ == "nccl") {
      auto nccl = c10d::ProcessGroupNCCL::Options::create();
      nccl->timeout = timeout;
      group_->collectives =
          c10::make_intrusive<c10d::ProcessGroupNCCL>(group_->store, env.rank, env.worldSize, nccl);
    }
#endif
#if HEARDMAP_WITH_GLOO
    if (backendName_ == "gloo") {
      auto gloo = c10d::ProcessGroupGloo::Options::create(timeout);
      const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
      gloo->devices.push_back(
          interface != nullptr && *interface != '\0'
              ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
              : c10d::ProcessGroupGloo::createDeviceForHostname(
                    env.masterAddress == "localhost" || env.masterAddress.rfind("127.", 0) == 0
                        ? "127.0.0.1"
                        : env.masterAddress));
      group_->collectives =
          c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, env.rank, env.worldSize, gloo);
      group_->hostTransport = true;
    }
#endif
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(env.rank) + " could not join the run at " +
                             rendezvous + " (" + plain(e) + ")");
  }
}

DataParallel::~DataParallel() = default;

namespace {

// Waits for a collective; a lost rank becomes a plain message.
void await(const WorkPtr& work, int rank, const char* what) {
  try {
    work->wait();
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(rank) + ": " + what +
                             " failed: another process of the run died, was stopped or stopped "
                             "answering (" +
                             plain(e) + "); this one stops too, the last checkpoint stays");
  }
}

}  // namespace

void DataParallel::broadcast(const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard noGrad;
  // One collective per element type (batch norm's statistics are float, its step counts int64):
  // the tensors end to end, then copied back, instead of one round trip per tensor.
  std::map<c10::ScalarType, std::vector<torch::Tensor>> byType;
  for (const torch::Tensor& t : tensors) {
    byType[t.scalar_type()].push_back(t.detach());
  }
  for (auto& [type, group] : byType) {
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor& t : group) {
      flat.push_back(t.reshape({-1}));
    }
    std::vector<at::Tensor> io{torch::cat(flat)};
    if (group_->hostTransport) {
      io[0] = io[0].cpu();
    }
    await(group_->collectives->broadcast(io), rank(), "broadcasting rank 0's weights");
    int64_t offset = 0;
    for (torch::Tensor& t : group) {
      t.copy_(io[0].narrow(0, offset, t.numel()).view_as(t));
      offset += t.numel();
    }
  }
}

torch::Tensor DataParallel::gatherWithGradient(const torch::Tensor& local) {
  torch::Tensor sent = local.detach().contiguous();
  if (group_->hostTransport) {
    sent = sent.to(torch::kCPU, torch::kFloat).contiguous();
  }
  std::vector<at::Tensor> input{sent};
  std::vector<std::vector<at::Tensor>> output(1);
  for (int r = 0; r < worldSize(); ++r) {
    output[0].push_back(torch::empty_like(sent));
  }
  await(group_->collectives->allgather(output, input), rank(), "gathering embeddings");
  std::vector<torch::Tensor> parts;
  for (int r = 0; r < worldSize(); ++r) {
    parts.push_back(r == rank() ? local : output[0][static_cast<size_t>(r)].to(local.options()));
  }
  return torch::cat(parts, 0);
}

void DataParallel::beginGradientReduction(const std::vector<torch::Tensor>& parameters,
                                          bool average) {
  GradientReduction& r = group_->reduction;
  const std::lock_guard<std::mutex> lock(r.mutex);
  r.average = average;
  r.parameters = parameters;
  std::vector<bool> trained(parameters.size());
  for (size_t i = 0; i < parameters.size(); ++i) {
    trained[i] = parameters[i].requires_grad();
  }
  if (trained != r.trained) {
    // The buckets and their buffers are made again only when the trained parameters change
    // (--freeze-trunks ending), not every step.
    const auto options = group_->hostTransport ? torch::TensorOptions().dtype(torch::kFloat)
                                               : parameters.front().options();
    planBuckets(r, options);
    r.trained = trained;
  }
  for (GradientBucket& bucket : r.buckets) {
    bucket.pending = static_cast<int>(bucket.members.size());
  }
  r.arrived.assign(parameters.size(), false);
  r.nextToLaunch = 0;
  // Every parameter that trains reports its gradient as autograd produces it (on the backward's
  // thread; CUDA's on the device thread). Hooked once, when it first trains (frozen trunks
  // start training later).
  r.hooked.resize(parameters.size(), false);
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (!r.hooked[i] && trained[i]) {
      torch::Tensor p = parameters[i];
      p.register_hook([this, i](const torch::Tensor& gradient) { gradientReady(i, gradient); });
      r.hooked[i] = true;
    }
  }
  r.active = true;
}

void DataParallel::gradientReady(size_t index, const torch::Tensor& gradient) {
  GradientReduction& r = group_->reduction;
  const std::lock_guard<std::mutex> lock(r.mutex);
  if (!r.active || r.slotOf[index].first < 0 || r.arrived[index]) {
    return;
  }
  r.arrived[index] = true;
  const auto [bucketIndex, offset] = r.slotOf[index];
  GradientBucket& bucket = r.buckets[static_cast<size_t>(bucketIndex)];
  torch::NoGradGuard noGrad;
  bucket.flat[0].narrow(0, offset, gradient.numel()).copy_(gradient.reshape({-1}));
  --bucket.pending;
  // Buckets start in their order only, so that every rank issues the same collectives in the
  // same order whatever order its hooks ran in.
  while (r.nextToLaunch < r.buckets.size() && r.buckets[r.nextToLaunch].pending == 0) {
    GradientBucket& ready = r.buckets[r.nextToLaunch++];
    ready.work = group_->collectives->allreduce(ready.flat);
  }
}

void DataParallel::finishGradientReduction() {
  GradientReduction& r = group_->reduction;
  const std::lock_guard<std::mutex> lock(r.mutex);
  r.active = false;
  torch::NoGradGuard noGrad;
  // Parameters that took no part in this backward (the same ones on every rank) count as zero.
  while (r.nextToLaunch < r.buckets.size()) {
    GradientBucket& late = r.buckets[r.nextToLaunch++];
    for (const size_t i : late.members) {
      if (!r.arrived[i]) {
        late.flat[0].narrow(0, r.slotOf[i].second, r.parameters[i].numel()).zero_();
      }
    }
    late.work = group_->collectives->allreduce(late.flat);
  }
  for (GradientBucket& bucket : r.buckets) {
    await(bucket.work, rank(), "summing gradients");
    torch::Tensor flat = bucket.flat[0];
    if (r.average) {
      flat.div_(static_cast<double>(worldSize()));
    }
    for (const size_t i : bucket.members) {
      torch::Tensor& grad = r.parameters[i].mutable_grad();
      if (!grad.defined()) {
        continue;  // no gradient on any rank
      }
      grad.copy_(flat.narrow(0, r.slotOf[i].second, grad.numel()).view_as(grad));
    }
  }
}

std::vector<double> DataParallel::sum(const std::vector<double>& values) {
  std::vector<at::Tensor> io{torch::tensor(values, torch::TensorOptions().dtype(torch::kDouble))};
  if (!group_->hostTransport) {
    io[0] = io[0].to(device_);
  }
  await(group_->collectives->allreduce(io), rank(), "agreeing on the step");
  const torch::Tensor total = io[0].cpu();
  return {total.data_ptr<double>(), total.data_ptr<double>() + total.numel()};
}

void DataParallel::requireSameAsRankZero(int64_t value, const std::string& what,
                                         const std::string& advice) {
  const auto rootValue =
      static_cast<int64_t>(sum({rank() == 0 ? static_cast<double>(value) : 0.0})[0]);
  if (sum({value == rootValue ? 0.0 : 1.0})[0] > 0) {
    throw std::runtime_error(
        "rank " + std::to_string(rank()) + " " + what + " " + std::to_string(value) +
        (value == rootValue ? ", another rank does not"
                            : ", rank 0 " + what + " " + std::to_string(rootValue)) +
        ": " + advice);
  }
}

void DataParallel::barrier() {
  await(group_->collectives->barrier(), rank(), "waiting for every rank");
}

}  // namespace heardmap
