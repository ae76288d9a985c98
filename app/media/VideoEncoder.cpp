#include "VideoEncoder.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "FfmpegUtil.h"
#include "MediaError.h"

extern "C" {
#include <libavutil/opt.h>
}

namespace heardmap {
namespace {

struct OutputDeleter {
  void operator()(AVFormatContext* c) const {
    if (c->pb != nullptr) {
      avio_closep(&c->pb);
    }
    avformat_free_context(c);
  }
};

void check(int rc, const std::string& what) {
  if (rc < 0) {
    throw MediaError(what + ": " + ffmpegErrorText(rc));
  }
}

}  // namespace

struct VideoEncoder::Impl {
  std::string path;
  std::string tempPath;
  std::unique_ptr<AVFormatContext, OutputDeleter> format;
  CodecContextPtr video;
  CodecContextPtr audio;
  AVStream* videoStream = nullptr;
  AVStream* audioStream = nullptr;
  PackedScaler scaler;
  FramePtr videoFrame{av_frame_alloc()};
  FramePtr audioFrame{av_frame_alloc()};
  PacketPtr packet{av_packet_alloc()};
  int64_t videoIndex = 0;
  int64_t audioSamplesWritten = 0;
  std::vector<float> audioPending;
  bool finished = false;

  void drain(AVCodecContext* codec, AVStream* stream) {
    while (true) {
      const int rc = avcodec_receive_packet(codec, packet.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
        return;
      }
      check(rc, "encoding failed");
      if (packet->duration == 0 && codec->codec_type == AVMEDIA_TYPE_VIDEO) {
        packet->duration = 1;  // one frame slot; without it the muxer drops the last frame's length
      }
      av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      check(av_interleaved_write_frame(format.get(), packet.get()),
            "cannot write '" + tempPath + "'");
    }
  }

