// MainWindow's session: what the app remembers between runs (SessionState in QSettings) restored
// into the panes at start and gathered from them at close.
#include <QFileInfo>
#include <QSettings>

#include "CompareGrid.h"
#include "MainWindow.h"
#include "OverlayPanel.h"
#include "PlayerController.h"
#include "SessionState.h"
#include "ShortcutMap.h"
#include "VideoView.h"
#include "ViewGrid.h"

namespace heardmap {

void MainWindow::restoreRecentLists() {
  QSettings settings;
  applyRecentLists(SessionState::load(settings, panel_->settings()));
}

void MainWindow::applyRecentLists(const SessionState& session) {
  recent_ = session.recentFiles;
  recentCheckpoints_ = session.recentCheckpoints;
  rebuildRecentMenus();
}

void MainWindow::restoreSession() {
  QSettings settings;
  const SessionState session = SessionState::load(settings, panel_->settings());
  applyRecentLists(session);
  restoreGeometry(session.windowGeometry);
  restoreState(session.windowState);
  panel_->setSettings(session.overlay);
  controller_->setOverlaySettings(session.overlay);
  if (!session.offScreenClip.isEmpty() && QFileInfo::exists(session.offScreenClip)) {
    controller_->setOffScreenClip(session.offScreenClip);
  }
  panel_->setSharedSettings(session.sharedOverlay);
  setViewCount(static_cast<int>(session.views.size()), /*fill=*/false);  // the session's models
  for (int i = 0; i < static_cast<int>(session.views.size()); ++i) {
    const SessionView& view = session.views[static_cast<size_t>(i)];
    controller_->setViewName(i, view.name);
    if (!session.sharedOverlay) {  // each view's own overlay
      controller_->setViewOverlaySettings(i, view.overlay);
    }
    if (!view.checkpoint.isEmpty()) {  // a file gone since is an error in its view
      loadModelIntoView(i, view.checkpoint, LoadFailure::ShowInView, view.loadOptions);
    }
    if (view.condition != AudioCondition::OffScreen || !controller_->offScreenClip().isEmpty()) {
      controller_->setViewCondition(i, view.condition);
    }
  }
  shortcuts_->load(settings);
}

void MainWindow::saveSession() {
  SessionState session;
  session.recentFiles = recent_;
  session.recentCheckpoints = recentCheckpoints_;
  session.windowGeometry = saveGeometry();
  session.windowState = saveState();
  session.overlay = panel_->settings();
  session.sharedOverlay = panel_->sharedSettings();
  session.offScreenClip = controller_->offScreenClip();
  for (int i = 0; i < controller_->viewCount(); ++i) {
    const ViewSlot& view = controller_->view(i);
    session.views.push_back({view.checkpointPath, view.condition, view.loadOptions,
                             view.processor.settings(), view.name});
  }
  QSettings settings;
  session.save(settings);
  shortcuts_->save(settings);
  settings.sync();
}

}  // namespace heardmap
