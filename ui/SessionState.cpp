#include "SessionState.h"

#include <QSettings>
#include <algorithm>

namespace heardmap {
namespace {

// Most views the grid holds (PlayerController::kMaxViews).
constexpr int kMaxSessionViews = 6;

// The overlay settings under prefix ("overlay/", "views/2/overlay/"), defaults where missing or
// unknown.
OverlaySettings loadOverlay(QSettings& settings, const QString& prefix,
                            const OverlaySettings& defaults) {
  OverlaySettings overlay = defaults;
  const ColormapId colormap =
      colormapFromName(settings.value(prefix + "colormap").toString().toStdString());
  if (colormap != ColormapId::Invalid) {
    overlay.colormap = colormap;
  }
  const NormalizationMode mode =
      normalizationFromName(settings.value(prefix + "normalization").toString().toStdString());
  if (mode != NormalizationMode::Invalid) {
    overlay.normalization = mode;
  }
  overlay.opacity = settings.value(prefix + "opacity", defaults.opacity).toFloat();
  overlay.threshold = settings.value(prefix + "threshold", defaults.threshold).toFloat();
  overlay.persistenceMs =
      settings.value(prefix + "persistenceMs", defaults.persistenceMs).toDouble();
  overlay.peakCrosshair = settings.value(prefix + "peakCrosshair", defaults.peakCrosshair).toBool();
  return overlay;
}

void saveOverlay(QSettings& settings, const QString& prefix, const OverlaySettings& overlay) {
  settings.setValue(prefix + "colormap", QString::fromStdString(colormapName(overlay.colormap)));
  settings.setValue(prefix + "opacity", overlay.opacity);
  settings.setValue(prefix + "normalization",
                    QString::fromStdString(normalizationName(overlay.normalization)));
  settings.setValue(prefix + "threshold", overlay.threshold);
  settings.setValue(prefix + "persistenceMs", overlay.persistenceMs);
  settings.setValue(prefix + "peakCrosshair", overlay.peakCrosshair);
}

}  // namespace

SessionState SessionState::load(QSettings& settings, const OverlaySettings& defaults) {
  SessionState s;
  s.recentFiles = settings.value("recentFiles").toStringList();
  s.recentCheckpoints = settings.value("recentCheckpoints").toStringList();
  s.windowGeometry = settings.value("window/geometry").toByteArray();
  s.windowState = settings.value("window/state").toByteArray();
  s.overlay = loadOverlay(settings, "overlay/", defaults);
  s.sharedOverlay = settings.value("overlay/shared", true).toBool();
  s.offScreenClip = settings.value("probes/offScreenClip").toString();
  const int count = std::clamp(settings.value("views/count", 1).toInt(), 1, kMaxSessionViews);
  for (int i = 0; i < count; ++i) {
    const QString key = QStringLiteral("views/%1/").arg(i);
    SessionView view;
    view.checkpoint = settings.value(key + "checkpoint").toString();
    view.loadOptions.method = settings.value(key + "method").toString().toStdString();
    view.overlay = loadOverlay(settings, key + "overlay/", s.overlay);
    view.name = settings.value(key + "name").toString();
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
  saveOverlay(settings, "overlay/", overlay);
  settings.setValue("overlay/shared", sharedOverlay);
  settings.setValue("probes/offScreenClip", offScreenClip);
  settings.remove("views");
  settings.setValue("views/count", static_cast<int>(views.size()));
  for (size_t i = 0; i < views.size(); ++i) {
    const QString key = QStringLiteral("views/%1/").arg(i);
    settings.setValue(key + "checkpoint", views[i].checkpoint);
    settings.setValue(key + "method", QString::fromStdString(views[i].loadOptions.method));
    settings.setValue(key + "momentumBranch", views[i].loadOptions.momentumBranch);
    saveOverlay(settings, key + "overlay/", views[i].overlay);
    settings.setValue(key + "name", views[i].name);
    settings.setValue(key + "condition",
                      QString::fromStdString(audioConditionName(views[i].condition)));
  }
}

}  // namespace heardmap
