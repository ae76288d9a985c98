#include "ProbeBar.h"

#include <QAction>
#include <QActionGroup>
#include <QCheckBox>
#include <QLabel>
#include <QSpinBox>

namespace heardmap {

ProbeBar::ProbeBar(QWidget* parent) : QToolBar(tr("Probes"), parent) {
  setObjectName("probeBar");
  addWidget(new QLabel(tr(" Views "), this));
  views_ = new QSpinBox(this);
  views_->setObjectName("viewCount");
  views_->setRange(1, 6);
  views_->setToolTip(tr("Number of views in the grid (each with its own checkpoint)"));
  addWidget(views_);
  connect(views_, &QSpinBox::valueChanged, this, &ProbeBar::viewCountChanged);
  addSeparator();
  addWidget(new QLabel(tr(" Model hears: "), this));
  auto* group = new QActionGroup(this);  // one condition per view: the selected view's checked
  for (AudioCondition condition : allAudioConditions()) {
    QAction* action = addAction(QString::fromStdString(audioConditionLabel(condition)));
    action->setCheckable(true);
    action->setChecked(condition == AudioCondition::Real);
    group->addAction(action);
    probes_[condition] = action;
    action->setObjectName("probe-" + QString::fromStdString(audioConditionName(condition)));
    if (condition == AudioCondition::MutedMic) {
      action->setToolTip(
          tr("A muted microphone's self-noise (-66 dBFS). The EZ-VSL family's spectrogram floor "
             "lies far above it, so those models hear it as silence; each view says whether its "
             "model does"));
    }
    connect(action, &QAction::triggered, this,
            [this, condition] { Q_EMIT conditionClicked(condition, appliesToAll()); });
  }
  allViews_ = new QCheckBox(tr("all views"), this);
  allViews_->setObjectName("probeAllViews");
  allViews_->setChecked(true);
  allViews_->setToolTip(tr("Apply a probe to every view (else to the selected view only)"));
  addWidget(allViews_);
  QAction* other = addAction(tr("Off-screen clip..."));
  other->setToolTip(tr("The clip whose audio the off-screen probe plays to the model"));
  connect(other, &QAction::triggered, this, &ProbeBar::chooseOffScreenClip);
}

void ProbeBar::setActiveCondition(AudioCondition condition) {
  const auto it = probes_.find(condition);
  if (it != probes_.end()) {
    it->second->setChecked(true);
  }
}

void ProbeBar::setViewCount(int count) {
  const QSignalBlocker block(views_);
  views_->setValue(count);
}

bool ProbeBar::appliesToAll() const {
  return allViews_->isChecked();
}

}  // namespace heardmap
