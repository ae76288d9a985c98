// The compare grid pane: which model each view shows (a checkpoint, the next shipped model, or a
// load error in its caption), how many views there are and which is selected, what each view
// hears (the probes), the overlay dock's settings for them, and the views' captions. The window
// places the grid and forwards to this.
#pragma once

#include <QObject>
#include <QString>
#include <string>
#include <vector>

#include "core/AudioCondition.h"
#include "core/OverlaySettings.h"
#include "core/ml/LocalizationModel.h"

class QWidget;

namespace heardmap {

class OverlayPanel;
class PlayerController;
class ProbeBar;
class ViewGrid;

class CompareGrid : public QObject {
  Q_OBJECT

 public:
  CompareGrid(PlayerController* player, ViewGrid* grid, OverlayPanel* panel, ProbeBar* probeBar,
              QWidget* dialogParent);

  // What a checkpoint that does not load leaves: the view's model and a dialog (what the user
  // opened by hand), or the error in the view, on stderr, with no model in its place.
  enum class LoadFailure { KeepModel, ShowInView };
  bool loadModelIntoView(int view, const QString& path,
                         LoadFailure onFailure = LoadFailure::KeepModel,
                         const LoadOptions& options = {});
  // Gives every view without a model (and without a load error) a shipped model, or the shared
  // untrained demo model when none ship.
  void ensureModels();
  static std::vector<std::string> shippedModelPaths();
  // New views get default overlay settings (the panel's when shared) and, with fill, the next
  // shipped models not yet shown.
  void setViewCount(int count, bool fill);
  void selectView(int view);
  // A checkpoint as a new view (or into the selected view when the grid is full).
  bool compareCheckpoint(const QString& path);
  // The probe for the selected view or every view (the off-screen one asks for its clip first).
  void applyProbe(AudioCondition condition, bool allViews);
  void showSelectedModel();
  void refreshCaptions();
  // redrawNow false: the caption waits for the next frame's redraw (during playback).
  void refreshCaption(int view, bool redrawNow = true);

 Q_SIGNALS:
  void checkpointLoaded(const QString& absolutePath);  // for the recent checkpoints
  void message(const QString& text);
  void error(const QString& text);

 private:
  // The overlay dock (settings of the selected or every view, placement, loading a checkpoint)
  // and the probe bar (conditions, the number of views, the off-screen clip).
  void connectOverlayPanel();
  void connectProbeBar();

  PlayerController* player_;
  ViewGrid* grid_;
  OverlayPanel* panel_;
  ProbeBar* probeBar_;
  QWidget* dialogParent_;
  OverlaySettings defaultOverlay_;  // what a new view starts with when views have their own
};

}  // namespace heardmap
