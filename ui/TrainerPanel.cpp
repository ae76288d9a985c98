#include "TrainerPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "CurveChart.h"
#include "core/Methods.h"
#include "core/RoughDuration.h"

namespace heardmap {

// Longer than 80 lines: the form top to bottom, one row per setting, as the user reads it.
TrainerPanel::TrainerPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  auto* baseRow = new QHBoxLayout;
  base_ = new QLineEdit(this);
  base_->setObjectName("trainerBase");
  base_->setPlaceholderText(tr("from scratch"));
  auto* chooseBase = new QPushButton(tr("..."), this);
  chooseBase->setMaximumWidth(32);
  baseRow->addWidget(base_, 1);
  baseRow->addWidget(chooseBase);
  form->addRow(tr("Base checkpoint"), baseRow);
  method_ = new QComboBox(this);
  method_->setObjectName("trainerMethod");
  for (const heardmap::MethodInfo& row : heardmap::methods()) {  // core/Methods.h's table
    if (row.trainable()) {
      method_->addItem(QString::fromStdString(row.trainerLabel), QString::fromStdString(row.name));
    }
  }
  form->addRow(tr("Method"), method_);
  variant_ = new QComboBox(this);
  variant_->setObjectName("trainerVariant");
  variant_->addItem(tr("compact (5.8 M parameters)"), "compact");
  variant_->addItem(tr("small (3.2 M, as the shipped models)"), "small");
  variant_->addItem(tr("full (ResNet-18 pair at 224, 22.9 M)"), "full");
  variant_->setToolTip(tr("Model size of a run from scratch (a base checkpoint keeps its own)"));
  form->addRow(tr("Model size"), variant_);
  padding_ = new QComboBox(this);
  padding_->setObjectName("trainerPadding");
  padding_->addItem(tr("circular (localises from scratch)"), "circular");
  padding_->addItem(tr("zeros (torchvision)"), "zeros");
  padding_->setToolTip(
      tr("Visual trunk padding of a run from scratch (a base checkpoint keeps its own). With zero "
         "padding a trunk trained from scratch tends to match the sound at fixed places near the "
         "border; see docs/models.md"));
  form->addRow(tr("Padding"), padding_);
  freezeTrunks_ = new QSpinBox(this);
  freezeTrunks_->setObjectName("trainerFreezeTrunks");
  freezeTrunks_->setRange(0, 10000000);
  freezeTrunks_->setSpecialValueText(tr("no"));
  freezeTrunks_->setToolTip(
      tr("Steps at the start for which the base's visual and audio trunks stay as they are (new "
         "heads, such as SSPL's PCM from another method's base, learn first)"));
  form->addRow(tr("Freeze trunks (steps)"), freezeTrunks_);
  margin_ = new QDoubleSpinBox(this);
  margin_->setRange(-1.0, 1.0);
  margin_->setSingleStep(0.05);
  margin_->setValue(-0.2);
  form->addRow(tr("Margin (cosine)"), margin_);
  fnacLambda_ = new QDoubleSpinBox(this);
  fnacLambda_->setObjectName("trainerFnacLambda");
  fnacLambda_->setRange(-1.0, 1000.0);  // the minimum shows as "auto"
  fnacLambda_->setSpecialValueText(tr("auto: 100 x batch / 256"));
  fnacLambda_->setValue(-1.0);
  fnacLambda_->setToolTip(
      tr("Weight of each of FNAC's three L1 terms. Auto keeps the paper's balance (100 at its "
         "batch 256) at this batch; 100 at a small batch outweighs the contrastive loss and "
         "collapses a model trained from scratch (docs/models.md)"));
  form->addRow(tr("FNAC weight"), fnacLambda_);
  warmup_ = new QSpinBox(this);
  warmup_->setRange(0, 100000);
  warmup_->setValue(50);
  form->addRow(tr("FNAC warm-up steps"), warmup_);
  sanRatio_ = new QDoubleSpinBox(this);
  sanRatio_->setRange(0.0, 2.0);
  sanRatio_->setSingleStep(0.05);
  sanRatio_->setValue(0.25);
  form->addRow(tr("Silence+noise ratio"), sanRatio_);
  lr_ = new QDoubleSpinBox(this);
  lr_->setDecimals(6);
  lr_->setRange(1e-6, 1e-1);
  lr_->setSingleStep(1e-5);
  lr_->setValue(1e-4);
  form->addRow(tr("Learning rate"), lr_);
  steps_ = new QSpinBox(this);
  steps_->setObjectName("trainerSteps");
  steps_->setRange(1, 10000000);
  steps_->setValue(200);
  form->addRow(tr("Steps"), steps_);
  epochs_ = new QSpinBox(this);
  epochs_->setObjectName("trainerEpochs");
  epochs_->setRange(0, 100000);
  epochs_->setSpecialValueText(tr("steps above"));
  epochs_->setToolTip(
      tr("With shards: passes over the dataset, as the official scripts count "
         "them (20 for EZ-VSL); the steps above count otherwise"));
  epochs_->setEnabled(false);
  form->addRow(tr("Epochs (shards)"), epochs_);
  batch_ = new QSpinBox(this);
  batch_->setObjectName("trainerBatch");
  batch_->setRange(2, 4096);
  batch_->setValue(16);
  form->addRow(tr("Batch"), batch_);
  processes_ = new QSpinBox(this);
  processes_->setObjectName("trainerProcesses");
  processes_->setRange(1, 64);
  processes_->setValue(1);
  processes_->setToolTip(
      tr("Data-parallel training processes, started as torchrun starts them: one per GPU where "
         "the machine has several (on the CPU they share its cores). The batch is the global "
         "batch, split between them; rank 0 reports and writes the checkpoint"));
  form->addRow(tr("Processes"), processes_);
  evalEvery_ = new QSpinBox(this);
  evalEvery_->setObjectName("trainerEvalEvery");
  evalEvery_->setRange(1, 1000000);
  evalEvery_->setValue(50);
  form->addRow(tr("Evaluate every"), evalEvery_);
  pack_ = new QLineEdit(this);
  pack_->setObjectName("trainerPack");
  pack_->setToolTip(tr("Synthetic scenes are generated on the fly from this asset pack"));
  form->addRow(tr("Synthetic pack"), pack_);
  data_ = new QComboBox(this);
  data_->setObjectName("trainerData");
  data_->addItem(tr("Train on synthetic scenes"), "synthetic");
  data_->addItem(tr("Train on a folder of my videos"), "videos");
  data_->addItem(tr("Train on a dataset's shards"), "shards");
  data_->setToolTip(
      tr("Videos: frames + the audio around them, no labels. Shards: a dataset (Flickr, "
         "VGGSound, ...) decoded once by `heardmap data shards`, read memory-mapped. The "
         "synthetic test split still measures the result"));
  form->addRow(tr("Data"), data_);
  auto* videoRow = new QHBoxLayout;
  videos_ = new QLineEdit(this);
  videos_->setObjectName("trainerVideos");
  videos_->setPlaceholderText(tr("folder of videos"));
  auto* chooseVideos = new QPushButton(tr("..."), this);
  chooseVideos->setMaximumWidth(32);
  videoRow->addWidget(videos_, 1);
  videoRow->addWidget(chooseVideos);
  form->addRow(QString(), videoRow);
  connect(chooseVideos, &QPushButton::clicked, this, [this] {
    if (data_->currentData().toString() == "shards") {
      Q_EMIT chooseShardsClicked();
    } else {
      Q_EMIT chooseVideosClicked();
    }
  });
  connect(data_, &QComboBox::currentIndexChanged, this, [this] {
    const QString mode = data_->currentData().toString();
    videos_->setEnabled(mode != "synthetic");
    epochs_->setEnabled(mode == "shards");
    videos_->setPlaceholderText(mode == "shards" ? tr("shards folder (heardmap data shards)")
                                                 : tr("folder of videos"));
  });
  videos_->setEnabled(false);
  layout->addLayout(form);

