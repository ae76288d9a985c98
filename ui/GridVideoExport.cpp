#include "GridVideoExport.h"

#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "ViewGrid.h"
#include "app/media/AudioAtRates.h"
#include "app/media/AudioTrack.h"
#include "app/media/MediaError.h"
#include "app/media/VideoDecoder.h"
#include "app/media/VideoEncoder.h"
#include "app/pipeline/AudioSource.h"
#include "app/pipeline/FrameJob.h"
#include "app/pipeline/InterleavedAudio.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Rate of the exported audio track.
constexpr int kExportAudioRateHz = 48000;
// Radius of the ring drawn around a marked point in the exported video, in pixels.
constexpr double kExportPointRadiusPx = 8.0;

// A QImage over image's pixels, not a copy: valid while image lives and is not resized.
QImage wrap(RgbImage& image) {
  return QImage(image.pixels.data(), image.width, image.height, image.width * 3,
                QImage::Format_RGB888);
}
QImage wrap(const RgbImage& image) {
  return QImage(image.pixels.data(), image.width, image.height, image.width * 3,
                QImage::Format_RGB888);
}

// The boxes and points of the failures that cover timeSeconds, over one tile, as the player
// draws them (number and tag or object label beside each).
void drawFailureBoxes(QPainter& painter, const std::vector<FailureAnnotation>& failures,
                      double timeSeconds, const QRect& tile) {
  for (const FailureAnnotation& failure : failures) {
    if (!failure.covers(timeSeconds)) {
      continue;
    }
    for (const FailureAnnotation::ObjectBox& object : failure.boxesAt(timeSeconds)) {
      const NormalizedBox& b = object.box;
      const QRectF r(tile.x() + b.x0 * tile.width(), tile.y() + b.y0 * tile.height(),
                     (b.x1 - b.x0) * tile.width(), (b.y1 - b.y0) * tile.height());
      painter.setPen(QPen(QColor(0, 230, 120), 3.0));
      painter.setBrush(Qt::NoBrush);
      if (object.shape == ObjectShape::Point) {
        painter.drawEllipse(r.topLeft(), kExportPointRadiusPx, kExportPointRadiusPx);
      } else {
        painter.drawRect(r);
      }
      painter.setPen(QColor(0, 230, 120));
      painter.drawText(r.topLeft() + QPointF(4, -4),
                       QStringLiteral("#%1 %2")
                           .arg(failure.id)
                           .arg(QString::fromStdString(
                               object.label.empty() ? failureTagName(failure.tag) : object.label)));
    }
  }
}

// A tile's caption: name, probe, max score, overlay, and whether anything passes the threshold.
void drawCaption(QPainter& painter, const GridExportView& view, float rawMax, bool anythingAboveLow,
                 const QPoint& at) {
  const QString caption =
      QString::fromStdString(view.name + "  |  " + audioConditionLabel(view.condition)) +
      QStringLiteral("  |  max %1").arg(rawMax, 0, 'f', 2) +
      QStringLiteral("  |  %1").arg(QString::fromStdString(overlaySummary(view.overlay))) +
      (anythingAboveLow ? QString() : QStringLiteral("  |  nothing above threshold"));
  const QRect box = painter.fontMetrics().boundingRect(caption).adjusted(-4, -2, 4, 2);
  painter.fillRect(QRect(at.x() + 4, at.y() + 4, box.width(), box.height()), QColor(0, 0, 0, 170));
  painter.setPen(Qt::white);
  painter.drawText(QRect(at.x() + 4, at.y() + 4, box.width(), box.height()), Qt::AlignCenter,
                   caption);
}

// Every view's model (views that share a checkpoint share one loaded model, and so its visual
// pass), probe and overlay.
std::vector<ViewSpec> openViews(const GridExportOptions& options) {
  std::map<std::string, std::shared_ptr<LocalizationModel>> modelByCheckpoint;
  std::vector<ViewSpec> specs;
  for (const GridExportView& v : options.views) {
    std::shared_ptr<LocalizationModel>& model = modelByCheckpoint[v.checkpoint];
    if (!model) {
      model = LocalizationModel::open(v.checkpoint);
    }
    specs.push_back({model, v.condition, v.overlay, options.placement});
  }
  return specs;
}

