// A grid of 1..6 VideoViews showing the same frame, one per model / audio condition. Dumb: lays
// out the views and forwards their intents with the view's index.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

class QGridLayout;

namespace heardmap {

class VideoView;
struct SharedFrameTexture;

class ViewGrid : public QWidget {
  Q_OBJECT

 public:
  explicit ViewGrid(QWidget* parent = nullptr);

  // Creates or removes views (1..6); layout 1x1, 2x1, 2x2 (3-4), 3x2 (5-6).
  void setCount(int count);
  int count() const { return static_cast<int>(views_.size()); }
  VideoView* view(int index) const { return views_.at(static_cast<size_t>(index)); }
  void setSelected(int index);
  int selected() const { return selected_; }
  // Every view shows the same region: zooming or panning one zooms and pans them all.
  void setZoom(double zoom, const QPointF& centre);
  // Columns and rows for a count (also used by the exporters).
  static QSize gridShape(int count);

 Q_SIGNALS:
  void viewClicked(int index);
  void viewDoubleClicked(int index);
  void boxDrawn(int index, const QRectF& normalized, bool newObject);
  void viewCreated(int index);

 private:
  void relayout();

  QGridLayout* layout_ = nullptr;
  std::vector<VideoView*> views_;
  // One frame texture for every view (uploaded once per frame).
  std::shared_ptr<SharedFrameTexture> frameTexture_;
  int selected_ = 0;
};

}  // namespace heardmap
