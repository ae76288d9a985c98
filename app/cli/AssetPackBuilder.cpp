#include "AssetPackBuilder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "app/media/AudioTrack.h"
#include "app/media/ImageLoader.h"
#include "app/media/MediaError.h"

namespace heardmap {
namespace {

namespace fs = std::filesystem;

// Stamp folders whose sounds are speech (digits, letters, words), not object sounds.
const std::vector<std::string> kSpeechFolders = {
    "symbols/math", "symbols/alphabets", "symbols/faces", "seasonal/hanukkah", "town/roadsigns"};
// Every kTestEvery-th item (in name order) goes to the test split.
constexpr int kObjectTestEvery = 5;
constexpr int kBackgroundTestEvery = 4;
// Backgrounds are stored covering this size.
constexpr int kBackgroundWidth = 320;
constexpr int kBackgroundHeight = 240;
// Sample rate of the pack's sounds (the EZ-VSL contract's).
constexpr int kPackRateHz = 16000;

bool excluded(const std::string& relative) {
  if (relative.find("cartoon") != std::string::npos) {
    return true;  // drawings, not photographs
  }
  return std::any_of(kSpeechFolders.begin(), kSpeechFolders.end(),
                     [&](const std::string& f) { return relative.find(f) != std::string::npos; });
}

std::string firstLine(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Crops fully transparent borders.
RgbaImage trimTransparent(const RgbaImage& image) {
  int x0 = image.width, y0 = image.height, x1 = 0, y1 = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (image.pixels[static_cast<size_t>((y * image.width + x) * 4 + 3)] > 8) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x + 1);
        y1 = std::max(y1, y + 1);
      }
    }
  }
  if (x1 <= x0) {
    return image;
  }
  RgbaImage out;
  out.width = x1 - x0;
  out.height = y1 - y0;
  for (int y = y0; y < y1; ++y) {
    const auto* row = image.pixels.data() + static_cast<size_t>((y * image.width + x0) * 4);
    out.pixels.insert(out.pixels.end(), row, row + out.width * 4);
  }
  return out;
}

// Scales to cover kBackgroundWidth x kBackgroundHeight and centre-crops.
RgbImage coverBackground(const RgbaImage& image) {
  const double scale = std::max(static_cast<double>(kBackgroundWidth) / image.width,
                                static_cast<double>(kBackgroundHeight) / image.height);
  const double offsetX = (image.width * scale - kBackgroundWidth) / 2;
  const double offsetY = (image.height * scale - kBackgroundHeight) / 2;
  RgbImage out;
  out.width = kBackgroundWidth;
  out.height = kBackgroundHeight;
  out.pixels.resize(static_cast<size_t>(kBackgroundWidth * kBackgroundHeight * 3));
  for (int y = 0; y < kBackgroundHeight; ++y) {
    for (int x = 0; x < kBackgroundWidth; ++x) {
      // Box-average the source pixels under this output pixel (downscaling).
      const int sx0 = static_cast<int>((x + offsetX) / scale);
      const int sy0 = static_cast<int>((y + offsetY) / scale);
      const int sx1 =
          std::max(sx0 + 1, std::min(image.width, static_cast<int>((x + 1 + offsetX) / scale)));
      const int sy1 =
          std::max(sy0 + 1, std::min(image.height, static_cast<int>((y + 1 + offsetY) / scale)));
      for (int c = 0; c < 3; ++c) {
        double sum = 0.0;
        for (int sy = sy0; sy < sy1; ++sy) {
          for (int sx = sx0; sx < sx1; ++sx) {
            sum += image.pixels[static_cast<size_t>(
                (std::min(sy, image.height - 1) * image.width + std::min(sx, image.width - 1)) * 4 +
                c)];
          }
        }
        out.pixels[static_cast<size_t>((y * kBackgroundWidth + x) * 3 + c)] =
            static_cast<uint8_t>(sum / ((sx1 - sx0) * (sy1 - sy0)) + 0.5);
      }
    }
  }
  return out;
}

// Plasma wallpapers that are photographs (the rest are artwork).
const std::vector<std::string> kPlasmaPhotos = {
    "BytheWater", "ColdRipple", "ColorfulCups", "DarkestHour", "EveningGlow", "FallenLeaf",
    "Grey",       "Kite",       "OneStandsOut", "Path",        "summer_1am",  "Volna"};

// Plasma ships each wallpaper in many sizes and variants: keep one image of each photograph.
bool acceptedWallpaper(const std::string& path) {
  const auto images = path.find("/contents/images/");
  if (images == std::string::npos) {
    return path.find("/contents/") == std::string::npos;  // not a Plasma package at all
  }
  const std::string package = fs::path(path.substr(0, images)).filename().string();
  const bool photo =
      std::find(kPlasmaPhotos.begin(), kPlasmaPhotos.end(), package) != kPlasmaPhotos.end();
  return photo && path.find("1920x1080") != std::string::npos;
}

bool isPhotoFile(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp";
}

