// A tiny synthetic asset pack for training tests: coloured discs with tones in both splits, on
// two plain backgrounds.
#pragma once

#include <cmath>
#include <string>

#include <QTemporaryDir>

#include "core/data/AssetPack.h"
#include "core/ml/TrainingConfig.h"

namespace heardmap::test {

inline AssetPack tinyPack() {
  AssetPack pack;
  for (int i = 0; i < 8; ++i) {
    PackObject o;
    o.name = "obj" + std::to_string(i);
    o.soundSource = "tone";
    for (int s = 0; s < 8000; ++s) {
      o.sound.push_back(0.5f *
                        static_cast<float>(std::sin(2 * M_PI * (200 + 150 * i) * s / 16000.0)));
    }
    o.image.width = o.image.height = 32;
    for (int p = 0; p < 32 * 32; ++p) {
      const int x = p % 32 - 16;
      const int y = p / 32 - 16;
      o.image.pixels.insert(o.image.pixels.end(), {uint8_t(30 * i), uint8_t(255 - 30 * i), 128,
                                                   uint8_t(x * x + y * y < 196 ? 255 : 0)});
    }
    o.split = i % 4 == 3 ? Split::Test : Split::Train;
    pack.objects.push_back(o);
  }
  for (int b = 0; b < 2; ++b) {
    PackBackground bg;
    bg.split = b == 0 ? Split::Train : Split::Test;
    bg.image.width = 64;
    bg.image.height = 48;
    bg.image.pixels.assign(64 * 48 * 3, uint8_t(60 + 100 * b));
    pack.backgrounds.push_back(bg);
  }
  return pack;
}

// A 3-step run of the compact model on the tiny pack, into dir/m.safetensors.
inline TrainingConfig smallRun(const QTemporaryDir& dir, const std::string& pack) {
  TrainingConfig c = TrainingConfig::fromArguments(
      {"--pack", pack, "--out", dir.filePath("m.safetensors").toStdString(), "--steps", "3",
       "--batch", "4", "--lr", "1e-4", "--eval-per-condition", "2", "--checkpoint-every", "1",
       "--threads", "2"});
  return c;
}

// The tiny pack saved in dir; returns its path.
inline std::string savedTinyPack(const QTemporaryDir& dir) {
  const std::string pack = dir.filePath("pack.safetensors").toStdString();
  tinyPack().save(pack);
  return pack;
}

}  // namespace heardmap::test
