#include "CheckpointPrompt.h"

#include <QInputDialog>
#include <QStringList>

#include "core/Methods.h"
#include "core/ml/SsplFiles.h"

namespace heardmap {

std::vector<CheckpointReading> checkpointReadings() {
  std::vector<CheckpointReading> readings = {
      {QObject::tr("As its tensor names say (EZ-VSL when they do not tell)"), {}}};
  for (const MethodInfo& row : methods()) {
    // A method shares its file's names with others only on these two networks; SLAVC's and
    // SSPL's files say what they are.
    const bool shared = (row.accepts(Architecture::EzvslFamily) && row.name != "ezvsl") ||
                        (row.accepts(Architecture::Avenet) && row.name == "sslalign");
    if (shared) {
      readings.push_back({QString::fromStdString(row.displayName + " (--method " + row.name + ")"),
                          {row.name, false}});
    }
  }
  readings.push_back({QObject::tr("SLAVC, its momentum branch (--momentum-branch)"), {"", true}});
  return readings;
}

bool asksForReading(const QString& path) {
  const QString lower = path.toLower();
  const bool torchFile = lower.endsWith(".pth") || lower.endsWith(".pt") || lower.endsWith(".tar");
  return torchFile && !isSsplFileSet(path.toStdString());
}

bool askLoadOptions(QWidget* parent, const QString& path, LoadOptions* options) {
  if (!asksForReading(path)) {
    return true;
  }
  const std::vector<CheckpointReading> readings = checkpointReadings();
  QStringList labels;
  for (const CheckpointReading& reading : readings) {
    labels << reading.label;
  }
  bool accepted = false;
  const QString chosen = QInputDialog::getItem(
      parent, QObject::tr("Which method's checkpoint?"),
      QObject::tr("A PyTorch file does not say its method. EZ-VSL, FNAC, MarginNCE, Heardmap's "
                  "LVS and SSL-SaN recipes share one network; SLAVC and the LVS AVENet are told "
                  "by their names."),
      labels, 0, /*editable=*/false, &accepted);
  if (!accepted) {
    return false;
  }
  *options = readings[static_cast<size_t>(labels.indexOf(chosen))].options;
  return true;
}

}  // namespace heardmap
