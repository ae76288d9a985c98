#include "VideoView.h"

#include <QFile>

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

void VideoView::paintGL() {
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
}

}  // namespace heardmap
