// Overlay controls (colormap, opacity, normalization, threshold, persistence) and the model's
// state (name, untrained warning, contract, raw score range). Dumb: emits intents only.
#pragma once

#include <QWidget>

#include "core/DisplayHeatmap.h"
#include "core/OverlaySettings.h"
#include "core/PreprocessingContract.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace heardmap {

class OverlayPanel : public QWidget {
  Q_OBJECT

 public:
  explicit OverlayPanel(QWidget* parent = nullptr);

  OverlaySettings settings() const;
  // True when the settings apply to every view (else to the selected one).
  bool sharedSettings() const;
  void setSharedSettings(bool shared);
  void setSettings(const OverlaySettings& settings);
  // name e.g. "ezvsl compact"; provenance: steps, device and test scores of a trained model
  // (CheckpointInfo::provenance); trained=false shows a plain UNTRAINED warning instead.
  void setModel(const QString& name, bool trained, const QString& provenance, const QString& source,
                const QString& contract, WindowPlacement contractPlacement);
  // The selected view's checkpoint (path) did not load: name and message in place of a model.
  void setLoadError(const QString& name, const QString& message, const QString& path);
  // Raw score range of the latest heatmap and whether anything passes the threshold.
  void setScores(const DisplayHeatmap& heatmap);
  void clearScores();

 Q_SIGNALS:
  void settingsChanged(const heardmap::OverlaySettings& settings);
  void loadCheckpointClicked();
  void placementChanged(heardmap::WindowPlacement placement);

 private:
  void emitSettings();

  QCheckBox* sharedSettings_ = nullptr;
  QCheckBox* peakCrosshair_ = nullptr;
  QComboBox* colormap_ = nullptr;
  QSlider* opacity_ = nullptr;
  QComboBox* normalization_ = nullptr;
  QDoubleSpinBox* threshold_ = nullptr;
  QSpinBox* persistence_ = nullptr;
  QLabel* modelName_ = nullptr;
  QLabel* trainedState_ = nullptr;
  QLabel* contract_ = nullptr;
  QComboBox* placement_ = nullptr;
  QLabel* scoreRange_ = nullptr;
  QLabel* aboveThreshold_ = nullptr;
  QPushButton* loadButton_ = nullptr;
};

}  // namespace heardmap
