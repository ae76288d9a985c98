// The live-microphone path with project-configured ALSA devices (no sound card needed): ALSA's
// file plugin replays a raw recording as a "microphone" (a 1 kHz sine at amplitude 1/8, RMS
// 0.0884; the file device does not keep time, it replays as fast as it is read), a stopped
// stream stands for an unplugged microphone, and a missing device fails cleanly. ALSA_CONFIG_PATH
// must be set before PortAudio starts, so this suite runs alone.
#include <QtTest>

#include <QDockWidget>
#include <QLabel>
#include <QScreen>
#include "tests/GlTestMain.h"

#include "app/media/MicrophoneCapture.h"
#include "core/ml/LocalizationModel.h"
#include "tests/TestFixtures.h"
#include "ui/MainWindow.h"
#include "ui/PlayerController.h"
#include "ui/VideoView.h"
#include "ui/ViewGrid.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::rms;
using heardmap::test::waitUntil;

namespace {

int deviceIndex(const std::string& name) {
  for (const InputDeviceInfo& d : listInputDevices()) {
    if (d.name == name) {
      return d.index;
    }
  }
  return -1;
}

}  // namespace

class TestLive : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (QGuiApplication::platformName() != "xcb") {
      QSKIP("needs a real GL context: run under xvfb-run");
    }
    QVERIFY(config_.isValid());
    const auto device = [](const QString& name, const QString& raw) {
      return QStringLiteral(
                 "pcm.%1raw { type file slave.pcm \"null\" file \"/dev/null\" "
                 "infile \"%2\" format \"raw\" }\n"
                 "pcm.%1 { type plug slave { pcm \"%1raw\" format S16_LE rate 16000 "
                 "channels 1 } }\n")
          .arg(name, raw);
    };
    QFile file(config_.filePath("asound.conf"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral("</usr/share/alsa/alsa.conf>\n"
                              "pcm.!default { type plug slave.pcm \"silentmic\" }\n"
                              "ctl.!default { type hw card 0 }\n"
                              "pcm.silentmic { type null }\n")
                   .toUtf8());
    file.write(device("filemicplug", fixture("tone16k.raw")).toUtf8());
    file.close();
    qputenv("ALSA_CONFIG_PATH", file.fileName().toUtf8());
    qputenv("HEARDMAP_NO_AUDIO", "1");
    qputenv("HEARDMAP_NO_DIALOGS", "1");
    LocalizationModel::setThreadCount(2);
  }

  void capturesTheReplayedMicrophone() {
    const int index = deviceIndex("filemicplug");
    QVERIFY2(index >= 0, "PortAudio does not list the project's ALSA file device");
    MicrophoneCapture mic(index, 16000, 4.0);
    QCOMPARE(mic.sampleRateHz(), 16000);
    QVERIFY(waitUntil([&] { return mic.samplesCaptured() >= 8000; }, 5000));
    QVERIFY(mic.isRunning());
    const std::vector<float> last = mic.latest(4000);
    QVERIFY2(std::abs(rms(last) - 0.0884) < 0.003, qPrintable(QString::number(rms(last))));
    QVERIFY(std::abs(mic.blockRms() - 0.0884f) < 0.005f);
    QVERIFY(std::abs(mic.blockPeak() - 0.125f) < 0.005f);
    // More than was captured: zeros first (silence before the microphone started). The margin
    // (250 ms) outlasts the samples captured between the two calls.
    const std::vector<float> all = mic.latest(static_cast<size_t>(mic.samplesCaptured()) + 4000);
    QCOMPARE(all[0], 0.0f);
    QVERIFY(mic.description().find("16000 Hz") != std::string::npos);
  }

  void liveViewsHearTheMicrophone() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.ensureModels();
    window.setViewCount(2);
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(fixture("player.mp4")));
    player->setViewCondition(1, AudioCondition::Silence);  // probes still apply in live mode
    QSignalSpy live(player, &PlayerController::liveChanged);
    QVERIFY(player->startLive(deviceIndex("filemicplug")));
    QVERIFY(player->isLive());
    QVERIFY(player->isPlaying());
    QCOMPARE(player->effectiveContract(0).placement, WindowPlacement::Causal);
    QTRY_VERIFY(window.grid()->view(0)->caption().value(1).contains("live microphone"));
    // The newest half second of the model's window is the microphone's tone.
    QVERIFY(waitUntil(
        [&] {
          const std::vector<float>& w = player->view(0).window;
          return w.size() == 48000 &&
                 std::abs(rms(std::vector<float>(w.end() - 8000, w.end())) - 0.0884) < 0.005;
        },
        10000));
    QCOMPARE(rms(player->view(1).window), 0.0);
    const uint64_t before = player->heatmapsProduced();
    QTRY_VERIFY_WITH_TIMEOUT(player->heatmapsProduced() >= before + 3, 20000);
    // Level meter: -21.1 dBFS RMS for the 1/8 sine.
    QTRY_VERIFY(window.findChild<QLabel*>("micLevel")->text().contains("-21."));
    QTRY_VERIFY(window.findChild<QLabel*>("micLatency")->text().contains("device"));
    const QString shots = qEnvironmentVariable("HEARDMAP_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
      for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
        if (dock->objectName() == "liveDock") {
          dock->raise();
        }
      }
      QTest::qWait(500);
      window.screen()->grabWindow(window.winId()).save(shots + "/screenshot-live.png");
    }
    // The picture loops under the microphone: past the clip's end it starts again.
    player->seek(2.9);
    QTRY_VERIFY_WITH_TIMEOUT(player->position() < 1.0, 5000);
    QVERIFY(player->isLive());
    player->stopLive();
    QVERIFY(!player->isLive());
    QVERIFY(!live.last().first().toBool());
    QTRY_VERIFY(window.grid()->view(0)->caption().value(1) == QString("hears: real audio"));
  }

  // A still image as the picture under the live microphone.
  void stillImageUnderTheMicrophone() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.ensureModels();
    PlayerController* player = window.controller();
    QVERIFY(!player->openStill(fixture("garbage.mp4")));  // not an image: error, nothing opened
    QVERIFY(player->openStill(fixture("backgrounds/b.png")));
    QCOMPARE(player->currentFrame().width, 300);
    QCOMPARE(player->currentFrame().height, 400);
    QVERIFY(player->startLive(deviceIndex("filemicplug")));
    const uint64_t before = player->heatmapsProduced();
    QTRY_VERIFY_WITH_TIMEOUT(player->heatmapsProduced() >= before + 3, 20000);
    QVERIFY(std::abs(rms(player->view(0).window) - 0.0884) < 0.01);
    player->stopLive();
  }

  void unpluggedMicrophoneFallsBack() {
    MainWindow window;
    window.ensureModels();
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(fixture("player.mp4")));
    QSignalSpy errors(player, &PlayerController::errorOccurred);
    // No such device: a message, no crash, still the file's audio.
    QVERIFY(!player->startLive(9999));
    QVERIFY(!player->isLive());
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().first().toString().contains("microphone") ||
            errors.first().first().toString().contains("device"));
    // A device that stops (unplugged: PortAudio ends the stream): live mode ends by itself.
    QVERIFY(player->startLive(deviceIndex("filemicplug")));
    QTest::qWait(200);
    QVERIFY(player->isLive());
    player->microphone()->abort();
    QTRY_VERIFY_WITH_TIMEOUT(!player->isLive(), 5000);
    QVERIFY(errors.last().first().toString().contains("back to the file's audio"));
    QVERIFY(player->audioStatus().size() > 0);
    player->pause();
    player->seek(1.0);
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(player->currentFrame().timeSeconds - 1.0) < 1e-6, 10000);
  }

 private:
  QTemporaryDir config_;
};

int main(int argc, char** argv) {
  return heardmap::test::runGlTest<TestLive>(argc, argv);
}
#include "tst_Live.moc"
