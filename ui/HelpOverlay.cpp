#include "HelpOverlay.h"

#include <QKeyEvent>
#include <QPainter>
#include <algorithm>

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

QString HelpOverlay::title() const {
  return tr("Keys (Settings > Keyboard shortcuts to change; any key closes)");
}

bool HelpOverlay::layoutAt(double pointSize, Layout* out) const {
  QFont font = this->font();
  font.setPointSizeF(pointSize);
  const QFontMetrics metrics(font);
  const int line = metrics.height() + 3;
  const int availableW = width() - 2 * kMarginPx;
  const int availableH = height() - 2 * kMarginPx - line;  // one line for the title
  const int n = static_cast<int>(rows_.size());
  // The fewest columns whose rows fit the height; each column as wide as its own texts.
  for (int columns = 1; columns <= std::max(1, n); ++columns) {
    const int perColumn = (n + columns - 1) / columns;
    if (perColumn * line > availableH && columns < n) {
      continue;
    }
    std::vector<int> keyW(static_cast<size_t>(columns), 0);
    std::vector<int> textW(static_cast<size_t>(columns), 0);
    for (int i = 0; i < n; ++i) {
      const auto c = static_cast<size_t>(i / perColumn);
      keyW[c] = std::max(keyW[c], metrics.horizontalAdvance(rows_[static_cast<size_t>(i)].first));
      textW[c] =
          std::max(textW[c], metrics.horizontalAdvance(rows_[static_cast<size_t>(i)].second));
    }
    int total = (columns - 1) * kColumnGapPx;
    for (int c = 0; c < columns; ++c) {
      total += keyW[static_cast<size_t>(c)] + kGapPx + textW[static_cast<size_t>(c)];
    }
    const bool fits = total <= availableW && perColumn * line <= availableH;
    if (!fits && pointSize > kSmallestPointSize) {
      return false;  // a smaller font may fit; more columns only get wider
    }
    // Centred; at the smallest size, what still does not fit is elided at the right edge.
    const int left = std::max(kMarginPx, (width() - total) / 2);
    const int top = std::max(kMarginPx + line, (height() - perColumn * line) / 2);
    out->font = font;
    out->title = QRect(left, top - line, std::max(1, width() - left - kMarginPx), line);
    out->keys.clear();
    out->descriptions.clear();
    int x = left;
    for (int c = 0; c < columns; ++c) {
      const int keyWidth = keyW[static_cast<size_t>(c)];
      const int textWidth = textW[static_cast<size_t>(c)];
      for (int r = 0; r < perColumn && c * perColumn + r < n; ++r) {
        const int y = top + r * line;
        out->keys.emplace_back(x, y, keyWidth, metrics.height());
        const int textLeft = x + keyWidth + kGapPx;
        out->descriptions.emplace_back(
            textLeft, y, std::max(0, std::min(textWidth, width() - kMarginPx - textLeft)),
            metrics.height());
      }
      x += keyWidth + kGapPx + textWidth + kColumnGapPx;
    }
    return true;
  }
  return false;
}

HelpOverlay::Layout HelpOverlay::layout() const {
  Layout out;
  for (double size = kLargestPointSize; size > kSmallestPointSize; size -= 0.5) {
    if (layoutAt(size, &out)) {
      return out;
    }
  }
  layoutAt(kSmallestPointSize, &out);
  return out;
}

void HelpOverlay::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(0, 0, 0, 200));
  const Layout l = layout();
  p.setFont(l.font);
  const QFontMetrics metrics(l.font);
  p.setPen(QColor(255, 210, 0));
  p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
             metrics.elidedText(title(), Qt::ElideRight, l.title.width()));
  for (size_t i = 0; i < l.keys.size(); ++i) {
    p.setPen(QColor(255, 210, 0));
    p.drawText(l.keys[i], Qt::AlignLeft | Qt::AlignVCenter, rows_[i].first);
    p.setPen(Qt::white);
    p.drawText(l.descriptions[i], Qt::AlignLeft | Qt::AlignVCenter,
               metrics.elidedText(rows_[i].second, Qt::ElideRight, l.descriptions[i].width()));
  }
}

void HelpOverlay::mousePressEvent(QMouseEvent*) {
  hide();
}

void HelpOverlay::keyPressEvent(QKeyEvent*) {
  hide();
}

}  // namespace heardmap
