// Every consumer of media on the media matrix (tests/make-media-matrix.sh: odd sizes, pixel
// formats, containers, audio layouts, damaged files, made with the ffmpeg CLI): a correct result
// or a clear error, never a signal. Also the swscale wrapper at every width from 1 to 1280.
#include <QtTest>
#include <cstring>

#include "app/media/AudioTrack.h"
#include "app/media/FfmpegUtil.h"
#include "app/media/ImageLoader.h"
#include "app/media/MediaError.h"
#include "app/media/VideoDecoder.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::runHeardmap;

namespace {

// Bytes after a destination buffer that swscale must leave alone.
constexpr size_t kCanaryBytes = 256;
constexpr uint8_t kCanary = 0xA5;

struct Entry {
  QString file;
  QString expect;  // video, audio-only or damaged
  int width = 0;
  int height = 0;
};

QList<Entry> matrix() {
  QFile list(fixture("matrix/matrix.tsv"));
  if (!list.open(QIODevice::ReadOnly)) {
    qFatal("no media matrix at %s", qPrintable(list.fileName()));
  }
  QList<Entry> entries;
  for (const QByteArray& line : list.readAll().split('\n')) {
    const QList<QByteArray> cells = line.split('\t');
    if (cells.size() == 4) {
      entries.push_back({QString::fromUtf8(cells[0]), QString::fromUtf8(cells[1]), cells[2].toInt(),
                         cells[3].toInt()});
    }
  }
  return entries;
}

void addMatrixRows() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QString>("expect");
  QTest::addColumn<int>("width");
  QTest::addColumn<int>("height");
  for (const Entry& e : matrix()) {
    QTest::newRow(qPrintable(e.file)) << e.file << e.expect << e.width << e.height;
  }
}

// A frame of format w x h with every plane filled with value (decoders' padded buffers).
FramePtr filledFrame(AVPixelFormat format, int w, int h, uint8_t value) {
  FramePtr frame(av_frame_alloc());
  frame->format = format;
  frame->width = w;
  frame->height = h;
  if (av_frame_get_buffer(frame.get(), 0) < 0) {
    qFatal("av_frame_get_buffer failed");
  }
  for (int p = 0; p < AV_NUM_DATA_POINTERS && frame->data[p] != nullptr; ++p) {
    const int rows = p == 0 ? h : (format == AV_PIX_FMT_YUV420P ? (h + 1) / 2 : h);
    std::memset(frame->data[p], value, static_cast<size_t>(frame->linesize[p]) * rows);
  }
  return frame;
}

}  // namespace

