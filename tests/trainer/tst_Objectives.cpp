// The training objectives and the optimizer on hand-worked cases (EZ-VSL, MarginNCE, SSL-SaN's
// negative columns, FNAC, LVS, SimSiam; ForeachAdam against torch::optim::Adam), and
// heardmap-train's flags and config files. The runs themselves are in tst_Trainer.
#include <QtTest>
#include <cmath>
#include <vector>

#include "TrainerProbes.h"
#include "core/AtomicFile.h"
#include "core/ml/TrainingConfig.h"

using namespace heardmap;

class TestObjectives : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // B = 2, D = 2, one location, v = a = identity, tau = 1: logits [[1, 0], [0, 1]];
  // each cross-entropy is log(1 + e^-1) = 0.3132617, two directions -> 0.6265234.
  void ezvslLossSingleLocation() {
    const double loss = ezvslLossValue({1, 0, 0, 1}, {1, 0, 0, 1}, 2, 2, 1, 1, 1.0);
    QVERIFY(std::fabs(loss - 2 * std::log(1 + std::exp(-1.0))) < 1e-6);
  }

  // Two locations: image 0 = {(1,0), (0,1)}, image 1 = {(0,1), (0,1)}; a0 = (1,0), a1 = (0,1).
  // Max over locations: logits [[1, 1], [0, 1]]. Rows: log 2 and log(1 + e^-1); columns the same
  // pair; mean per direction 0.5032040, total 1.0064081.
  void ezvslLossTakesTheBestLocation() {
    // Layout B x D x H x W: v[b][d][0][w].
    const std::vector<float> v = {1, 0, 0, 1,   // image 0: d0 = (1, 0), d1 = (0, 1) over w
                                  0, 0, 1, 1};  // image 1: d0 = (0, 0), d1 = (1, 1)
    const double loss = ezvslLossValue(v, {1, 0, 0, 1}, 2, 2, 1, 2, 1.0);
    QVERIFY2(std::fabs(loss - (std::log(2.0) + std::log(1 + std::exp(-1.0)))) < 1e-6,
             qPrintable(QString::number(loss)));
  }

  // MarginNCE, m = -1, tau = 1, one location, identity v = a: positive logits 1 - (-1) = 2,
  // negatives 0: each cross-entropy is log(1 + e^-2) = 0.1269280, total 0.2538560.
  void marginNceBoostsThePositive() {
    const double loss = ezvslLossValue({1, 0, 0, 1}, {1, 0, 0, 1}, 2, 2, 1, 1, 1.0, -1.0);
    QVERIFY(std::fabs(loss - 2 * std::log(1 + std::exp(-2.0))) < 1e-6);
    // m = 0 is EZ-VSL.
    QCOMPARE(ezvslLossValue({1, 0, 0, 1}, {1, 0, 0, 1}, 2, 2, 1, 1, 1.0, 0.0),
             ezvslLossValue({1, 0, 0, 1}, {1, 0, 0, 1}, 2, 2, 1, 1, 1.0));
  }

  // SSL-SaN: v0 = (1,0,0), v1 = (0,1,0); audio a0 = v0, a1 = v1 and one silence column n = (0,0,1).
  // Image -> audio rows [1, 0, 0]: CE = log(e + 2) - 1 = 0.5514447 each; audio -> image over the
  // batch only: log(1 + e^-1) = 0.3132617. Total 0.8647064.
  void negativeColumnsEnterOnlyTheImageToAudioTerm() {
    const double loss =
        ezvslLossValue({1, 0, 0, 0, 1, 0}, {1, 0, 0, 0, 1, 0, 0, 0, 1}, 2, 3, 1, 1, 1.0);
    QVERIFY2(std::fabs(loss -
                       (std::log(std::exp(1.0) + 2.0) - 1.0 + std::log(1 + std::exp(-1.0)))) < 1e-6,
             qPrintable(QString::number(loss)));
  }

  // FNAC, B = 2, one location, v = a = identity, tau = 1, lambda = 100:
  // S, audio-audio and image-image affinities are all [[1, 0], [0, 1]], so FNS1 = FNS2 = 0.
  // With one location the min-max self-similarity is 0 (< 0.6): no foreground, f = 0, A^f = 0,
  // softmax rows [0.5, 0.5] against softmax([1, 0]) = [0.7310586, 0.2689414]: TNE = 0.2310586.
  // Total = 2 log(1 + e^-1) + 100 * 0.2310586 = 23.7324...
  void fnacTermsOnAHandCase() {
    const double loss = fnacLossValue({1, 0, 0, 1}, {1, 0, 0, 1}, 2, 2, 1, 1, 1.0, 100.0);
    const double softmaxTop = std::exp(1.0) / (std::exp(1.0) + 1.0);
    const double expected = 2 * std::log(1 + std::exp(-1.0)) + 100.0 * (softmaxTop - 0.5);
    QVERIFY2(std::fabs(loss - expected) < 1e-4,
             qPrintable(QString("%1 vs %2").arg(loss).arg(expected)));
  }

  // FNAC's lambda: the paper's 100 at its batch 256, scaled to the run's batch unless given, and
  // the checkpoint says which.
  void fnacLambdaScalesWithTheBatchUnlessGiven() {
    const auto fnac = [](std::vector<std::string> extra) {
      std::vector<std::string> args = {"--pack", "p", "--method", "fnac"};
      args.insert(args.end(), extra.begin(), extra.end());
      return TrainingConfig::fromArguments(args);
    };
    QCOMPARE(fnac({"--batch", "32"}).fnacLambda, 12.5);
    QCOMPARE(fnac({"--batch", "256"}).fnacLambda, 100.0);
    QCOMPARE(fnac({"--batch", "128"}).fnacLambda, 50.0);
    const TrainingConfig scaled = fnac({"--batch", "64"});
    QVERIFY(QString::fromStdString(scaled.toJson().at("fnac_lambda_rule").asString())
                .contains("scaled to batch 64"));
    const TrainingConfig given = fnac({"--batch", "32", "--fnac-lambda", "100"});
    QCOMPARE(given.fnacLambda, 100.0);
    QCOMPARE(given.toJson().at("fnac_lambda_rule").asString(), std::string("given"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fnac({"--fnac-lambda", "-1"}));
  }

  // Each FNAC term is a mean over B x B entries of differences of row softmaxes, so the three
  // together add at most 6 lambda / B to the base loss, whatever the features.
  void fnacTermsAreBoundedBySixLambdaOverTheBatch() {
    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    const int batch = 8, dim = 4, cells = 9;
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<float> v(batch * dim * cells), a(batch * dim);
      for (float& x : v)
        x = normal(rng);
      for (float& x : a)
        x = normal(rng);
      const double base = fnacLossValue(v, a, batch, dim, 3, 3, 0.03, 0.0);
      const double full = fnacLossValue(v, a, batch, dim, 3, 3, 0.03, 1.0);
      QVERIFY2(full >= base && full - base <= 6.0 / batch + 1e-6,
               qPrintable(QString("%1 - %2").arg(full).arg(base)));
      QVERIFY(full - base > 0.01);  // the terms are not zero on random features
    }
  }

  void configRejectsBadFlags() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--steps", "10"}));  // no pack
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--lr", "fast"}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--method", "magic"}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--batch", "1"}));
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        TrainingConfig::fromArguments({"--pack", "p", "--image-padding", "reflect"}));
  }

  // --config FILE: the flags as a JSON object, read in place; later flags override it; bad files
  // are refused with the file's name.
  void configFileGivesTheFlags() {
    QTemporaryDir dir;
    const std::string file = dir.filePath("run.json").toStdString();
    writeFileAtomically(file, R"({"method": "marginnce", "margin": -0.3, "steps": 40,
                                  "lr": 5e-4, "ship": true, "progress": "json", "pack": "p"})");
    const TrainingConfig c = TrainingConfig::fromArguments({"--config", file, "--steps", "7"});
    QCOMPARE(c.method, std::string("marginnce"));
    QCOMPARE(c.margin, -0.3);
    QCOMPARE(c.learningRate, 5e-4);
    QCOMPARE(c.steps, int64_t(7));  // the later flag wins
    QVERIFY(c.inferenceOnly && c.halfPrecision);
    QCOMPARE(c.progress, ProgressFormat::JsonLines);
    QCOMPARE(c.toJson().at("config_file").asString(), file);
    const std::string broken = dir.filePath("broken.json").toStdString();
    writeFileAtomically(broken, "{\"method\": ");
    const std::string unknown = dir.filePath("unknown.json").toStdString();
    writeFileAtomically(unknown, R"({"pack": "p", "colour": "blue"})");
    for (const std::string& bad : {broken, unknown, dir.filePath("missing.json").toStdString()}) {
      try {
        TrainingConfig::fromArguments({"--config", bad});
        QFAIL(bad.c_str());
      } catch (const std::invalid_argument& e) {
        QVERIFY2(std::string(e.what()).find(bad) != std::string::npos ||
                     std::string(e.what()).find("--colour") != std::string::npos,
                 e.what());
      }
    }
  }

  // LVS on a hand case: B = 2, D = 2, two locations; v0 = {(1,0), (0,1)}, v1 = {(.6,.8), (.8,-.6)},
  // a0 = (1,0), a1 = (0,1). Cosine maps: A00 = [1, 0], A01 = [0, 1], A10 = [.6, .8],
  // A11 = [.8, -.6]. Trimap weights sigmoid((A - .65) / .03) and 1 - sigmoid((A - .4) / .03):
  // image 0: s_pos = 1.0000000, easy negative s01 = 1.0000000, hard negative s_hn = 2.06e-9;
  // image 1: s_pos = 0.8000000, s10 = 0.7724228, s_hn = -0.5999977.
  // Cross-entropy of [s_pos, s_ij, s_hn] / 0.07 at index 0, mean over images: 0.6042955.
  void lvsLossOnAHandCase() {
    const std::vector<float> v = {1,    0,    0,    1,       // image 0: d0 over w, d1 over w
                                  0.6f, 0.8f, 0.8f, -0.6f};  // image 1
    const double loss = lvsLossValue(v, {1, 0, 0, 1}, 2, 2, 1, 2, 0.65, 0.4, 0.03, 0.07);
    QVERIFY2(std::fabs(loss - 0.604295463838775) < 1e-5,
             qPrintable(QString::number(loss, 'g', 10)));
    // Far below both thresholds everywhere (all cosines -1): still finite.
    const double flat =
        lvsLossValue({-1, -1, 0, 0, -1, -1, 0, 0}, {1, 0, 1, 0}, 2, 2, 1, 2, 0.65, 0.4, 0.03, 0.07);
    QVERIFY(std::isfinite(flat));
  }

  // SimSiam's loss by hand: p1 = z2 (cos 1) and p2 orthogonal to z1 (cos 0) in both rows:
  // 0.5 * (-1 - 0) = -0.5; p1 opposite to z2 as well: 0.5 * (1 - 0) = 0.5.
  void simSiamLossOnAHandCase() {
    const std::vector<float> z1 = {1, 0, 0, 1};
    const std::vector<float> z2 = {0, 2, 3, 0};
    const std::vector<float> p2 = {0, 1, 1, 0};  // orthogonal to z1's rows
    QVERIFY(std::fabs(simSiamLossValue(z2, z1, p2, z2, 2, 2) - -0.5) < 1e-6);
    const std::vector<float> opposite = {0, -1, -1, 0};
    QVERIFY(std::fabs(simSiamLossValue(opposite, z1, p2, z2, 2, 2) - 0.5) < 1e-6);
  }

  // Adam by hand, lr 0.1, betas (0.9, 0.999). Step 1, g = (0.5, -3, 0): m^ = g and v^ = g^2, so
  // every weight with a gradient moves by 0.1 against its sign, (1, -2) -> (0.9, -1.9); the zero
  // gradient moves nothing. Step 2, g = (-0.5, -3, 0): weight 0 has m = 0.9 * 0.05 - 0.05 =
  // -0.005, m^ = -0.005 / 0.19, v^ = 0.00049975 / 0.001999 = 0.25, so it moves by
  // 0.1 * (0.005 / 0.19) / 0.5 = 0.0052632 to 0.9052632; weight 1 (m^ = -3, v^ = 9) to -1.8.
  // Weight decay is Adam's L2 term on the gradient: 1 with g = 0 and decay 0.1 sees g = 0.1 and
  // goes to 0.9 (AdamW's decoupled decay would give 0.99).
  void foreachAdamOnAHandCase() {
    const std::vector<float> one = foreachAdamWeights({1, -2, 0.5}, {{0.5, -3, 0}}, 0.1, 0.0);
    QVERIFY(std::fabs(one[0] - 0.9f) < 1e-6 && std::fabs(one[1] - -1.9f) < 1e-6);
    QCOMPARE(one[2], 0.5f);
    const std::vector<float> two =
        foreachAdamWeights({1, -2, 0.5}, {{0.5, -3, 0}, {-0.5, -3, 0}}, 0.1, 0.0);
    QVERIFY2(std::fabs(two[0] - 0.9052632f) < 1e-6, qPrintable(QString::number(two[0], 'g', 9)));
    QVERIFY2(std::fabs(two[1] - -1.8f) < 1e-6, qPrintable(QString::number(two[1], 'g', 9)));
    const std::vector<float> decayed = foreachAdamWeights({1}, {{0}}, 0.1, 0.1);
    QVERIFY2(std::fabs(decayed[0] - 0.9f) < 1e-6, qPrintable(QString::number(decayed[0])));
  }

  // The trainer's multi-tensor Adam is torch::optim::Adam to the bit on the CPU, with and without
  // FNAC's weight decay, when one parameter starts later than the others (step counts 6 and 8),
  // and across a save/load: torch's Adam resumed from ForeachAdam's archive goes on identically.
  void foreachAdamIsTorchAdam() {
    for (const double decay : {0.0, 1e-4}) {
      const AdamAgreement agreement = compareForeachAdamWithAdam(8, decay);
      QCOMPARE(agreement.maxWeightDifference, 0.0);
      QCOMPARE(agreement.maxMomentDifference, 0.0);
      QCOMPARE(agreement.maxResumedDifference, 0.0);
      QCOMPARE(agreement.matrixSteps, 8LL);
      QCOMPARE(agreement.vectorSteps, 6LL);
    }
  }
};

QTEST_APPLESS_MAIN(TestObjectives)
#include "tst_Objectives.moc"
