// Torch translation unit: scene batches rendered on the training device.
#include "DeviceSceneBatcherTorch.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace heardmap {
namespace {

// Edge pixels replicated around every atlas picture: a bilinear tap up to half a pixel past an
// edge then reads the edge, as the CPU renderer's clamped sampling does.
constexpr int kAtlasMarginPx = 2;
// Atlas rows are filled up to this width (wider pictures get a row of their own).
constexpr int kAtlasRowPx = 2048;
// Start of an unused repeat slot (never reached by a window's sample index).
constexpr int64_t kNoStart = std::numeric_limits<int64_t>::max() / 4;

struct AtlasItem {
  int width = 0;
  int height = 0;
  const uint8_t* pixels = nullptr;  // interleaved, `channels` per pixel
};

// Shelf-packs pictures into one 1 x C x H x W float tensor (0..255) on device, with replicated
// margins; rects[i] tells where item i is.
torch::Tensor buildAtlas(const std::vector<AtlasItem>& items, int channels, torch::Device device,
                         std::vector<AtlasRect>& rects) {
  const int m = kAtlasMarginPx;
  int atlasWidth = kAtlasRowPx;
  for (const AtlasItem& item : items) {
    atlasWidth = std::max(atlasWidth, item.width + 2 * m);
  }
  rects.assign(items.size(), AtlasRect{});
  int x = 0;
  int y = 0;
  int rowHeight = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const AtlasItem& item = items[i];
    if (item.pixels == nullptr) {
      continue;
    }
    if (x + item.width + 2 * m > atlasWidth) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    rects[i] = AtlasRect{x + m, y + m, item.width, item.height};
    x += item.width + 2 * m;
    rowHeight = std::max(rowHeight, item.height + 2 * m);
  }
  const int atlasHeight = std::max(1, y + rowHeight);
  std::vector<uint8_t> planes(static_cast<size_t>(channels) * atlasHeight * atlasWidth, 0);
  for (size_t i = 0; i < items.size(); ++i) {
    const AtlasItem& item = items[i];
    if (item.pixels == nullptr) {
      continue;
    }
    const AtlasRect& r = rects[i];
    for (int yy = -m; yy < item.height + m; ++yy) {
      const int sy = std::clamp(yy, 0, item.height - 1);
      for (int xx = -m; xx < item.width + m; ++xx) {
        const int sx = std::clamp(xx, 0, item.width - 1);
        const uint8_t* source = item.pixels + (static_cast<size_t>(sy) * item.width + sx) *
                                                  static_cast<size_t>(channels);
        for (int c = 0; c < channels; ++c) {
          planes[(static_cast<size_t>(c) * atlasHeight + (r.y + yy)) * atlasWidth + (r.x + xx)] =
              source[c];
        }
      }
    }
  }
  return torch::from_blob(planes.data(), {1, channels, atlasHeight, atlasWidth}, torch::kByte)
      .to(device)
      .to(torch::kFloat);
}

// Bilinear samples of an atlas at pixel coordinates (centres at +0.5): xs B x S (per column),
// ys B x S (per row) -> B x C x S x S.
torch::Tensor sampleAtlas(const torch::Tensor& atlas, const torch::Tensor& xs,
                          const torch::Tensor& ys) {
  const int64_t batch = xs.size(0);
  const int64_t size = xs.size(1);
  const torch::Tensor gx = (xs * (2.0 / atlas.size(3)) - 1.0).unsqueeze(1).expand({-1, size, -1});
  const torch::Tensor gy = (ys * (2.0 / atlas.size(2)) - 1.0).unsqueeze(2).expand({-1, -1, size});
  const torch::Tensor grid = torch::stack({gx, gy}, -1).reshape({1, batch * size, size, 2});
  namespace F = torch::nn::functional;
  const torch::Tensor out = F::grid_sample(atlas, grid,
                                           F::GridSampleFuncOptions()
                                               .mode(torch::kBilinear)
                                               .padding_mode(torch::kBorder)
                                               .align_corners(false));
  return out.view({atlas.size(1), batch, size, size}).permute({1, 0, 2, 3});
}

void checkPlans(const std::vector<ScenePlan>& plans) {
  if (plans.empty()) {
    throw std::invalid_argument("DeviceSceneBatcher: no plans");
  }
  for (const ScenePlan& p : plans) {
    if (p.imageSize != plans.front().imageSize || p.windowSamples != plans.front().windowSamples) {
      throw std::invalid_argument("DeviceSceneBatcher: plans of one batch differ in size");
    }
  }
}

