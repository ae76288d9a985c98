// Renders a gallery to PNG with QPainter: one row of pictures per model (test scenes with its
// heatmap and the ground-truth boxes drawn), a caption under each picture, the model's name on
// the left and the scene titles on top. Needs a QGuiApplication (fonts).
#pragma once

#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>

namespace heardmap {

struct GalleryRow {
  QString label;          // the model
  QVector<QImage> tiles;  // one per column, all the same size
  QStringList captions;   // one per tile (e.g. its score)
};

class GalleryRenderer {
 public:
  // Writes the gallery; returns false when there is nothing to draw or the PNG cannot be written.
  static bool write(const QString& path, const QStringList& columnTitles,
                    const QVector<GalleryRow>& rows);
};

}  // namespace heardmap
