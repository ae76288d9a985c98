// MainWindow's menus, its keyboard shortcuts (ShortcutMap, mpv's keys), the help overlay's rows
// and the recent-file menus: the window's commands in one place, apart from its assembly.
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>

#include "AnnotationController.h"
#include "ClipPaths.h"
#include "CompareGrid.h"
#include "FailuresPane.h"
#include "GridExports.h"
#include "HelpOverlay.h"
#include "MainWindow.h"
#include "OverlayPanel.h"
#include "PlayerController.h"
#include "ProbeBar.h"
#include "ShortcutDialog.h"
#include "ShortcutMap.h"
#include "VideoView.h"
#include "ViewGrid.h"

namespace heardmap {
namespace {

// Seek step of the Left/Right keys (mpv default).
constexpr double kArrowSeekSeconds = 5.0;
// Speed factor of the [ and ] keys (mpv default).
constexpr double kSpeedStep = 1.1;
// Zoom factor of one zoom key press (as one wheel notch).
constexpr double kZoomStep = 1.25;

}  // namespace

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open media..."), this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open media"), QString(), kMediaFileFilter);
    if (!path.isEmpty()) {
      openMedia(path);
    }
  });
  open->setShortcut(QKeySequence::Open);
  recentMenu_ = file->addMenu(tr("Open &recent"));
  recentCheckpointMenu_ = file->addMenu(tr("Recent chec&kpoints (into the selected view)"));
  file->addAction(tr("Load &checkpoint into the selected view..."), panel_,
                  &OverlayPanel::loadCheckpointClicked);
  QMenu* shipped = file->addMenu(tr("S&hipped models (into the selected view)"));
  for (const std::string& path : shippedModelPaths()) {
    const QString file = QString::fromStdString(path);
    shipped->addAction(QFileInfo(file).completeBaseName(), this, [this, file] { loadModel(file); });
  }
  shipped->setEnabled(!shipped->isEmpty());
  file->addAction(tr("Use the &untrained demo model"), this, [this] { loadModel(QString()); });
  file->addSeparator();
  file->addAction(tr("&Snapshot (PNG + audio)..."), exports_, &GridExports::snapshotDialog);
  file->addAction(tr("&Export range as mp4..."), exports_, &GridExports::exportDialog);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = annotations_->undoStack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = annotations_->undoStack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);

  QMenu* settings = menuBar()->addMenu(tr("&Settings"));
  settings->addAction(tr("&Keyboard shortcuts..."), this, [this] {
    ShortcutDialog dialog(shortcuts_, this);
    dialog.exec();
  });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keys"), this, [this] { help_->toggle(); });
  help->addAction(tr("&About"), this, [this] {
    QMessageBox::about(this, tr("About Heardmap"),
                       tr("Heardmap: where in the picture does the sound come from?\nOpenGL: %1")
                           .arg(grid_->view(0)->glVersion()));
  });
  rebuildRecentMenus();
}

