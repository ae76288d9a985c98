#include <QtTest>
#include <chrono>
#include <cmath>
#include <thread>

#include "app/media/AudioAtRates.h"
#include "app/media/AudioTrack.h"
#include "app/media/FramePump.h"
#include "app/media/MediaError.h"
#include "app/media/PlaybackClock.h"
#include "app/media/PngWriter.h"
#include "app/media/VideoDecoder.h"
#include "app/media/VideoEncoder.h"
#include "core/AudioWindow.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::waitUntil;

namespace {

double meanAbsDifference(const RgbImage& a, const RgbImage& b) {
  if (a.pixels.size() != b.pixels.size()) {
    return 255.0;
  }
  double sum = 0.0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
  }
  return sum / static_cast<double>(a.pixels.size());
}

// Positive-going zero crossings per second.
double crossingRate(const std::vector<float>& x, int rate) {
  int crossings = 0;
  for (size_t i = 1; i < x.size(); ++i) {
    if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
      ++crossings;
    }
  }
  return crossings * static_cast<double>(rate) / static_cast<double>(x.size());
}

}  // namespace

class TestMedia : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void decodesCommonContainers_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("mp4 h264/aac") << "clip.mp4";
    QTest::newRow("webm vp8/vorbis") << "clip.webm";
    QTest::newRow("avi mpeg4/pcm") << "clip.avi";
    QTest::newRow("mpg mpeg1/mp2") << "clip.mpg";
    QTest::newRow("mkv h264/flac") << "opposite.mkv";
  }

  void decodesCommonContainers() {
    QFETCH(QString, file);
    VideoDecoder decoder(fixture(file).toStdString());
    const MediaInfo& info = decoder.info();
    QCOMPARE(info.width, 160);
    QCOMPARE(info.height, 120);
    QVERIFY(std::fabs(info.frameRate - 25.0) < 0.01);
    QVERIFY(info.hasAudio);
    QVERIFY(std::fabs(info.durationSeconds - 2.0) < 0.15);
    int frames = 0;
    double last = -1.0;
    while (std::optional<RgbImage> frame = decoder.nextFrame()) {
      QCOMPARE(frame->pixels.size(), size_t(160 * 120 * 3));
      QVERIFY2(frame->timeSeconds > last, qPrintable(QString::number(frame->timeSeconds)));
      last = frame->timeSeconds;
      ++frames;
    }
    QCOMPARE(frames, 50);
    QVERIFY(decoder.warning().empty());
  }

  // After seek(t) the next frame is the one on screen at t, identical to sequential decoding.
  void seeksAccurately_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("mp4") << "clip.mp4";
    QTest::newRow("webm") << "clip.webm";
    QTest::newRow("mpg") << "clip.mpg";
  }

  void seeksAccurately() {
    QFETCH(QString, file);
    VideoDecoder sequential(fixture(file).toStdString());
    std::vector<RgbImage> all;
    while (std::optional<RgbImage> f = sequential.nextFrame()) {
      all.push_back(std::move(*f));
    }
    VideoDecoder decoder(fixture(file).toStdString());
    for (int index : {37, 3, 20, 49, 0, 21}) {
      const double t = all[static_cast<size_t>(index)].timeSeconds + 0.01;  // inside frame `index`
      decoder.seek(t);
      std::optional<RgbImage> f = decoder.nextFrame();
      QVERIFY(f.has_value());
      QVERIFY2(std::fabs(f->timeSeconds - all[static_cast<size_t>(index)].timeSeconds) < 1e-6,
               qPrintable(QString("index %1: got %2").arg(index).arg(f->timeSeconds)));
      QVERIFY(meanAbsDifference(*f, all[static_cast<size_t>(index)]) < 0.5);
      std::optional<RgbImage> next = decoder.nextFrame();
      if (index + 1 < static_cast<int>(all.size())) {
        QVERIFY(next.has_value());
        QVERIFY(std::fabs(next->timeSeconds - all[static_cast<size_t>(index + 1)].timeSeconds) <
                1e-6);
      }
    }
  }

  void decodesAudioToMonoAtTheRequestedRate() {
    const AudioTrack track = decodeAudio(fixture("clip.mp4").toStdString(), 16000);
    QVERIFY(track.present);
    QCOMPARE(track.sourceSampleRateHz, 44100);
    QCOMPARE(track.sampleRateHz, 16000);
    // AAC adds priming/padding samples: allow a few ms.
    QVERIFY2(std::fabs(track.durationSeconds() - 2.0) < 0.06,
             qPrintable(QString::number(track.durationSeconds())));
    QVERIFY(std::fabs(crossingRate(track.samples, 16000) - 440.0) < 5.0);
    float peak = 0.0f;
    for (float v : track.samples) {
      peak = std::max(peak, std::fabs(v));
    }
    QVERIFY(peak > 0.05f && peak <= 1.0f);
  }

  // Left = sin, right = -sin: the channel average is silence (a left-only downmix would not be).
  void averagesChannels() {
    const AudioTrack track = decodeAudio(fixture("opposite.mkv").toStdString(), 16000);
    QVERIFY(track.present);
    double energy = 0.0;
    for (float v : track.samples) {
      energy += v * v;
    }
    QVERIFY2(std::sqrt(energy / track.samples.size()) < 1e-3, qPrintable(QString::number(energy)));
  }

  void fileWithoutAudioGivesSilence() {
    VideoDecoder decoder(fixture("silent-video.mkv").toStdString());
    QVERIFY(!decoder.info().hasAudio);
    const AudioTrack track = decodeAudio(fixture("silent-video.mkv").toStdString(), 16000,
                                         decoder.info().durationSeconds);
    QVERIFY(!track.present);
    QVERIFY(std::fabs(track.durationSeconds() - 2.0) < 0.05);
    for (float v : track.samples) {
      QCOMPARE(v, 0.0f);
    }
  }

  // fuzz_media found a file without audio whose header claims 30 hours: the silent track asked
  // for 7 GB. Now an error naming the file.
  void absurdSilentTrackIsAnError() {
    const std::string path = (qEnvironmentVariable("HEARDMAP_TEST_SOURCES") +
                              "/fuzz/regressions/media/no-audio-claims-30-hours")
                                 .toStdString();
    try {
      (void)decodeAudio(path, 16000);
      QFAIL("made a silent track for a file that claims 30 hours");
    } catch (const MediaError& e) {
      QVERIFY2(std::string(e.what()).find(path) != std::string::npos &&
                   std::string(e.what()).find("no audio track") != std::string::npos,
               e.what());
    }
  }

  void badFilesGiveClearErrors() {
    try {
      VideoDecoder decoder(fixture("garbage.mp4").toStdString());
      QFAIL("opened garbage");
    } catch (const MediaError& e) {
      QVERIFY2(QString(e.what()).contains("garbage.mp4"), e.what());
    }
    try {
      VideoDecoder decoder(fixture("does-not-exist.mp4").toStdString());
      QFAIL("opened a missing file");
    } catch (const MediaError& e) {
      QVERIFY2(QString(e.what()).contains("No such file"), e.what());
    }
    // An mp4 cut before its index cannot be opened; the error says so instead of crashing.
    QVERIFY_THROWS_EXCEPTION(MediaError, VideoDecoder(fixture("truncated.mp4").toStdString()));
    QVERIFY_THROWS_EXCEPTION(MediaError, decodeAudio(fixture("garbage.mp4").toStdString(), 16000));
  }

  // A truncated mkv plays up to the damage.
  void truncatedFilePlaysWhatItHas() {
    VideoDecoder decoder(fixture("truncated.mkv").toStdString());
    int frames = 0;
    while (decoder.nextFrame()) {
      ++frames;
    }
    QVERIFY2(frames > 5 && frames < 50, qPrintable(QString::number(frames)));
    const AudioTrack track = decodeAudio(fixture("truncated.mkv").toStdString(), 16000);
    QVERIFY(track.durationSeconds() < 2.0);
  }

  void resamplesMono() {
    std::vector<float> tone(44100);
    for (size_t i = 0; i < tone.size(); ++i) {
      tone[i] = static_cast<float>(std::sin(2 * M_PI * 1000.0 * i / 44100.0));
    }
    const std::vector<float> out = resampleMono(tone, 44100, 16000);
    QVERIFY(std::abs(static_cast<int>(out.size()) - 16000) <= 2);
    QVERIFY(std::fabs(crossingRate(out, 16000) - 1000.0) < 3.0);
    QCOMPARE(resampleMono(tone, 44100, 44100), tone);

    // One clip's audio for every model (the player, the exports, the scorer): each rate is
    // resampled once and shared; a window is what cutAudioWindow cuts from that rate.
    AudioAtRates audio(tone, 44100);
    const auto at16 = audio.at(16000);
    QCOMPARE(*at16, out);
    QCOMPARE(audio.at(16000).get(), at16.get());  // kept, not resampled again
    QCOMPARE(*audio.at(44100), tone);
    PreprocessingContract contract = PreprocessingContract::ezvsl();
    contract.windowSeconds = 0.5;
    QCOMPARE(audio.window(contract, 0.5), cutAudioWindow(out, 0.5, contract));
  }

  void pumpDeliversFramesByClockAndSeeks() {
    FramePump pump(std::make_unique<VideoDecoder>(fixture("clip.mp4").toStdString()));
    int skipped = 0;
    std::optional<RgbImage> frame;
    QVERIFY(waitUntil([&] { return (frame = pump.takeFrameFor(0.5, &skipped)).has_value(); }));
    QVERIFY(frame->timeSeconds <= 0.5);
    pump.seek(1.2);
    std::optional<RgbImage> after;
    QVERIFY(waitUntil([&] { return (after = pump.takeFrameFor(1.2, &skipped)).has_value(); }));
    QVERIFY(std::fabs(after->timeSeconds - 1.2) < 0.041);
    std::optional<RgbImage> next = pump.takeNextFrame();
    QVERIFY(next.has_value());
    QVERIFY(std::fabs(next->timeSeconds - after->timeSeconds - 0.04) < 1e-6);
    pump.seek(1.9);
    while (pump.takeNextFrame()) {
    }
    QVERIFY(pump.finished());
  }

  void encoderWritesAPlayableMp4() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("out.mp4").toStdString();
    {
      VideoEncoder encoder(path, 97, 61, 25.0, 48000);  // odd size is rounded to even
      RgbImage frame;
      frame.width = 97;
      frame.height = 61;
      frame.pixels.assign(97 * 61 * 3, 200);
      std::vector<float> audio(48000 / 25);
      for (int i = 0; i < 25; ++i) {
        for (size_t s = 0; s < audio.size(); ++s) {
          audio[s] = 0.5f * static_cast<float>(
                                std::sin(2 * M_PI * 440.0 * (i * audio.size() + s) / 48000.0));
        }
        encoder.writeVideo(frame);
        encoder.writeAudio(audio.data(), audio.size());
      }
      QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));  // appears only when finished
      encoder.finish();
    }
    VideoDecoder decoder(path);
    QCOMPARE(decoder.info().width, 96);
    QCOMPARE(decoder.info().height, 60);
    QVERIFY(decoder.info().hasAudio);
    int frames = 0;
    while (std::optional<RgbImage> f = decoder.nextFrame()) {
      QVERIFY(std::abs(int(f->pixels[3 * (30 * 96 + 48)]) - 200) < 6);
      ++frames;
    }
    QCOMPARE(frames, 25);
    const AudioTrack track = decodeAudio(path, 16000);
    QVERIFY(std::fabs(crossingRate(track.samples, 16000) - 440.0) < 8.0);
    // An abandoned encoder leaves no file behind.
    { VideoEncoder abandoned(dir.filePath("abandoned.mp4").toStdString(), 64, 64, 25.0, 0); }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"out.mp4"});
  }

  void pngRoundTrip() {
    QTemporaryDir dir;
    RgbImage image;
    image.width = 5;
    image.height = 3;
    for (int i = 0; i < 15; ++i) {
      image.pixels.insert(image.pixels.end(), {uint8_t(i * 10), uint8_t(255 - i), uint8_t(i * i)});
    }
    const std::string path = dir.filePath("x.png").toStdString();
    writePng(path, image);
    VideoDecoder decoder(path);
    const std::optional<RgbImage> back = decoder.nextFrame();
    QVERIFY(back.has_value());
    QCOMPARE(back->pixels, image.pixels);
  }

  // A real PortAudio stream on ALSA's null PCM: it opens, plays, and is caught racing (it takes
  // audio far faster than real time), so playback falls back to the wall clock and says why.
  void racingDeviceIsNotTrustedAsTheClock() {
    qunsetenv("HEARDMAP_NO_AUDIO");
    qputenv("ALSA_CONFIG_PATH", qgetenv("HEARDMAP_TEST_SOURCES") + "/alsa/null-output.conf");
    auto samples = std::make_shared<const std::vector<float>>(48000, 0.0f);
    std::unique_ptr<PlaybackClock> clock = openPlayback(samples, 48000);
    QVERIFY(!clock->hasAudioDevice());
    QVERIFY2(QString::fromStdString(clock->description()).contains("does not keep time"),
             clock->description().c_str());
    clock->play();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    QVERIFY(clock->timeSeconds() < 0.5);
  }

  void wallClockStandsInWithoutADevice() {
    qputenv("HEARDMAP_NO_AUDIO", "1");
    auto samples = std::make_shared<const std::vector<float>>(48000, 0.0f);
    std::unique_ptr<PlaybackClock> clock = openPlayback(samples, 48000);
    QVERIFY(!clock->hasAudioDevice());
    QVERIFY(QString::fromStdString(clock->description()).contains("silent wall clock"));
    QCOMPARE(clock->timeSeconds(), 0.0);
    clock->seek(2.0);
    clock->setSpeed(2.0);
    clock->play();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    clock->pause();
    const double t = clock->timeSeconds();
    QVERIFY2(t > 2.3 && t < 2.9, qPrintable(QString::number(t)));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    QCOMPARE(clock->timeSeconds(), t);  // paused clocks stand still
  }
};

QTEST_GUILESS_MAIN(TestMedia)
#include "tst_Media.moc"