// The stamp's sound beside it: name.ogg, else name.wav (which may not exist).
fs::path soundOf(const fs::path& stamp) {
  fs::path sound = stamp;
  sound.replace_extension(".ogg");
  if (!fs::exists(sound)) {
    sound.replace_extension(".wav");
  }
  return sound;
}

// The stamps under root, sorted, split into those with a sound and those without (cartoons and
// the speech folders excluded).
void findStamps(const std::string& root, std::vector<fs::path>* sounding,
                std::vector<fs::path>* silent) {
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".png") {
      continue;
    }
    if (excluded(fs::relative(entry.path(), root).string())) {
      continue;
    }
    (fs::exists(soundOf(entry.path())) ? sounding : silent)->push_back(entry.path());
  }
  std::sort(sounding->begin(), sounding->end());
  std::sort(silent->begin(), silent->end());
}

// The photos under the background folders (missing folders passed over), sorted.
std::vector<fs::path> findBackgrounds(const std::vector<std::string>& roots) {
  std::vector<fs::path> backgrounds;
  for (const std::string& root : roots) {
    if (!fs::is_directory(root)) {
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && isPhotoFile(entry.path()) &&
          acceptedWallpaper(entry.path().string())) {
        backgrounds.push_back(entry.path());
      }
    }
  }
  std::sort(backgrounds.begin(), backgrounds.end());
  return backgrounds;
}

// One stamp: its picture trimmed of transparent margins, its description, and its sound.
PackObject readObject(const fs::path& path, bool withSound, const PackSources& sources) {
  PackObject object;
  object.name = path.stem().string();
  object.category = fs::relative(path.parent_path(), sources.stampRoot).string();
  fs::path text = path;
  text.replace_extension(".txt");
  object.description = firstLine(text);
  object.imageSource = path.string();
  object.image = trimTransparent(decodeImageRgba(path.string(), sources.maxObjectSidePx));
  if (withSound) {
    const fs::path sound = soundOf(path);
    object.soundSource = sound.string();
    object.sound = decodeAudio(sound.string(), kPackRateHz).samples;
    if (object.sound.empty()) {
      throw MediaError("empty sound " + sound.string());
    }
  }
  return object;
}

}  // namespace

AssetPack buildAssetPack(const PackSources& sources, PackReport& report,
                         const std::function<void(int, int)>& progress) {
  if (!fs::is_directory(sources.stampRoot)) {
    throw MediaError("no Tux Paint stamps at " + sources.stampRoot +
                     " (install tuxpaint-stamps-default)");
  }
  std::vector<fs::path> sounding;
  std::vector<fs::path> silent;
  findStamps(sources.stampRoot, &sounding, &silent);
  std::vector<fs::path> distractors;
  const size_t stride = std::max<size_t>(1, silent.size() / std::max(1, sources.silentObjects));
  for (size_t i = 0;
       i < silent.size() && static_cast<int>(distractors.size()) < sources.silentObjects;
       i += stride) {
    distractors.push_back(silent[i]);
  }
  const std::vector<fs::path> backgrounds = findBackgrounds(sources.backgroundRoots);

  AssetPack pack;
  pack.soundRateHz = kPackRateHz;
  pack.licence =
      "Tux Paint stamps: GPL-2 (Debian tuxpaint-stamps-default; sounds credited in its changelog). "
      "Backgrounds: tuxpaint-data (GPL-2), plasma-workspace-wallpapers (LGPL-3 / CC-BY-SA-4.0), "
      "mate-backgrounds (GPL-2+). See /usr/share/doc/<package>/copyright.";
  const int total = static_cast<int>(sounding.size() + distractors.size() + backgrounds.size());
  int done = 0;
  const auto addObjects = [&](const std::vector<fs::path>& paths, bool withSound) {
    int index = 0;
    for (const fs::path& path : paths) {
      progress(++done, total);
      try {
        PackObject object = readObject(path, withSound, sources);
        object.split =
            (index % kObjectTestEvery == kObjectTestEvery - 1) ? Split::Test : Split::Train;
        ++index;
        pack.objects.push_back(std::move(object));
        ++(withSound ? report.soundingObjects : report.silentObjects);
      } catch (const std::exception& e) {
        ++report.skipped;
        report.problems.push_back(e.what());
      }
    }
  };
  addObjects(sounding, true);
  addObjects(distractors, false);
  int backgroundIndex = 0;
  for (const fs::path& path : backgrounds) {
    progress(++done, total);
    try {
      PackBackground background;
      background.source = path.string();
      background.image = coverBackground(decodeImageRgba(path.string(), 1280));
      background.split = (backgroundIndex % kBackgroundTestEvery == kBackgroundTestEvery - 1)
                             ? Split::Test
                             : Split::Train;
      ++backgroundIndex;
      pack.backgrounds.push_back(std::move(background));
      ++report.backgrounds;
    } catch (const std::exception& e) {
      ++report.skipped;
      report.problems.push_back(e.what());
    }
  }
  return pack;
}

}  // namespace heardmap