torch::Device deviceNamed(const std::string& name) {
  if (name == "cpu") {
    return torch::Device(torch::kCPU);
  }
  if (name == "cuda") {
    if (!torch::cuda::is_available()) {
      throw std::runtime_error("DeviceSceneBatcher: no CUDA device");
    }
    return torch::Device(torch::kCUDA);
  }
  throw std::invalid_argument("DeviceSceneBatcher: unknown device '" + name + "'");
}

}  // namespace

DeviceSceneBatcher::Impl::Impl(const SceneSynthesizer& synthesizerIn,
                               const PreprocessingContract& contractIn, torch::Device deviceIn)
    : synthesizer(synthesizerIn),
      contract(contractIn),
      device(deviceIn),
      frontEnd(contractIn, deviceIn) {
  torch::NoGradGuard noGrad;
  const AssetPack& pack = synthesizer.pack();
  std::vector<AtlasItem> objects(pack.objects.size());
  std::vector<float> sounds;
  soundOffsets.assign(pack.objects.size(), 0);
  const auto addObject = [&](int index) {
    const PackObject& o = pack.objects[static_cast<size_t>(index)];
    objects[static_cast<size_t>(index)] =
        AtlasItem{o.image.width, o.image.height, o.image.pixels.data()};
    soundOffsets[static_cast<size_t>(index)] = static_cast<int64_t>(sounds.size());
    sounds.insert(sounds.end(), o.sound.begin(), o.sound.end());
  };
  for (int index : synthesizer.soundingObjects()) {
    addObject(index);
  }
  for (int index : synthesizer.silentObjects()) {
    addObject(index);
  }
  objectAtlas = buildAtlas(objects, 4, device, objectRects);
  std::vector<AtlasItem> backgrounds(pack.backgrounds.size());
  for (int index : synthesizer.backgrounds()) {
    const RgbImage& image = pack.backgrounds[static_cast<size_t>(index)].image;
    backgrounds[static_cast<size_t>(index)] =
        AtlasItem{image.width, image.height, image.pixels.data()};
  }
  backgroundAtlas = buildAtlas(backgrounds, 3, device, backgroundRects);
  sounds.push_back(0.0f);  // the bank is never empty
  soundBank = torch::from_blob(sounds.data(), {static_cast<int64_t>(sounds.size())}, torch::kFloat)
                  .clone()
                  .to(device);
}

torch::Tensor DeviceSceneBatcher::Impl::images(const std::vector<ScenePlan>& plans) const {
  checkPlans(plans);
  torch::NoGradGuard noGrad;
  const auto batch = static_cast<int64_t>(plans.size());
  const int size = plans.front().imageSize;
  const torch::Tensor pixels =
      torch::arange(size, torch::TensorOptions(device).dtype(torch::kFloat));
  const auto onDevice = [&](std::vector<float>& values, int64_t fields) {
    return torch::from_blob(values.data(), {batch, fields}, torch::kFloat).to(device);
  };

  // Background: bilinear crop, flipped or not, rounded to 8 bits.
  std::vector<float> bg;
  for (const ScenePlan& p : plans) {
    const AtlasRect& r = backgroundRects.at(static_cast<size_t>(p.backgroundIndex));
    bg.insert(bg.end(),
              {static_cast<float>(r.x + p.cropLeftPx), static_cast<float>(r.y + p.cropTopPx),
               static_cast<float>(p.cropSidePx), p.flipBackground ? 1.0f : 0.0f});
  }
  const torch::Tensor b = onDevice(bg, 4);
  const torch::Tensor column = torch::where(b.slice(1, 3, 4) > 0.5f, (size - 1) - pixels, pixels);
  const torch::Tensor step = b.slice(1, 2, 3) / size;
  torch::Tensor canvas = sampleAtlas(backgroundAtlas, b.slice(1, 0, 1) + (column + 0.5f) * step,
                                     b.slice(1, 1, 2) + (pixels + 0.5f) * step)
                             .round();

  // Objects, layer by layer in drawing order: alpha blend, rounded to 8 bits after each.
  size_t layers = 0;
  for (const ScenePlan& p : plans) {
    layers = std::max(layers, p.objects.size());
  }
  for (size_t k = 0; k < layers; ++k) {
    std::vector<float> fields;
    for (const ScenePlan& p : plans) {
      if (k >= p.objects.size()) {
        fields.insert(fields.end(), {0, 0, 0, 1, 1, 1, 0, 0, 0});
        continue;
      }
      const ObjectPlacement& o = p.objects[k];
      const AtlasRect& r = objectRects.at(static_cast<size_t>(o.objectIndex));
      const double scale = static_cast<double>(o.sidePx) / std::max(r.width, r.height);
      const int width = std::max(1, static_cast<int>(std::lround(r.width * scale)));
      const int height = std::max(1, static_cast<int>(std::lround(r.height * scale)));
      fields.insert(fields.end(), {1.0f, static_cast<float>(r.x), static_cast<float>(r.y),
                                   static_cast<float>(scale), static_cast<float>(width),
                                   static_cast<float>(height), static_cast<float>(o.left),
                                   static_cast<float>(o.top), o.flip ? 1.0f : 0.0f});
    }
    const torch::Tensor f = onDevice(fields, 9);
    const auto field = [&](int i) { return f.slice(1, i, i + 1); };
    const torch::Tensor localX = pixels - field(6);
    const torch::Tensor localY = pixels - field(7);
    const torch::Tensor insideX = (localX >= 0) & (localX < field(4));
    const torch::Tensor insideY = (localY >= 0) & (localY < field(5));
    const torch::Tensor sourceX = torch::where(field(8) > 0.5f, field(4) - 1 - localX, localX);
    const torch::Tensor xs = field(1) + ((sourceX + 0.5f) / field(3)).clamp(-1.0f, 1e6f);
    const torch::Tensor ys = field(2) + ((localY + 0.5f) / field(3)).clamp(-1.0f, 1e6f);
    const torch::Tensor rgba = sampleAtlas(objectAtlas, xs, ys);
    const torch::Tensor inside =
        (insideY.unsqueeze(2) & insideX.unsqueeze(1) & (field(0) > 0.5f).unsqueeze(2)).unsqueeze(1);
    const torch::Tensor alpha = (rgba.slice(1, 3, 4) / 255.0f) * inside.to(torch::kFloat);
    canvas = (canvas + alpha * (rgba.slice(1, 0, 3) - canvas)).round();
  }
  return canvas;
}

