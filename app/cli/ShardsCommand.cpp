#include "ShardsCommand.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ProgressBar.h"
#include "SampleLoader.h"
#include "core/AtomicFile.h"
#include "core/PilResize.h"
#include "core/data/Shards.h"

namespace heardmap {
namespace {

// The shards' audio rate: the contracts' (EZ-VSL family, SSPL), what the trainer resamples from.
constexpr int kShardRateHz = 16000;
// Missing files printed (all of them go into index.json).
constexpr size_t kMissingShown = 5;

// The window of samples centred on centreSeconds, zero past the ends, as int16.
void appendAudio(const std::vector<float>& samples, double centreSeconds, int length,
                 std::vector<int16_t>& out) {
  const int64_t start =
      static_cast<int64_t>(std::llround(centreSeconds * kShardRateHz)) - length / 2;
  for (int i = 0; i < length; ++i) {
    const int64_t at = start + i;
    const float v = at >= 0 && at < static_cast<int64_t>(samples.size())
                        ? samples[static_cast<size_t>(at)]
                        : 0.0f;
    out.push_back(static_cast<int16_t>(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767.0f)));
  }
}

// The index to continue from: the folder's own when it holds shards of this layout and this
// dataset, else a new one.
ShardIndex startingIndex(const ShardsOptions& options, const ShardLayout& layout,
                         const std::string& source, int64_t planned) {
  const std::filesystem::path indexPath = std::filesystem::path(options.out) / "index.json";
  if (!std::filesystem::exists(indexPath)) {
    ShardIndex index;
    index.layout = layout;
    index.source = source;
    index.planned = planned;
    return index;
  }
  ShardIndex index = ShardIndex::load(options.out);
  if (!(index.layout == layout)) {
    throw std::runtime_error(indexPath.string() + " holds shards of another layout (" +
                             std::to_string(index.layout.sizePx) + " px, " +
                             std::to_string(index.layout.audioSamples) + " audio samples, " +
                             std::to_string(index.layout.samplesPerShard) +
                             " per shard): choose another --out");
  }
  if (index.planned != planned || index.source != source) {
    throw std::runtime_error(indexPath.string() + " was made from " + index.source + " (" +
                             std::to_string(index.planned) + " entries), not " + source + " (" +
                             std::to_string(planned) + "): choose another --out");
  }
  return index;
}

// Training pairs: frames/<id>.jpg and audio/<id>.wav for each id of the list (or for every frame
// with its wav); an id whose frame or wav is missing is counted and listed.
DatasetScan readPairs(const std::string& root, const std::string& listPath) {
  namespace fs = std::filesystem;
  std::vector<std::string> ids;
  if (!listPath.empty()) {
    std::istringstream lines(readFile(listPath));
    for (std::string line; std::getline(lines, line);) {
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (!line.empty()) {
        ids.push_back(fs::path(line).stem().string());  // "abc.mp4" and "abc" name one id
      }
    }
  } else {
    if (!fs::is_directory(fs::path(root) / "frames")) {
      throw std::runtime_error(root + " has no frames/ folder (training pairs: frames/<id>.jpg " +
                               "and audio/<id>.wav)");
    }
    for (const auto& e : fs::directory_iterator(fs::path(root) / "frames")) {
      if (e.is_regular_file() && e.path().extension() == ".jpg") {
        ids.push_back(e.path().stem().string());
      }
    }
    std::sort(ids.begin(), ids.end());
  }
  DatasetScan scan;
  for (const std::string& id : ids) {
    const fs::path frame = fs::path(root) / "frames" / (id + ".jpg");
    const fs::path audio = fs::path(root) / "audio" / (id + ".wav");
    const bool hasFrame = fs::exists(frame);
    const bool hasAudio = fs::exists(audio);
    if (!hasFrame || !hasAudio) {
      ++scan.missing;  // every one is listed: the index keeps them all
      scan.missingExamples.push_back(id + ": missing " +
                                     (hasFrame ? audio.string() : frame.string()));
    }
    if (hasFrame && hasAudio) {
      EvalSample sample;
      sample.id = id;
      sample.imagePath = frame.string();
      sample.audioPath = audio.string();
      scan.samples.push_back(std::move(sample));
    }
  }
  if (scan.samples.empty()) {
    throw std::runtime_error("no training pairs in " + root + " (frames/<id>.jpg with " +
                             "audio/<id>.wav" + (listPath.empty() ? "" : " for " + listPath) + ")");
  }
  return scan;
}

// One entry decoded for a shard: its frame at the shard size and its audio, or why it failed.
struct DecodedSample {
  std::vector<uint8_t> frame;
  std::vector<int16_t> audio;
  std::string error;
};

// Entries [first, first + count) decoded on up to `threads` threads (each entry on one).
std::vector<DecodedSample> decodeWindow(const std::vector<EvalSample>& samples, int64_t first,
                                        int64_t count, const ShardLayout& layout, int threads) {
  std::vector<DecodedSample> out(static_cast<size_t>(count));
  std::atomic<int64_t> next{0};
  const auto work = [&] {
    for (int64_t k = next++; k < count; k = next++) {
      DecodedSample& d = out[static_cast<size_t>(k)];
      try {
        const LoadedSample loaded =
            loadSample(samples[static_cast<size_t>(first + k)], {kShardRateHz});
        d.frame = resizeAndCentreCropLikeTorchvision(loaded.frame, layout.sizePx).pixels;
        appendAudio(loaded.audioByRateHz.at(kShardRateHz), loaded.audioCentreSeconds,
                    layout.audioSamples, d.audio);
      } catch (const std::exception& e) {
        d.error = e.what();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min<int64_t>(threads, count); ++t) {
    pool.emplace_back(work);
  }
  work();
  for (std::thread& t : pool) {
    t.join();
  }
  return out;
}

// Each video entry without an annotated time becomes `frames` samples at evenly spaced times
// ("clip.mp4#2/4"), each with the audio around its frame; other entries stay as they are.
DatasetScan framesOverClips(DatasetScan scan, int frames) {
  if (frames <= 1) {
    return scan;
  }
  std::vector<EvalSample> expanded;
  for (EvalSample& sample : scan.samples) {
    if (!sample.imagePath.empty() || sample.frameSeconds >= 0) {
      expanded.push_back(std::move(sample));
      continue;
    }
    for (int k = 0; k < frames; ++k) {
      EvalSample at = sample;
      at.clipFraction = (k + 0.5) / frames;
      at.id = sample.id + "#" + std::to_string(k + 1) + "/" + std::to_string(frames);
      expanded.push_back(std::move(at));
    }
  }
  scan.samples = std::move(expanded);
  return scan;
}

}  // namespace

int writeShards(const ShardsOptions& options) {
  const bool pairs = options.pairs || !options.listPath.empty();
  const DatasetFormat format = pairs || options.format != DatasetFormat::Invalid
                                   ? options.format
                                   : detectDatasetFormat(options.data);
  const DatasetScan scan = framesOverClips(
      pairs ? readPairs(options.data, options.listPath) : readDataset(options.data, format),
      options.framesPerClip);
  const std::string source =
      options.data + " (" +
      (pairs ? "pairs" + (options.listPath.empty() ? std::string() : " of " + options.listPath)
             : datasetFormatName(format)) +
      (options.framesPerClip > 1 ? ", " + std::to_string(options.framesPerClip) + " frames per clip"
                                 : std::string()) +
      ")";
  ShardLayout layout;
  layout.sizePx = options.sizePx;
  layout.rateHz = kShardRateHz;
  layout.audioSamples = static_cast<int>(std::lround(options.audioSeconds * kShardRateHz));
  layout.samplesPerShard = options.samplesPerShard;
  std::filesystem::create_directories(options.out);
  const int64_t planned = static_cast<int64_t>(scan.samples.size());
  ShardIndex index = startingIndex(options, layout, source, planned);
  if (index.complete) {
    std::fprintf(stderr, "%s: already complete (%zu shards, %lld samples)\n", options.out.c_str(),
                 index.shards.size(), static_cast<long long>(index.sampleCount()));
    return 0;
  }
  if (index.scanned == 0 && pairs) {
    index.failed = scan.missingExamples;  // listed from the start (a resumed run has them)
  }
  if (index.scanned > 0) {
    std::fprintf(stderr, "resuming after %zu shards (%lld of %lld entries done)\n",
                 index.shards.size(), static_cast<long long>(index.scanned),
                 static_cast<long long>(planned));
  }
  std::fprintf(stderr, "%s: %lld entries, %d skipped for missing files, %d rejected\n",
               source.c_str(), static_cast<long long>(planned), scan.missing, scan.rejected);
  for (size_t m = 0; m < scan.missingExamples.size() && m < kMissingShown; ++m) {
    std::fprintf(stderr, "  %s\n", scan.missingExamples[m].c_str());
  }
  ShardData pending;
  const auto flush = [&](int64_t scannedAfter) {
    const std::string name = shardFileName(static_cast<int>(index.shards.size()));
    writeShard((std::filesystem::path(options.out) / name).string(), layout, pending);
    index.shards.push_back({name, static_cast<int>(pending.count())});
    index.scanned = scannedAfter;  // the index moves on only once the shard is on disk
    index.save(options.out);
    pending = ShardData{};
  };
  ProgressBar bar("shards", std::max<int64_t>(1, planned));
  // Entries are decoded a window at a time on options.threads threads, the window being what
  // fills the pending shard; their samples join it in scan order, so the shards are the same
  // whatever the thread count, and a shard is written (and the index moved on) once full.
  for (int64_t next = index.scanned; next < planned;) {
    const int64_t window = std::min<int64_t>(
        planned - next, layout.samplesPerShard - static_cast<int64_t>(pending.count()));
    std::vector<DecodedSample> decoded =
        decodeWindow(scan.samples, next, window, layout, options.threads);
    for (int64_t k = 0; k < window; ++k) {
      DecodedSample& d = decoded[static_cast<size_t>(k)];
      const std::string& id = scan.samples[static_cast<size_t>(next + k)].id;
      if (!d.error.empty()) {
        index.failed.push_back(id + ": " + d.error);
        std::fprintf(stderr, "\nskipped %s: %s\n", id.c_str(), d.error.c_str());
        continue;
      }
      pending.frames.insert(pending.frames.end(), d.frame.begin(), d.frame.end());
      pending.audio.insert(pending.audio.end(), d.audio.begin(), d.audio.end());
      pending.ids.push_back(id);
    }
    next += window;
    if (static_cast<int>(pending.count()) == layout.samplesPerShard) {
      flush(next);
    }
    bar.update(next);
  }
  bar.finish();
  if (pending.count() > 0) {
    flush(planned);
  }
  index.scanned = planned;
  index.complete = true;
  index.save(options.out);
  std::fprintf(stderr, "wrote %zu shards (%lld samples) to %s; %zu samples could not be read%s\n",
               index.shards.size(), static_cast<long long>(index.sampleCount()),
               options.out.c_str(), index.failed.size(),
               index.failed.empty() ? "" : " (listed in index.json)");
  return index.sampleCount() > 0 ? 0 : 1;
}

}  // namespace heardmap
