// The words a view shows about itself: its model's label and the caption lines (view number,
// method and checkpoint, UNTRAINED, what the model hears, raw score range and time, "nothing above
// threshold" or the model's error).
#pragma once

#include <QString>
#include <QStringList>

#include "ViewSlot.h"

namespace heardmap {

// e.g. "ezvsl compact (marginnce-20261123)"; "no model" without one; after the view's name when
// the user gave it one ("baseline: ezvsl small (ezvsl-small)").
QString viewModelLabel(const ViewSlot& slot);
// The panel's line on where the model's weights come from: its training record, or for a file
// trained outside Heardmap (a .pth, the SSPL release) what the file held and how it was read.
QString modelProvenance(const ViewSlot& slot);
// The colour bar's two labels for a heatmap: what its colormap's last (top) and first (bottom)
// colours mean, in raw cosine and (cos+1)/2: "0.149 cos (0.575)"; with an absolute threshold the
// bottom is the threshold ("thr 0.550 (cos 0.100)"), under which nothing is coloured.
QStringList colourBarLabels(const DisplayHeatmap& heatmap);
// Caption lines of view index (0-based); *warning = the last line is a warning. offScreenClip:
// the clip the off-screen probe plays, named when the view hears it.
QStringList viewCaption(int index, const ViewSlot& slot, bool liveMicrophone, bool* warning,
                        const QString& offScreenClip = QString());

}  // namespace heardmap