class TestMediaMatrix : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The root of the heap corruption on 426 px wide videos: swscale wrote vectors past the end of
  // a tightly sized RGB buffer. At every width the bytes after the buffer stay untouched and the
  // picture is right.
  void scalerStaysInsideItsBufferAtEveryWidth() {
    PackedScaler scaler;
    for (int w = 1; w <= 1280; ++w) {
      for (const int h : {1, 3, 8}) {
        const FramePtr frame = filledFrame(AV_PIX_FMT_YUV420P, w, h, 128);
        std::vector<uint8_t> rgb(static_cast<size_t>(w) * h * 3 + kCanaryBytes, kCanary);
        QVERIFY(
            scaler.frameToPacked(frame.get(), w, h, AV_PIX_FMT_RGB24, 3, SWS_BILINEAR, rgb.data()));
        for (size_t i = static_cast<size_t>(w) * h * 3; i < rgb.size(); ++i) {
          QVERIFY2(rgb[i] == kCanary, qPrintable(QString("wrote past %1x%2").arg(w).arg(h)));
        }
        // Y = U = V = 128 is a mid grey.
        QVERIFY2(std::abs(int(rgb[0]) - 130) < 6 &&
                     std::abs(int(rgb[rgb.size() - kCanaryBytes - 1]) - 130) < 6,
                 qPrintable(QString("%1x%2: %3").arg(w).arg(h).arg(rgb[0])));
        // And back, as the encoder does (a packed source of exactly w x h x 3 bytes).
        FramePtr yuv = filledFrame(AV_PIX_FMT_YUV420P, std::max(2, w & ~1), std::max(2, h & ~1), 0);
        std::vector<uint8_t> source(static_cast<size_t>(w) * h * 3, 200);
        QVERIFY(
            scaler.packedToFrame(source.data(), w, h, AV_PIX_FMT_RGB24, 3, SWS_BICUBIC, yuv.get()));
        QVERIFY(yuv->data[0][0] > 150);
      }
    }
  }

  // Display-matrix rotation is applied as the ffmpeg CLI (and every player) applies it: the first
  // frame matches the PNG that ffmpeg wrote from the same file.
  void appliesRotationLikeFfmpeg() {
    for (const int degrees : {90, 180, 270}) {
      const QString name = QString("matrix/rotated-%1").arg(degrees);
      VideoDecoder decoder(fixture(name + ".mp4").toStdString());
      const std::optional<RgbImage> frame = decoder.nextFrame();
      QVERIFY(frame.has_value());
      const RgbaImage oracle = decodeImageRgba(fixture(name + ".png").toStdString());
      QCOMPARE(frame->width, oracle.width);
      QCOMPARE(frame->height, oracle.height);
      QCOMPARE(decoder.info().width, oracle.width);
      double difference = 0.0;
      for (size_t i = 0, n = size_t(oracle.width) * size_t(oracle.height); i < n; ++i) {
        for (size_t c = 0; c < 3; ++c) {
          difference += std::abs(int(frame->pixels[i * 3 + c]) - int(oracle.pixels[i * 4 + c]));
        }
      }
      difference /= double(oracle.width) * oracle.height * 3;
      QVERIFY2(difference < 4.0,
               qPrintable(name + ": mean difference " + QString::number(difference)));
    }
  }

  void decodesEveryEntry_data() { addMatrixRows(); }

  void decodesEveryEntry() {
    QFETCH(QString, file);
    QFETCH(QString, expect);
    QFETCH(int, width);
    QFETCH(int, height);
    const std::string path = fixture("matrix/" + file).toStdString();
    int frames = 0;
    try {
      VideoDecoder decoder(path);
      while (std::optional<RgbImage> frame = decoder.nextFrame()) {
        QCOMPARE(frame->width, width);
        QCOMPARE(frame->height, height);
        QCOMPARE(frame->pixels.size(), size_t(width) * size_t(height) * 3);
        QVERIFY(std::isfinite(frame->timeSeconds));
        ++frames;
      }
      if (decoder.info().durationSeconds > 0) {
        decoder.seek(decoder.info().durationSeconds / 2);
        if (std::optional<RgbImage> middle = decoder.nextFrame()) {
          QCOMPARE(middle->width, width);
        }
      }
      QVERIFY2(expect != "audio-only", "a file without picture opened as video");
    } catch (const MediaError& e) {
      QVERIFY2(expect != "video", e.what());
      QVERIFY(std::strlen(e.what()) > 10);
    }
    if (expect == "video") {
      QVERIFY2(frames >= 3, qPrintable(QString::number(frames)));
    }
    try {
      const AudioTrack track = decodeAudio(path, 16000);
      QVERIFY(track.samples.size() < size_t(16000) * 60);
      for (const float s : track.samples) {
        QVERIFY(std::isfinite(s));
      }
      if (expect == "audio-only") {
        QVERIFY(track.present);
        QVERIFY(track.durationSeconds() > 0.4);
      }
    } catch (const MediaError& e) {
      QVERIFY2(expect == "damaged", e.what());
    }
  }

  // heardmap render on every entry: an mp4 of the clip's size (even) for pictures, exit 1 with a
  // message for the rest; never a signal.
  void rendersEveryEntry_data() { addMatrixRows(); }

  void rendersEveryEntry() {
    QFETCH(QString, file);
    QFETCH(QString, expect);
    QFETCH(int, width);
    QTemporaryDir dir;
    const QString out = dir.filePath("out.mp4");
    const auto run = runHeardmap(
        {"render", fixture("matrix/" + file), "--out", out, "--checkpoint", "untrained"});
    QVERIFY2(!run.crashed, qPrintable(run.output));
    if (expect == "video") {
      QVERIFY2(run.exitCode == 0, qPrintable(run.output));
      VideoDecoder output(out.toStdString());
      QCOMPARE(output.info().width, std::max(2, width & ~1));
      QVERIFY(output.nextFrame().has_value());
    } else if (expect == "audio-only") {
      QCOMPARE(run.exitCode, 1);
      QVERIFY2(run.output.contains("has no video stream"), qPrintable(run.output));
      QVERIFY(!QFile::exists(out));
    } else {
      QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(run.output));
      QVERIFY2(run.exitCode == 0 || run.output.contains("heardmap render: "),
               qPrintable(run.output));
      QVERIFY(run.exitCode == 0 || !QFile::exists(out));
      // An mkv cut in half still states its whole duration: the render says it got half.
      if (file == "truncated.mkv") {
        QVERIFY2(run.exitCode == 1 || run.output.contains("the file is truncated or damaged"),
                 qPrintable(run.output));
      }
    }
  }

  // heardmap data clips and heardmap eval --format folder over the whole matrix at once: every
  // playable file contributes, every other is named with its reason.
  void clipsAndFolderEvalTakeTheWholeMatrix() {
    QTemporaryDir dir;
    const QString videos = dir.filePath("videos");
    QDir().mkpath(videos);
    int playable = 0;
    for (const Entry& e : matrix()) {
      QVERIFY(QFile::link(fixture("matrix/" + e.file), videos + "/" + e.file));
      playable += e.expect == "video" ? 1 : 0;
    }
    const auto clips = runHeardmap({"data", "clips", "--videos", videos, "--out",
                                    dir.filePath("clips.safetensors"), "--per-clip", "2"});
    QVERIFY2(!clips.crashed && clips.exitCode == 0, qPrintable(clips.output));
    QVERIFY2(clips.output.contains("skipped " + videos + "/zero-length.mp4"),
             qPrintable(clips.output));
    const auto eval = runHeardmap({"eval", "--data", videos, "--format", "folder", "--checkpoint",
                                   "untrained", "--out", dir.filePath("eval")});
    QVERIFY2(!eval.crashed && eval.exitCode == 0, qPrintable(eval.output));
    QVERIFY2(eval.output.contains("skipped zero-length.mp4"), qPrintable(eval.output));
    QVERIFY(QFile::exists(dir.filePath("eval/results.json")));
    QVERIFY(playable > 30);
  }
};

QTEST_GUILESS_MAIN(TestMediaMatrix)
#include "tst_MediaMatrix.moc"
