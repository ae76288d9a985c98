#include "ViewLabels.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "core/ProbeFloor.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("ViewLabels", text);
}

// The model part of viewModelLabel, without the view's name.
QString modelLabel(const ViewSlot& slot) {
  if (!slot.loadError.empty()) {
    return tr("cannot load %1").arg(QFileInfo(slot.checkpointPath).fileName());
  }
  if (!slot.model) {
    return tr("no model");
  }
  const CheckpointInfo& info = slot.model->info();
  QString name = QString::fromStdString(info.config.method + " " + info.config.variantName());
  if (!slot.checkpointPath.isEmpty()) {
    name += " (" + QFileInfo(slot.checkpointPath).completeBaseName() + ")";
  }
  return name;
}

}  // namespace

QString viewModelLabel(const ViewSlot& slot) {
  // The user's name first, the model after it.
  return slot.name.isEmpty() ? modelLabel(slot) : slot.name + ": " + modelLabel(slot);
}

QStringList viewCaption(int index, const ViewSlot& slot, bool liveMicrophone, bool* warning,
                        const QString& offScreenClip) {
  QStringList lines;
  QString title = QStringLiteral("%1  %2").arg(index + 1).arg(viewModelLabel(slot));
  if (slot.model && !slot.model->info().trained) {
    title += tr("  UNTRAINED");
  }
  lines << title;
  if (liveMicrophone && slot.condition == AudioCondition::Real) {
    lines << tr("hears: live microphone (causal)");
  } else if (slot.condition == AudioCondition::MutedMic && slot.model &&
             hearsMutedMicAsSilence(slot.model->contract())) {
    // Its noise floor is below the model's spectrogram floor: the same input as silence.
    lines << tr("hears: muted mic (= silence for this model: below its spectrogram floor)");
  } else if (slot.condition == AudioCondition::OffScreen && !offScreenClip.isEmpty()) {
    lines << tr("hears: off-screen audio (%1)").arg(QFileInfo(offScreenClip).fileName());
  } else {
    lines << tr("hears: %1").arg(QString::fromStdString(audioConditionLabel(slot.condition)));
  }
  *warning = false;
  if (!slot.loadError.empty()) {
    lines << QString::fromStdString(slot.loadError);
    *warning = true;
  } else if (!slot.error.empty()) {
    lines << QString::fromStdString(slot.error);
    *warning = true;
  } else if (!slot.raw.empty()) {
    lines << tr("raw %1 .. %2  |  %3 ms")
                 .arg(slot.raw.rawMin, 0, 'f', 3)
                 .arg(slot.raw.rawMax, 0, 'f', 3)
                 .arg(slot.raw.inferenceMs, 0, 'f', 1);
    if (slot.display.hideBelowLow && !slot.display.anythingAboveLow) {
      lines << tr("nothing above threshold");
      *warning = true;
    }
  }
  return lines;
}

QString modelProvenance(const ViewSlot& slot) {
  const CheckpointInfo& info = slot.model->info();
  const std::string provenance = info.provenance();
  const size_t held = info.source.find(" (");
  if (provenance != "trained" || held == std::string::npos) {
    return QString::fromStdString(provenance);
  }
  // "PATH (what it held; read as ...)": the file's name and the rest.
  return QObject::tr("trained outside Heardmap: %1%2")
      .arg(QFileInfo(QString::fromStdString(info.source.substr(0, held))).fileName(),
           QString::fromStdString(info.source.substr(held)));
}

QStringList colourBarLabels(const DisplayHeatmap& heatmap) {
  const auto half = [](float cosine) { return (cosine + 1.0f) / 2.0f; };
  const QString top =
      QStringLiteral("%1 cos (%2)").arg(heatmap.high, 0, 'f', 3).arg(half(heatmap.high), 0, 'f', 3);
  const QString bottom = heatmap.hideBelowLow ? QStringLiteral("thr %1 (cos %2)")
                                                    .arg(half(heatmap.low), 0, 'f', 3)
                                                    .arg(heatmap.low, 0, 'f', 3)
                                              : QStringLiteral("%1 cos (%2)")
                                                    .arg(heatmap.low, 0, 'f', 3)
                                                    .arg(half(heatmap.low), 0, 'f', 3);
  return {top, bottom};
}

}  // namespace heardmap
