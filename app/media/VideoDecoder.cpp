#include "VideoDecoder.h"

#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>

#include "FfmpegUtil.h"
#include "MediaError.h"
#include "StreamDecoder.h"

extern "C" {
#include <libavutil/display.h>
}

namespace heardmap {
namespace {

// Decoder threads for video (the inference thread needs the other core).
constexpr int kVideoDecodeThreads = 1;
// Below this share of the frames a range promises, a decode is reported as partial.
constexpr double kPartialDecodeFraction = 0.9;

MediaInfo describe(AVFormatContext* format, const std::string& path, int videoIndex,
                   int audioIndex) {
  MediaInfo info;
  info.path = path;
  info.container = format->iformat != nullptr ? format->iformat->name : "";
  if (format->duration != AV_NOPTS_VALUE && format->duration > 0) {
    info.durationSeconds = static_cast<double>(format->duration) / AV_TIME_BASE;
  }
  if (videoIndex >= 0) {
    const AVStream* stream = format->streams[videoIndex];
    info.hasVideo = true;
    info.width = stream->codecpar->width;
    info.height = stream->codecpar->height;
    const AVRational rate =
        stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
    info.frameRate = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 25.0;
    info.videoCodec = avcodec_get_name(stream->codecpar->codec_id);
    if (info.durationSeconds <= 0 && stream->duration != AV_NOPTS_VALUE) {
      info.durationSeconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
    }
  }
  if (audioIndex >= 0) {
    const AVStream* stream = format->streams[audioIndex];
    info.hasAudio = true;
    info.audioSampleRateHz = stream->codecpar->sample_rate;
    info.audioChannels = stream->codecpar->ch_layout.nb_channels;
    info.audioCodec = avcodec_get_name(stream->codecpar->codec_id);
  }
  return info;
}

// Clockwise quarter turns (0, 90, 180, 270 degrees) that the stream's display matrix asks for, as
// players apply it (ffplay, mpv); other angles and mirrorings are not applied.
int displayRotationDegrees(const AVStream* stream) {
  size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix == nullptr || size < 9 * sizeof(int32_t)) {
    return 0;
  }
  const double counterClockwise = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (!std::isfinite(counterClockwise)) {
    return 0;
  }
  const int clockwise = static_cast<int>(std::lround(-counterClockwise / 90.0)) * 90;
  return ((clockwise % 360) + 360) % 360;
}

// image turned clockwise by degrees (90, 180 or 270).
RgbImage rotatedClockwise(const RgbImage& image, int degrees) {
  RgbImage out;
  out.timeSeconds = image.timeSeconds;
  const bool quarter = degrees == 90 || degrees == 270;
  out.width = quarter ? image.height : image.width;
  out.height = quarter ? image.width : image.height;
  out.pixels.resize(image.pixels.size());
  const size_t w = static_cast<size_t>(image.width);
  const size_t h = static_cast<size_t>(image.height);
  for (size_t y = 0; y < h; ++y) {
    for (size_t x = 0; x < w; ++x) {
      size_t ox = x;
      size_t oy = y;
      if (degrees == 90) {
        ox = h - 1 - y;
        oy = x;
      } else if (degrees == 180) {
        ox = w - 1 - x;
        oy = h - 1 - y;
      } else {
        ox = y;
        oy = w - 1 - x;
      }
      const uint8_t* from = &image.pixels[(y * w + x) * 3];
      uint8_t* to = &out.pixels[(oy * static_cast<size_t>(out.width) + ox) * 3];
      to[0] = from[0];
      to[1] = from[1];
      to[2] = from[2];
    }
  }
  return out;
}

}  // namespace

struct VideoDecoder::Impl {
  FormatInputPtr format;
  CodecContextPtr codec;
  PackedScaler scaler;
  FramePtr frame{av_frame_alloc()};
  std::unique_ptr<StreamDecoder> stream;
  int streamIndex = -1;
  AVRational timeBase{1, 1};
  double startSeconds = 0.0;
  MediaInfo info;
  std::deque<RgbImage> pending;  // frames decoded by seek, returned next
  int64_t framesOut = 0;
  int rotationDegrees = 0;  // clockwise, from the display matrix

  double frameTime(const AVFrame* f) const {
    const int64_t pts =
        f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (pts == AV_NOPTS_VALUE) {
      return static_cast<double>(framesOut) / info.frameRate;
    }
    return static_cast<double>(pts) * av_q2d(timeBase) - startSeconds;
  }

  RgbImage toRgb(const AVFrame* f) {
    RgbImage image;
    image.width = f->width;
    image.height = f->height;
    image.pixels.resize(static_cast<size_t>(f->width) * static_cast<size_t>(f->height) * 3);
    if (!scaler.frameToPacked(f, f->width, f->height, AV_PIX_FMT_RGB24, 3, SWS_BILINEAR,
                              image.pixels.data())) {
      throw MediaError("cannot convert the pixel format '" +
                       std::string(pixelFormatName(f->format)) + "' of '" + info.path + "'");
    }
    image.timeSeconds = frameTime(f);
    if (rotationDegrees != 0) {
      return rotatedClockwise(image, rotationDegrees);
    }
    return image;  // moved, not copied: no work per frame for unrotated video
  }
};

