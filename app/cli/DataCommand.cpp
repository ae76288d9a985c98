#include "DataCommand.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "AssetPackBuilder.h"
#include "ContactSheet.h"
#include "DatasetReader.h"
#include "ProgressBar.h"
#include "ShardsCommand.h"
#include "app/media/AudioTrack.h"
#include "app/media/PngWriter.h"
#include "app/media/VideoDecoder.h"
#include "core/AtomicFile.h"
#include "core/AudioWindow.h"
#include "core/CommandLine.h"
#include "core/WavFile.h"
#include "core/data/ClipPack.h"
#include "core/data/SceneSynthesizer.h"

namespace heardmap {
namespace {

int packCommand(const std::string& out, const PackSources& sources) {
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

struct ExportFlags {
  std::string packPath = HEARDMAP_DEFAULT_PACK;
  std::string out;
  std::string sheetPath;
  SynthesisOptions options;
  int perCondition = 4;
};

int exportCommand(const ExportFlags& flags) {
  const std::string& packPath = flags.packPath;
  const std::string& out = flags.out;
  const std::string& sheetPath = flags.sheetPath;
  const SynthesisOptions& options = flags.options;
  const int perCondition = flags.perCondition;
  const AssetPack pack = AssetPack::load(packPath);
  const SceneSynthesizer synthesizer(pack, options);
  ensureWritableDirectory(out);
  // Scenes are written into a staging folder inside out and moved into out only when all are
  // written: a failure (disk full) leaves out as it was, and the staging folder is removed.
  const std::filesystem::path staging =
      std::filesystem::path(out) / (".export-partial-" + std::to_string(::getpid()));
  std::filesystem::create_directories(staging);
  struct StagingGuard {
    std::filesystem::path path;
    ~StagingGuard() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } guard{staging};
  std::vector<Scene> scenes;
  std::vector<std::string> written;  // file names inside staging
  ProgressBar bar("export", static_cast<int64_t>(perCondition * allConditions().size()));
  for (SceneCondition condition : allConditions()) {
    for (int i = 0; i < perCondition; ++i) {
      Scene scene = synthesizer.make(SceneSynthesizer::testSeed(condition, i), condition);
      const std::string name = conditionName(condition) + "_" + std::to_string(i);
      const std::string stem = (staging / name).string();
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
      for (const char* extension : {".png", ".wav", ".json"}) {
        written.push_back(name + extension);
      }
      scenes.push_back(std::move(scene));
      bar.update(static_cast<int64_t>(scenes.size()));
    }
  }
  bar.finish();
  for (const std::string& name : written) {
    std::filesystem::rename(staging / name, std::filesystem::path(out) / name);
  }
  if (!sheetPath.empty()) {
    writePng(sheetPath, contactSheet(scenes, perCondition));
    std::fprintf(stderr, "wrote %s\n", sheetPath.c_str());
  }
  std::fprintf(stderr, "wrote %zu scenes to %s\n", scenes.size(), out.c_str());
  return 0;
}

// Box-filter downscale so the longer side is at most maxSide (the trainer resizes again to the
// contract's size; this only keeps the pack small).
RgbImage shrink(const RgbImage& image, int maxSide) {
  const int longer = std::max(image.width, image.height);
  if (longer <= maxSide) {
    return image;
  }
  RgbImage out;
  out.width = std::max(1, image.width * maxSide / longer);
  out.height = std::max(1, image.height * maxSide / longer);
  out.timeSeconds = image.timeSeconds;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 3);
  for (int y = 0; y < out.height; ++y) {
    const int y0 = y * image.height / out.height;
    const int y1 = std::max(y0 + 1, (y + 1) * image.height / out.height);
    for (int x = 0; x < out.width; ++x) {
      const int x0 = x * image.width / out.width;
      const int x1 = std::max(x0 + 1, (x + 1) * image.width / out.width);
      for (int c = 0; c < 3; ++c) {
        int sum = 0;
        for (int yy = y0; yy < y1; ++yy) {
          for (int xx = x0; xx < x1; ++xx) {
            sum += image.pixel(xx, yy)[c];
          }
        }
        out.pixels[(static_cast<size_t>(y) * out.width + x) * 3 + c] =
            static_cast<uint8_t>(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return out;
}

// Self-supervised training pairs from a folder of the user's videos: per video, perClip frames
// evenly spread over its length, each with the contract's audio window around it.
struct ClipsFlags {
  std::string videos;
  std::string out;
  int perClip = 8;
  int maxSide = 320;
};

int clipsCommand(const ClipsFlags& flags) {
  const std::string& videos = flags.videos;
  const std::string& out = flags.out;
  const int perClip = flags.perClip;
  const int maxSide = flags.maxSide;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(videos)) {
    if (entry.is_regular_file() && isVideoFile(entry.path())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "heardmap data clips: no videos in %s\n", videos.c_str());
    return 1;
  }
  // The pack's path must take a file before every video is decoded, not after.
  checkOutputFile(out, {});
  const PreprocessingContract contract = PreprocessingContract::ezvsl();
  ClipPack pack;
  pack.sampleRateHz = contract.sampleRateHz;
  pack.windowSeconds = contract.windowSeconds;
  ProgressBar bar("clips", static_cast<int64_t>(files.size()));
  int skipped = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    const std::string path = files[f].string();
    try {
      VideoDecoder decoder(path);
      const MediaInfo info = decoder.info();
      if (!info.hasAudio) {
        std::fprintf(stderr, "\nskipped %s: no audio track (nothing to learn from)\n",
                     path.c_str());
        ++skipped;
        continue;
      }
      const AudioTrack track = decodeAudio(path, contract.sampleRateHz, info.durationSeconds);
      for (int k = 0; k < perClip; ++k) {
        decoder.seek((k + 0.5) / perClip * info.durationSeconds);
        std::optional<RgbImage> frame = decoder.nextFrame();
        if (!frame) {
          break;
        }
        ClipSample sample;
        sample.source = path;
        sample.frame = shrink(*frame, maxSide);
        sample.audio = cutAudioWindow(track.samples, frame->timeSeconds, contract);
        pack.samples.push_back(std::move(sample));
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "\nskipped %s: %s\n", path.c_str(), e.what());
      ++skipped;
    }
    bar.update(static_cast<int64_t>(f + 1));
  }
  bar.finish();
  if (pack.samples.size() < 2) {
    std::fprintf(stderr, "heardmap data clips: fewer than 2 usable frames; nothing written\n");
    return 1;
  }
  pack.save(out);
  std::fprintf(stderr, "wrote %zu pairs from %d videos (%d skipped) to %s\n", pack.samples.size(),
               pack.sourceCount(), skipped, out.c_str());
  return 0;
}

}  // namespace

int runDataCommand(int argc, char** argv) {
  CLI::App app("Builds the asset pack, exports synthetic scenes, cuts training pairs from videos.",
               "heardmap data");
  app.require_subcommand(1);
  std::string packOut = HEARDMAP_DEFAULT_PACK;
  PackSources sources;
  CLI::App* pack =
      app.add_subcommand("pack", "Builds the asset pack from Debian's images and sounds");
  pack->add_option("--out", packOut, "The pack (.safetensors)");
  pack->add_option("--stamps", sources.stampRoot, "A folder of stamp images and sounds");

  ExportFlags exportFlags;
  CLI::App* exporter =
      app.add_subcommand("export", "Writes synthetic scenes (png, wav, boxes) to a folder");
  exporter->add_option("--pack", exportFlags.packPath, "The asset pack");
  exporter->add_option("--out", exportFlags.out, "The folder")->required();
  addChoice(*exporter, "--split", exportFlags.options.split, splitFromName, "split", "train, test",
            "Which split's objects and backgrounds");
  addCount(*exporter, "--per-condition", exportFlags.perCondition, 1, 100000,
           "Scenes per condition");
  addCount(*exporter, "--size", exportFlags.options.imageSize, 32, 1024, "Image side, pixels");
  exporter->add_option("--contact-sheet", exportFlags.sheetPath, "A PNG of every scene");

  ClipsFlags clipsFlags;
  CLI::App* clips = app.add_subcommand(
      "clips", "Cuts self-supervised training pairs (frame + audio window) from videos");
  clips->add_option("--videos", clipsFlags.videos, "A folder of videos")->required();
  clips->add_option("--out", clipsFlags.out, "The pairs (.safetensors)")->required();
  addCount(*clips, "--per-clip", clipsFlags.perClip, 1, 10000, "Frames per video");
  addCount(*clips, "--max-side", clipsFlags.maxSide, 32, 4096, "Longest frame side, pixels");
  ShardsOptions shardsFlags;
  CLI::App* shards = app.add_subcommand(
      "shards", "Decodes a dataset once into training shards (resumable; see docs/training.md)");
  shards->add_option("--data", shardsFlags.data, "The dataset folder (any layout eval reads)")
      ->required();
  addChoice(*shards, "--format", shardsFlags.format, datasetFormatFromName, "layout",
            "flickr, vggss, avsbench, is3, folder", "Dataset layout (default: detected)");
  shards->add_option("--list", shardsFlags.listPath,
                     "Training pairs: the ids to take (one per line, e.g. vggss_144k.txt)");
  shards->add_flag("--pairs", shardsFlags.pairs,
                   "Training pairs frames/<id>.jpg + audio/<id>.wav, every frame with its wav");
  shards->add_option("--out", shardsFlags.out, "The shards' folder")->required();
  addCount(*shards, "--size", shardsFlags.sizePx, 32, 1024, "Frame side, pixels (default 224)");
  addCount(*shards, "--shard-size", shardsFlags.samplesPerShard, 1, 1 << 20,
           "Samples per shard (default 1024)");
  shardsFlags.threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 16u));
  addCount(*shards, "--threads", shardsFlags.threads, 1, 256,
           "Samples decoded at once (default: the cores, at most 16)");
  addCount(*shards, "--frames-per-clip", shardsFlags.framesPerClip, 1, 1000,
           "Samples per video: frames evenly spaced over it (default 1: the middle)");
  addNumber(*shards, "--seconds", shardsFlags.audioSeconds, 0.5, 60.0,
            "Audio per sample, seconds (default 4: a 3 s window and jitter)");
  if (const std::optional<int> status = parseCommandLine(app, "heardmap data", argc, argv)) {
    return *status;
  }
  try {
    if (pack->parsed()) {
      return packCommand(packOut, sources);
    }
    if (exporter->parsed()) {
      return exportCommand(exportFlags);
    }
    if (shards->parsed()) {
      return writeShards(shardsFlags);
    }
    return clipsCommand(clipsFlags);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "heardmap data: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heardmap data: %s\n", e.what());
    return 1;
  }
}

}  // namespace heardmap
