#include <QtTest>
#include <cmath>
#include <complex>
#include <random>

#include "core/AudioWindow.h"
#include "core/ProbeFloor.h"
#include "core/Spectrogram.h"

using namespace heardmap;

namespace {

// Independent reference: scipy.signal.spectrogram's definition evaluated with a direct O(N^2)
// DFT in double precision (no FFT), for one segment starting at `start`.
std::vector<double> referenceDensity(const std::vector<float>& x, int start,
                                     const PreprocessingContract& c) {
  const int n = c.segmentSamples;
  // Tukey(513, 0.25) symmetric, last sample dropped: taper width floor(0.25 * 512 / 2) = 64.
  std::vector<double> w(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    if (i <= 64) {
      w[static_cast<size_t>(i)] = 0.5 * (1 - std::cos(M_PI * i / 64.0));
    } else if (i >= 512 - 64) {
      w[static_cast<size_t>(i)] = 0.5 * (1 - std::cos(M_PI * (512 - i) / 64.0));
    } else {
      w[static_cast<size_t>(i)] = 1.0;
    }
  }
  double mean = 0.0;
  for (int i = 0; i < n; ++i) {
    mean += x[static_cast<size_t>(start + i)];
  }
  mean /= n;
  double s2 = 0.0;
  for (double v : w) {
    s2 += v * v;
  }
  std::vector<double> p(static_cast<size_t>(n / 2 + 1));
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> acc = 0.0;
    for (int i = 0; i < n; ++i) {
      acc += (x[static_cast<size_t>(start + i)] - mean) * w[static_cast<size_t>(i)] *
             std::polar(1.0, -2.0 * M_PI * k * i / n);
    }
    p[static_cast<size_t>(k)] =
        std::norm(acc) / (c.sampleRateHz * s2) * ((k == 0 || k == n / 2) ? 1.0 : 2.0);
  }
  return p;
}

}  // namespace

