// `heardmap data shards` as a user runs it, on a folder of real clips (and one broken file): the
// shards read back as written, a broken file is counted and listed, a killed run continues after
// its last finished shard without touching it, a truncated shard is refused with its name, and
// a folder of another layout is not overwritten.
#include <QtTest>

#include <filesystem>

#include "core/Json.h"
#include "core/data/Shards.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;

namespace {

// A folder dataset of five decodable clips and one file that is not a video.
void makeDataset(const QString& dir) {
  QDir().mkpath(dir);
  const QStringList clips = {"clip.mp4", "clip.webm", "clip.avi", "ntsc.mp4", "opposite.mkv"};
  const QStringList names = {"a.mp4", "b.webm", "c.avi", "d.mp4", "f.mkv"};
  for (int i = 0; i < clips.size(); ++i) {
    QVERIFY(QFile::copy(fixture(clips[i]), dir + "/" + names[i]));
  }
  QVERIFY(QFile::copy(fixture("garbage.mp4"), dir + "/e.mp4"));
}

heardmap::test::CliRun shards(const QString& data, const QString& out, int size = 64,
                              int threads = 1) {
  return heardmap::test::runHeardmap(
      {"data", "shards", "--data", data, "--format", "folder", "--out", out, "--shard-size", "2",
       "--size", QString::number(size), "--threads", QString::number(threads)},
      120000);
}

}  // namespace

class TestShards : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void writesReadsAndResumes() {
    QTemporaryDir dir;
    const QString data = dir.filePath("data");
    const QString out = dir.filePath("shards");
    makeDataset(data);
    const auto run = shards(data, out);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY2(run.output.contains("wrote 3 shards (5 samples)"), qPrintable(run.output));

    const ShardIndex index = ShardIndex::load(out.toStdString());
    QVERIFY(index.complete);
    QCOMPARE(index.planned, int64_t(6));
    QCOMPARE(index.sampleCount(), int64_t(5));
    QCOMPARE(index.failed.size(), size_t(1));
    QVERIFY(QString::fromStdString(index.failed[0]).startsWith("e.mp4: "));
    std::vector<std::string> ids;
    for (const ShardEntry& e : index.shards) {
      const ShardData shard = readShard(out.toStdString() + "/" + e.file, index.layout);
      QCOMPARE(static_cast<int>(shard.count()), e.samples);
      QCOMPARE(shard.frames.size(), shard.count() * 64 * 64 * 3);
      QCOMPARE(shard.audio.size(), shard.count() * 64000);
      ids.insert(ids.end(), shard.ids.begin(), shard.ids.end());
      for (size_t k = 0; k < shard.count(); ++k) {
        int heard = 0;
        for (size_t j = 0; j < 64000; ++j) {
          heard += shard.audio[k * 64000 + j] != 0;
        }
        // The clips' sound; f.mkv's two channels are opposite, so its mono mix is silence.
        QVERIFY2(shard.ids[k] == "f.mkv" ? heard == 0 : heard > 16000, shard.ids[k].c_str());
      }
    }
    QCOMPARE(ids, (std::vector<std::string>{"a.mp4", "b.webm", "c.avi", "d.mp4", "f.mkv"}));

    // Killed after its first shard: the index says one shard, two entries scanned.
    const std::string first = out.toStdString() + "/shard-00000.safetensors";
    const auto firstTime = std::filesystem::last_write_time(first);
    ShardIndex killed = index;
    killed.shards.resize(1);
    killed.scanned = 2;
    killed.complete = false;
    killed.failed.clear();
    killed.save(out.toStdString());
    std::filesystem::remove(out.toStdString() + "/shard-00001.safetensors");
    std::filesystem::remove(out.toStdString() + "/shard-00002.safetensors");
    const auto resumed = shards(data, out);
    QVERIFY2(resumed.exitCode == 0 && resumed.output.contains("resuming after 1 shards"),
             qPrintable(resumed.output));
    QVERIFY(std::filesystem::last_write_time(first) == firstTime);  // untouched
    const ShardIndex again = ShardIndex::load(out.toStdString());
    QVERIFY(again.complete);
    QCOMPARE(again.shards.size(), size_t(3));
    QCOMPARE(again.failed.size(), size_t(1));
    QCOMPARE(again.toJson().dump(), index.toJson().dump());

