#include "HelpOverlay.h"

#include <QKeyEvent>
#include <QPainter>

namespace heardmap {

HelpOverlay::HelpOverlay(QWidget* parent) : QWidget(parent) {
  setObjectName("helpOverlay");
  setFocusPolicy(Qt::StrongFocus);
  hide();
}

void HelpOverlay::setRows(const std::vector<std::pair<QString, QString>>& rows) {
  rows_ = rows;
  update();
}

void HelpOverlay::toggle() {
  if (isVisible()) {
    hide();
    return;
  }
  setGeometry(parentWidget()->rect());
  raise();
  show();
  setFocus();
}

void HelpOverlay::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(0, 0, 0, 200));
  QFont font = p.font();
  font.setPointSizeF(10.5);
  p.setFont(font);
  const QFontMetrics metrics(font);
  const int line = metrics.height() + 3;
  const int columns = rows_.size() > 16 ? 2 : 1;
  const int perColumn = static_cast<int>((rows_.size() + columns - 1) / columns);
  const int columnWidth = 360;
  const int left = std::max(10, (width() - columns * columnWidth) / 2);
  const int top = std::max(10, (height() - perColumn * line) / 2);
  p.setPen(QColor(255, 210, 0));
  p.drawText(left, top - line,
             tr("Keys (Settings > Keyboard shortcuts to change; any key closes)"));
  for (int i = 0; i < static_cast<int>(rows_.size()); ++i) {
    const int x = left + (i / perColumn) * columnWidth;
    const int y = top + (i % perColumn) * line + metrics.ascent();
    p.setPen(QColor(255, 210, 0));
    p.drawText(x, y, rows_[static_cast<size_t>(i)].first);
    p.setPen(Qt::white);
    p.drawText(x + 110, y, rows_[static_cast<size_t>(i)].second);
  }
}

void HelpOverlay::mousePressEvent(QMouseEvent*) {
  hide();
}

void HelpOverlay::keyPressEvent(QKeyEvent*) {
  hide();
}

}  // namespace heardmap