torch::Tensor DeviceSceneBatcher::Impl::normalisedImages(
    const std::vector<ScenePlan>& plans) const {
  return frontEnd.normalised(images(plans));
}

torch::Tensor DeviceSceneBatcher::Impl::audio(const std::vector<ScenePlan>& plans,
                                              uint64_t noiseSeed) const {
  checkPlans(plans);
  torch::NoGradGuard noGrad;
  const auto batch = static_cast<int64_t>(plans.size());
  const int64_t samples = plans.front().windowSamples;
  const auto longs = torch::TensorOptions(device).dtype(torch::kLong);
  torch::Tensor out = torch::zeros({batch, samples}, torch::TensorOptions(device));

  // Sounds: each track (one object's sound in one scene) repeats from its starts; for every
  // sample, the last start at or before it says which sample of the sound plays there.
  size_t tracks = 0;
  size_t repeats = 1;
  for (const ScenePlan& p : plans) {
    tracks = std::max(tracks, p.sounds.size());
    for (const SoundPlacement& s : p.sounds) {
      repeats = std::max(repeats, s.startSamples.size());
    }
  }
  if (tracks > 0) {
    const auto rows = static_cast<int64_t>(plans.size() * tracks);
    std::vector<int64_t> starts(static_cast<size_t>(rows) * repeats, kNoStart);
    std::vector<int64_t> offsets(static_cast<size_t>(rows), 0);
    std::vector<int64_t> lengths(static_cast<size_t>(rows), 0);
    std::vector<float> scales(static_cast<size_t>(rows), 0.0f);
    for (size_t b = 0; b < plans.size(); ++b) {
      for (size_t t = 0; t < plans[b].sounds.size(); ++t) {
        const SoundPlacement& s = plans[b].sounds[t];
        const size_t row = b * tracks + t;
        std::copy(s.startSamples.begin(), s.startSamples.end(), starts.begin() + row * repeats);
        offsets[row] = soundOffsets.at(static_cast<size_t>(s.objectIndex));
        lengths[row] = static_cast<int64_t>(
            synthesizer.pack().objects[static_cast<size_t>(s.objectIndex)].sound.size());
        scales[row] = static_cast<float>(s.scale);
      }
    }
    const auto upload = [&](std::vector<int64_t>& v, std::vector<int64_t> shape) {
      return torch::from_blob(v.data(), shape, torch::kLong).to(device);
    };
    const torch::Tensor startsT = upload(starts, {rows, static_cast<int64_t>(repeats)});
    const torch::Tensor offsetsT = upload(offsets, {rows, 1});
    const torch::Tensor lengthsT = upload(lengths, {rows, 1});
    const torch::Tensor scalesT =
        torch::from_blob(scales.data(), {rows, 1}, torch::kFloat).to(device);
    const torch::Tensor time = torch::arange(samples, longs).unsqueeze(0).expand({rows, -1});
    const torch::Tensor repeat =
        (torch::searchsorted(startsT, time.contiguous(), /*out_int32=*/false, /*right=*/true) - 1)
            .clamp_min(0);
    const torch::Tensor position = time - startsT.gather(1, repeat);
    const torch::Tensor playing = (position >= 0) & (position < lengthsT);
    const torch::Tensor index =
        offsetsT + position.clamp(0, std::numeric_limits<int64_t>::max() / 8)
                       .minimum((lengthsT - 1).clamp_min(0));
    const torch::Tensor values =
        soundBank.index({index.reshape({-1})}).view({rows, samples}) * scalesT;
    out += torch::where(playing, values, torch::zeros_like(values))
               .view({batch, static_cast<int64_t>(tracks), samples})
               .sum(1);
  }

  // White Gaussian noise (ambience, or the noise condition) from a generator of this batch.
  std::vector<float> sigmas;
  bool anyNoise = false;
  for (const ScenePlan& p : plans) {
    sigmas.push_back(static_cast<float>(p.noiseSigma));
    anyNoise = anyNoise || p.noiseSigma > 0.0;
  }
  if (anyNoise) {
    at::Generator generator = at::globalContext().defaultGenerator(device).clone();
    generator.set_current_seed(noiseSeed);
    const torch::Tensor sigma =
        torch::from_blob(sigmas.data(), {batch, 1}, torch::kFloat).to(device);
    out += torch::randn({batch, samples}, generator, torch::TensorOptions(device)) * sigma;
  }
  return out.clamp_(-1.0f, 1.0f);
}

