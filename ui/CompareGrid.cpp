#include "CompareGrid.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <algorithm>
#include <cstdio>

#include "CheckpointPrompt.h"
#include "ClipPaths.h"
#include "OverlayPanel.h"
#include "PlayerController.h"
#include "ProbeBar.h"
#include "VideoView.h"
#include "ViewGrid.h"
#include "ViewLabels.h"
#include "core/ShippedModels.h"

namespace heardmap {

CompareGrid::CompareGrid(PlayerController* player, ViewGrid* grid, OverlayPanel* panel,
                         ProbeBar* probeBar, QWidget* dialogParent)
    : QObject(dialogParent),
      player_(player),
      grid_(grid),
      panel_(panel),
      probeBar_(probeBar),
      dialogParent_(dialogParent),
      defaultOverlay_(panel->settings()) {
  connectOverlayPanel();
  connectProbeBar();
}

// The overlay dock: settings to the views and the player, placement, loading a checkpoint.
void CompareGrid::connectOverlayPanel() {
  connect(panel_, &OverlayPanel::settingsChanged, this, [this](const OverlaySettings& settings) {
    player_->setViewOverlaySettings(panel_->sharedSettings() ? -1 : grid_->selected(), settings);
  });
  connect(panel_, &OverlayPanel::placementChanged, player_, &PlayerController::setWindowPlacement);
  connect(panel_, &OverlayPanel::loadCheckpointClicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Load checkpoint into view %1").arg(grid_->selected() + 1), QString(),
        tr("Checkpoints (*.safetensors *.pth *.pt *.pth.tar *.tar);;All files (*)"));
    LoadOptions options;
    if (!path.isEmpty() && askLoadOptions(dialogParent_, path, &options)) {
      loadModelIntoView(grid_->selected(), path, LoadFailure::KeepModel, options);
    }
  });
}

// The probe bar: conditions, the number of views, the off-screen clip.
void CompareGrid::connectProbeBar() {
  connect(probeBar_, &ProbeBar::conditionClicked, this, &CompareGrid::applyProbe);
  connect(probeBar_, &ProbeBar::viewCountChanged, this,
          [this](int count) { setViewCount(count, /*fill=*/true); });
  connect(probeBar_, &ProbeBar::chooseOffScreenClip, this, [this] {
    const QString path = QFileDialog::getOpenFileName(dialogParent_, tr("Off-screen audio clip"),
                                                      QString(), kMediaFileFilter);
    if (!path.isEmpty()) {
      player_->setOffScreenClip(path);
    }
  });
}

bool CompareGrid::compareCheckpoint(const QString& path) {
  int view = grid_->selected();
  if (player_->viewCount() < PlayerController::kMaxViews) {
    view = player_->viewCount();
    setViewCount(view + 1, /*fill=*/false);  // the view is for this checkpoint
  }
  if (!loadModelIntoView(view, path)) {
    ensureModels();  // a view added for it is not left empty
    return false;
  }
  selectView(view);
  return true;
}

bool CompareGrid::loadModelIntoView(int view, const QString& path, LoadFailure onFailure,
                                    const LoadOptions& options) {
  std::shared_ptr<LocalizationModel> model;
  try {
    model = LocalizationModel::open(path.toStdString(), options);
  } catch (const std::exception& e) {
    if (onFailure == LoadFailure::ShowInView) {
      std::fprintf(stderr, "heardmap: view %d: cannot load checkpoint: %s\n", view + 1, e.what());
      player_->setViewLoadError(view, QFileInfo(path).absoluteFilePath(), e.what());
      Q_EMIT message(tr("View %1: cannot load %2").arg(view + 1).arg(path));
      showSelectedModel();
    } else {
      Q_EMIT error(tr("Cannot load checkpoint:\n%1").arg(QString::fromStdString(e.what())));
    }
    return false;
  }
  const QString absolute = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
  player_->setViewModel(view, std::move(model), absolute, options);
  if (!absolute.isEmpty()) {
    Q_EMIT checkpointLoaded(absolute);
  }
  if (view == grid_->selected()) {
    player_->setWindowPlacement(WindowPlacement::Invalid);
  }
  showSelectedModel();
  return true;
}

std::vector<std::string> CompareGrid::shippedModelPaths() {
  return shippedModels(shippedModelsFolder(QCoreApplication::applicationDirPath().toStdString()));
}

