#include "LivePanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace heardmap {
namespace {

// Bottom of the level meter, in dBFS.
constexpr double kMeterFloorDb = -60.0;

double toDb(float linear) {
  return linear > 0.0f ? 20.0 * std::log10(linear) : -120.0;
}

}  // namespace

LivePanel::LivePanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  devices_ = new QComboBox(this);
  devices_->setObjectName("micDevices");
  auto* refresh = new QPushButton(tr("Rescan"), this);
  row->addWidget(devices_, 1);
  row->addWidget(refresh);
  layout->addLayout(row);
  start_ = new QPushButton(tr("Start microphone"), this);
  start_->setObjectName("micStart");
  layout->addWidget(start_);
  auto* still = new QPushButton(tr("Use a still image as the picture..."), this);
  layout->addWidget(still);
  meter_ = new QProgressBar(this);
  meter_->setObjectName("micMeter");
  meter_->setRange(0, 600);
  meter_->setTextVisible(false);
  meter_->setMaximumHeight(12);
  layout->addWidget(meter_);
  level_ = new QLabel(tr("level: -"), this);
  level_->setObjectName("micLevel");
  latency_ = new QLabel(tr("latency: -"), this);
  latency_->setObjectName("micLatency");
  latency_->setWordWrap(true);
  status_ = new QLabel(tr("microphone off"), this);
  status_->setObjectName("micStatus");
  status_->setWordWrap(true);
  layout->addWidget(level_);
  layout->addWidget(latency_);
  layout->addWidget(status_);
  layout->addStretch(1);
  connect(refresh, &QPushButton::clicked, this, &LivePanel::refreshClicked);
  connect(still, &QPushButton::clicked, this, &LivePanel::stillImageClicked);
  connect(start_, &QPushButton::clicked, this, [this] {
    if (live_) {
      Q_EMIT stopClicked();
    } else {
      Q_EMIT startClicked(selectedDevice());
    }
  });
}

void LivePanel::setDevices(const std::vector<std::pair<int, QString>>& devices, int defaultIndex) {
  devices_->clear();
  for (const auto& [index, label] : devices) {
    devices_->addItem(label, index);
  }
  if (devices.empty()) {
    devices_->addItem(tr("no microphone"), -2);
  }
  const int found = devices_->findData(defaultIndex);
  devices_->setCurrentIndex(found >= 0 ? found : 0);
  start_->setEnabled(!devices.empty() || live_);
}

int LivePanel::selectedDevice() const {
  return devices_->currentData().toInt();
}

void LivePanel::setLive(bool live, const QString& status) {
  live_ = live;
  start_->setText(live ? tr("Stop microphone") : tr("Start microphone"));
  start_->setEnabled(live || selectedDevice() != -2);
  status_->setText(status);
  if (!live) {
    meter_->setValue(0);
    level_->setText(tr("level: -"));
  }
}

void LivePanel::setLevel(float rms, float peak) {
  const double rmsDb = toDb(rms);
  meter_->setValue(static_cast<int>(std::clamp(rmsDb - kMeterFloorDb, 0.0, -kMeterFloorDb) * 10));
  level_->setText(
      tr("level: %1 dBFS RMS, peak %2 dBFS").arg(rmsDb, 0, 'f', 1).arg(toDb(peak), 0, 'f', 1));
}

void LivePanel::setLatency(double deviceMs, double inferenceMs, double windowSeconds) {
  latency_->setText(tr("latency: device %1 ms + models %2 ms; the models hear the last %3 s "
                       "(causal window)")
                        .arg(deviceMs, 0, 'f', 0)
                        .arg(inferenceMs, 0, 'f', 0)
                        .arg(windowSeconds, 0, 'f', 1));
}

}  // namespace heardmap