DeviceSceneBatcher::DeviceSceneBatcher(const SceneSynthesizer& synthesizer,
                                       const PreprocessingContract& contract,
                                       const std::string& device)
    : impl_(std::make_unique<Impl>(synthesizer, contract, deviceNamed(device))) {}

DeviceSceneBatcher::~DeviceSceneBatcher() = default;

std::vector<RgbImage> DeviceSceneBatcher::renderImages(const std::vector<ScenePlan>& plans) const {
  const torch::Tensor pixels =
      impl_->images(plans).permute({0, 2, 3, 1}).to(torch::kCPU).to(torch::kByte).contiguous();
  std::vector<RgbImage> out(plans.size());
  const int size = plans.front().imageSize;
  const size_t bytes = static_cast<size_t>(size) * size * 3;
  for (size_t b = 0; b < plans.size(); ++b) {
    out[b].width = out[b].height = size;
    const uint8_t* data = pixels.data_ptr<uint8_t>() + b * bytes;
    out[b].pixels.assign(data, data + bytes);
  }
  return out;
}

std::vector<std::vector<float>> DeviceSceneBatcher::renderAudio(const std::vector<ScenePlan>& plans,
                                                                uint64_t noiseSeed) const {
  const torch::Tensor audio = impl_->audio(plans, noiseSeed).to(torch::kCPU).contiguous();
  std::vector<std::vector<float>> out;
  for (int64_t b = 0; b < audio.size(0); ++b) {
    const float* row = audio.data_ptr<float>() + b * audio.size(1);
    out.emplace_back(row, row + audio.size(1));
  }
  return out;
}

std::vector<std::vector<float>> DeviceSceneBatcher::spectrograms(
    const std::vector<std::vector<float>>& windows) const {
  std::vector<torch::Tensor> rows;
  for (const std::vector<float>& w : windows) {
    rows.push_back(torch::tensor(w));
  }
  const torch::Tensor out =
      impl_->frontEnd.spectrograms(torch::stack(rows)).to(torch::kCPU).contiguous();
  std::vector<std::vector<float>> result;
  const int64_t per = out.numel() / out.size(0);
  for (int64_t b = 0; b < out.size(0); ++b) {
    const float* data = out.data_ptr<float>() + b * per;
    result.emplace_back(data, data + per);
  }
  return result;
}

int64_t DeviceSceneBatcher::assetBytes() const {
  return (impl_->objectAtlas.numel() + impl_->backgroundAtlas.numel() + impl_->soundBank.numel()) *
         static_cast<int64_t>(sizeof(float));
}

}  // namespace heardmap
