// Runs heardmap-train in a separate process (QProcess) so that training never blocks the UI and a
// crash never takes the app down; with several processes, as torchrun would start them (RANK,
// WORLD_SIZE, MASTER_ADDR, MASTER_PORT on loopback), rank 0 reporting. Reads its JSON-lines
// progress (--progress=json) and re-emits steps, evaluations and the end of the run. Stop asks the
// trainer to finish its step and save.
#pragma once

#include <QFile>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <memory>
#include <vector>

namespace heardmap {

struct TrainerRequest {
  QString method = "ezvsl";
  QString variant = "compact";  // model size of a run from scratch (compact, small, full)
  // Visual trunk padding of a run from scratch: "circular" (localises from scratch, as the
  // shipped models) or "zeros" (torchvision's).
  QString imagePadding = "circular";
  QString basePath;      // checkpoint to start from; empty = from scratch
  QString packPath;      // synthetic scenes (and always the test split)
  QString videoFolder;   // train on these videos instead (made into a clip pack first)
  QString clipsPath;     // where that clip pack goes
  QString shardsFolder;  // or train on these shards (`heardmap data shards`)
  int processes = 1;     // data-parallel trainer processes (torchrun's environment, Gloo/NCCL)
  int epochs = 0;        // with shards: passes over them (0: `steps` counts)
  QString outputPath;
  int steps = 200;
  int batch = 16;
  double learningRate = 1e-4;
  double margin = -0.2;      // MarginNCE
  double fnacLambda = -1.0;  // FNAC; < 0: the trainer's default, 100 x batch / 256
  int warmupSteps = 50;      // FNAC
  double sanRatio = 0.25;    // SSL-SaN
  int evalEvery = 50;
  int freezeTrunkSteps = 0;  // from a base: its trunks stay as they are for these first steps
  int evalPerCondition = 20;
  int threads = 1;  // the app keeps the other cores for playback
};

class TrainerProcess : public QObject {
  Q_OBJECT

 public:
  explicit TrainerProcess(QObject* parent = nullptr);
  ~TrainerProcess() override;

  // heardmap-train next to the app's binary, or $HEARDMAP_TRAINER.
  static QString trainerBinary();
  // The app's own binary (for `heardmap data clips`), or $HEARDMAP_BINARY.
  static QString appBinary();
  static QStringList arguments(const TrainerRequest& request);

  bool start(const TrainerRequest& request);
  // Asks the trainer to stop after its current step (it saves a checkpoint); kills it if it has
  // not exited after kStopGraceMs.
  void stop();
  bool isRunning() const { return process_.state() != QProcess::NotRunning; }
  QString outputPath() const { return request_.outputPath; }
  // Where a run keeps its progress lines (JSON, as the trainer prints them): beside its checkpoint.
  static QString progressLogPath(const QString& checkpointPath);

 Q_SIGNALS:
  // remainingSeconds: the trainer's estimate of the time the run has left; worldSize: its
  // processes; epoch / epochs: with shards, the epoch in progress (0 / 0 without).
  void stepReported(int step, int steps, double loss, double samplesPerSecond,
                    double remainingSeconds, int worldSize, int epoch, int epochs);
  // Positive-scene cIoU@0.5 / AUC (relative) and the mean max score under silence, x100 / 0..1.
  void evalReported(int step, double ciou50, double auc, double silenceMaxScore);
  void logLine(const QString& line);
  // ok: a checkpoint was written to path; else message says what went wrong.
  void finished(bool ok, const QString& path, const QString& message);

 private:
  void readOutput();
  void startTrainer();
  // Ranks 1.. of a data-parallel run (rank 0 is process_, whose progress the pane shows).
  void startPeers(int port);
  void endPeers();

  QProcess process_;
  std::vector<std::unique_ptr<QProcess>> peers_;
  TrainerRequest request_;
  QByteArray pending_;
  QFile progressLog_;  // the trainer's stdout, kept beside the checkpoint
  QString lastError_;
  bool stopping_ = false;
  bool preparing_ = false;  // running `heardmap data clips` before the trainer
};

}  // namespace heardmap
