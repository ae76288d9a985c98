// Torch translation unit: the EZ-VSL-family networks and their inference.
#include "LocalizationModel.h"

#include "EzvslNet.h"

#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <cstring>

#include "SsplFiles.h"
#include "core/AudioFrontEnd.h"
#include "core/Fnv1a.h"
#include "core/Methods.h"
#include "core/PilResize.h"
#include "core/Safetensors.h"
#include "core/Spectrogram.h"
#include "core/pth/PthReader.h"

namespace heardmap {
namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

torch::ScalarType scalarTypeFor(DType dtype) {
  switch (dtype) {
    case DType::F32:
      return torch::kFloat;
    case DType::F16:
      return torch::kHalf;
    case DType::BF16:
      return torch::kBFloat16;
    case DType::F64:
      return torch::kDouble;
    case DType::I64:
      return torch::kLong;
    case DType::I32:
      return torch::kInt;
    case DType::I16:
      return torch::kShort;
    case DType::I8:
      return torch::kChar;
    case DType::U8:
      return torch::kByte;
    case DType::Bool:
      return torch::kBool;
    case DType::Invalid:
      break;
  }
  throw CheckpointError("tensor without dtype");
}

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

struct LocalizationModel::Impl {
  explicit Impl(const CheckpointInfo& info_)
      : info(info_), net(info_.config), audio(info_.contract) {
    net->eval();  // inference: batch-norm running statistics, no dropout
  }

  // The network's audio input for one window: 1 x 1 x F x T, or E x 1 x 96 x 64 VGGish examples.
  torch::Tensor audioInput(const std::vector<float>& window) const {
    std::vector<int64_t> shape;
    std::vector<float> values = audio.compute(window, &shape);
    if (shape[0] == 0) {
      throw std::invalid_argument("localize: an audio window under 0.96 s has no VGGish example");
    }
    return torch::from_blob(values.data(), shape, torch::kFloat).clone();
  }

