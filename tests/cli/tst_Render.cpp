// Runs `heardmap render` as a user would and checks what it writes.
#include <QtTest>

#include "app/media/AudioTrack.h"
#include "app/media/VideoDecoder.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;

namespace {

// heardmap render ARGUMENTS.
heardmap::test::CliRun runRender(const QStringList& arguments) {
  return heardmap::test::runHeardmap(QStringList{"render"} + arguments, 120000);
}

}  // namespace

class TestRender : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void rendersOverlaidVideoWithAudioAndSnapshot() {
    QTemporaryDir dir;
    const QString out = dir.filePath("out.mp4");
    const QString png = dir.filePath("snap.png");
    const auto run =
        runRender({fixture("player.mp4"), "--out", out, "--png", png, "--snapshot", "1.5",
                   "--colormap", "viridis", "--opacity", "0.7", "--checkpoint", "untrained"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY(run.output.contains("UNTRAINED"));
    QVERIFY(run.output.contains("48000 Hz resampled to 16000 Hz"));
    QVERIFY(run.output.contains("rendered 75 frames"));

    VideoDecoder output(out.toStdString());
    QCOMPARE(output.info().width, 640);
    QVERIFY(output.info().hasAudio);
    int frames = 0;
    while (output.nextFrame()) {
      ++frames;
    }
    QCOMPARE(frames, 75);
    // The overlay changed the picture: compare with the source's frame 0.
    VideoDecoder source(fixture("player.mp4").toStdString());
    VideoDecoder again(out.toStdString());
    const RgbImage a = *source.nextFrame();
    const RgbImage b = *again.nextFrame();
    double diff = 0.0;
    for (size_t i = 0; i < a.pixels.size(); ++i) {
      diff += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    }
    QVERIFY(diff / a.pixels.size() > 10.0);
    // The sound survives: silence for 1 s, then the 660 Hz tone.
    const AudioTrack track = decodeAudio(out.toStdString(), 16000);
    QVERIFY(std::fabs(track.durationSeconds() - 3.0) < 0.1);
    float early = 0.0f;
    float late = 0.0f;
    for (size_t i = 0; i < track.samples.size(); ++i) {
      (i < 12000 ? early : late) = std::max(i < 12000 ? early : late, std::fabs(track.samples[i]));
    }
    QVERIFY(early < 0.01f);
    QVERIFY(late > 0.08f);  // lavfi's sine has amplitude 1/8

    VideoDecoder snapshot(png.toStdString());
    QCOMPARE(snapshot.info().width, 640);
  }

  // Outputs that would destroy the input or a device, and flags out of range, fail at once; the
  // input stays byte for byte.
  void badOutputsAndFlagsFailBeforeDecoding() {
    QTemporaryDir dir;
    const QString input = dir.filePath("in.mp4");
    QVERIFY(QFile::copy(fixture("clip.mp4"), input));
    QFile original(input);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray before = original.readAll();
    auto run = runRender({input, "--out", input});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.output.contains("is the input"), qPrintable(run.output));
    run = runRender({input, "--out", dir.path()});
    QVERIFY2(run.exitCode == 1 && run.output.contains("is a folder"), qPrintable(run.output));
    run = runRender({input, "--out", "/dev/full"});
    QVERIFY2(run.exitCode == 1 && run.output.contains("not a regular file"),
             qPrintable(run.output));
    QVERIFY(QFileInfo("/dev/full").isFile() == false);
    for (const QStringList& flag : {QStringList{"--opacity", "nan"},
                                    {"--opacity", "5"},
                                    {"--threshold", "-1"},
                                    {"--threads", "0"}}) {
      run = runRender({input, "--out", dir.filePath("o.mp4"), flag[0], flag[1]});
      QVERIFY2(run.exitCode == 2 && run.output.contains(flag[0]), qPrintable(run.output));
    }
    QFile after(input);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QVERIFY(after.readAll() == before);
  }

  // A file with a stream but no decodable picture is an error, not a 0-frame mp4.
  void noPictureIsAnErrorNotAnEmptyVideo() {
    QTemporaryDir dir;
    const QString out = dir.filePath("o.mp4");
    const auto run = runRender({fixture("matrix/header-only.mkv"), "--out", out});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(!QFile::exists(out));
  }

  void snapshotOnly() {
    QTemporaryDir dir;
    const QString png = dir.filePath("only.png");
    const auto run = runRender(
        {fixture("clip.webm"), "--png", png, "--snapshot", "1.0", "--normalization", "absolute"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY(QFileInfo(png).size() > 1000);
    QVERIFY(!run.output.contains("rendered 50"));  // stopped at the snapshot
  }

  void reportsBadInputClearly() {
    QTemporaryDir dir;
    auto run = runRender({fixture("garbage.mp4"), "--out", dir.filePath("x.mp4")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.output.contains("cannot open") || run.output.contains("cannot read"),
             qPrintable(run.output));
    QVERIFY(!QFileInfo::exists(dir.filePath("x.mp4")));
    run = runRender({fixture("clip.mp4"), "--out", dir.filePath("x.mp4"), "--checkpoint",
                     fixture("garbage.mp4")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.output.contains("not a PyTorch file"), qPrintable(run.output));
    run = runRender({fixture("clip.mp4"), "--colormap", "rainbow"});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.output.contains("unknown colormap"));
    run = runRender({fixture("clip.mp4"), "--png", dir.filePath("late.png"), "--snapshot", "99"});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.output.contains("past the end"));
  }

  void silentVideoRendersAndSaysSo() {
    QTemporaryDir dir;
    const auto run = runRender({fixture("silent-video.mkv"), "--out", dir.filePath("s.mp4")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY(run.output.contains("no audio track"));
  }
};

QTEST_GUILESS_MAIN(TestRender)
#include "tst_Render.moc"
