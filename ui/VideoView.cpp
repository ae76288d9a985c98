#include "VideoView.h"

#include <QFile>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

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
  vertices_.destroy();
  vao_.destroy();
  doneCurrent();
}

void VideoView::setFrame(const RgbImage& frame) {
  frame_ = frame;
  frameDirty_ = true;
  update();
}

void VideoView::setHeatmap(const DisplayHeatmap& heatmap) {
  heatmap_ = heatmap;
  heatmapDirty_ = true;
  update();
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
  frameDirty_ = !frame_.empty();
  heatmapDirty_ = !heatmap_.empty();
  colormapDirty_ = true;
}

void VideoView::uploadFrame() {
  glBindTexture(GL_TEXTURE_2D, frameTexture_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, frame_.width, frame_.height, 0, GL_RGB, GL_UNSIGNED_BYTE,
               frame_.pixels.data());
  frameDirty_ = false;
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

void VideoView::setCaption(const QStringList& lines, bool warning) {
  caption_ = lines;
  captionWarning_ = warning;
  update();
}

void VideoView::setBoxes(const std::vector<ViewBox>& boxes) {
  boxes_ = boxes;
  update();
}

void VideoView::setSelected(bool selected) {
  selected_ = selected;
  update();
}

QRectF VideoView::frameRect() const {
  if (frame_.empty()) {
    return QRectF(0, 0, width(), height());
  }
  const double viewAspect = static_cast<double>(width()) / std::max(1, height());
  const double frameAspect = static_cast<double>(frame_.width) / frame_.height;
  double w = width();
  double h = height();
  if (viewAspect > frameAspect) {
    w = h * frameAspect;
  } else {
    h = w / frameAspect;
  }
  return QRectF((width() - w) / 2.0, (height() - h) / 2.0, w, h);
}

void VideoView::paintGL() {
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
  const auto toWidget = [&](const QRectF& r) {
    return QRectF(frame.x() + r.x() * frame.width(), frame.y() + r.y() * frame.height(),
                  r.width() * frame.width(), r.height() * frame.height());
  };
  for (const ViewBox& box : boxes_) {
    const QRectF r = toWidget(box.rect);
    painter.setPen(QPen(box.selected ? QColor(255, 220, 0) : QColor(0, 230, 120), 2.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(r);
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
  if (event->button() != Qt::LeftButton) {
    return;
  }
  Q_EMIT clicked();
  if (event->modifiers() & Qt::ShiftModifier) {  // Shift+drag draws a failure box
    dragging_ = true;
    dragStart_ = dragEnd_ = event->position();
  }
}

void VideoView::mouseMoveEvent(QMouseEvent* event) {
  if (dragging_) {
    dragEnd_ = event->position();
    update();
  }
}

void VideoView::mouseReleaseEvent(QMouseEvent* event) {
  if (!dragging_ || event->button() != Qt::LeftButton) {
    return;
  }
  dragging_ = false;
  dragEnd_ = event->position();
  update();
  const QRectF drawn = QRectF(dragStart_, dragEnd_).normalized();
  if (drawn.width() < 4 || drawn.height() < 4) {
    return;  // a click, not a box
  }
  const QRectF frame = frameRect();
  const auto clip = [](double v) { return std::clamp(v, 0.0, 1.0); };
  const double x0 = clip((drawn.left() - frame.x()) / frame.width());
  const double y0 = clip((drawn.top() - frame.y()) / frame.height());
  const double x1 = clip((drawn.right() - frame.x()) / frame.width());
  const double y1 = clip((drawn.bottom() - frame.y()) / frame.height());
  if (x1 > x0 && y1 > y0) {
    Q_EMIT boxDrawn(QRectF(QPointF(x0, y0), QPointF(x1, y1)));
  }
}

void VideoView::paintFrameGL() {
  const qreal ratio = devicePixelRatioF();
  glViewport(0, 0, static_cast<GLsizei>(width() * ratio), static_cast<GLsizei>(height() * ratio));
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (frame_.empty() || !shaderLog_.isEmpty()) {
    return;
  }
  if (frameDirty_) {
    uploadFrame();
  }
  if (heatmapDirty_ && !heatmap_.empty()) {
    uploadHeatmap();
  }
  if (colormapDirty_) {
    uploadColormap();
  }
  // Letterbox: the largest rectangle with the frame's aspect ratio.
  const double viewAspect = static_cast<double>(width()) / std::max(1, height());
  const double frameAspect = static_cast<double>(frame_.width) / frame_.height;
  float sx = 1.0f;
  float sy = 1.0f;
  if (viewAspect > frameAspect) {
    sx = static_cast<float>(frameAspect / viewAspect);
  } else {
    sy = static_cast<float>(viewAspect / frameAspect);
  }
  program_.bind();
  program_.setUniformValue("u_rect", -sx, -sy, sx, sy);
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
  glBindTexture(GL_TEXTURE_2D, frameTexture_);
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
