// What the app remembers between runs (QSettings): recent files and checkpoints, window layout,
// overlay settings, the off-screen clip and the views (checkpoint and audio condition each). Plain
// data with the settings keys in one place; the main window applies it.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

#include "core/AudioCondition.h"
#include "core/OverlaySettings.h"
#include "core/ml/ForeignCheckpoint.h"

class QSettings;

namespace heardmap {

struct SessionView {
  QString checkpoint;  // empty = the untrained demo model
  AudioCondition condition = AudioCondition::Real;
  LoadOptions loadOptions;  // how the checkpoint was read (its method when the file does not say)
  OverlaySettings overlay;  // the view's own overlay (used when sharedOverlay is false)
  QString name;             // the user's name for the view
};

struct SessionState {
  QStringList recentFiles;
  QStringList recentCheckpoints;
  QByteArray windowGeometry;
  QByteArray windowState;
  OverlaySettings overlay;    // the panel's (every view's when sharedOverlay)
  bool sharedOverlay = true;  // "Same settings for every view"
  QString offScreenClip;
  std::vector<SessionView> views;  // at least one

  // Unknown or missing values fall back to the defaults (overlay: `defaults`).
  static SessionState load(QSettings& settings, const OverlaySettings& defaults);
  void save(QSettings& settings) const;
};

}  // namespace heardmap
