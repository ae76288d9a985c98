#include "GalleryRenderer.h"

#include <QBuffer>
#include <QFont>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>

#include <algorithm>

#include "core/AtomicFile.h"

namespace heardmap {
namespace {

// Space around and between the pictures, px.
constexpr int kGapPx = 6;
// Width of the model-name column, px.
constexpr int kLabelColumnPx = 190;
// Height of the column titles and of each caption line, px.
constexpr int kTextLinePx = 18;

}  // namespace

bool GalleryRenderer::write(const std::string& path, const std::vector<std::string>& columnTitles,
                            const std::vector<GalleryRow>& rows) {
  if (rows.empty() || rows.front().tiles.empty()) {
    return false;
  }
  const QSize tile(rows.front().tiles.front().width, rows.front().tiles.front().height);
  const int columns = static_cast<int>(rows.front().tiles.size());
  const int rowHeight = tile.height() + kTextLinePx + kGapPx;
  QImage image(kLabelColumnPx + columns * (tile.width() + kGapPx) + kGapPx,
               kTextLinePx + kGapPx + static_cast<int>(rows.size()) * rowHeight + kGapPx,
               QImage::Format_RGB32);
  image.fill(QColor(24, 24, 28));
  QPainter painter(&image);
  QFont font = painter.font();
  font.setPixelSize(12);
  painter.setFont(font);
  painter.setPen(QColor(230, 230, 230));
  for (int c = 0; c < columns && c < static_cast<int>(columnTitles.size()); ++c) {
    painter.drawText(
        QRect(kLabelColumnPx + c * (tile.width() + kGapPx), kGapPx / 2, tile.width(), kTextLinePx),
        Qt::AlignCenter, QString::fromStdString(columnTitles[static_cast<size_t>(c)]));
  }
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const GalleryRow& row = rows[static_cast<size_t>(r)];
    const int top = kTextLinePx + kGapPx + r * rowHeight;
    painter.setPen(QColor(230, 230, 230));
    painter.drawText(QRect(kGapPx, top, kLabelColumnPx - 2 * kGapPx, tile.height()),
                     Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
                     QString::fromStdString(row.label));
    for (int c = 0; c < std::min(columns, static_cast<int>(row.tiles.size())); ++c) {
      const int left = kLabelColumnPx + c * (tile.width() + kGapPx);
      const RgbImage& picture = row.tiles[static_cast<size_t>(c)];
      const QImage image(picture.pixels.data(), picture.width, picture.height, picture.width * 3,
                         QImage::Format_RGB888);
      painter.drawImage(QPoint(left, top), image.scaled(tile));
      if (c < static_cast<int>(row.captions.size())) {
        painter.setPen(QColor(200, 200, 200));
        painter.drawText(QRect(left, top + tile.height(), tile.width(), kTextLinePx),
                         Qt::AlignCenter,
                         QString::fromStdString(row.captions[static_cast<size_t>(c)]));
      }
    }
  }
  painter.end();
  QByteArray png;
  {
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) {
      return false;
    }
  }
  try {
    writeFileAtomically(path, png.toStdString());
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

}  // namespace heardmap