  auto* buttons = new QHBoxLayout;
  start_ = new QPushButton(tr("Start training"), this);
  start_->setObjectName("trainerStart");
  stop_ = new QPushButton(tr("Stop"), this);
  stop_->setObjectName("trainerStop");
  stop_->setEnabled(false);
  buttons->addWidget(start_);
  buttons->addWidget(stop_);
  layout->addLayout(buttons);
  progress_ = new QProgressBar(this);
  progress_->setObjectName("trainerProgress");
  progress_->setRange(0, 1);
  progress_->setValue(0);
  layout->addWidget(progress_);
  status_ = new QLabel(tr("idle: training runs in a separate process (heardmap-train)"), this);
  status_->setObjectName("trainerStatus");
  status_->setWordWrap(true);
  layout->addWidget(status_);
  lossChart_ = new CurveChart(tr("Training loss"), tr("step"), this);
  lossChart_->setObjectName("lossChart");
  metricChart_ = new CurveChart(tr("Test split"), tr("step"), this);
  metricChart_->setObjectName("metricChart");
  layout->addWidget(lossChart_, 1);
  layout->addWidget(metricChart_, 1);
  log_ = new QPlainTextEdit(this);
  log_->setObjectName("trainerLog");
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(500);
  log_->setMaximumHeight(90);
  layout->addWidget(log_);
  layout->addWidget(new QLabel(tr("Finished checkpoints (double-click: add as a view)"), this));
  finished_ = new QListWidget(this);
  finished_->setObjectName("trainerFinished");
  finished_->setMaximumHeight(80);
  layout->addWidget(finished_);
  auto* use = new QHBoxLayout;
  auto* compare = new QPushButton(tr("Add as a view"), this);
  compare->setObjectName("trainerCompare");
  auto* load = new QPushButton(tr("Load into selected view"), this);
  use->addWidget(compare);
  use->addWidget(load);
  layout->addLayout(use);