  CheckpointInfo info;
  EzvslNet net;
  AudioFrontEnd audio;          // spectrogram, or the official SSPL's VGGish examples
  uint64_t fingerprint = 0;     // of the visual weights; 0 = not computed since the last change
  bool evaluationCrop = false;  // setEvaluationCrop
};

LocalizationModel::LocalizationModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalizationModel::~LocalizationModel() = default;

std::unique_ptr<LocalizationModel> LocalizationModel::createUntrained(
    const ModelConfig& config, const PreprocessingContract& contract, uint64_t seed) {
  CheckpointInfo info;
  info.config = config;
  info.contract = contract;
  info.trained = false;
  info.source = "untrained (seed " + std::to_string(seed) + ")";
  torch::manual_seed(seed);
  auto impl = std::make_unique<Impl>(info);
  initializeWeights(*impl->net);
  return std::unique_ptr<LocalizationModel>(new LocalizationModel(std::move(impl)));
}

std::unique_ptr<LocalizationModel> LocalizationModel::open(const std::string& pathOrEmpty,
                                                           const LoadOptions& options) {
  if (!pathOrEmpty.empty()) {
    return load(pathOrEmpty, options);
  }
  const ModelConfig config = ModelConfig::compact();
  PreprocessingContract contract = PreprocessingContract::ezvsl();
  contract.imageSize = config.defaultImageSize();
  return createUntrained(config, contract, /*seed=*/1);
}

std::unique_ptr<LocalizationModel> LocalizationModel::load(const std::string& path,
                                                           const LoadOptions& options) {
  // loadWeights with the path in front of its messages.
  const auto loadInto = [&path](LocalizationModel& model, const StateDict& weights,
                                bool allowMissing) {
    try {
      model.loadWeights(weights, allowMissing);
    } catch (const CheckpointError& e) {
      throw CheckpointError(path + ": " + e.what());
    }
  };
  // A model of info holding every tensor of weights.
  const auto withWeights = [&loadInto](const CheckpointInfo& info, const StateDict& weights) {
    auto model =
        std::unique_ptr<LocalizationModel>(new LocalizationModel(std::make_unique<Impl>(info)));
    loadInto(*model, weights, /*allowMissing=*/false);
    return model;
  };
  const bool isSafetensors = path.size() >= 12 && path.substr(path.size() - 12) == ".safetensors";
  if (isSafetensors) {
    SafetensorsFile file;
    try {
      file = loadSafetensors(path);
    } catch (const std::exception& e) {
      throw CheckpointError(e.what());
    }
    if (file.metadata.count("format") == 0) {
      return withWeights(
          foreignCheckpoint(file.tensors, path, options, "safetensors without metadata"),
          file.tensors);
    }
    CheckpointInfo info;
    try {
      info = CheckpointInfo::fromMetadata(file.metadata);
    } catch (const CheckpointError& e) {
      throw CheckpointError(path + ": " + e.what());
    }
    info.source = path;
    return withWeights(info, file.tensors);
  }
  if (isSsplFileSet(path)) {  // the official SSPL: a folder or one of its files
    std::string held;
    StateDict weights = readSsplFileSet(path, &held);
    return withWeights(foreignCheckpoint(weights, path, options, held), weights);
  }
  PthContents contents;
  try {
    contents = readPth(path);
  } catch (const PthError& e) {
    throw CheckpointError(e.what());
  }
  StateDict& weights = contents.tensors;
  if (isTorchvisionResnet(weights)) {
    // ImageNet backbone: visual trunk only, the rest stays randomly initialised.
    StateDict prefixed;
    for (auto& [name, tensor] : weights) {
      if (!startsWith(name, "fc.")) {
        prefixed["imgnet." + name] = std::move(tensor);
      }
    }
    ModelConfig config = ModelConfig::full();
    config.baseWidth = static_cast<int>(prefixed.at("imgnet.conv1.weight").shape.at(0));
    auto model = createUntrained(config, PreprocessingContract::ezvsl(), /*seed=*/0);
    loadInto(*model, prefixed, /*allowMissing=*/true);
    model->info().source =
        path + " (" + contents.summary() + "; visual backbone only, audio and heads untrained)";
    return model;
  }
  return withWeights(foreignCheckpoint(weights, path, options, contents.summary()), weights);
}

LoadReport LocalizationModel::loadWeights(const StateDict& weights, bool allowMissing) {
  torch::NoGradGuard noGrad;
  impl_->fingerprint = 0;
  LoadReport report;
  std::map<std::string, torch::Tensor> targets;
  for (const auto& item : impl_->net->named_parameters(/*recurse=*/true)) {
    targets[item.key()] = item.value();
  }
  for (const auto& item : impl_->net->named_buffers(/*recurse=*/true)) {
    targets[item.key()] = item.value();
  }
  // Validate everything before copying anything, so a bad file leaves the model untouched.
  std::map<std::string, torch::Tensor> sources;
  for (const auto& [name, target] : targets) {
    const auto it = weights.find(name);
    if (it == weights.end()) {
      report.missing.push_back(name);
      continue;
    }
    const std::vector<int64_t> expected(target.sizes().begin(), target.sizes().end());
    if (it->second.shape != expected) {
      TensorData wanted;
      wanted.shape = expected;
      throw CheckpointError("tensor '" + name + "' has shape " + it->second.shapeString() +
                            " but the model expects " + wanted.shapeString());
    }
    if (it->second.dtype == DType::Invalid ||
        it->second.bytes.size() !=
            static_cast<size_t>(it->second.elementCount()) * dtypeSize(it->second.dtype)) {
      throw CheckpointError("tensor '" + name + "' is truncated or has no dtype");
    }
    const bool sourceIsFloat = isFloatingDType(it->second.dtype);
    if (target.is_floating_point() != sourceIsFloat) {
      throw CheckpointError(
          "tensor '" + name + "' is " + dtypeName(it->second.dtype) + " but the model expects " +
          (target.is_floating_point() ? "floating point" : "integer") + " values");
    }
    torch::Tensor source = torch::empty(
        it->second.shape, torch::TensorOptions().dtype(scalarTypeFor(it->second.dtype)));
    std::memcpy(source.data_ptr(), it->second.bytes.data(), it->second.bytes.size());
    if (sourceIsFloat && !torch::isfinite(source).all().item<bool>()) {
      const int64_t bad = (~torch::isfinite(source)).sum().item<int64_t>();
      throw CheckpointError("tensor '" + name + "' has " + std::to_string(bad) + " of " +
                            std::to_string(source.numel()) + " values that are NaN or infinite");
    }
    sources[name] = source;
  }
  const bool onlyOptional =
      std::all_of(report.missing.begin(), report.missing.end(), [](const std::string& n) {
        return (n.size() >= 19 && n.substr(n.size() - 19) == "num_batches_tracked") ||
               isTrainingOnlyTensor(n);
      });
  if (!allowMissing && !report.missing.empty() && !onlyOptional) {
    std::string list;
    for (size_t i = 0; i < std::min<size_t>(report.missing.size(), 5); ++i) {
      list += (i ? ", " : "") + report.missing[i];
    }
    throw CheckpointError("missing " + std::to_string(report.missing.size()) + " tensors (" + list +
                          (report.missing.size() > 5 ? ", ..." : "") + ")");
  }
  for (const auto& item : weights) {
    const auto it = targets.find(item.first);
    if (it == targets.end()) {
      report.unexpected.push_back(item.first);
      continue;
    }
    it->second.copy_(sources.at(item.first).to(it->second.dtype()));
    ++report.loaded;
  }
  return report;
}

bool LocalizationModel::isTrainingOnlyTensor(const std::string& name) {
  return startsWith(name, "sspl_projector.") || startsWith(name, "sspl_predictor.");
}

StateDict LocalizationModel::stateDict(DType storeAs, bool inferenceOnly) const {
  StateDict out;
  const auto add = [&](const std::string& name, const torch::Tensor& tensor) {
    if (inferenceOnly && isTrainingOnlyTensor(name)) {
      return;
    }
    torch::Tensor t = tensor.detach().cpu().contiguous();
    TensorData data;
    if (t.is_floating_point()) {
      t = t.to(storeAs == DType::F16 ? torch::kHalf : torch::kFloat).contiguous();
      data.dtype = storeAs == DType::F16 ? DType::F16 : DType::F32;
    } else {
      t = t.to(torch::kLong);
      data.dtype = DType::I64;
    }
    data.shape.assign(t.sizes().begin(), t.sizes().end());
    data.bytes.assign(static_cast<const char*>(t.data_ptr()), t.numel() * t.element_size());
    out[name] = std::move(data);
  };
  for (const auto& item : impl_->net->named_parameters(true)) {
    add(item.key(), item.value());
  }
  for (const auto& item : impl_->net->named_buffers(true)) {
    add(item.key(), item.value());
  }
  return out;
}

void LocalizationModel::save(const std::string& path, DType storeAs, bool inferenceOnly) const {
  SafetensorsFile file;
  file.tensors = stateDict(storeAs, inferenceOnly);
  file.metadata = impl_->info.toMetadata();
  saveSafetensors(path, file);
}

struct VisualFeatures {
  torch::Tensor map;  // 1 x D x h x w, L2-normalised over D (SSPL: the trunk map)
  double timeSeconds = 0.0;
  double visualMs = 0.0;
  uint64_t fingerprint = 0;
  const LocalizationModel* owner = nullptr;
};

namespace {

void checkFrame(const RgbImage& frame) {
  if (frame.empty() || frame.pixels.size() != static_cast<size_t>(frame.width) * frame.height * 3) {
    throw std::invalid_argument("localize: empty or malformed frame");
  }
}

// The window must be exactly the contract's length (a wrong rate or a short cut shows here).
void checkWindow(const std::vector<float>& audioWindow, const PreprocessingContract& contract) {
  if (static_cast<int>(audioWindow.size()) != contract.windowSamples()) {
    throw std::invalid_argument("localize: audio window has " + std::to_string(audioWindow.size()) +
                                " samples, the contract needs " +
                                std::to_string(contract.windowSamples()));
  }
}

// The Heatmap of a 1 x h x w localisation map.
Heatmap heatmapOf(const torch::Tensor& batchOfOne) {
  const torch::Tensor map = batchOfOne.squeeze(0).to(torch::kFloat).contiguous();
  Heatmap heatmap;
  heatmap.height = static_cast<int>(map.size(0));
  heatmap.width = static_cast<int>(map.size(1));
  heatmap.scores.assign(map.data_ptr<float>(), map.data_ptr<float>() + map.numel());
  heatmap.updateRange();
  return heatmap;
}

}  // namespace

std::shared_ptr<const VisualFeatures> LocalizationModel::encodeVisual(const RgbImage& frame) {
  c10::InferenceMode inferenceMode;
  checkFrame(frame);
  const auto start = Clock::now();
  auto features = std::make_shared<VisualFeatures>();
  features->map = impl_->net->encodeImage(
      imageTensor({&frame}, impl_->info.contract,
                  impl_->evaluationCrop && impl_->info.contract.imageCrop == "centre"));
  features->timeSeconds = frame.timeSeconds;
  features->visualMs = millisecondsSince(start);
  features->fingerprint = visualFingerprint();
  features->owner = this;
  return features;
}

uint64_t LocalizationModel::visualFingerprint() const {
  if (impl_->fingerprint != 0) {
    return impl_->fingerprint;
  }
  c10::InferenceMode inferenceMode;
  const std::string contract = impl_->info.contract.toJson().dump() +
                               impl_->info.config.toJson().dump() +
                               (impl_->evaluationCrop ? "evaluation crop" : "");
  uint64_t hash = fnv1a(contract.data(), contract.size());
  for (const auto& item : impl_->net->named_parameters(true)) {
    if (startsWith(item.key(), "imgnet.") || startsWith(item.key(), "img_proj") ||
        startsWith(item.key(), "frame.")) {
      const torch::Tensor t = item.value().detach().to(torch::kCPU).contiguous();
      hash = fnv1a(item.key().data(), item.key().size(), hash);
      hash = fnv1a(t.data_ptr(), static_cast<size_t>(t.nbytes()), hash);
    }
  }
  for (const auto& item : impl_->net->named_buffers(true)) {
    if (startsWith(item.key(), "imgnet.") && item.value().is_floating_point()) {
      const torch::Tensor t = item.value().detach().to(torch::kCPU).contiguous();
      hash = fnv1a(t.data_ptr(), static_cast<size_t>(t.nbytes()), hash);
    }
  }
  impl_->fingerprint = hash == 0 ? 1 : hash;
  return impl_->fingerprint;
}

struct AudioFeatures {
  torch::Tensor vector;  // 1 x D, L2-normalised
  double milliseconds = 0.0;
  const LocalizationModel* owner = nullptr;
};

std::shared_ptr<const AudioFeatures> LocalizationModel::encodeAudio(
    const std::vector<float>& audioWindow) {
  c10::InferenceMode inferenceMode;
  const auto start = Clock::now();
  const PreprocessingContract& contract = impl_->info.contract;
  checkWindow(audioWindow, contract);
  auto features = std::make_shared<AudioFeatures>();
  features->vector = impl_->net->encodeAudio(impl_->audioInput(audioWindow));
  features->milliseconds = millisecondsSince(start);
  features->owner = this;
  return features;
}

Heatmap LocalizationModel::combine(const VisualFeatures& visual, const AudioFeatures& audio) {
  c10::InferenceMode inferenceMode;
  if (visual.owner != this && visual.fingerprint != visualFingerprint()) {
    throw std::invalid_argument("localize: visual features come from a different visual network");
  }
  if (audio.owner != this) {
    throw std::invalid_argument("localize: audio features come from a different model");
  }
  const auto start = Clock::now();
  Heatmap heatmap = heatmapOf(impl_->net->localizationMap(visual.map, audio.vector));
  heatmap.timeSeconds = visual.timeSeconds;
  heatmap.inferenceMs = audio.milliseconds + millisecondsSince(start);
  return heatmap;
}

Heatmap LocalizationModel::localizeWith(const VisualFeatures& features,
                                        const std::vector<float>& audioWindow,
                                        InferenceTiming* timing) {
  // combine() checks that the visual features are this network's.
  const std::shared_ptr<const AudioFeatures> audio = encodeAudio(audioWindow);
  Heatmap heatmap = combine(features, *audio);
  if (timing != nullptr) {
    *timing = {0.0, 0.0, audio->milliseconds, heatmap.inferenceMs};
  }
  return heatmap;
}

Heatmap LocalizationModel::localize(const RgbImage& frame, const std::vector<float>& audioWindow,
                                    InferenceTiming* timing) {
  checkWindow(audioWindow, contract());  // before the visual pass, not after it
  const std::shared_ptr<const VisualFeatures> visual = encodeVisual(frame);
  Heatmap heatmap = localizeWith(*visual, audioWindow, timing);
  heatmap.inferenceMs += visual->visualMs;
  if (timing != nullptr) {
    timing->visualMs = visual->visualMs;
    timing->totalMs = heatmap.inferenceMs;
  }
  return heatmap;
}

Heatmap LocalizationModel::mapOfInputs(const TensorData& image, const TensorData& spectrogram) {
  c10::InferenceMode inferenceMode;
  const auto asTensor = [](const TensorData& data, const char* what, size_t rank,
                           std::vector<int64_t> leading) {
    std::vector<int64_t> shape = data.shape;
    if (shape.size() == rank) {
      shape.insert(shape.begin(), leading.begin(), leading.end());
    }
    if (data.dtype != DType::F32 || shape.size() != 4 || shape[0] != 1 ||
        (leading.size() == 2 && shape[1] != 1) || (leading.size() == 1 && shape[1] != 3) ||
        data.bytes.size() != static_cast<size_t>(data.elementCount()) * sizeof(float)) {
      throw std::invalid_argument(std::string("mapOfInputs: ") + what + " must be F32 " +
                                  (leading.size() == 1 ? "3 x S x S" : "F x T") + ", not " +
                                  dtypeName(data.dtype) + " " + data.shapeString());
    }
    return torch::from_blob(const_cast<char*>(data.bytes.data()), shape, torch::kFloat).clone();
  };
  const torch::Tensor visual = impl_->net->encodeImage(asTensor(image, "image", 3, {1}));
  torch::Tensor audioInput;
  if (impl_->info.contract
          .usesVggish()) {  // the official SSPL's input: its VGGish examples, E x 96 x 64
    const std::vector<int64_t>& shape = spectrogram.shape;
    if (spectrogram.dtype != DType::F32 || shape.size() != 3 || shape[0] < 1 ||
        shape[1] != VggishLogMel::kExampleFrames || shape[2] != VggishLogMel::kBands ||
        spectrogram.bytes.size() != static_cast<size_t>(spectrogram.elementCount()) * 4) {
      throw std::invalid_argument("mapOfInputs: VGGish examples must be F32 E x 96 x 64, not " +
                                  dtypeName(spectrogram.dtype) + " " + spectrogram.shapeString());
    }
    audioInput = torch::from_blob(const_cast<char*>(spectrogram.bytes.data()),
                                  {shape[0], 1, shape[1], shape[2]}, torch::kFloat)
                     .clone();
  } else {
    audioInput = asTensor(spectrogram, "spectrogram", 2, {1, 1});
  }
  const torch::Tensor audio = impl_->net->encodeAudio(audioInput);
  return heatmapOf(impl_->net->localizationMap(visual, audio));
}

EzvslNet& networkOf(LocalizationModel& model) {
  model.impl_->fingerprint = 0;
  return model.impl_->net;
}

torch::Tensor imageTensor(const std::vector<const RgbImage*>& frames,
                          const PreprocessingContract& contract, bool centreCrop) {
  const int size = contract.imageSize;
  std::vector<torch::Tensor> images;
  for (const RgbImage* frame : frames) {
    // Resized on 8-bit pixels exactly as torchvision's Resize((S, S), BICUBIC) on a PIL image
    // (core/PilResize.h), or Resize(S) + CenterCrop(S), before the scaling to [0, 1], as the
    // official loaders do.
    RgbImage resized;
    const RgbImage* source = frame;
    if (centreCrop) {
      resized = resizeAndCentreCropLikeTorchvision(*frame, size);
      source = &resized;
    } else if (frame->width != size || frame->height != size) {
      resized = resizeBicubicLikePil(*frame, size, size);
      source = &resized;
    }
    images.push_back(torch::from_blob(const_cast<uint8_t*>(source->pixels.data()),
                                      {1, source->height, source->width, 3}, torch::kByte)
                         .permute({0, 3, 1, 2})
                         .to(torch::kFloat)
                         .div_(255.0f));
  }
  const torch::Tensor mean =
      torch::tensor({contract.imageMean[0], contract.imageMean[1], contract.imageMean[2]})
          .view({1, 3, 1, 1});
  const torch::Tensor std =
      torch::tensor({contract.imageStd[0], contract.imageStd[1], contract.imageStd[2]})
          .view({1, 3, 1, 1});
  return (torch::cat(images, 0) - mean) / std;
}

torch::Tensor spectrogramTensor(const std::vector<const std::vector<float>*>& windows,
                                const PreprocessingContract& contract) {
  const Spectrogram spectrogram(contract);
  std::vector<torch::Tensor> out;
  for (const std::vector<float>* window : windows) {
    std::vector<float> values = spectrogram.compute(*window);
    out.push_back(
        torch::from_blob(values.data(),
                         {1, 1, contract.frequencyBins(), spectrogram.framesFor(window->size())},
                         torch::kFloat)
            .clone());
  }
  return torch::cat(out, 0);
}

const CheckpointInfo& LocalizationModel::info() const {
  return impl_->info;
}
CheckpointInfo& LocalizationModel::info() {
  return impl_->info;
}

std::vector<std::string> LocalizationModel::parameterNames() const {
  std::vector<std::string> names;
  for (const auto& item : impl_->net->named_parameters(true)) {
    names.push_back(item.key());
  }
  for (const auto& item : impl_->net->named_buffers(true)) {
    names.push_back(item.key());
  }
  return names;
}

int64_t LocalizationModel::parameterCount() const {
  int64_t count = 0;
  for (const auto& p : impl_->net->parameters()) {
    count += p.numel();
  }
  return count;
}

int LocalizationModel::mapSize() const {
  int size = impl_->info.contract.imageSize;
  if (impl_->info.config.network() == Architecture::SsplVgg) {
    return size / 16;  // VGG-16's four 2 x 2 max-pools before conv5_3
  }
  // conv1 (stride 2), maxpool (stride 2), layer2..4 (stride 2 each; layer4 1 for LVS), all with
  // "same" padding.
  const int halvings = impl_->info.config.layer4Stride == 1 ? 4 : 5;
  for (int i = 0; i < halvings; ++i) {
    size = (size + 1) / 2;
  }
  return size;
}

void LocalizationModel::setEvaluationCrop(bool on) {
  impl_->evaluationCrop = on;
  impl_->fingerprint = 0;
}

namespace {
std::atomic<int> configuredThreads{0};
}  // namespace

int LocalizationModel::threadCount() {
  const int configured = configuredThreads.load();
  return configured > 0 ? configured : torch::get_num_threads();
}

void LocalizationModel::setThreadCountForThisThread(int threads) {
  torch::set_num_threads(std::max(1, threads));
}

void LocalizationModel::setThreadCount(int threads) {
  configuredThreads = std::max(1, threads);
  torch::set_num_threads(std::max(1, threads));
  using SetThreads = void (*)(int);
  if (auto* openblas =
          reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    openblas(1);
  }
}

}  // namespace heardmap
