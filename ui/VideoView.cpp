#include "VideoView.h"

#include <QFile>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "ViewLabels.h"
#include "core/Colormap.h"

namespace heardmap {
namespace {

QString readResource(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return {};
  }
  return QString::fromUtf8(file.readAll());
}

void setLinearClamp(QOpenGLExtraFunctions* gl) {
  gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

}  // namespace

VideoView::VideoView(QWidget* parent) : QOpenGLWidget(parent) {
  setMinimumSize(320, 180);
  setFocusPolicy(Qt::StrongFocus);  // clicking the picture gives the player keys back
}

VideoView::~VideoView() {
  if (!initialized_) {
    return;
  }
  makeCurrent();
  const GLuint textures[] = {frameTexture_, heatmapTexture_, colormapTexture_};
  glDeleteTextures(3, textures);
  if (sharedTexture_ && sharedTexture_.use_count() == 1 && sharedTexture_->texture != 0 &&
      sharedTexture_->group == context()->shareGroup()) {
    glDeleteTextures(1, &sharedTexture_->texture);  // the last view of the grid
  }
  vertices_.destroy();
  vao_.destroy();
  doneCurrent();
}

void VideoView::setFrame(const RgbImage& frame) {
  setFrame(std::make_shared<const RgbImage>(frame));
}

void VideoView::setFrame(std::shared_ptr<const RgbImage> frame) {
  frame_ = frame ? std::move(frame) : std::make_shared<const RgbImage>();
  frameDirty_ = true;
  update();
}

void VideoView::shareFrameTexture(std::shared_ptr<SharedFrameTexture> shared) {
  sharedTexture_ = std::move(shared);
  frameDirty_ = true;
}

void VideoView::setHeatmap(const DisplayHeatmap& heatmap, bool redrawNow) {
  heatmap_ = heatmap;
  heatmapDirty_ = true;
  if (redrawNow) {
    update();
  }
}

void VideoView::clearHeatmap() {
  heatmap_ = DisplayHeatmap{};
  update();
}

void VideoView::setOverlaySettings(const OverlaySettings& settings) {
  colormapDirty_ = colormapDirty_ || settings.colormap != settings_.colormap;
  settings_ = settings;
  update();
}

void VideoView::initializeGL() {
  initializeOpenGLFunctions();
  glVersion_ = QString::fromLatin1(reinterpret_cast<const char*>(glGetString(GL_VERSION)));
  const bool ok = program_.addShaderFromSourceCode(QOpenGLShader::Vertex,
                                                   readResource(":/shaders/overlay.vert")) &&
                  program_.addShaderFromSourceCode(QOpenGLShader::Fragment,
                                                   readResource(":/shaders/overlay.frag")) &&
                  program_.link();
  shaderLog_ = ok ? QString() : program_.log();
  if (!ok) {
    qWarning("overlay shader failed: %s", qPrintable(shaderLog_));
  }
  vao_.create();
  vao_.bind();
  const GLfloat corners[] = {0, 0, 1, 0, 0, 1, 1, 1};
  vertices_.create();
  vertices_.bind();
  vertices_.allocate(corners, sizeof(corners));
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
  vao_.release();

  GLuint textures[3];
  glGenTextures(3, textures);
  frameTexture_ = textures[0];
  heatmapTexture_ = textures[1];
  colormapTexture_ = textures[2];
  for (GLuint texture : textures) {
    glBindTexture(GL_TEXTURE_2D, texture);
    setLinearClamp(this);
  }
  initialized_ = true;
  frameDirty_ = !frame_->empty();
  heatmapDirty_ = !heatmap_.empty();
  colormapDirty_ = true;
}

void VideoView::uploadFrame(GLuint texture) {
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, frame_->width, frame_->height, 0, GL_RGB,
               GL_UNSIGNED_BYTE, frame_->pixels.data());
}

