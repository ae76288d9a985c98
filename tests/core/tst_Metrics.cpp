// Every expected value below was worked out by hand (see the comments).
#include <QtTest>

#include "core/RoughDuration.h"
#include "core/eval/Baselines.h"
#include "core/eval/BenchmarkAccumulator.h"
#include "core/eval/GroundTruth.h"
#include "core/eval/Localization.h"
#include "core/eval/NegativeAudio.h"
#include "core/eval/TrainerProgress.h"
#include "core/eval/TrainingLog.h"

using namespace heardmap;

class TestMetrics : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void consensusGroundTruthWeighsAgreement() {
    // Annotator A marks [0,2)x[0,2), B marks [1,3)x[1,3): pixel (1,1) is marked twice -> 1,
    // pixels marked once -> 0.5, unmarked -> 0.
    const std::vector<float> g = consensusGroundTruth({{{0, 0, 2, 2}}, {{1, 1, 3, 3}}}, 4);
    QCOMPARE(g[0 * 4 + 0], 0.5f);
    QCOMPARE(g[1 * 4 + 1], 1.0f);
    QCOMPARE(g[2 * 4 + 2], 0.5f);
    QCOMPARE(g[3 * 4 + 3], 0.0f);
    QCOMPARE(g[0 * 4 + 2], 0.0f);
    const std::vector<float> u = unionGroundTruth({{0, 0, 2, 2}, {1, 1, 3, 3}}, 4);
    QCOMPARE(u[1 * 4 + 1], 1.0f);
    QCOMPARE(u[0 * 4 + 1], 1.0f);
    QCOMPARE(u[3 * 4 + 0], 0.0f);
  }

  void normalizedBoxesTruncateLikeThePapers() {
    // int(0.1*224)=22, int(0.2*224)=44, int(0.55*224)=123, 1.3 clips to 1 -> 224.
    const PixelBox b = boxFromNormalized(0.1, 0.2, 0.55, 1.3, 224);
    QCOMPARE(b.x0, 22);
    QCOMPARE(b.y0, 44);
    QCOMPARE(b.x1, 123);
    QCOMPARE(b.y1, 224);
  }

  void upsamplingAlignsCorners() {
    // 2x2 [0 1; 2 3] to 3x3: corners kept, edge midpoints and centre averaged.
    const std::vector<float> out = upsampleAlignCorners({0, 1, 2, 3}, 2, 2, 3, 3);
    QCOMPARE(out, (std::vector<float>{0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3}));
    // A 7 x 5 map to 224 x 224 against torch's formula written out per pixel.
    const int w = 7;
    const int h = 5;
    const int n = 224;
    std::vector<float> map;
    for (int i = 0; i < w * h; ++i) {
      map.push_back(static_cast<float>(std::cos(i * 0.9) + i * 0.01));
    }
    const std::vector<float> big = upsampleAlignCorners(map, w, h, n, n);
    double worst = 0.0;
    for (int y = 0; y < n; ++y) {
      const double fy = y * (h - 1.0) / (n - 1);
      const int y0 = std::min(static_cast<int>(fy), h - 1);
      const int y1 = std::min(y0 + 1, h - 1);
      for (int x = 0; x < n; ++x) {
        const double fx = x * (w - 1.0) / (n - 1);
        const int x0 = std::min(static_cast<int>(fx), w - 1);
        const int x1 = std::min(x0 + 1, w - 1);
        const auto at = [&](int xi, int yi) { return double(map[size_t(yi * w + xi)]); };
        const double top = at(x0, y0) * (1 - (fx - x0)) + at(x1, y0) * (fx - x0);
        const double bottom = at(x0, y1) * (1 - (fx - x0)) + at(x1, y1) * (fx - x0);
        const double expected = top * (1 - (fy - y0)) + bottom * (fy - y0);
        worst = std::max(worst, std::abs(big[size_t(y * n + x)] - expected));
      }
    }
    QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
  }

  void binarizationRules() {
    // Relative: sorted [0.1 0.2 0.3 0.4], index 4/2 = 2 -> threshold 0.3, ">=".
    QCOMPARE(binarize({0.1f, 0.4f, 0.2f, 0.3f}, PredictionRule::RelativeMedian, {}),
             (std::vector<uint8_t>{0, 1, 0, 1}));
    // Ties at the median are all predicted.
    QCOMPARE(binarize({0.5f, 0.5f, 0.5f, 0.5f}, PredictionRule::RelativeMedian, {}),
             (std::vector<uint8_t>{1, 1, 1, 1}));
    QCOMPARE(binarize({0.49f, 0.5f, 0.9f}, PredictionRule::AbsoluteHalf, {}),
             (std::vector<uint8_t>{0, 1, 1}));
    // Adaptive: one ground-truth pixel -> only the highest pixel.
    QCOMPARE(binarize({0.2f, 0.9f, 0.4f}, PredictionRule::AdaptiveTopK, {0.0f, 0.0f, 1.0f}),
             (std::vector<uint8_t>{0, 1, 0}));
    std::vector<float> map = {2.0f, 4.0f, 3.0f};
    minMaxNormalize(map);
    QCOMPARE(map, (std::vector<float>{0.0f, 1.0f, 0.5f}));
  }

  void consensusIoUCountsOutsidePixels() {
    // I = 1 (pixel 0, weight 1); sum G = 1.5; predicted outside the GT: pixel 2 -> 1.
    // cIoU = 1 / (1.5 + 1) = 0.4.
    QCOMPARE(consensusIoU({1, 0, 1, 0}, {1.0f, 0.5f, 0.0f, 0.0f}), 0.4);
    QCOMPARE(consensusIoU({0, 0}, {0.0f, 0.0f}), 0.0);
  }

  void successCurveAndAuc() {
    // Values 0, 0.3, 0.5, 1. Python's 0.05 * 6 is 0.30000000000000004 > 0.3, so the 0.3 sample
    // drops out at i = 6 already. Rates: i=0 1; i=1..5 0.75; i=6..10 0.5; i=11..20 0.25.
    // Trapezoids x 0.05: 0.875 + 4*0.75 + 0.625 + 4*0.5 + 0.375 + 9*0.25 = 9.125 -> 45.625.
    const SuccessCurve c = successCurve({0.0, 0.3, 0.5, 1.0});
    QCOMPARE(c.thresholds.size(), size_t(21));
    QCOMPARE(c.rates[5], 0.75);
    QCOMPARE(c.rates[6], 0.5);
    QCOMPARE(c.rates[10], 0.5);
    QCOMPARE(c.rates[20], 0.25);
    QCOMPARE(c.successAt50, 50.0);
    QVERIFY(std::fabs(c.auc - 45.625) < 1e-9);
    QVERIFY(std::fabs(c.meanIoU - 0.45) < 1e-12);
  }

  void instanceSuccessNeedsEveryInstance() {
    // Worst instances 0.4 and 0.7: one of two images passes 0.5.
    const SuccessCurve c = instanceSuccessCurve({{0.6, 0.4}, {0.7, 0.9}});
    QCOMPARE(c.successAt50, 50.0);
  }

  void slavcDetectionScores() {
    // P1 (0.9, IoU .8), P2 (0.8, IoU .3), N1 (0.7), P3 (0.6, IoU .6), N2 (0.2); 3 positives.
    // PR at thresholds .9 .8 .7 .6 .2: P = 1 .5 .33 .5 .4, R = 1/3 1/3 1/3 2/3 2/3.
    // Envelope 1 .5 .5 .5 .4 -> AP = 1/3 * 1 + 1/3 * .5 = 0.5.
    // Deciles of {.2 .6 .7 .8 .9}: F1 = .5, .571, .333, .4, .5 -> max 4/7.
    const std::vector<DetectionSample> samples = {
        {true, 0.9, 0.8}, {true, 0.8, 0.3}, {false, 0.7, 0.0}, {true, 0.6, 0.6}, {false, 0.2, 0.0}};
    const DetectionScores s = detectionScores(samples);
    QVERIFY(std::fabs(s.averagePrecision - 50.0) < 1e-9);
    QVERIFY(std::fabs(s.maxF1 - 400.0 / 7.0) < 1e-9);
    QVERIFY(std::fabs(s.precisionAt50 - 200.0 / 3.0) < 1e-9);
  }

  void negativeAudioStatistics() {
    std::vector<float> map = {-1.0f, 0.0f, 1.0f};
    toUnitScore(map);
    QCOMPARE(map, (std::vector<float>{0.0f, 0.5f, 1.0f}));
    // Top quarter of 8 values 0..7 (/7): 7 and 6 -> 13/14.
    std::vector<float> eight;
    for (int i = 0; i < 8; ++i) {
      eight.push_back(i / 7.0f);
    }
    QVERIFY(std::fabs(topQuarterConfidence(eight) - 13.0 / 14.0) < 1e-6);
    QCOMPARE(areaAboveThreshold({0.2f, 0.6f, 0.7f, 0.4f}, 0.55), 0.5);
    // pIA 0 and 0.5: fraction <= t is 0.5 below t = 0.5 and 1 from there:
    // 9 * 0.5 + 0.75 + 10 * 1 = 15.25 trapezoids x 0.05 -> 76.25.
    QVERIFY(std::fabs(areaOverCurve({0.0, 0.5}) - 76.25) < 1e-9);
  }

  // A trainer log read back: text progress lines and the evaluation table the trainer prints
  // (benchmarkMarkdown itself, so that the reader follows the table's format), other lines
  // skipped; JSON progress alike.
  // Longer than 80 lines: one scenario end to end, each step checked where it happens.
  void trainingLogReadsTextAndJsonProgress() {
    BenchmarkResult result;
    result.method = "ezvsl small";
    ConditionResult positive;
    positive.condition = SceneCondition::Positive;
    positive.samples = 4;
    positive.relative.successAt50 = 37.5;
    positive.relative.auc = 41.5;
    positive.meanMaxScore = 0.7;
    ConditionResult silence;
    silence.condition = SceneCondition::Silence;
    silence.samples = 4;
    silence.meanMaxScore = 0.612;
    result.conditions = {positive, silence};
    const std::string text =
        "--init base.safetensors (ezvsl): every tensor\n"
        "step 10/20  loss 2.5000  30.0 samples/s  3 s  about 3 s left\n"
        "eval at step 10:\n" +
        benchmarkMarkdown({result}) +
        "step 20: imgnet and audnet train from here\n"
        "step 20/20  loss 1.7500  31.0 samples/s  6 s\r\n";
    const TrainingLog log = TrainingLog::parse(text);
    QCOMPARE(log.loss.size(), size_t(2));
    QCOMPARE(log.loss[0].step, int64_t(10));
    QCOMPARE(log.loss[0].value, 2.5);
    QCOMPARE(log.loss[1].step, int64_t(20));
    QCOMPARE(log.loss[1].value, 1.75);
    QCOMPARE(log.evals.size(), size_t(1));
    QCOMPARE(log.evals[0].step, int64_t(10));
    QCOMPARE(log.evals[0].ciou50, 37.5);
    QCOMPARE(log.evals[0].auc, 41.5);
    QCOMPARE(log.evals[0].silenceMaxScore, 0.612);

    const TrainingLog json = TrainingLog::parse(
        "{\"event\": \"step\", \"step\": 5, \"steps\": 10, \"loss\": 3.25000, "
        "\"samples_per_s\": 9.00, \"elapsed_s\": 1.0, \"remaining_s\": 1}\n"
        "{\"event\": \"eval\", \"step\": 10, \"metrics\": {\"positive\": "
        "{\"ciou50_relative\": 12.5, \"auc_relative\": 30}, \"silence\": "
        "{\"mean_max_unit\": 0.8}}}\n"
        "{\"event\": \"stopped\", \"reason\": \"requested\", \"step\": 10}\n"
        "{not json\n");
    QCOMPARE(json.loss.size(), size_t(1));
    QCOMPARE(json.loss[0].value, 3.25);
    QCOMPARE(json.evals.size(), size_t(1));
    QCOMPARE(json.evals[0].ciou50, 12.5);
    QCOMPARE(json.evals[0].auc, 30.0);
    QCOMPARE(json.evals[0].silenceMaxScore, 0.8);
    QVERIFY(TrainingLog::parse("cmake -S . -B build\n[35 s] built\n").loss.empty());

    // One writer and one reader of the records (the trainer writes, the pane and curves read):
    // each record reads back as written; other lines are none.
    Json metrics;
    metrics["positive"]["ciou50_relative"] = 12.5;
    metrics["silence"]["mean_max_unit"] = 0.25;
    const StepProgress step{7, 20, 1.5, 32.25, 4.5, 9.0};
    const auto backStep = parseProgressLine(progressLine(step));
    QVERIFY(backStep && std::holds_alternative<StepProgress>(*backStep));
    const StepProgress& s = std::get<StepProgress>(*backStep);
    QVERIFY(s.step == 7 && s.steps == 20 && s.loss == 1.5 && s.samplesPerSecond == 32.25 &&
            s.elapsedSeconds == 4.5 && s.remainingSeconds == 9.0);
    const auto backEval = parseProgressLine(progressLine(EvalProgress{20, metrics}));
    QVERIFY(backEval && std::get<EvalProgress>(*backEval).ciou50() == 12.5 &&
            std::get<EvalProgress>(*backEval).auc() == 0.0 &&
            std::get<EvalProgress>(*backEval).silenceMaxScore() == 0.25);
    const auto backStop = parseProgressLine(progressLine(StopProgress{3, "loss is NaN"}));
    QVERIFY(backStop && std::get<StopProgress>(*backStop).reason == "loss is NaN");
    for (const char* other : {"step 10/20  loss 2.5", "{\"event\": \"dance\", \"step\": 1}",
                              "{\"event\": \"step\", \"step\": 1.5}", "{\"event\": 3}", "{"}) {
      QVERIFY2(!parseProgressLine(other), other);
    }

    // The GPU session's logs.txt: the script's notes, then one "===== NAME" section per log.
    const std::vector<TrainingLogSection> sections = parseTrainingLogSections(
        "[35 s] built\n"
        "===== build.log (last 60 lines)\nstep 1/2  loss 9.0  1.0 samples/s  1 s\n"
        "===== ezvsl.log\nstep 10/20  loss 2.5000  30.0 samples/s  3 s\n"
        "step 20/20  loss 1.7500  31.0 samples/s  6 s\n"
        "===== sspl.log\n{\"event\": \"step\", \"step\": 4, \"steps\": 8, \"loss\": -0.5}\n");
    QCOMPARE(sections.size(), size_t(3));
    QCOMPARE(sections[0].name, std::string("build.log"));
    QCOMPARE(sections[1].name, std::string("ezvsl.log"));
    QCOMPARE(sections[1].log.loss.size(), size_t(2));
    QCOMPARE(sections[2].name, std::string("sspl.log"));
    QCOMPARE(sections[2].log.loss.front().value, -0.5);
    // Without headers: one section, unnamed.
    const std::vector<TrainingLogSection> plain =
        parseTrainingLogSections("step 10/20  loss 2.5000  30.0 samples/s  3 s\n");
    QCOMPARE(plain.size(), size_t(1));
    QVERIFY(plain[0].name.empty());
    QCOMPARE(plain[0].log.loss.size(), size_t(1));
  }

  // A model name carries its checkpoint's file name, which may hold commas or quotes: the CSV
  // quotes it, so every row keeps its columns.
  void benchmarkCsvQuotesModelNames() {
    BenchmarkResult result;
    result.method = "ezvsl full [best,\"final\".pth]";
    ConditionResult positive;
    positive.condition = SceneCondition::Positive;
    positive.samples = 3;
    result.conditions = {positive};
    const QStringList lines =
        QString::fromStdString(benchmarkCsv({result})).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[1].startsWith("\"ezvsl full [best,\"\"final\"\".pth]\",positive,3,"),
             qPrintable(lines[1]));
  }

  // Issue 20's baselines: the centre prior is a centred Gaussian whose (cos+1)/2 is exp(-d^2/2s^2);
  // a random map depends on its seed and the sample's id only.
  void baselineMaps() {
    const Baseline centre = baselineFromName("centre-prior");
    QCOMPARE(centre.kind, BaselineKind::CentrePrior);
    QCOMPARE(baselineFromName("center-prior").kind, BaselineKind::CentrePrior);
    const Heatmap prior = centre.map("any", 224);
    QCOMPARE(prior.width, 224);
    QCOMPARE(centre.map("other", 224).scores, prior.scores);  // the same for every sample
    const auto unit = [&](int x, int y) { return (prior.scores[size_t(y * 224 + x)] + 1.0) / 2.0; };
    QVERIFY(unit(111, 111) > 0.999);
    QCOMPARE(unit(111, 111), unit(112, 112));  // symmetric about the centre
    QCOMPARE(unit(0, 50), unit(223, 50));
    // One sigma (0.25 of the side, 56 px) from the centre along x: exp(-1/2).
    const double d2 = std::pow(56.5 / 224, 2) + std::pow(0.5 / 224, 2);  // pixel (168, 112)
    QVERIFY(std::abs(unit(112 + 56, 112) - std::exp(-d2 / (2 * 0.25 * 0.25))) < 1e-5);
    QVERIFY(std::abs(unit(112 + 56, 112) - 0.6065) < 0.01);
    QVERIFY(unit(0, 0) < 0.02);
    // The relative rule keeps a centred disc of half the image: a centred box of 0.16 lies inside
    // it, so cIoU = 0.16 / 0.5; a box in a corner is outside it.
    BenchmarkAccumulator accumulator("centre", 0.5);
    EvalTarget target;
    target.condition = SceneCondition::Positive;
    target.groundTruth.assign(224 * 224, 0.0f);
    for (int y = 67; y < 157; ++y) {
      for (int x = 67; x < 157; ++x) {
        target.groundTruth[size_t(y * 224 + x)] = 1.0f;
      }
    }
    const double ciou = accumulator.add(target, prior).relative;
    QVERIFY2(std::abs(ciou - 90.0 * 90.0 / (224.0 * 224.0 / 2)) < 0.01,
             qPrintable(QString::number(ciou)));
    target.groundTruth.assign(224 * 224, 0.0f);
    for (int y = 0; y < 40; ++y) {
      for (int x = 0; x < 40; ++x) {
        target.groundTruth[size_t(y * 224 + x)] = 1.0f;
      }
    }
    QCOMPARE(accumulator.add(target, prior).relative, 0.0);

    const Baseline random = baselineFromName("random");
    QCOMPARE(random.kind, BaselineKind::Random);
    QCOMPARE(random.seed, kRandomBaselineDefaultSeed);
    const Heatmap a = random.map("sample-1", 224);
    QCOMPARE(a.width, kRandomBaselineGridSide);
    QCOMPARE(random.map("sample-1", 224).scores, a.scores);
    QVERIFY(random.map("sample-2", 224).scores != a.scores);
    QVERIFY(baselineFromName("random:2").map("sample-1", 224).scores != a.scores);
    QCOMPARE(baselineFromName("random:2").seed, uint64_t(2));
    QVERIFY(*std::min_element(a.scores.begin(), a.scores.end()) >= -1.0f);
    QVERIFY(*std::max_element(a.scores.begin(), a.scores.end()) <= 1.0f);
    QVERIFY(a.rawMax > a.rawMin);
    QCOMPARE(baselineFromName("model.safetensors").kind, BaselineKind::None);
    QCOMPARE(baselineFromName("random.pth").kind, BaselineKind::None);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, baselineFromName("random:x"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, baselineFromName("random:"));
  }

  // The time-left estimate of the trainer and its pane: seconds, then minutes, then hours.
  void roughDurations() {
    QCOMPARE(roughDuration(0.4), std::string("0 s"));
    QCOMPARE(roughDuration(89.0), std::string("89 s"));
    QCOMPARE(roughDuration(90.0), std::string("2 min"));  // 1.5 min, rounded to even
    QCOMPARE(roughDuration(725.0), std::string("12 min"));
    QCOMPARE(roughDuration(5399.0), std::string("90 min"));
    QCOMPARE(roughDuration(9000.0), std::string("2.5 h"));
  }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_Metrics.moc"
