#include "DataCommand.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "AssetPackBuilder.h"
#include "ContactSheet.h"
#include "ProgressBar.h"
#include "app/media/PngWriter.h"
#include "core/AtomicFile.h"
#include "core/WavFile.h"
#include "core/data/SceneSynthesizer.h"

namespace heardmap {
namespace {

void printUsage() {
  std::fprintf(
      stderr,
      "usage: heardmap data pack [--out PACK.safetensors] [--stamps DIR]\n"
      "       heardmap data export [--pack PACK] --out DIR [--split train|test]\n"
      "                            [--per-condition N] [--size PX] [--contact-sheet PNG]\n");
}

int packCommand(int argc, char** argv) {
  std::string out = HEARDMAP_DEFAULT_PACK;
  PackSources sources;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (arg == "--stamps" && i + 1 < argc) {
      sources.stampRoot = argv[++i];
    } else {
      printUsage();
      return 2;
    }
  }
  std::filesystem::create_directories(std::filesystem::absolute(out).parent_path());
  PackReport report;
  std::unique_ptr<ProgressBar> bar;
  const AssetPack pack = buildAssetPack(sources, report, [&](int done, int total) {
    if (!bar) {
      bar = std::make_unique<ProgressBar>("pack", total);
    }
    bar->update(done);
  });
  if (bar) {
    bar->finish();
  }
  for (const std::string& problem : report.problems) {
    std::fprintf(stderr, "skipped: %s\n", problem.c_str());
  }
  pack.save(out);
  const auto size = std::filesystem::file_size(out);
  std::fprintf(stderr,
               "wrote %s (%.1f MB): %d sounding objects, %d silent distractors, %d backgrounds "
               "(%d skipped)\n",
               out.c_str(), size / 1e6, report.soundingObjects, report.silentObjects,
               report.backgrounds, report.skipped);
  return report.soundingObjects >= 10 && report.backgrounds >= 2 ? 0 : 1;
}

int exportCommand(int argc, char** argv) {
  std::string packPath = HEARDMAP_DEFAULT_PACK;
  std::string out;
  std::string sheetPath;
  SynthesisOptions options;
  int perCondition = 4;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool hasValue = i + 1 < argc;
    if (arg == "--pack" && hasValue) {
      packPath = argv[++i];
    } else if (arg == "--out" && hasValue) {
      out = argv[++i];
    } else if (arg == "--split" && hasValue) {
      options.split = splitFromName(argv[++i]);
    } else if (arg == "--per-condition" && hasValue) {
      perCondition = std::atoi(argv[++i]);
    } else if (arg == "--size" && hasValue) {
      options.imageSize = std::atoi(argv[++i]);
    } else if (arg == "--contact-sheet" && hasValue) {
      sheetPath = argv[++i];
    } else {
      printUsage();
      return 2;
    }
  }
  if (out.empty() || options.split == Split::Invalid || perCondition < 1 ||
      options.imageSize < 32) {
    printUsage();
    return 2;
  }
  const AssetPack pack = AssetPack::load(packPath);
  const SceneSynthesizer synthesizer(pack, options);
  std::filesystem::create_directories(out);
  std::vector<Scene> scenes;
  ProgressBar bar("export", static_cast<int64_t>(perCondition * allConditions().size()));
  for (SceneCondition condition : allConditions()) {
    for (int i = 0; i < perCondition; ++i) {
      Scene scene = synthesizer.make(SceneSynthesizer::testSeed(condition, i), condition);
      const std::string stem = out + "/" + conditionName(condition) + "_" + std::to_string(i);
      writePng(stem + ".png", scene.image);
      writeWavMono16(stem + ".wav", scene.audio, options.sampleRateHz);
      Json meta(Json::Object{});
      meta["seed"] = Json(static_cast<double>(scene.seed));
      meta["condition"] = Json(conditionName(condition));
      meta["split"] = Json(splitName(options.split));
      meta["audio_source"] = Json(scene.audioSource);
      Json::Array objects;
      for (const PlacedObject& o : scene.objects) {
        Json object(Json::Object{});
        object["name"] = Json(o.name);
        object["sounding"] = Json(o.sounding);
        object["box_xyxy"] =
            Json(Json::Array{Json(o.box.x0), Json(o.box.y0), Json(o.box.x1), Json(o.box.y1)});
        objects.push_back(object);
      }
      meta["objects"] = Json(objects);
      writeFileAtomically(stem + ".json", meta.dump(2) + "\n");
      scenes.push_back(std::move(scene));
      bar.update(static_cast<int64_t>(scenes.size()));
    }
  }
  bar.finish();
  if (!sheetPath.empty()) {
    writePng(sheetPath, contactSheet(scenes, perCondition));
    std::fprintf(stderr, "wrote %s\n", sheetPath.c_str());
  }
  std::fprintf(stderr, "wrote %zu scenes to %s\n", scenes.size(), out.c_str());
  return 0;
}

}  // namespace

int runDataCommand(int argc, char** argv) {
  if (argc < 2) {
    printUsage();
    return 2;
  }
  try {
    const std::string sub = argv[1];
    if (sub == "pack") {
      return packCommand(argc - 1, argv + 1);
    }
    if (sub == "export") {
      return exportCommand(argc - 1, argv + 1);
    }
    printUsage();
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heardmap data: %s\n", e.what());
    return 1;
  }
}

}  // namespace heardmap
