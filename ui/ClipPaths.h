// Where a dialog that saves something of the open clip starts, and what an open dialog shows.
#pragma once

#include <QDir>
#include <QFileInfo>
#include <QString>

namespace heardmap {

// The media an open dialog lists.
inline const QString kMediaFileFilter = QStringLiteral(
    "Media (*.mp4 *.mkv *.webm *.avi *.mpg *.mpeg *.mov *.m4v *.ogv);;All files (*)");

// The clip's folder and name + suffix ("clip-grid.mp4"), or just suffix's name in the current
// folder without a clip.
inline QString besideClip(const QString& clip, const QString& suffix) {
  if (clip.isEmpty()) {
    return QStringLiteral("heardmap") + suffix;
  }
  const QFileInfo info(clip);
  return info.absoluteDir().filePath(info.completeBaseName() + suffix);
}

}  // namespace heardmap