    // A truncated shard is refused with its name.
    const std::string second = out.toStdString() + "/shard-00001.safetensors";
    std::filesystem::resize_file(second, std::filesystem::file_size(second) / 2);
    try {
      readShard(second, index.layout);
      QFAIL("a truncated shard was read");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("shard-00001.safetensors"), e.what());
    }

    // Shards of another layout are not overwritten.
    const auto other = shards(data, out, 32);
    QVERIFY2(other.exitCode != 0 && other.output.contains("another layout"),
             qPrintable(other.output));
  }

  // The official training layout (frames/<id>.jpg + audio/<id>.wav, ids from a list file as
  // EZ-VSL's metadata/vggss_144k.txt): listed ids in order, a missing one counted and listed.
  void trainingPairsFromAListFile() {
    QTemporaryDir dir;
    QFile list(dir.filePath("train.txt"));
    QVERIFY(list.open(QIODevice::WriteOnly));
    list.write("s0\ns2.mp4\nnope\ns4\n");
    list.close();
    const QString out = dir.filePath("shards");
    const auto run = heardmap::test::runHeardmap(
        {"data", "shards", "--data", fixture("official_flickr"), "--list", list.fileName(), "--out",
         out, "--shard-size", "2", "--size", "96"},
        120000);
    QVERIFY2(run.exitCode == 0 && run.output.contains("1 skipped for missing files"),
             qPrintable(run.output));
    const ShardIndex index = ShardIndex::load(out.toStdString());
    QCOMPARE(index.sampleCount(), int64_t(3));
    QCOMPARE(index.failed.size(), size_t(1));
    QVERIFY(QString::fromStdString(index.failed[0]).startsWith("nope: missing"));
    const ShardData first = readShard(out.toStdString() + "/" + index.shards[0].file, index.layout);
    QCOMPARE(first.ids, (std::vector<std::string>{"s0", "s2"}));
    QCOMPARE(first.frames.size(), size_t(2 * 96 * 96 * 3));
  }

  // --frames-per-clip: frames evenly spaced over each video, each with its own audio.
  void framesPerClipSpreadOverTheVideo() {
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath("videos")));
    QVERIFY(QFile::copy(fixture("clip.mp4"), dir.filePath("videos/a.mp4")));
    const auto run = heardmap::test::runHeardmap(
        {"data", "shards", "--data", dir.filePath("videos"), "--format", "folder",
         "--frames-per-clip", "3", "--out", dir.filePath("out"), "--size", "64"},
        120000);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    const ShardIndex index = ShardIndex::load(dir.filePath("out").toStdString());
    QVERIFY(index.source.find("3 frames per clip") != std::string::npos);
    const ShardData data =
        readShard(dir.filePath("out/shard-00000.safetensors").toStdString(), index.layout);
    QCOMPARE(data.ids, (std::vector<std::string>{"a.mp4#1/3", "a.mp4#2/3", "a.mp4#3/3"}));
    // Three times of the clip: three different frames and three different stretches of audio.
    const size_t frame = 64 * 64 * 3;
    QVERIFY(!std::equal(data.frames.begin(), data.frames.begin() + frame,
                        data.frames.begin() + 2 * frame));
    const size_t audio = static_cast<size_t>(index.layout.audioSamples);
    QVERIFY(!std::equal(data.audio.begin(), data.audio.begin() + audio,
                        data.audio.begin() + 2 * audio));
    const auto again =
        heardmap::test::runHeardmap({"data", "shards", "--data", dir.filePath("videos"), "--format",
                                     "folder", "--out", dir.filePath("out"), "--size", "64"},
                                    120000);
    QVERIFY2(again.exitCode != 0 && again.output.contains("choose another --out"),
             qPrintable(again.output));  // another sampling of the same videos is refused
  }

  // Several decoding threads write the very shards one thread writes (scan order kept).
  void threadsChangeNothingButTheTime() {
    QTemporaryDir dir;
    const QString data = dir.filePath("data");
    makeDataset(data);
    const auto one = shards(data, dir.filePath("one"), 64, 1);
    const auto four = shards(data, dir.filePath("four"), 64, 4);
    QVERIFY2(one.exitCode == 0 && four.exitCode == 0, qPrintable(one.output + four.output));
    for (const char* file : {"shard-00000.safetensors", "shard-00001.safetensors",
                             "shard-00002.safetensors", "index.json"}) {
      QFile a(dir.filePath(QString("one/") + file));
      QFile b(dir.filePath(QString("four/") + file));
      QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
      QVERIFY2(a.readAll() == b.readAll(), file);  // the index names the data, not its folder
    }
  }

  void aBadIndexIsNamed() {
    QTemporaryDir dir;
    QFile index(dir.filePath("index.json"));
    QVERIFY(index.open(QIODevice::WriteOnly));
    index.write(R"({"version": 1, "size_px": 64, "rate_hz": 16000, "audio_samples": 64000,
                    "samples_per_shard": 0, "scanned": 0, "planned": 1, "shards": [],
                    "failed": []})");
    index.close();
    try {
      ShardIndex::load(dir.path().toStdString());
      QFAIL("a bad index was read");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("index.json") &&
                   QString(e.what()).contains("samples_per_shard"),
               e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestShards)
#include "tst_Shards.moc"
