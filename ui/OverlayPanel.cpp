#include "OverlayPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace heardmap {

// Longer than 80 lines: the form top to bottom, one row per setting, as the user reads it.
OverlayPanel::OverlayPanel(QWidget* parent) : QWidget(parent) {
  auto* modelBox = new QGroupBox(tr("Model"), this);
  modelName_ = new QLabel(modelBox);
  modelName_->setObjectName("modelName");
  trainedState_ = new QLabel(modelBox);
  trainedState_->setObjectName("trainedState");
  trainedState_->setWordWrap(true);
  contract_ = new QLabel(modelBox);
  contract_->setWordWrap(true);
  contract_->setStyleSheet("color: palette(mid);");
  loadButton_ = new QPushButton(tr("Load checkpoint..."), modelBox);
  placement_ = new QComboBox(modelBox);
  placement_->setObjectName("placement");
  placement_->addItem(tr("Audio window: centred on the frame"),
                      static_cast<int>(WindowPlacement::Centred));
  placement_->addItem(tr("Audio window: causal (ends at the frame)"),
                      static_cast<int>(WindowPlacement::Causal));
  placement_->setToolTip(
      tr("Centred is how the EZ-VSL family was trained; causal is what live input can offer"));
  auto* modelLayout = new QVBoxLayout(modelBox);
  modelLayout->addWidget(modelName_);
  modelLayout->addWidget(trainedState_);
  modelLayout->addWidget(contract_);
  modelLayout->addWidget(placement_);
  modelLayout->addWidget(loadButton_);

  auto* overlayBox = new QGroupBox(tr("Overlay"), this);
  colormap_ = new QComboBox(overlayBox);
  colormap_->setObjectName("colormap");
  for (ColormapId id :
       {ColormapId::Jet, ColormapId::Viridis, ColormapId::Inferno, ColormapId::Gray}) {
    colormap_->addItem(QString::fromStdString(colormapName(id)), static_cast<int>(id));
  }
  opacity_ = new QSlider(Qt::Horizontal, overlayBox);
  opacity_->setObjectName("opacity");
  opacity_->setRange(0, 100);
  normalization_ = new QComboBox(overlayBox);
  normalization_->setObjectName("normalization");
  normalization_->addItem(tr("Per-frame min-max"),
                          static_cast<int>(NormalizationMode::PerFrameMinMax));
  normalization_->addItem(tr("Absolute threshold"),
                          static_cast<int>(NormalizationMode::AbsoluteThreshold));
  normalization_->addItem(tr("Running range"), static_cast<int>(NormalizationMode::RunningRange));
  threshold_ = new QDoubleSpinBox(overlayBox);
  threshold_->setObjectName("threshold");
  threshold_->setRange(0.0, 1.0);
  threshold_->setSingleStep(0.01);
  threshold_->setDecimals(3);
  threshold_->setToolTip(tr("In (cos + 1) / 2 units: 0.5 is orthogonal audio and image features"));
  persistence_ = new QSpinBox(overlayBox);
  persistence_->setObjectName("persistence");
  persistence_->setRange(0, 5000);
  persistence_->setSingleStep(50);
  persistence_->setSuffix(tr(" ms"));
  persistence_->setToolTip(tr("Time constant of the moving average over successive heatmaps"));
  sharedSettings_ = new QCheckBox(tr("Same settings for every view"), overlayBox);
  sharedSettings_->setObjectName("sharedOverlay");
  sharedSettings_->setChecked(true);
  sharedSettings_->setToolTip(tr("Unticked, the controls change the selected view only"));
  peakCrosshair_ = new QCheckBox(tr("Peak crosshair"), overlayBox);
  peakCrosshair_->setObjectName("peakCrosshair");
  peakCrosshair_->setToolTip(tr("Marks the highest cell of each view's map"));
  auto* form = new QFormLayout(overlayBox);
  form->addRow(sharedSettings_);
  form->addRow(tr("Colormap"), colormap_);
  form->addRow(tr("Opacity"), opacity_);
  form->addRow(tr("Normalization"), normalization_);
  form->addRow(tr("Threshold"), threshold_);
  form->addRow(tr("Persistence"), persistence_);
  form->addRow(peakCrosshair_);

  auto* scoreBox = new QGroupBox(tr("Scores"), this);
  scoreRange_ = new QLabel(scoreBox);
  scoreRange_->setObjectName("scoreRange");
  aboveThreshold_ = new QLabel(scoreBox);
  aboveThreshold_->setObjectName("aboveThreshold");
  auto* scoreLayout = new QVBoxLayout(scoreBox);
  scoreLayout->addWidget(scoreRange_);
  scoreLayout->addWidget(aboveThreshold_);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(modelBox);
  layout->addWidget(overlayBox);
  layout->addWidget(scoreBox);
  layout->addStretch(1);

  setSettings(OverlaySettings{});
  clearScores();
  connect(colormap_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          &OverlayPanel::emitSettings);
  connect(opacity_, &QSlider::valueChanged, this, &OverlayPanel::emitSettings);
  connect(normalization_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          &OverlayPanel::emitSettings);
  connect(threshold_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
          &OverlayPanel::emitSettings);
  connect(persistence_, qOverload<int>(&QSpinBox::valueChanged), this, &OverlayPanel::emitSettings);
  connect(peakCrosshair_, &QCheckBox::toggled, this, &OverlayPanel::emitSettings);
  connect(loadButton_, &QPushButton::clicked, this, &OverlayPanel::loadCheckpointClicked);
  connect(placement_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    Q_EMIT placementChanged(static_cast<WindowPlacement>(placement_->currentData().toInt()));
  });
}