VideoDecoder::VideoDecoder(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->format = openInput(path);
  AVFormatContext* format = impl_->format.get();
  impl_->streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  const int audioIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (impl_->streamIndex < 0) {
    throw MediaError("'" + path + "' has no video stream");
  }
  impl_->info = describe(format, path, impl_->streamIndex, audioIndex >= 0 ? audioIndex : -1);
  impl_->codec = openDecoder(format, impl_->streamIndex, kVideoDecodeThreads);
  if (impl_->codec->width <= 0 || impl_->codec->height <= 0) {
    throw MediaError("'" + path + "' has a video stream without picture size (corrupt?)");
  }
  impl_->stream = std::make_unique<StreamDecoder>(format, impl_->codec.get(), impl_->streamIndex);
  const AVStream* stream = format->streams[impl_->streamIndex];
  impl_->timeBase = stream->time_base;
  impl_->rotationDegrees = displayRotationDegrees(stream);
  if (impl_->rotationDegrees == 90 || impl_->rotationDegrees == 270) {
    std::swap(impl_->info.width, impl_->info.height);  // the size as shown
  }
  if (stream->start_time != AV_NOPTS_VALUE) {
    impl_->startSeconds = static_cast<double>(stream->start_time) * av_q2d(stream->time_base);
  }
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != impl_->streamIndex) {
      format->streams[i]->discard = AVDISCARD_ALL;
    }
  }
}

VideoDecoder::~VideoDecoder() = default;

const MediaInfo& VideoDecoder::info() const {
  return impl_->info;
}

std::string VideoDecoder::warning() const {
  return impl_->stream->warning();
}

std::optional<RgbImage> VideoDecoder::nextFrame() {
  if (!impl_->pending.empty()) {
    RgbImage out = std::move(impl_->pending.front());
    impl_->pending.pop_front();
    return out;
  }
  if (!impl_->stream->next(impl_->frame.get())) {
    return std::nullopt;
  }
  ++impl_->framesOut;
  RgbImage image = impl_->toRgb(impl_->frame.get());
  av_frame_unref(impl_->frame.get());
  return image;
}

void VideoDecoder::seek(double timeSeconds) {
  Impl& d = *impl_;
  const double target = std::max(0.0, timeSeconds);
  // Half a frame of slack absorbs rounding in container timestamps.
  const double slack = 0.5 / d.info.frameRate;
  // Some demuxers (MPEG-PS, some AVI) land after the requested time; back off until the first
  // decoded frame is not past the target, finally decoding from the start.
  for (const double backoffSeconds : {0.0, 1.0, 4.0, 16.0, -1.0}) {
    d.pending.clear();
    if (backoffSeconds < 0.0) {
      // Back to the first byte (MPEG-PS and friends), else to the first timestamp.
      if (av_seek_frame(d.format.get(), -1, 0, AVSEEK_FLAG_BYTE) < 0 &&
          av_seek_frame(d.format.get(), d.streamIndex, INT64_MIN,
                        AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY) < 0) {
        return;  // nothing to seek with: the stream continues where it was
      }
    } else {
      const double seekTo = std::max(0.0, target - backoffSeconds);
      const int64_t ts =
          static_cast<int64_t>(std::floor((seekTo + d.startSeconds) / av_q2d(d.timeBase)));
      if (av_seek_frame(d.format.get(), d.streamIndex, ts, AVSEEK_FLAG_BACKWARD) < 0) {
        continue;
      }
    }
    d.stream->reset();
    // Frames before the target are kept undecoded-to-RGB (only a reference is moved).
    FramePtr previous(av_frame_alloc());
    bool havePrevious = false;
    bool overshot = false;
    while (d.stream->next(d.frame.get())) {
      const double t = d.frameTime(d.frame.get());
      if (t > target + slack) {
        overshot = !havePrevious && t > slack && backoffSeconds >= 0.0;
        if (!overshot) {
          if (havePrevious) {
            d.pending.push_back(d.toRgb(previous.get()));
          }
          d.pending.push_back(d.toRgb(d.frame.get()));
        }
        av_frame_unref(d.frame.get());
        break;
      }
      av_frame_unref(previous.get());
      av_frame_move_ref(previous.get(), d.frame.get());
      havePrevious = true;
    }
    if (overshot || (d.pending.empty() && !havePrevious && backoffSeconds >= 0.0)) {
      continue;  // landed past the target, or past the last frame
    }
    if (d.pending.empty() && havePrevious) {
      d.pending.push_back(d.toRgb(previous.get()));  // target at or past the last frame
    }
    return;
  }
}

std::string partialDecodeReport(int64_t framesDecoded, double fromSeconds, double toSeconds,
                                const MediaInfo& info, const std::string& decoderWarning) {
  const double expectedFrames = (toSeconds - fromSeconds) * info.frameRate;
  if (!(info.durationSeconds > 0) || !(expectedFrames > 0) ||
      static_cast<double>(framesDecoded) >= kPartialDecodeFraction * expectedFrames) {
    return decoderWarning;
  }
  char buffer[240];
  std::snprintf(buffer, sizeof(buffer),
                "decoded %lld of about %lld frames (%.2f of %.2f s from %.2f s): the file is "
                "truncated or damaged",
                static_cast<long long>(framesDecoded), std::llround(expectedFrames),
                static_cast<double>(framesDecoded) / info.frameRate, toSeconds - fromSeconds,
                fromSeconds);
  return buffer + (decoderWarning.empty() ? "" : "; " + decoderWarning);
}

}  // namespace heardmap
