// Asking how to read a checkpoint whose file does not say its method: a PyTorch file of EZ-VSL
// names is EZ-VSL's, FNAC's or MarginNCE's alike (the same network), a SLAVC file has a momentum
// branch beside its online one, an LVS AVENet file is also SSL-Align's. The same choice as the
// command line's --method and --momentum-branch (docs/checkpoints.md).
#pragma once

#include <QString>
#include <vector>

#include "core/ml/ForeignCheckpoint.h"

class QWidget;

namespace heardmap {

struct CheckpointReading {
  QString label;        // for the list: "FNAC (--method fnac)"
  LoadOptions options;  // what it loads with
};

// Every way to read such a file, "as its names say" first.
std::vector<CheckpointReading> checkpointReadings();

// Whether path is a file whose method the user may have to name: a .pth / .pt / .tar that is not
// one of the SSPL release's files (those say what they are).
bool asksForReading(const QString& path);

// For such a file, asks which reading to use (the first preselected) and puts it in *options;
// false when the user cancels. Other files: true, *options left as it is.
bool askLoadOptions(QWidget* parent, const QString& path, LoadOptions* options);

}  // namespace heardmap