  connect(method_, &QComboBox::currentIndexChanged, this, [this] { updateVariantFields(); });
  connect(base_, &QLineEdit::textChanged, this, [this] { updateVariantFields(); });
  connect(chooseBase, &QPushButton::clicked, this, &TrainerPanel::chooseBaseClicked);
  connect(start_, &QPushButton::clicked, this, &TrainerPanel::startClicked);
  connect(stop_, &QPushButton::clicked, this, &TrainerPanel::stopClicked);
  connect(compare, &QPushButton::clicked, this, [this] {
    if (!selectedCheckpoint().isEmpty()) {
      Q_EMIT compareClicked(selectedCheckpoint());
    }
  });
  connect(load, &QPushButton::clicked, this, [this] {
    if (!selectedCheckpoint().isEmpty()) {
      Q_EMIT loadClicked(selectedCheckpoint());
    }
  });
  connect(finished_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
    Q_EMIT compareClicked(item->data(Qt::UserRole).toString());
  });
  updateVariantFields();
}

void TrainerPanel::updateVariantFields() {
  const QString method = method_->currentData().toString();
  margin_->setEnabled(method == "marginnce");
  fnacLambda_->setEnabled(method == "fnac");
  warmup_->setEnabled(method == "fnac");
  sanRatio_->setEnabled(method == "sslsan");
  // A base keeps its own size and padding; only a base has trunks to freeze.
  const bool fromBase = !base_->text().trimmed().isEmpty();
  variant_->setEnabled(!fromBase);
  padding_->setEnabled(!fromBase);
  freezeTrunks_->setEnabled(fromBase);
}

QString TrainerPanel::selectedCheckpoint() const {
  const QListWidgetItem* item = finished_->currentItem();
  return item != nullptr ? item->data(Qt::UserRole).toString() : QString();
}

