// One-click negative-audio probes: buttons for real audio, silence, white noise, off-screen audio
// and a muted mic, applied to every view or only to the selected one; the view count of the grid.
// Dumb: emits intents.
#pragma once

#include <QToolBar>
#include <map>

#include "core/AudioCondition.h"

class QCheckBox;
class QSpinBox;

namespace heardmap {

class ProbeBar : public QToolBar {
  Q_OBJECT

 public:
  explicit ProbeBar(QWidget* parent = nullptr);
  void setViewCount(int count);
  // Checks the button of the condition the selected view hears.
  void setActiveCondition(heardmap::AudioCondition condition);
  bool appliesToAll() const;

 Q_SIGNALS:
  // view = -1 for all views.
  void conditionClicked(heardmap::AudioCondition condition, bool allViews);
  void viewCountChanged(int count);
  void chooseOffScreenClip();

 private:
  std::map<AudioCondition, QAction*> probes_;
  QCheckBox* allViews_ = nullptr;
  QSpinBox* views_ = nullptr;
};

}  // namespace heardmap