bool OverlayPanel::sharedSettings() const {
  return sharedSettings_->isChecked();
}

void OverlayPanel::setSharedSettings(bool shared) {
  sharedSettings_->setChecked(shared);
}

OverlaySettings OverlayPanel::settings() const {
  OverlaySettings s;
  s.colormap = static_cast<ColormapId>(colormap_->currentData().toInt());
  s.opacity = static_cast<float>(opacity_->value()) / 100.0f;
  s.normalization = static_cast<NormalizationMode>(normalization_->currentData().toInt());
  s.threshold = static_cast<float>(threshold_->value());
  s.persistenceMs = persistence_->value();
  s.peakCrosshair = peakCrosshair_->isChecked();
  return s;
}

void OverlayPanel::setSettings(const OverlaySettings& s) {
  const QSignalBlocker b1(colormap_), b2(opacity_), b3(normalization_), b4(threshold_),
      b5(persistence_), b6(peakCrosshair_);
  colormap_->setCurrentIndex(colormap_->findData(static_cast<int>(s.colormap)));
  opacity_->setValue(static_cast<int>(s.opacity * 100.0f + 0.5f));
  normalization_->setCurrentIndex(normalization_->findData(static_cast<int>(s.normalization)));
  threshold_->setValue(s.threshold);
  threshold_->setEnabled(s.normalization == NormalizationMode::AbsoluteThreshold);
  persistence_->setValue(static_cast<int>(s.persistenceMs));
  peakCrosshair_->setChecked(s.peakCrosshair);
}

void OverlayPanel::emitSettings() {
  const OverlaySettings s = settings();
  threshold_->setEnabled(s.normalization == NormalizationMode::AbsoluteThreshold);
  Q_EMIT settingsChanged(s);
}

void OverlayPanel::setModel(const QString& name, bool trained, const QString& provenance,
                            const QString& source, const QString& contract,
                            WindowPlacement contractPlacement) {
  {
    const QSignalBlocker blocker(placement_);
    placement_->setCurrentIndex(placement_->findData(static_cast<int>(contractPlacement)));
  }
  modelName_->setText(QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped()));
  modelName_->setToolTip(source);
  if (trained) {
    trainedState_->setText(provenance);
    trainedState_->setStyleSheet({});
  } else {
    trainedState_->setText(tr("UNTRAINED: random weights, the heatmap means nothing yet"));
    trainedState_->setStyleSheet(
        "color: white; background: #b3261e; padding: 3px; font-weight: bold;");
  }
  contract_->setText(contract);
}

void OverlayPanel::setLoadError(const QString& name, const QString& message, const QString& path) {
  modelName_->setText(QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped()));
  modelName_->setToolTip(path);
  trainedState_->setText(message);
  trainedState_->setStyleSheet("color: white; background: #b3261e; padding: 3px;");
  contract_->clear();
  scoreRange_->clear();
}

void OverlayPanel::setScores(const DisplayHeatmap& heatmap) {
  scoreRange_->setText(tr("raw cosine: min %1  max %2\n(cos+1)/2 max: %3")
                           .arg(heatmap.rawMin, 0, 'f', 3)
                           .arg(heatmap.rawMax, 0, 'f', 3)
                           .arg((heatmap.rawMax + 1.0f) / 2.0f, 0, 'f', 3));
  if (!heatmap.hideBelowLow) {
    aboveThreshold_->setText(
        tr("range shown: %1 .. %2").arg(heatmap.low, 0, 'f', 3).arg(heatmap.high, 0, 'f', 3));
    aboveThreshold_->setStyleSheet({});
  } else if (heatmap.anythingAboveLow) {
    aboveThreshold_->setText(tr("source above threshold"));
    aboveThreshold_->setStyleSheet({});
  } else {
    aboveThreshold_->setText(tr("nothing above threshold"));
    aboveThreshold_->setStyleSheet("color: #1565c0; font-weight: bold;");
  }
}

void OverlayPanel::clearScores() {
  scoreRange_->setText(tr("raw cosine: -"));
  aboveThreshold_->clear();
}

}  // namespace heardmap
