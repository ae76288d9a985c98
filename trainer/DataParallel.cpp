// Torch translation unit: data-parallel collectives over c10d.
#include "DataParallelTorch.h"

#include <torch/version.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
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

// Gradient bucket size (DDP's default bucket_cap_mb).
constexpr int64_t kBucketBytes = 25 * 1024 * 1024;

#if TORCH_VERSION_MAJOR >= 2
using GroupBase = c10d::Backend;  // LibTorch 2.x: a process group's backend
#else
using GroupBase = c10d::ProcessGroup;
#endif

// A collective's handle (ProcessGroup::Work in 1.13, c10d::Work in 2.x).
using WorkPtr = decltype(std::declval<GroupBase&>().barrier());

// Torch's message without its C++ backtrace.
std::string plain(const c10::Error& e) {
  const std::string text = e.what_without_backtrace();
  return text.substr(0, text.find('\n'));
}

}  // namespace

struct DataParallel::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<GroupBase> collectives;
  bool hostTransport = false;  // Gloo: tensors travel through host memory in float
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
  } catch (const c10::Error& e) {
    throw std::runtime_error("rank " + std::to_string(env.rank) + " could not join the run at " +
                             rendezvous + " (" + plain(e) + ")");
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(env.rank) + " could not join the run at " +
                             rendezvous + " (" + e.what() + ")");
  }
}

DataParallel::~DataParallel() = default;

namespace {

// Waits for a collective; a lost rank becomes a plain message.
void await(const WorkPtr& work, int rank, const char* what) {
  try {
    work->wait();
  } catch (const c10::Error& e) {
    throw std::runtime_error("rank " + std::to_string(rank) + ": " + what +
                             " failed: another process of the run died, was stopped or stopped "
                             "answering (" +
                             plain(e) + "); this one stops too, the last checkpoint stays");
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(rank) + ": " + what +
                             " failed: another process of the run died, was stopped or stopped "
                             "answering (" +
                             std::string(e.what()) +
                             "); this one stops too, the last checkpoint "
                             "stays");
  }
}

}  // namespace

void DataParallel::broadcast(const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard noGrad;
  for (const torch::Tensor& t : tensors) {
    std::vector<at::Tensor> io{group_->hostTransport ? t.detach().cpu().contiguous()
                                                     : t.detach().contiguous()};
    await(group_->collectives->broadcast(io), rank(), "broadcasting rank 0's weights");
    t.detach().copy_(io[0]);
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

void DataParallel::reduceGradients(const std::vector<torch::Tensor>& parameters, bool average) {
  torch::NoGradGuard noGrad;
  struct Bucket {
    std::vector<torch::Tensor> grads;
    std::vector<at::Tensor> flat;
    WorkPtr work;
  };
  std::vector<Bucket> buckets(1);
  int64_t bytes = 0;
  for (const torch::Tensor& p : parameters) {
    const torch::Tensor& g = p.grad();
    if (!g.defined()) {
      continue;  // frozen (the same on every rank)
    }
    if (bytes > 0 && bytes + g.numel() * g.element_size() > kBucketBytes) {
      buckets.emplace_back();
      bytes = 0;
    }
    buckets.back().grads.push_back(g);
    bytes += g.numel() * g.element_size();
  }
  for (Bucket& b : buckets) {
    if (b.grads.empty()) {
      continue;
    }
    std::vector<torch::Tensor> views;
    for (const torch::Tensor& g : b.grads) {
      views.push_back(g.reshape({-1}));
    }
    torch::Tensor flat = torch::cat(views);
    if (group_->hostTransport) {
      flat = flat.to(torch::kCPU, torch::kFloat).contiguous();
    }
    b.flat = {flat};
    b.work = group_->collectives->allreduce(b.flat);  // all buckets in flight together
  }
  for (Bucket& b : buckets) {
    if (b.grads.empty()) {
      continue;
    }
    await(b.work, rank(), "summing gradients");
    torch::Tensor flat = b.flat[0];
    if (average) {
      flat.div_(static_cast<double>(worldSize()));
    }
    int64_t offset = 0;
    for (torch::Tensor& g : b.grads) {
      g.copy_(flat.narrow(0, offset, g.numel()).view_as(g));
      offset += g.numel();
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

void DataParallel::barrier() {
  await(group_->collectives->barrier(), rank(), "waiting for every rank");
}

}  // namespace heardmap