void CompareGrid::ensureModels() {
  // Views without a checkpoint get the shipped models in method order (view 1 the EZ-VSL
  // baseline, then LVS, MarginNCE, ...), or the untrained demo model when none ship.
  const std::vector<std::string> shipped = shippedModelPaths();
  // Each empty view gets the first shipped model no view shows, or once all are shown, the
  // shipped models again in order.
  size_t next = 0;
  const auto nextShipped = [&]() {
    for (const std::string& path : shipped) {
      const QString absolute = QFileInfo(QString::fromStdString(path)).absoluteFilePath();
      bool shown = false;
      for (int v = 0; v < player_->viewCount(); ++v) {
        shown = shown || player_->view(v).checkpointPath == absolute;
      }
      if (!shown) {
        return QString::fromStdString(path);
      }
    }
    return QString::fromStdString(shipped[next++ % shipped.size()]);
  };
  std::shared_ptr<LocalizationModel> untrained;
  for (int i = 0; i < player_->viewCount(); ++i) {
    if (!player_->view(i).loadError.empty()) {
      continue;  // the checkpoint asked for did not load: the view says so, nothing replaces it
    }
    if (!player_->view(i).model && !shipped.empty()) {
      loadModelIntoView(i, nextShipped());
    }
    if (!player_->view(i).model) {
      if (!untrained) {
        untrained = LocalizationModel::open(std::string());
      }
      player_->setViewModel(i, untrained, QString());
    }
  }
  showSelectedModel();
}

void CompareGrid::setViewCount(int count, bool fill) {
  const int before = player_->viewCount();
  player_->setViewCount(count);
  // New views: the panel's settings when they are every view's, else the defaults.
  const OverlaySettings settings = panel_->sharedSettings() ? panel_->settings() : defaultOverlay_;
  for (int i = before; i < player_->viewCount(); ++i) {
    player_->setViewOverlaySettings(i, settings);  // the views follow the player's signal
  }
  if (fill && player_->viewCount() > before) {
    ensureModels();
  }
}

void CompareGrid::selectView(int view) {
  grid_->setSelected(view);
  showSelectedModel();
  probeBar_->setActiveCondition(player_->view(grid_->selected()).condition);
  if (!panel_->sharedSettings()) {
    panel_->setSettings(player_->view(grid_->selected()).processor.settings());
  }
}

void CompareGrid::showSelectedModel() {
  const ViewSlot& slot = player_->view(std::min(grid_->selected(), player_->viewCount() - 1));
  if (!slot.loadError.empty()) {
    panel_->setLoadError(viewModelLabel(slot), QString::fromStdString(slot.loadError),
                         slot.checkpointPath);
    return;
  }
  if (!slot.model) {
    return;
  }
  const CheckpointInfo& info = slot.model->info();
  panel_->setModel(QString::fromStdString(info.config.method + " " + info.config.variantName()),
                   info.trained, modelProvenance(slot), QString::fromStdString(info.source),
                   QString::fromStdString(info.contract.summary()), info.contract.placement);
  if (!slot.display.empty()) {
    panel_->setScores(slot.display);
  }
}

void CompareGrid::applyProbe(AudioCondition condition, bool allViews) {
  if (condition == AudioCondition::OffScreen && player_->offScreenClip().isEmpty()) {
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Which clip's audio should play off-screen?"), QString(),
        kMediaFileFilter);
    if (path.isEmpty() || !player_->setOffScreenClip(path)) {
      return;
    }
  }
  if (allViews) {
    player_->setAllViewConditions(condition);
  } else {
    player_->setViewCondition(grid_->selected(), condition);
  }
}

void CompareGrid::refreshCaptions() {
  for (int i = 0; i < grid_->count(); ++i) {
    refreshCaption(i);
  }
}

void CompareGrid::refreshCaption(int view, bool redrawNow) {
  if (view >= player_->viewCount()) {
    return;
  }
  bool warning = false;
  const QStringList lines =
      viewCaption(view, player_->view(view), player_->isLive(), &warning, player_->offScreenClip());
  grid_->view(view)->setCaption(lines, warning, redrawNow);
  if (view == grid_->selected()) {
    probeBar_->setActiveCondition(player_->view(view).condition);
  }
}

}  // namespace heardmap
