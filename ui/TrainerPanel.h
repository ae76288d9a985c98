// The trainer pane: base checkpoint, method variant (method, margin, FNAC weight and warm-up,
// SaN ratio, learning rate, steps, batch, trunks frozen for the first steps), data (synthetic
// scenes, a folder of videos or a dataset's shards), processes, start /
// stop, live loss and metric curves, the trainer's log and the list of finished checkpoints
// ready to compare. Dumb: shows what it is given and emits intents.
#pragma once

#include <QWidget>

#include "TrainerProcess.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace heardmap {

class CurveChart;

class TrainerPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TrainerPanel(QWidget* parent = nullptr);

  // The request the form describes (output path chosen by the caller if empty).
  TrainerRequest request() const;
  void setPackPath(const QString& path);
  void setBasePath(const QString& path);
  // Train on a folder of videos, or on a dataset's shards (empty: synthetic scenes).
  void setVideoFolder(const QString& folder);
  void setShardsFolder(const QString& folder);
  void setRunning(bool running);
  void clearCurves();
  void addStep(int step, int steps, double loss, double samplesPerSecond, double remainingSeconds,
               int worldSize = 1, int epoch = 0, int epochs = 0);
  void addEval(int step, double ciou50, double auc, double silenceMaxScore);
  void appendLog(const QString& line);
  void setStatus(const QString& text);
  // A finished checkpoint joins the list (label = method and variant).
  void addCheckpoint(const QString& path, const QString& label);
  CurveChart* lossChart() const { return lossChart_; }
  CurveChart* metricChart() const { return metricChart_; }

 Q_SIGNALS:
  void startClicked();
  void stopClicked();
  void chooseBaseClicked();
  void chooseVideosClicked();
  void chooseShardsClicked();
  void compareClicked(const QString& path);  // add as a new view
  void loadClicked(const QString& path);     // into the selected view

 private:
  void updateVariantFields();
  QString selectedCheckpoint() const;

  QLineEdit* base_ = nullptr;
  QComboBox* method_ = nullptr;
  QComboBox* variant_ = nullptr;
  QComboBox* padding_ = nullptr;
  QSpinBox* freezeTrunks_ = nullptr;
  QDoubleSpinBox* margin_ = nullptr;
  QDoubleSpinBox* fnacLambda_ = nullptr;
  QSpinBox* warmup_ = nullptr;
  QDoubleSpinBox* sanRatio_ = nullptr;
  QDoubleSpinBox* lr_ = nullptr;
  QSpinBox* steps_ = nullptr;
  QSpinBox* batch_ = nullptr;
  QSpinBox* evalEvery_ = nullptr;
  QSpinBox* processes_ = nullptr;
  QSpinBox* epochs_ = nullptr;  // with shards
  QLineEdit* pack_ = nullptr;
  QComboBox* data_ = nullptr;
  QLineEdit* videos_ = nullptr;  // the folder of videos, or of shards
  QPushButton* start_ = nullptr;
  QPushButton* stop_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  CurveChart* lossChart_ = nullptr;
  CurveChart* metricChart_ = nullptr;
  QPlainTextEdit* log_ = nullptr;
  QListWidget* finished_ = nullptr;
  QVector<QPointF> loss_;
  QVector<QPointF> ciou_;
  QVector<QPointF> auc_;
  QVector<QPointF> silence_;
};

}  // namespace heardmap