void MainWindow::createShortcuts() {
  shortcuts_ = new ShortcutMap(this);
  ShortcutMap* s = shortcuts_;
  s->add("play-pause", tr("Play / pause"), Qt::Key_Space, [this] { controller_->togglePlay(); });
  s->add("next-frame", tr("Next frame"), Qt::Key_Period, [this] { controller_->step(1); });
  s->add("previous-frame", tr("Previous frame"), Qt::Key_Comma, [this] { controller_->step(-1); });
  s->add("slower", tr("Speed -10 %"), Qt::Key_BracketLeft,
         [this] { controller_->multiplySpeed(1.0 / kSpeedStep); });
  s->add("faster", tr("Speed +10 %"), Qt::Key_BracketRight,
         [this] { controller_->multiplySpeed(kSpeedStep); });
  s->add("normal-speed", tr("Normal speed"), Qt::Key_Backspace,
         [this] { controller_->setSpeed(1.0); });
  s->add("seek-back", tr("Seek -5 s"), Qt::Key_Left,
         [this] { controller_->seekRelative(-kArrowSeekSeconds); });
  s->add("seek-forward", tr("Seek +5 s"), Qt::Key_Right,
         [this] { controller_->seekRelative(kArrowSeekSeconds); });
  s->add("ab-loop", tr("A-B loop: mark A, mark B, clear"), Qt::Key_L,
         [this] { controller_->cycleLoop(); });
  s->add("failure-start", tr("Failure range start"), Qt::Key_I, [this] { failures_->markStart(); });
  s->add("failure-end", tr("Failure range end (creates it)"), Qt::Key_O,
         [this] { failures_->markEnd(); });
  s->add("probe-real", tr("Probe: real audio"), Qt::Key_1,
         [this] { applyProbe(AudioCondition::Real, probeBar_->appliesToAll()); });
  s->add("probe-silence", tr("Probe: silence"), Qt::Key_2,
         [this] { applyProbe(AudioCondition::Silence, probeBar_->appliesToAll()); });
  s->add("probe-noise", tr("Probe: white noise"), Qt::Key_3,
         [this] { applyProbe(AudioCondition::WhiteNoise, probeBar_->appliesToAll()); });
  s->add("probe-offscreen", tr("Probe: off-screen audio"), Qt::Key_4,
         [this] { applyProbe(AudioCondition::OffScreen, probeBar_->appliesToAll()); });
  s->add("probe-muted", tr("Probe: muted mic"), Qt::Key_5,
         [this] { applyProbe(AudioCondition::MutedMic, probeBar_->appliesToAll()); });
  s->add("next-view", tr("Select the next view"), Qt::Key_Tab,
         [this] { selectView((grid_->selected() + 1) % grid_->count()); });
  s->add("snapshot", tr("Snapshot (PNG + audio)"), QKeySequence(Qt::CTRL | Qt::Key_S),
         [this] { exports_->snapshotDialog(); });
  s->add("export-range", tr("Export range as mp4"), QKeySequence(Qt::CTRL | Qt::Key_E),
         [this] { exports_->exportDialog(); });
  // mpv's keys for video zoom: Alt and +, -, Backspace.
  const auto zoomBy = [this](double factor) {
    const VideoView* view = grid_->view(0);
    grid_->setZoom(factor == 0.0 ? 1.0 : view->zoom() * factor, view->zoomCentre());
  };
  s->add("zoom-in", tr("Zoom in (every view; or the wheel)"), QKeySequence(Qt::ALT | Qt::Key_Equal),
         [=] { zoomBy(kZoomStep); });
  s->add("zoom-out", tr("Zoom out"), QKeySequence(Qt::ALT | Qt::Key_Minus),
         [=] { zoomBy(1.0 / kZoomStep); });
  s->add("zoom-reset", tr("Whole picture"), QKeySequence(Qt::ALT | Qt::Key_Backspace),
         [=] { zoomBy(0.0); });
  s->add("help", tr("Show / hide this help"), Qt::Key_F1, [this] { help_->toggle(); });
  s->add("help-question", tr("Show / hide this help"), Qt::Key_Question,
         [this] { help_->toggle(); });
  connect(shortcuts_, &ShortcutMap::changed, this, &MainWindow::refreshHelp);
  refreshHelp();
}

void MainWindow::refreshHelp() {
  std::vector<std::pair<QString, QString>> rows;
  for (const ShortcutEntry& e : shortcuts_->entries()) {
    rows.emplace_back(e.key.isEmpty() ? tr("(none)") : e.key.toString(QKeySequence::NativeText),
                      e.description);
  }
  rows.emplace_back(tr("Shift+drag"), tr("Draw a box on a view (selected failure, object)"));
  rows.emplace_back(tr("Shift+click"), tr("Mark a point (where the sound comes from)"));
  rows.emplace_back(tr("Ctrl+Shift+drag"), tr("Box (or point) of another object"));
  rows.emplace_back(tr("Wheel / drag"), tr("Zoom about the cursor / pan a zoomed picture"));
  rows.emplace_back(tr("Click"), tr("Select a view"));
  rows.emplace_back(tr("Ctrl+Z / Ctrl+Shift+Z"), tr("Undo / redo annotation edits"));
  rows.emplace_back(tr("Ctrl+O"), tr("Open media (or drop a file on the window)"));
  help_->setRows(rows);
}

void MainWindow::addRecent(QStringList& list, const QString& path) {
  list.removeAll(path);
  list.prepend(path);
  while (list.size() > kMaxRecentFiles) {
    list.removeLast();
  }
  rebuildRecentMenus();
}

void MainWindow::rebuildRecentMenus() {
  if (recentMenu_ == nullptr || recentCheckpointMenu_ == nullptr) {
    return;
  }
  recentMenu_->clear();
  for (const QString& path : recent_) {
    recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openMedia(path); })
        ->setToolTip(path);
  }
  recentMenu_->setEnabled(!recent_.isEmpty());
  recentCheckpointMenu_->clear();
  for (const QString& path : recentCheckpoints_) {
    recentCheckpointMenu_
        ->addAction(QFileInfo(path).fileName(), this, [this, path] { loadModel(path); })
        ->setToolTip(path);
  }
  recentCheckpointMenu_->setEnabled(!recentCheckpoints_.isEmpty());
}

}  // namespace heardmap