// One frame of the export: every view's tile (the frame with its map), the failure boxes and
// the captions, laid out as the grid on screen.
RgbImage paintGridFrame(FrameJob& job, const RgbImage& frame, const GridExportOptions& options,
                        const QSize& shape, const QSize& tileSize) {
  // The painter draws straight into the encoder's frame (no copy between QImage and RgbImage).
  RgbImage out;
  out.width = shape.width() * tileSize.width();
  out.height = shape.height() * tileSize.height();
  out.pixels.assign(static_cast<size_t>(out.width) * out.height * 3, 0);
  QImage grid = wrap(out);
  QPainter painter(&grid);
  QFont font = painter.font();
  font.setPixelSize(std::max(11, tileSize.height() / 22));
  painter.setFont(font);
  std::vector<ViewMaps> maps;
  try {
    maps = job.run(frame);
  } catch (const ViewFailed& e) {
    throw MediaError(std::string("export: ") + e.what());
  }
  for (size_t i = 0; i < job.viewCount(); ++i) {
    const Heatmap& heatmap = maps[i].raw;
    const DisplayHeatmap& display = maps[i].display;
    const RgbImage composed = job.compose(i, frame, display);
    const QImage picture = wrap(composed).scaled(tileSize.width(), tileSize.height(),
                                                 Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const int x = static_cast<int>(i % static_cast<size_t>(shape.width())) * tileSize.width();
    const int y = static_cast<int>(i / static_cast<size_t>(shape.width())) * tileSize.height();
    painter.drawImage(x, y, picture);
    drawFailureBoxes(painter, options.failures, frame.timeSeconds, QRect(QPoint(x, y), tileSize));
    drawCaption(painter, options.views[i], heatmap.rawMax, display.anythingAboveLow, QPoint(x, y));
  }
  painter.end();
  return out;
}

}  // namespace

GridExportSummary exportGridVideo(const GridExportOptions& options,
                                  const std::function<void(int, int)>& progress,
                                  const std::atomic<bool>* cancel) {
  if (options.views.empty()) {
    throw MediaError("export: no views");
  }
  if (!(options.endSeconds > options.startSeconds)) {
    throw MediaError("export: the range is empty (end must be after start)");
  }
  VideoDecoder decoder(options.clipPath);
  const MediaInfo info = decoder.info();
  const double end = std::min(options.endSeconds, info.durationSeconds);
  AudioTrack track = decodeAudio(options.clipPath, kExportAudioRateHz, info.durationSeconds);
  AudioTrack offScreen;
  bool needOffScreen = false;
  for (const GridExportView& v : options.views) {
    needOffScreen = needOffScreen || v.condition == AudioCondition::OffScreen;
  }
  if (needOffScreen) {
    if (options.offScreenClipPath.empty()) {
      throw MediaError("export: an off-screen view needs an off-screen clip");
    }
    offScreen = decodeAudio(options.offScreenClipPath, kExportAudioRateHz);
  }

  // Views that share a checkpoint share one loaded model (and its visual pass); views at one
  // rate share the resampled audio.
  AudioAtRates clipAudio(std::move(track.samples), kExportAudioRateHz);
  const std::vector<float>& clipSamples = clipAudio.source();  // what the mp4's audio track gets
  AudioAtRates offScreenAudio(std::move(offScreen.samples), kExportAudioRateHz);
  ClipAudioSource clipSource(&clipAudio);
  ClipAudioSource offScreenSource(&offScreenAudio);
  FrameJob job(openViews(options), clipSource, needOffScreen ? &offScreenSource : nullptr);

  const QSize shape = ViewGrid::gridShape(static_cast<int>(job.viewCount()));
  const int tileW = std::max(64, options.tileWidth) & ~1;
  const int tileH = std::max(36, static_cast<int>(std::lround(static_cast<double>(tileW) *
                                                              info.height / info.width))) &
                    ~1;
  GridExportSummary summary;
  summary.width = tileW * shape.width();
  summary.height = tileH * shape.height();
  VideoEncoder encoder(options.outputPath, summary.width, summary.height, info.frameRate,
                       kExportAudioRateHz);
  const int expected =
      std::max(1, static_cast<int>(std::lround((end - options.startSeconds) * info.frameRate)));
  InterleavedAudio interleave(encoder, clipSamples, kExportAudioRateHz, info.frameRate,
                              options.startSeconds);

  decoder.seek(options.startSeconds);
  while (std::optional<RgbImage> frame = decoder.nextFrame()) {
    if (frame->timeSeconds >= end - 1e-6) {
      break;
    }
    if (cancel != nullptr && cancel->load()) {
      summary.cancelled = true;
      return summary;  // the encoder's destructor removes its temporary file
    }
    const RgbImage out = paintGridFrame(job, *frame, options, shape, QSize(tileW, tileH));
    encoder.writeVideo(out);
    ++summary.frames;
    interleave.afterFrames(summary.frames);
    if (progress) {
      progress(summary.frames, expected);
    }
  }
  if (summary.frames == 0) {
    throw MediaError("export: no frames in " + std::to_string(options.startSeconds) + " - " +
                     std::to_string(end) + " s");
  }
  encoder.finish();
  summary.warning =
      partialDecodeReport(summary.frames, options.startSeconds, end, info,
                          !decoder.warning().empty() ? decoder.warning() : track.warning);
  return summary;
}

}  // namespace heardmap
