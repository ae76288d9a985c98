// `heardmap data pack` on a miniature stamp tree, and `heardmap data export` of its scenes.
#include <QtTest>

#include <QImage>

#include "app/cli/AssetPackBuilder.h"
#include "core/data/AssetPack.h"
#include "core/data/ClipPack.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;

class TestDataCommands : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // heardmap --help and every subcommand's help need no display (the app's --help aborted in
  // QApplication without X).
  void everyHelpWorksWithoutADisplay() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
      env.remove(name);
    }
    const QList<QStringList> commands = {{"--help"},
                                         {"render", "--help"},
                                         {"eval", "--help"},
                                         {"data", "--help"},
                                         {"curves", "--help"}};
    for (const QStringList& arguments : commands) {
      QProcess process;
      process.setProcessChannelMode(QProcess::MergedChannels);
      process.setProcessEnvironment(env);
      process.start(qEnvironmentVariable("HEARDMAP_BINARY"), arguments);
      QVERIFY(process.waitForFinished(60000));
      const QString output = QString::fromUtf8(process.readAll());
      QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0 &&
                   output.contains("sage"),
               qPrintable(arguments.join(' ') + ": " + output));
    }
  }

  // A bad number on the app's command line is an error that names the flag (exit 2), before any
  // window opens.
  void appNumbersAreCheckedByName() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) {
      QSKIP("the app parses its flags after connecting to the display: run under xvfb-run");
    }
    const QList<QPair<QStringList, QString>> cases = {
        {{"--views", "9"}, "--views must be in [1, 6], got 9"},
        {{"--views", "two"}, "--views needs a whole number, got 'two'"},
        {{"--inference-threads", "0"}, "--inference-threads must be in [1, 256], got 0"},
        {{"--start", "nan"}, "--start"},
        {{"--quit-after", "-1"}, "--quit-after"}};
    for (const auto& [arguments, message] : cases) {
      QProcess process;
      process.setProcessChannelMode(QProcess::MergedChannels);
      process.start(qEnvironmentVariable("HEARDMAP_BINARY"), arguments + QStringList{"--fresh"});
      QVERIFY(process.waitForFinished(60000));
      const QString output = QString::fromUtf8(process.readAll());
      QVERIFY2(process.exitCode() == 2 && output.contains("heardmap: " + message),
               qPrintable(arguments.join(' ') + ": " + output));
    }
  }

  void builderKeepsObjectSoundsAndSkipsSpeech() {
    PackSources sources;
    sources.stampRoot = fixture("stamps").toStdString();
    sources.backgroundRoots = {fixture("backgrounds").toStdString(), "/nonexistent"};
    PackReport report;
    const AssetPack pack = buildAssetPack(sources, report, [](int, int) {});
    QCOMPARE(report.soundingObjects,
             2);  // cat (.ogg) and dog (.wav); not "one" (speech), not the cartoon
    QCOMPARE(report.silentObjects, 1);  // box
    QCOMPARE(report.backgrounds, 2);
    QCOMPARE(report.skipped, 0);
    const auto cat = std::find_if(pack.objects.begin(), pack.objects.end(),
                                  [](const PackObject& o) { return o.name == "cat"; });
    QVERIFY(cat != pack.objects.end());
    QCOMPARE(cat->description, std::string("A cat."));
    QVERIFY(std::abs(static_cast<int>(cat->sound.size()) - 12800) <
            400);  // 0.8 s at 16 kHz, not the _desc file
    // Transparent borders are trimmed: the 32 px disc, not the 64x48 canvas.
    QVERIFY(std::abs(cat->image.width - 32) <= 2);
    QVERIFY(std::abs(cat->image.height - 32) <= 2);
    QCOMPARE(pack.backgrounds[0].image.width, 320);
    QCOMPARE(pack.backgrounds[0].image.height, 240);
  }

  // Longer than 80 lines: one scenario end to end, each step checked where it happens.
  void packAndExportFromTheCommandLine() {
    QTemporaryDir dir;
    const QString packPath = dir.filePath("pack.safetensors");
    QProcess pack;
    pack.setProcessChannelMode(QProcess::MergedChannels);
    pack.start(qEnvironmentVariable("HEARDMAP_BINARY"),
               {"data", "pack", "--out", packPath, "--stamps", fixture("stamps")});
    QVERIFY(pack.waitForFinished(60000));
    const QString packOutput = QString::fromUtf8(pack.readAll());
    // Two sounding objects are too few for a benchmark: the pack is written, the exit code says so.
    QVERIFY2(packOutput.contains("2 sounding objects"), qPrintable(packOutput));
    QCOMPARE(pack.exitCode(), 1);
    QVERIFY(QFileInfo::exists(packPath));

    // Export needs a test split with 2 sounding objects; build one by hand from the same pack.
    AssetPack loaded = AssetPack::load(packPath.toStdString());
    for (PackObject& o : loaded.objects) {
      o.split = Split::Test;
    }
    for (PackBackground& b : loaded.backgrounds) {
      b.split = Split::Test;
    }
    loaded.save(packPath.toStdString());
    QProcess exporter;
    exporter.setProcessChannelMode(QProcess::MergedChannels);
    const QString out = dir.filePath("scenes");
    exporter.start(qEnvironmentVariable("HEARDMAP_BINARY"),
                   {"data", "export", "--pack", packPath, "--out", out, "--per-condition", "2",
                    "--size", "96", "--contact-sheet", dir.filePath("sheet.png")});
    QVERIFY(exporter.waitForFinished(60000));
    QVERIFY2(exporter.exitCode() == 0, exporter.readAll().constData());
    QCOMPARE(QDir(out).entryList({"*.png"}).size(), 10);
    QCOMPARE(QDir(out).entryList({"*.wav"}).size(), 10);
    QFile meta(out + "/positive_0.json");
    QVERIFY(meta.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(meta.readAll()).object();
    QCOMPARE(json["condition"].toString(), QString("positive"));
    QVERIFY(json["objects"].toArray().size() >= 2);
    QVERIFY(QFileInfo(dir.filePath("sheet.png")).size() > 1000);

    // A disk that fills up during the export (a 40 kB file-size limit, writes fail with EFBIG):
    // an error, and the folder holds no scene of the failed run.
    QProcess full;
    full.setProcessChannelMode(QProcess::MergedChannels);
    const QString fullOut = dir.filePath("full");
    full.start("bash", {"-c", "trap '' XFSZ; ulimit -f 40; exec \"$0\" \"$@\"",
                        qEnvironmentVariable("HEARDMAP_BINARY"), "data", "export", "--pack",
                        packPath, "--out", fullOut, "--per-condition", "4", "--size", "96"});
    QVERIFY(full.waitForFinished(60000));
    const QString fullOutput = QString::fromUtf8(full.readAll());
    QVERIFY2(full.exitStatus() == QProcess::NormalExit && full.exitCode() == 1,
             qPrintable(fullOutput));
    QVERIFY2(fullOutput.contains("cannot write"), qPrintable(fullOutput));
    QCOMPARE(QDir(fullOut).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList());

    // The synthetic benchmark on this pack: one row per condition, every number finite.
    QProcess eval;
    eval.setProcessChannelMode(QProcess::MergedChannels);
    eval.start(qEnvironmentVariable("HEARDMAP_BINARY"),
               {"eval", "--pack", packPath, "--per-condition", "3", "--checkpoint", "untrained",
                "--out", dir.filePath("eval")});
    QVERIFY(eval.waitForFinished(120000));
    const QString evalOutput = QString::fromUtf8(eval.readAll());
    QVERIFY2(eval.exitCode() == 0, qPrintable(evalOutput));
    QVERIFY(evalOutput.contains("| SLAVC AP |") || evalOutput.contains("SLAVC AP"));
    QFile csv(dir.filePath("eval/results.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    for (const char* condition : {"positive", "multisource", "silence", "noise", "offscreen"}) {
      QVERIFY(lines.filter(QString(",%1,3,").arg(condition)).size() == 1);
    }
    QVERIFY(!lines.join(',').contains("nan"));
    QVERIFY(QFileInfo(dir.filePath("eval/success_curves.png")).size() > 1000);
    // The gallery: one row (one model) of the 3 positive scenes there are, a multi-source, a
    // silence and a noise scene, each 224 px with the ground-truth boxes in green.
    const QImage gallery(dir.filePath("eval/gallery.png"));
    QVERIFY(!gallery.isNull());
    QCOMPARE(gallery.width(), 190 + 6 * (224 + 6) + 6);
    QCOMPARE(gallery.height(), 18 + 6 + (224 + 18 + 6) + 6);
    int green = 0;
    for (int y = 0; y < gallery.height(); ++y) {
      for (int x = 190; x < 190 + 4 * 230; ++x) {  // positives and the multi-source scene
        const QColor c = gallery.pixelColor(x, y);
        green += c.red() == 40 && c.green() == 230 && c.blue() == 60;
      }
    }
    QVERIFY2(green > 4 * 2 * 4 * 40, qPrintable(QString::number(green)));  // 4+ boxes, 2 px
  }

  // Training pairs from a folder of videos: frames spread over each clip with the 3 s window
  // around them; a video without sound is skipped and counted, a damaged one too.
  void clipsFromAFolderOfVideos() {
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath("videos"));
    for (const char* name : {"player.mp4", "clip.webm", "silent-video.mkv", "garbage.mp4"}) {
      QVERIFY(QFile::copy(fixture(name), dir.filePath(QStringLiteral("videos/") + name)));
    }
    const QString out = dir.filePath("clips.safetensors");
    QProcess clips;
    clips.setProcessChannelMode(QProcess::MergedChannels);
    clips.start(qEnvironmentVariable("HEARDMAP_BINARY"),
                {"data", "clips", "--videos", dir.filePath("videos"), "--out", out, "--per-clip",
                 "3", "--max-side", "200"});
    QVERIFY(clips.waitForFinished(60000));
    const QString output = QString::fromUtf8(clips.readAll());
    QVERIFY2(clips.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains("wrote 6 pairs from 2 videos (2 skipped)"), qPrintable(output));
    QVERIFY(output.contains("no audio track"));
    const ClipPack pack = ClipPack::load(out.toStdString());
    QCOMPARE(pack.samples.size(), size_t{6});
    QCOMPARE(pack.sourceCount(), 2);
    for (const ClipSample& s : pack.samples) {
      QCOMPARE(s.audio.size(), size_t{48000});
      QVERIFY(std::max(s.frame.width, s.frame.height) <= 200);
    }
    // player.mp4 (3 s, 640x360): frames at 0.5, 1.5 and 2.5 s; its tone starts at 1 s, so the
    // last window holds more sound than the first.
    const auto energy = [](const std::vector<float>& v) {
      double e = 0.0;
      for (float x : v) {
        e += static_cast<double>(x) * x;
      }
      return e;
    };
    std::vector<const ClipSample*> player;
    for (const ClipSample& s : pack.samples) {
      if (s.source.find("player.mp4") != std::string::npos) {
        player.push_back(&s);
      }
    }
    QCOMPARE(player.size(), size_t{3});
    QCOMPARE(player[0]->frame.width, 200);
    QCOMPARE(player[0]->frame.height, 112);
    QVERIFY(std::abs(player[1]->frame.timeSeconds - 1.5) < 0.05);
    QVERIFY(energy(player[2]->audio) > energy(player[0]->audio));
  }

  // `heardmap curves`: a text log and a JSON log of two runs become two charts, one colour per
  // run (the palette's first two: blue and red) inside the plot frame; a file without trainer
  // progress is an error.
  void curvesOfTrainingLogs() {
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const QByteArray& text) {
      QFile f(dir.filePath(name));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(text);
    };
    write("a.log",
          "step 10/30  loss 3.0000  20.0 samples/s  1 s  about 2 s left\n"
          "step 20/30  loss 2.0000  20.0 samples/s  2 s  about 1 s left\n"
          "step 30/30  loss 1.5000  20.0 samples/s  3 s\n");
    write("b.jsonl",
          "{\"event\": \"step\", \"step\": 10, \"steps\": 30, \"loss\": 4.0}\n"
          "{\"event\": \"eval\", \"step\": 10, \"metrics\": {\"positive\": "
          "{\"ciou50_relative\": 20, \"auc_relative\": 40}, \"silence\": "
          "{\"mean_max_unit\": 0.6}}}\n"
          "{\"event\": \"step\", \"step\": 30, \"steps\": 30, \"loss\": 2.5}\n"
          "{\"event\": \"eval\", \"step\": 30, \"metrics\": {\"positive\": "
          "{\"ciou50_relative\": 30, \"auc_relative\": 45}, \"silence\": "
          "{\"mean_max_unit\": 0.5}}}\n");
    write("empty.log", "nothing to see\n");
    QProcess curves;
    curves.setProcessChannelMode(QProcess::MergedChannels);
    curves.start(qEnvironmentVariable("HEARDMAP_BINARY"),
                 {"curves", dir.filePath("a.log"), dir.filePath("b.jsonl"), "--out",
                  dir.filePath("charts")});
    QVERIFY(curves.waitForFinished(60000));
    const QString output = QString::fromUtf8(curves.readAll());
    QVERIFY2(curves.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains("a.log: 3 loss points, 0 evaluations"), qPrintable(output));
    QVERIFY2(output.contains("b.jsonl: 2 loss points, 2 evaluations"), qPrintable(output));
    for (const char* chart : {"charts/loss.png", "charts/test_split.png"}) {
      const QImage image(dir.filePath(chart));
      QVERIFY2(!image.isNull(), chart);
      int blue = 0;
      int red = 0;
      for (int y = 50; y < image.height() - 60; ++y) {
        for (int x = 80; x < image.width() - 340; ++x) {  // the plot frame, legend left out
          const QColor c = image.pixelColor(x, y);
          blue += c.red() == 31 && c.green() == 119 && c.blue() == 180;
          red += c.red() == 214 && c.green() == 39 && c.blue() == 40;
        }
      }
      // The loss chart has both runs; the test split only run b (a has no evaluation).
      QVERIFY2(red > 50, qPrintable(QString("%1: red %2").arg(chart).arg(red)));
      if (QString(chart).contains("loss")) {
        QVERIFY2(blue > 50, qPrintable(QString("%1: blue %2").arg(chart).arg(blue)));
      }
    }
    QProcess empty;
    empty.setProcessChannelMode(QProcess::MergedChannels);
    empty.start(qEnvironmentVariable("HEARDMAP_BINARY"),
                {"curves", dir.filePath("empty.log"), "--out", dir.filePath("charts2")});
    QVERIFY(empty.waitForFinished(60000));
    QCOMPARE(empty.exitCode(), 1);
    QVERIFY(QString::fromUtf8(empty.readAll()).contains("holds no heardmap-train progress"));
    QVERIFY(!QFileInfo::exists(dir.filePath("charts2")));
  }
};

QTEST_GUILESS_MAIN(TestDataCommands)
#include "tst_DataCommands.moc"
