#include "ViewGrid.h"

#include <QGridLayout>
#include <algorithm>

#include "VideoView.h"

namespace heardmap {

ViewGrid::ViewGrid(QWidget* parent)
    : QWidget(parent), frameTexture_(std::make_shared<SharedFrameTexture>()) {
  layout_ = new QGridLayout(this);
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->setSpacing(2);
  setCount(1);
}

QSize ViewGrid::gridShape(int count) {
  if (count <= 1) {
    return {1, 1};
  }
  if (count == 2) {
    return {2, 1};
  }
  if (count <= 4) {
    return {2, 2};
  }
  return {3, 2};
}

void ViewGrid::setZoom(double zoom, const QPointF& centre) {
  for (VideoView* view : views_) {
    view->setZoom(zoom, centre);
  }
}

void ViewGrid::setCount(int count) {
  count = std::clamp(count, 1, 6);
  while (this->count() < count) {
    auto* view = new VideoView(this);
    const int index = this->count();
    view->setObjectName(QStringLiteral("view%1").arg(index));
    connect(view, &VideoView::clicked, this, [this, index] { Q_EMIT viewClicked(index); });
    connect(view, &VideoView::doubleClicked, this,
            [this, index] { Q_EMIT viewDoubleClicked(index); });
    connect(view, &VideoView::boxDrawn, this, [this, index](const QRectF& rect, bool newObject) {
      Q_EMIT boxDrawn(index, rect, newObject);
    });
    connect(view, &VideoView::zoomChanged, this, &ViewGrid::setZoom);
    view->shareFrameTexture(frameTexture_);
    if (!views_.empty()) {  // a new view shows the same region as the others
      view->setZoom(views_.front()->zoom(), views_.front()->zoomCentre());
    }
    views_.push_back(view);
    Q_EMIT viewCreated(index);
  }
  while (this->count() > count) {
    delete views_.back();
    views_.pop_back();
  }
  if (selected_ >= count) {
    selected_ = 0;
  }
  relayout();
  setSelected(selected_);
}

void ViewGrid::relayout() {
  for (VideoView* view : views_) {
    layout_->removeWidget(view);
  }
  const QSize shape = gridShape(count());
  for (int i = 0; i < count(); ++i) {
    layout_->addWidget(views_[static_cast<size_t>(i)], i / shape.width(), i % shape.width());
  }
}

void ViewGrid::setSelected(int index) {
  selected_ = std::clamp(index, 0, count() - 1);
  for (int i = 0; i < count(); ++i) {
    views_[static_cast<size_t>(i)]->setSelected(count() > 1 && i == selected_);
  }
}

}  // namespace heardmap
