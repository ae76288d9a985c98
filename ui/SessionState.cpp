#include "SessionState.h"

#include <QSettings>
#include <algorithm>

namespace heardmap {
namespace {

// Most views the grid holds (PlayerController::kMaxViews).
constexpr int kMaxSessionViews = 6;

}  // namespace

SessionState SessionState::load(QSettings& settings, const OverlaySettings& defaults) {
  SessionState s;
  s.recentFiles = settings.value("recentFiles").toStringList();
  s.recentCheckpoints = settings.value("recentCheckpoints").toStringList();
  s.windowGeometry = settings.value("window/geometry").toByteArray();
  s.windowState = settings.value("window/state").toByteArray();
  s.overlay = defaults;
  const ColormapId colormap =
      colormapFromName(settings.value("overlay/colormap").toString().toStdString());
  if (colormap != ColormapId::Invalid) {
    s.overlay.colormap = colormap;
  }
  const NormalizationMode mode =
      normalizationFromName(settings.value("overlay/normalization").toString().toStdString());
  if (mode != NormalizationMode::Invalid) {
    s.overlay.normalization = mode;
  }
  s.overlay.opacity = settings.value("overlay/opacity", defaults.opacity).toFloat();
  s.overlay.threshold = settings.value("overlay/threshold", defaults.threshold).toFloat();
  s.overlay.persistenceMs =
      settings.value("overlay/persistenceMs", defaults.persistenceMs).toDouble();
  s.offScreenClip = settings.value("probes/offScreenClip").toString();
  const int count = std::clamp(settings.value("views/count", 1).toInt(), 1, kMaxSessionViews);
  for (int i = 0; i < count; ++i) {
    const QString key = QStringLiteral("views/%1/").arg(i);
    SessionView view;
    view.checkpoint = settings.value(key + "checkpoint").toString();
    view.loadOptions.method = settings.value(key + "method").toString().toStdString();
    view.loadOptions.momentumBranch = settings.value(key + "momentumBranch", false).toBool();
    view.condition =
        audioConditionFromName(settings.value(key + "condition", "real").toString().toStdString());
    if (view.condition == AudioCondition::Invalid) {
      view.condition = AudioCondition::Real;
    }
    s.views.push_back(view);
  }
  return s;
}

void SessionState::save(QSettings& settings) const {
  settings.setValue("recentFiles", recentFiles);
  settings.setValue("recentCheckpoints", recentCheckpoints);
  settings.setValue("window/geometry", windowGeometry);
  settings.setValue("window/state", windowState);
  settings.setValue("overlay/colormap", QString::fromStdString(colormapName(overlay.colormap)));
  settings.setValue("overlay/opacity", overlay.opacity);
  settings.setValue("overlay/normalization",
                    QString::fromStdString(normalizationName(overlay.normalization)));
  settings.setValue("overlay/threshold", overlay.threshold);
  settings.setValue("overlay/persistenceMs", overlay.persistenceMs);
  settings.setValue("probes/offScreenClip", offScreenClip);
  settings.remove("views");
  settings.setValue("views/count", static_cast<int>(views.size()));
  for (size_t i = 0; i < views.size(); ++i) {
    const QString key = QStringLiteral("views/%1/").arg(i);
    settings.setValue(key + "checkpoint", views[i].checkpoint);
    settings.setValue(key + "method", QString::fromStdString(views[i].loadOptions.method));
    settings.setValue(key + "momentumBranch", views[i].loadOptions.momentumBranch);
    settings.setValue(key + "condition",
                      QString::fromStdString(audioConditionName(views[i].condition)));
  }
}

}  // namespace heardmap
