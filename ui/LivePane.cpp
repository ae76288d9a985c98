#include "LivePane.h"

#include <QFileDialog>
#include <utility>
#include <vector>

#include "PlayerController.h"
#include "app/media/MicrophoneCapture.h"

namespace heardmap {

LivePane::LivePane(PlayerController* player, QWidget* dialogParent)
    : QObject(dialogParent),
      player_(player),
      dialogParent_(dialogParent),
      panel_(new LivePanel(dialogParent)) {
  connect(panel_, &LivePanel::refreshClicked, this, &LivePane::refreshDevices);
  connect(panel_, &LivePanel::startClicked, this,
          [this](int device) { player_->startLive(device); });
  connect(panel_, &LivePanel::stopClicked, player_, &PlayerController::stopLive);
  connect(panel_, &LivePanel::stillImageClicked, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(dialogParent_, tr("Still image"), QString(),
                                     tr("Images (*.png *.jpg *.jpeg *.webp *.bmp)"));
    if (!path.isEmpty()) {
      player_->openStill(path);
    }
  });
  connect(player_, &PlayerController::liveChanged, this, [this](bool live, const QString& status) {
    panel_->setLive(live, status);
    Q_EMIT liveChanged(live, status);
  });
  connect(player_, &PlayerController::micLevel, this, [this](float rms, float peak) {
    panel_->setLevel(rms, peak);
    if (const MicrophoneCapture* mic = player_->microphone()) {
      panel_->setLatency(mic->deviceLatencySeconds() * 1000.0, inferenceMs_,
                         player_->effectiveContract(0).windowSeconds);
    }
  });
}

void LivePane::refreshDevices() {
  std::vector<std::pair<int, QString>> devices;
  int defaultIndex = -1;
  for (const InputDeviceInfo& d : listInputDevices()) {
    devices.emplace_back(d.index, QStringLiteral("%1 (%2, %3 ch, %4 Hz)")
                                      .arg(QString::fromStdString(d.name))
                                      .arg(QString::fromStdString(d.hostApi))
                                      .arg(d.maxInputChannels)
                                      .arg(d.defaultRateHz, 0, 'f', 0));
    if (d.isDefault) {
      defaultIndex = d.index;
    }
  }
  panel_->setDevices(devices, defaultIndex);
  if (devices.empty()) {
    panel_->setLive(false, tr("no microphone found (PortAudio lists no input device)"));
  }
}

}  // namespace heardmap