GLuint VideoView::frameTextureToDraw() {
  SharedFrameTexture* shared = sharedTexture_.get();
  QOpenGLContextGroup* group = context()->shareGroup();
  if (shared != nullptr && (shared->texture == 0 || shared->group == group)) {
    if (shared->texture == 0) {
      glGenTextures(1, &shared->texture);
      glBindTexture(GL_TEXTURE_2D, shared->texture);
      setLinearClamp(this);
      shared->group = group;
    }
    if (shared->uploaded != frame_) {
      uploadFrame(shared->texture);
      shared->uploaded = frame_;
    }
    frameDirty_ = false;
    return shared->texture;
  }
  if (frameDirty_) {  // alone, or in another window's share group: this view's own texture
    uploadFrame(frameTexture_);
    frameDirty_ = false;
  }
  return frameTexture_;
}

void VideoView::uploadHeatmap() {
  glBindTexture(GL_TEXTURE_2D, heatmapTexture_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, heatmap_.width, heatmap_.height, 0, GL_RED, GL_FLOAT,
               heatmap_.scores.data());
  heatmapDirty_ = false;
}

void VideoView::uploadColormap() {
  const std::vector<float> table = colormapTable(settings_.colormap);
  glBindTexture(GL_TEXTURE_2D, colormapTexture_);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB32F, kColormapSize, 1, 0, GL_RGB, GL_FLOAT, table.data());
  colormapDirty_ = false;
}

void VideoView::setCaption(const QStringList& lines, bool warning, bool redrawNow) {
  caption_ = lines;
  captionWarning_ = warning;
  if (redrawNow) {
    update();
  }
}

void VideoView::setBoxes(const std::vector<ViewBox>& boxes) {
  boxes_ = boxes;
  update();
}

void VideoView::setSelected(bool selected) {
  selected_ = selected;
  update();
}

QRectF VideoView::letterboxRect() const {
  if (frame_->empty()) {
    return QRectF(0, 0, width(), height());
  }
  const double viewAspect = static_cast<double>(width()) / std::max(1, height());
  const double frameAspect = static_cast<double>(frame_->width) / frame_->height;
  double w = width();
  double h = height();
  if (viewAspect > frameAspect) {
    w = h * frameAspect;
  } else {
    h = w / frameAspect;
  }
  return QRectF((width() - w) / 2.0, (height() - h) / 2.0, w, h);
}

QPointF VideoView::clampedCentre(double zoom, const QPointF& centre) const {
  // Zoomed in, the picture keeps covering the view: the centre stays half a view from the edges.
  const QRectF base = letterboxRect();
  const auto clampAxis = [](double c, double viewSide, double frameSide) {
    const double half = viewSide / 2.0 / frameSide;
    return half >= 0.5 ? 0.5 : std::clamp(c, half, 1.0 - half);
  };
  return {clampAxis(centre.x(), width(), base.width() * zoom),
          clampAxis(centre.y(), height(), base.height() * zoom)};
}

QRectF VideoView::frameRect() const {
  const QRectF base = letterboxRect();
  if (zoom_ == 1.0) {
    return base;
  }
  const double w = base.width() * zoom_;
  const double h = base.height() * zoom_;
  const QPointF c = clampedCentre(zoom_, centre_);
  return QRectF(width() / 2.0 - c.x() * w, height() / 2.0 - c.y() * h, w, h);
}

void VideoView::setZoom(double zoom, const QPointF& centre) {
  zoom_ = std::clamp(zoom, 1.0, kMaxZoom);
  centre_ = clampedCentre(zoom_, centre);
  update();
}

void VideoView::paintGL() {
  ++paintCount_;
  const bool decorate = !caption_.isEmpty() || !boxes_.empty() || selected_ || dragging_ ||
                        ((colourBar_ || settings_.peakCrosshair) && !heatmap_.empty());
  if (!decorate) {
    paintFrameGL();
    return;
  }
  {
    QPainter painter(this);
    painter.beginNativePainting();
    paintFrameGL();
    painter.endNativePainting();
  }
  paintDecorations();
}