  void encodeAudioChunk(const float* samples, int count) {
    check(av_frame_make_writable(audioFrame.get()), "audio frame");
    audioFrame->nb_samples = count;
    std::copy(samples, samples + count, reinterpret_cast<float*>(audioFrame->data[0]));
    audioFrame->pts = audioSamplesWritten;
    audioSamplesWritten += count;
    check(avcodec_send_frame(audio.get(), audioFrame.get()), "audio encoding failed");
    drain(audio.get(), audioStream);
  }
};

VideoEncoder::VideoEncoder(const std::string& path, int width, int height, double frameRate,
                           int audioRateHz)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.path = path;
  d.tempPath = path + ".partial-" + std::to_string(::getpid()) + ".mp4";
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, nullptr, "mp4", d.tempPath.c_str()),
        "cannot create mp4 muxer");
  d.format.reset(raw);

  const AVCodec* videoCodec = avcodec_find_encoder_by_name("libx264");
  if (videoCodec == nullptr) {
    videoCodec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
  }
  if (videoCodec == nullptr) {
    throw MediaError("no H.264 or MPEG-4 encoder in this FFmpeg build");
  }
  d.video.reset(avcodec_alloc_context3(videoCodec));
  // yuv420p needs even sides; a 1 px side is scaled up to 2.
  d.video->width = std::max(2, width & ~1);
  d.video->height = std::max(2, height & ~1);
  d.video->pix_fmt = AV_PIX_FMT_YUV420P;
  const AVRational rate = av_d2q(frameRate > 0 ? frameRate : 25.0, 100000);
  d.video->time_base = av_inv_q(rate);
  d.video->framerate = rate;
  d.video->gop_size = 50;
  if (d.format->oformat->flags & AVFMT_GLOBALHEADER) {
    d.video->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  if (std::string(videoCodec->name) == "libx264") {
    av_opt_set(d.video->priv_data, "preset", "veryfast", 0);
    av_opt_set(d.video->priv_data, "crf", "20", 0);
  } else {
    d.video->bit_rate = 4000000;
  }
  check(avcodec_open2(d.video.get(), videoCodec, nullptr), "cannot open video encoder");
  d.videoStream = avformat_new_stream(d.format.get(), nullptr);
  check(avcodec_parameters_from_context(d.videoStream->codecpar, d.video.get()), "video stream");
  d.videoStream->time_base = d.video->time_base;

  d.videoFrame->format = d.video->pix_fmt;
  d.videoFrame->width = d.video->width;
  d.videoFrame->height = d.video->height;
  check(av_frame_get_buffer(d.videoFrame.get(), 0), "video frame");

  if (audioRateHz > 0) {
    const AVCodec* audioCodec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (audioCodec == nullptr) {
      throw MediaError("no AAC encoder in this FFmpeg build");
    }
    d.audio.reset(avcodec_alloc_context3(audioCodec));
    d.audio->sample_fmt = AV_SAMPLE_FMT_FLTP;
    d.audio->sample_rate = audioRateHz;
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    av_channel_layout_copy(&d.audio->ch_layout, &mono);
    d.audio->bit_rate = 128000;
    d.audio->time_base = AVRational{1, audioRateHz};
    if (d.format->oformat->flags & AVFMT_GLOBALHEADER) {
      d.audio->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    check(avcodec_open2(d.audio.get(), audioCodec, nullptr), "cannot open AAC encoder");
    d.audioStream = avformat_new_stream(d.format.get(), nullptr);
    check(avcodec_parameters_from_context(d.audioStream->codecpar, d.audio.get()), "audio stream");
    d.audioStream->time_base = d.audio->time_base;
    d.audioFrame->format = AV_SAMPLE_FMT_FLTP;
    d.audioFrame->sample_rate = audioRateHz;
    av_channel_layout_copy(&d.audioFrame->ch_layout, &mono);
    d.audioFrame->nb_samples = d.audio->frame_size > 0 ? d.audio->frame_size : 1024;
    check(av_frame_get_buffer(d.audioFrame.get(), 0), "audio frame");
  }
  check(avio_open(&d.format->pb, d.tempPath.c_str(), AVIO_FLAG_WRITE),
        "cannot create '" + d.tempPath + "'");
  check(avformat_write_header(d.format.get(), nullptr), "cannot write mp4 header");
}

VideoEncoder::~VideoEncoder() {
  if (!impl_->finished) {
    impl_->format.reset();
    std::remove(impl_->tempPath.c_str());
  }
}

void VideoEncoder::writeVideo(const RgbImage& frame) {
  Impl& d = *impl_;
  check(av_frame_make_writable(d.videoFrame.get()), "video frame");
  if (!d.scaler.packedToFrame(frame.pixels.data(), frame.width, frame.height, AV_PIX_FMT_RGB24, 3,
                              SWS_BICUBIC, d.videoFrame.get())) {
    throw MediaError("cannot convert a " + std::to_string(frame.width) + "x" +
                     std::to_string(frame.height) + " RGB frame for '" + d.path + "'");
  }
  d.videoFrame->pts = d.videoIndex++;
  check(avcodec_send_frame(d.video.get(), d.videoFrame.get()), "video encoding failed");
  d.drain(d.video.get(), d.videoStream);
}

void VideoEncoder::writeAudio(const float* samples, size_t count) {
  Impl& d = *impl_;
  if (!d.audio) {
    return;
  }
  d.audioPending.insert(d.audioPending.end(), samples, samples + count);
  const size_t chunk = static_cast<size_t>(d.audioFrame->nb_samples);
  size_t offset = 0;
  while (d.audioPending.size() - offset >= chunk) {
    d.encodeAudioChunk(d.audioPending.data() + offset, static_cast<int>(chunk));
    offset += chunk;
  }
  d.audioPending.erase(d.audioPending.begin(),
                       d.audioPending.begin() + static_cast<std::ptrdiff_t>(offset));
}

void VideoEncoder::finish() {
  Impl& d = *impl_;
  if (d.audio) {
    if (!d.audioPending.empty()) {
      d.audioPending.resize(static_cast<size_t>(d.audioFrame->nb_samples), 0.0f);
      d.encodeAudioChunk(d.audioPending.data(), d.audioFrame->nb_samples);
      d.audioPending.clear();
    }
    check(avcodec_send_frame(d.audio.get(), nullptr), "audio flush");
    d.drain(d.audio.get(), d.audioStream);
  }
  check(avcodec_send_frame(d.video.get(), nullptr), "video flush");
  d.drain(d.video.get(), d.videoStream);
  check(av_write_trailer(d.format.get()), "cannot finish '" + d.tempPath + "'");
  check(avio_closep(&d.format->pb), "cannot close '" + d.tempPath + "' (disk full?)");
  if (std::rename(d.tempPath.c_str(), d.path.c_str()) != 0) {
    throw MediaError("cannot move the finished video to '" + d.path + "'");
  }
  d.finished = true;
}

}  // namespace heardmap
