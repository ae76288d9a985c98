// Writes a snapshot of the grid: the views as seen (PNG), the audio window each view's model
// heard (one WAV per distinct window: NAME.wav, NAME.viewN.wav) and NAME.json (clip, time, each
// view's method, checkpoint, audio condition, raw range, contract, overlay settings and audio
// file).
#pragma once

#include <QImage>
#include <QSize>
#include <QStringList>
#include <vector>

namespace heardmap {

class PlayerController;

// tiles: the views' pictures in grid order; shape: columns x rows. Returns the files written.
// Throws FileError (nothing is half-written: every file is saved atomically).
QStringList writeGridSnapshot(const QString& pngPath, const std::vector<QImage>& tiles, QSize shape,
                              const PlayerController& controller);

}  // namespace heardmap