void VideoView::paintDecorations() {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  QFont font = painter.font();
  font.setPointSizeF(9.0);
  painter.setFont(font);
  const QRectF frame = frameRect();
  paintBoxes(painter, frame);
  if (dragging_) {
    painter.setPen(QPen(QColor(255, 220, 0), 1.5, Qt::DashLine));
    painter.drawRect(QRectF(dragStart_, dragEnd_).normalized());
  }
  if (!caption_.isEmpty()) {
    const QFontMetrics metrics(font);
    int widest = 0;
    for (const QString& line : caption_) {
      widest = std::max(widest, metrics.horizontalAdvance(line));
    }
    const int lineHeight = metrics.height();
    painter.fillRect(QRect(4, 4, widest + 10, lineHeight * caption_.size() + 6),
                     QColor(0, 0, 0, 170));
    for (int i = 0; i < caption_.size(); ++i) {
      const bool warn = captionWarning_ && i == caption_.size() - 1;
      painter.setPen(warn ? QColor(255, 170, 60)
                          : (i == 0 ? QColor(255, 255, 255) : QColor(210, 210, 210)));
      painter.drawText(9, 6 + lineHeight * i + metrics.ascent(), caption_[i]);
    }
  }
  if (colourBar_ && !heatmap_.empty()) {
    paintColourBar(painter, frame);
  }
  if (settings_.peakCrosshair && !heatmap_.empty()) {
    paintPeakCrosshair(painter, frame);
  }
  if (selected_) {
    painter.setPen(QPen(QColor(80, 160, 255), 3.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(QRectF(1.5, 1.5, width() - 3.0, height() - 3.0));
  }
}

void VideoView::paintBoxes(QPainter& painter, const QRectF& frame) {
  for (const ViewBox& box : boxes_) {
    const QRectF r(frame.x() + box.rect.x() * frame.width(),
                   frame.y() + box.rect.y() * frame.height(), box.rect.width() * frame.width(),
                   box.rect.height() * frame.height());
    const QColor colour = box.selected ? QColor(255, 220, 0) : QColor(0, 230, 120);
    painter.setBrush(Qt::NoBrush);
    if (box.rect.width() <= 0.0 && box.rect.height() <= 0.0) {  // a point: a ringed dot
      painter.setPen(QPen(QColor(0, 0, 0), 4.0));
      painter.drawEllipse(r.topLeft(), kPointRadiusPx, kPointRadiusPx);
      painter.setPen(QPen(colour, 2.0));
      painter.drawEllipse(r.topLeft(), kPointRadiusPx, kPointRadiusPx);
      painter.setBrush(colour);
      painter.drawEllipse(r.topLeft(), 2.0, 2.0);
      painter.setBrush(Qt::NoBrush);
    } else {
      painter.setPen(QPen(colour, 2.0));
      painter.drawRect(r);
    }
    if (!box.label.isEmpty()) {
      const QFontMetrics metrics(painter.font());
      // Whole pixels: the GL paint engine garbles text at fractional positions.
      const QRect text(static_cast<int>(r.left()), static_cast<int>(r.top()) - metrics.height() - 2,
                       metrics.horizontalAdvance(box.label) + 6, metrics.height() + 2);
      painter.fillRect(text, QColor(0, 0, 0, 170));
      painter.setPen(Qt::white);
      painter.drawText(text.left() + 3, text.top() + 1 + metrics.ascent(), box.label);
    }
  }
}

void VideoView::paintPeakCrosshair(QPainter& painter, const QRectF& frame) {
  // The centre of the map's highest cell, over the picture the map covers.
  const auto peak = std::max_element(heatmap_.scores.begin(), heatmap_.scores.end());
  const auto index = static_cast<int>(peak - heatmap_.scores.begin());
  const QPointF centre(
      frame.left() + (index % heatmap_.width + 0.5) / heatmap_.width * frame.width(),
      frame.top() + (index / heatmap_.width + 0.5) / heatmap_.height * frame.height());
  const double arm = kCrosshairArmPx;
  for (const auto& [colour, width] :
       {std::pair{QColor(0, 0, 0), 4.0}, {QColor(255, 255, 255), 2.0}}) {
    painter.setPen(QPen(colour, width));
    painter.drawLine(QPointF(centre.x() - arm, centre.y()), QPointF(centre.x() + arm, centre.y()));
    painter.drawLine(QPointF(centre.x(), centre.y() - arm), QPointF(centre.x(), centre.y() + arm));
  }
}

void VideoView::setColourBar(bool shown) {
  colourBar_ = shown;
  update();
}

void VideoView::paintColourBar(QPainter& painter, const QRectF& frame) {
  // A vertical bar at the frame's right edge, its colours from the view's colormap table (what
  // the shader samples), labelled with the scores its ends mean.
  const QFontMetrics metrics(painter.font());
  const QStringList labels = colourBarLabels(heatmap_);
  const int barHeight = std::max(40, static_cast<int>(frame.height() * kColourBarHeightOfFrame));
  const int right = static_cast<int>(frame.right()) - 6;
  const int top = static_cast<int>(frame.top() + (frame.height() - barHeight) / 2.0);
  const QRect bar(right - kColourBarWidthPx, top, kColourBarWidthPx, barHeight);
  const std::vector<float> table = colormapTable(settings_.colormap);
  for (int y = 0; y < barHeight; ++y) {
    const std::array<float, 3> rgb =
        sampleColormap(table, 1.0f - static_cast<float>(y) / std::max(1, barHeight - 1));
    painter.fillRect(QRect(bar.left(), bar.top() + y, bar.width(), 1),
                     QColor::fromRgbF(rgb[0], rgb[1], rgb[2]));
  }
  painter.setPen(QPen(QColor(255, 255, 255), 1.0));
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(bar);
  for (int end = 0; end < 2; ++end) {  // 0: top label, 1: bottom label
    const QString& text = labels[end];
    const int w = metrics.horizontalAdvance(text) + 6;
    const int y = end == 0 ? bar.top() : bar.bottom() - metrics.height();
    const QRect box(bar.left() - w - 3, y, w, metrics.height());
    painter.fillRect(box, QColor(0, 0, 0, 170));
    painter.setPen(Qt::white);
    painter.drawText(box.left() + 3, box.top() + metrics.ascent(), text);
  }
}

void VideoView::mouseDoubleClickEvent(QMouseEvent* event) {
  QOpenGLWidget::mouseDoubleClickEvent(event);
  if (event->button() == Qt::LeftButton) {
    Q_EMIT doubleClicked();
  }
}

void VideoView::mousePressEvent(QMouseEvent* event) {
  QOpenGLWidget::mousePressEvent(event);
  if (event->button() == Qt::MiddleButton ||
      (event->button() == Qt::LeftButton && !(event->modifiers() & Qt::ShiftModifier) &&
       zoom_ > 1.0)) {
    panning_ = true;  // a plain drag on a zoomed picture pans it
    panLast_ = event->position();
  }
  if (event->button() != Qt::LeftButton) {
    return;
  }
  Q_EMIT clicked();
  if (event->modifiers() & Qt::ShiftModifier) {  // Shift+drag draws a box, Shift+click a point
    dragging_ = true;
    newObjectDrag_ = (event->modifiers() & Qt::ControlModifier) != 0;
    dragStart_ = dragEnd_ = event->position();
  }
}

void VideoView::mouseMoveEvent(QMouseEvent* event) {
  if (dragging_) {
    dragEnd_ = event->position();
    update();
  } else if (panning_) {
    const QRectF frame = frameRect();
    const QPointF moved = event->position() - panLast_;
    panLast_ = event->position();
    setZoom(zoom_, QPointF(centre_.x() - moved.x() / frame.width(),
                           centre_.y() - moved.y() / frame.height()));
    Q_EMIT zoomChanged(zoom_, centre_);
  }
}

void VideoView::mouseReleaseEvent(QMouseEvent* event) {
  panning_ = false;
  if (!dragging_ || event->button() != Qt::LeftButton) {
    return;
  }
  dragging_ = false;
  dragEnd_ = event->position();
  update();
  const QRectF drawn = QRectF(dragStart_, dragEnd_).normalized();
  const QRectF frame = frameRect();
  const auto clip = [](double v) { return std::clamp(v, 0.0, 1.0); };
  const double x0 = clip((drawn.left() - frame.x()) / frame.width());
  const double y0 = clip((drawn.top() - frame.y()) / frame.height());
  if (drawn.width() < kPointClickPx && drawn.height() < kPointClickPx) {
    if (frame.contains(dragStart_)) {  // a click on the picture: a point
      Q_EMIT boxDrawn(QRectF(QPointF(x0, y0), QSizeF(0.0, 0.0)), newObjectDrag_);
    }
    return;
  }
  const double x1 = clip((drawn.right() - frame.x()) / frame.width());
  const double y1 = clip((drawn.bottom() - frame.y()) / frame.height());
  if (x1 > x0 && y1 > y0) {
    Q_EMIT boxDrawn(QRectF(QPointF(x0, y0), QPointF(x1, y1)), newObjectDrag_);
  }
}

void VideoView::wheelEvent(QWheelEvent* event) {
  // Zoom about the cursor: the frame point under it stays under it.
  const double notches = event->angleDelta().y() / 120.0;
  if (notches == 0.0 || frame_->empty()) {
    return;
  }
  const QRectF before = frameRect();
  const QPointF cursor = event->position();
  const QPointF under((cursor.x() - before.x()) / before.width(),
                      (cursor.y() - before.y()) / before.height());
  const double zoom = std::clamp(zoom_ * std::pow(kZoomPerNotch, notches), 1.0, kMaxZoom);
  const QRectF base = letterboxRect();
  const double w = base.width() * zoom;
  const double h = base.height() * zoom;
  // Centre c such that width()/2 - c.x * w + under.x * w = cursor.x.
  setZoom(zoom, QPointF(under.x() + (width() / 2.0 - cursor.x()) / w,
                        under.y() + (height() / 2.0 - cursor.y()) / h));
  Q_EMIT zoomChanged(zoom_, centre_);
  event->accept();
}

void VideoView::paintFrameGL() {
  const qreal ratio = devicePixelRatioF();
  glViewport(0, 0, static_cast<GLsizei>(width() * ratio), static_cast<GLsizei>(height() * ratio));
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (frame_->empty() || !shaderLog_.isEmpty()) {
    return;
  }
  const GLuint frameTexture = frameTextureToDraw();
  if (heatmapDirty_ && !heatmap_.empty()) {
    uploadHeatmap();
  }
  if (colormapDirty_) {
    uploadColormap();
  }
  // The frame's rectangle (letterboxed and zoomed) in normalized device coordinates.
  const QRectF r = frameRect();
  const auto ndcX = [this](double x) { return static_cast<float>(2.0 * x / width() - 1.0); };
  const auto ndcY = [this](double y) { return static_cast<float>(1.0 - 2.0 * y / height()); };
  program_.bind();
  program_.setUniformValue("u_rect", ndcX(r.left()), ndcY(r.bottom()), ndcX(r.right()),
                           ndcY(r.top()));
  program_.setUniformValue("u_frame", 0);
  program_.setUniformValue("u_heatmap", 1);
  program_.setUniformValue("u_colormap", 2);
  program_.setUniformValue("u_hasHeatmap", !heatmap_.empty());
  program_.setUniformValue("u_heatmapSize", QVector2D(heatmap_.width, heatmap_.height));
  program_.setUniformValue("u_low", heatmap_.low);
  program_.setUniformValue("u_high", heatmap_.high);
  program_.setUniformValue("u_hideBelowLow", heatmap_.hideBelowLow);
  program_.setUniformValue("u_opacity", settings_.opacity);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, frameTexture);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, heatmapTexture_);
  glActiveTexture(GL_TEXTURE2);
  glBindTexture(GL_TEXTURE_2D, colormapTexture_);
  vao_.bind();
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  vao_.release();
  glActiveTexture(GL_TEXTURE0);
  program_.release();
  // QPainter's glyph cache uploads with the default alignment: a left-over 1 shears the text.
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
}

}  // namespace heardmap