TrainerRequest TrainerPanel::request() const {
  TrainerRequest r;
  r.method = method_->currentData().toString();
  r.variant = variant_->currentData().toString();
  r.imagePadding = padding_->currentData().toString();
  r.basePath = base_->text().trimmed();
  r.packPath = pack_->text().trimmed();
  r.steps = steps_->value();
  r.batch = batch_->value();
  r.learningRate = lr_->value();
  r.margin = margin_->value();
  r.fnacLambda = fnacLambda_->value();
  r.warmupSteps = warmup_->value();
  r.sanRatio = sanRatio_->value();
  r.evalEvery = evalEvery_->value();
  r.freezeTrunkSteps = freezeTrunks_->value();
  r.processes = processes_->value();
  if (data_->currentData().toString() == "videos") {
    r.videoFolder = videos_->text().trimmed();
  } else if (data_->currentData().toString() == "shards") {
    r.shardsFolder = videos_->text().trimmed();
    r.epochs = epochs_->value();
  }
  return r;
}

void TrainerPanel::setPackPath(const QString& path) {
  pack_->setText(path);
}

void TrainerPanel::setBasePath(const QString& path) {
  base_->setText(path);
}

void TrainerPanel::setVideoFolder(const QString& folder) {
  videos_->setText(folder);
  data_->setCurrentIndex(data_->findData(folder.isEmpty() ? "synthetic" : "videos"));
}

void TrainerPanel::setShardsFolder(const QString& folder) {
  videos_->setText(folder);
  data_->setCurrentIndex(data_->findData(folder.isEmpty() ? "synthetic" : "shards"));
}

void TrainerPanel::setRunning(bool running) {
  start_->setEnabled(!running);
  stop_->setEnabled(running);
}

void TrainerPanel::clearCurves() {
  loss_.clear();
  ciou_.clear();
  auc_.clear();
  silence_.clear();
  lossChart_->setSeries({});
  metricChart_->setSeries({});
  progress_->setValue(0);
}

void TrainerPanel::addStep(int step, int steps, double loss, double samplesPerSecond,
                           double remainingSeconds, int worldSize, int epoch, int epochs) {
  loss_.push_back(QPointF(step, loss));
  lossChart_->setSeries({{tr("loss"), QColor(31, 119, 180), loss_, false}});
  progress_->setRange(0, std::max(1, steps));
  progress_->setValue(step);
  // The trainer's estimate of the time left, while the run goes on.
  const QString left =
      step < steps
          ? tr(", about %1 left").arg(QString::fromStdString(roughDuration(remainingSeconds)))
          : "";
  const QString epochText = epochs > 0 ? tr(" (epoch %1 / %2)").arg(epoch).arg(epochs) : "";
  const QString processes = worldSize > 1 ? tr(" on %1 processes").arg(worldSize) : "";
  status_->setText(tr("step %1 / %2%3, loss %4, %5 samples/s%6%7")
                       .arg(step)
                       .arg(steps)
                       .arg(epochText)
                       .arg(loss, 0, 'f', 4)
                       .arg(samplesPerSecond, 0, 'f', 1)
                       .arg(processes)
                       .arg(left));
}

void TrainerPanel::addEval(int step, double ciou50, double auc, double silenceMaxScore) {
  ciou_.push_back(QPointF(step, ciou50));
  auc_.push_back(QPointF(step, auc));
  silence_.push_back(QPointF(step, silenceMaxScore * 100.0));
  metricChart_->setSeries({{tr("cIoU@0.5"), QColor(214, 39, 40), ciou_, true},
                           {tr("AUC"), QColor(44, 160, 44), auc_, true},
                           {tr("silence max x100"), QColor(127, 127, 127), silence_, true}});
}

void TrainerPanel::appendLog(const QString& line) {
  log_->appendPlainText(line);
}

void TrainerPanel::setStatus(const QString& text) {
  status_->setText(text);
}

void TrainerPanel::addCheckpoint(const QString& path, const QString& label) {
  auto* item = new QListWidgetItem(label + "  -  " + QFileInfo(path).fileName(), finished_);
  item->setData(Qt::UserRole, path);
  item->setToolTip(path);
  finished_->setCurrentItem(item);
}

}  // namespace heardmap