class TestSpectrogram : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void contractGivesTheModelShape() {
    const PreprocessingContract c = PreprocessingContract::ezvsl();
    QCOMPARE(c.windowSamples(), 48000);
    QCOMPARE(c.hopSamples(), 238);
    QCOMPARE(c.frequencyBins(), 257);
    QCOMPARE(c.timeFrames(), 200);  // 1 + floor((48000 - 512) / 238)
    const Spectrogram s(c);
    QCOMPARE(s.compute(std::vector<float>(48000, 0.0f)).size(), size_t(257 * 200));
    QCOMPARE(s.framesFor(160000), 671);  // the 10 s LVS variant
  }

  // Hand-checked values of the periodic Tukey(512, 0.25) window.
  void tukeyWindowValues() {
    const std::vector<double> w = Spectrogram::periodicTukey(512, 0.25);
    QCOMPARE(w.size(), size_t(512));
    QCOMPARE(w[0], 0.0);
    QVERIFY(std::fabs(w[32] - 0.5) < 1e-12);  // halfway up the taper
    QVERIFY(std::fabs(w[16] - 0.5 * (1 - std::cos(M_PI / 4))) < 1e-12);
    QCOMPARE(w[64], 1.0);
    QCOMPARE(w[256], 1.0);
    QCOMPARE(w[448], 1.0);
    QVERIFY(std::fabs(w[480] - 0.5) < 1e-12);  // symmetric taper of the 513-point window
    QVERIFY(std::fabs(w[511] - 0.5 * (1 - std::cos(M_PI / 64))) < 1e-12);
  }

  // A constant signal is removed by the per-segment detrend: P = 0, so every value is log(1e-7)/12.
  void constantSignalIsDetrended() {
    const PreprocessingContract c = PreprocessingContract::ezvsl();
    const std::vector<float> out = Spectrogram(c).compute(std::vector<float>(48000, 0.25f));
    const float expected = static_cast<float>(std::log(1e-7) / 12.0);
    for (float v : out) {
      QVERIFY(std::fabs(v - expected) < 1e-4f);
    }
  }

  void matchesDirectDftReference() {
    const PreprocessingContract c = PreprocessingContract::ezvsl();
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    std::vector<float> x(48000);
    for (size_t i = 0; i < x.size(); ++i) {
      x[i] =
          0.3f * static_cast<float>(std::sin(2 * M_PI * 1000.0 * i / 16000.0)) + noise(rng) + 0.05f;
    }
    const Spectrogram s(c);
    const std::vector<double> power = s.powerDensity(x);
    const std::vector<float> logged = s.compute(x);
    for (int frame : {0, 1, 99, 199}) {
      const std::vector<double> ref = referenceDensity(x, frame * 238, c);
      for (int k = 0; k < 257; ++k) {
        const double got = power[static_cast<size_t>(k * 200 + frame)];
        QVERIFY2(std::fabs(got - ref[static_cast<size_t>(k)]) <=
                     1e-9 + 1e-9 * ref[static_cast<size_t>(k)],
                 qPrintable(QString("frame %1 bin %2: %3 vs %4")
                                .arg(frame)
                                .arg(k)
                                .arg(got)
                                .arg(ref[static_cast<size_t>(k)])));
        const double expectedLog = std::log(ref[static_cast<size_t>(k)] + 1e-7) / 12.0;
        QVERIFY(std::fabs(logged[static_cast<size_t>(k * 200 + frame)] - expectedLog) < 1e-5);
      }
    }
    // The 1 kHz tone sits in bin 1000 / (16000 / 512) = 32.
    int peak = 0;
    for (int k = 1; k < 257; ++k) {
      if (power[static_cast<size_t>(k * 200 + 50)] > power[static_cast<size_t>(peak * 200 + 50)]) {
        peak = k;
      }
    }
    QCOMPARE(peak, 32);
  }

  // Density scaling: white noise of variance s^2 has a one-sided PSD of about 2 s^2 / fs.
  void densityScalingOfWhiteNoise() {
    const PreprocessingContract c = PreprocessingContract::ezvsl();
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 0.5f);
    std::vector<float> x(48000);
    for (float& v : x) {
      v = noise(rng);
    }
    const std::vector<double> p = Spectrogram(c).powerDensity(x);
    double mean = 0.0;
    int count = 0;
    for (int k = 1; k < 256; ++k) {
      for (int f = 0; f < 200; ++f) {
        mean += p[static_cast<size_t>(k * 200 + f)];
        ++count;
      }
    }
    mean /= count;
    const double expected = 2.0 * 0.25 / 16000.0;
    QVERIFY2(std::fabs(mean / expected - 1.0) < 0.03, qPrintable(QString::number(mean / expected)));
  }

  void centredWindowStaysInside() {
    PreprocessingContract c = PreprocessingContract::ezvsl();
    std::vector<float> signal(16000 * 10);
    for (size_t i = 0; i < signal.size(); ++i) {
      signal[i] = static_cast<float>(i);
    }
    std::vector<float> w = cutAudioWindow(signal, 5.0, c);
    QCOMPARE(w.size(), size_t(48000));
    QCOMPARE(w.front(), 80000.0f - 24000.0f);  // [t - 1.5 s, t + 1.5 s)
    w = cutAudioWindow(signal, 0.2, c);
    QCOMPARE(w.front(), 0.0f);  // shifted right at the start
    w = cutAudioWindow(signal, 9.9, c);
    QCOMPARE(w.back(), static_cast<float>(signal.size() - 1));  // shifted left at the end
  }

  void shortSignalsAreTiled() {
    const PreprocessingContract c = PreprocessingContract::ezvsl();
    const std::vector<float> signal = {1.0f, 2.0f, 3.0f};
    const std::vector<float> w = cutAudioWindow(signal, 0.0, c);
    QCOMPARE(w[0], 1.0f);
    QCOMPARE(w[4], 2.0f);
    QCOMPARE(w[47999], 3.0f);  // 47999 % 3 == 2
  }

  void causalWindowEndsAtTheFrame() {
    PreprocessingContract c = PreprocessingContract::ezvsl();
    c.placement = WindowPlacement::Causal;
    std::vector<float> signal(16000 * 10);
    for (size_t i = 0; i < signal.size(); ++i) {
      signal[i] = static_cast<float>(i + 1);
    }
    std::vector<float> w = cutAudioWindow(signal, 5.0, c);
    QCOMPARE(w.back(), 80000.0f);   // the sample just before t = 5 s
    QCOMPARE(w.front(), 32001.0f);  // t - 3 s
    w = cutAudioWindow(signal, 1.0, c);
    QCOMPARE(w[0], 0.0f);  // silence before the start of the signal
    QCOMPARE(w[31999], 0.0f);
    QCOMPARE(w[32000], 1.0f);
  }

  void contractRoundTripsThroughJson() {
    PreprocessingContract c = PreprocessingContract::ezvsl();
    c.placement = WindowPlacement::Causal;
    c.imageSize = 160;
    const PreprocessingContract back =
        PreprocessingContract::fromJson(Json::parse(c.toJson().dump()));
    QCOMPARE(back.placement, WindowPlacement::Causal);
    QCOMPARE(back.imageSize, 160);
    QCOMPARE(back.overlapSamples, 274);
    Json bad = c.toJson();
    bad["fft_size"] = Json(500);
    QVERIFY_THROWS_EXCEPTION(JsonError, PreprocessingContract::fromJson(bad));
  }
  // A muted microphone's -66 dBFS self-noise is below the EZ-VSL spectrogram's floor (the same
  // input as silence); the official SSPL's min-max scaling makes it full-scale noise.
  void mutedMicIsSilenceBelowTheSpectrogramFloor() {
    QVERIFY(hearsMutedMicAsSilence(PreprocessingContract::ezvsl()));
    QVERIFY(!hearsMutedMicAsSilence(PreprocessingContract::ssplVggish()));
    PreprocessingContract loudFloor = PreprocessingContract::ezvsl();
    loudFloor.logOffset = 1e-14;  // a floor far below the noise: the noise shows
    QVERIFY(!hearsMutedMicAsSilence(loudFloor));
  }
};

QTEST_APPLESS_MAIN(TestSpectrogram)
#include "tst_Spectrogram.moc"
