#include <algorithm>
#include <cmath>

#include "AudioTrack.h"
#include "FfmpegUtil.h"
#include "MediaError.h"
#include "StreamDecoder.h"

namespace heardmap {
namespace {

// Decoder threads for audio.
constexpr int kAudioDecodeThreads = 1;
// Longest silent track made for a file without audio (4 h: 0.9 GB of samples at 16 kHz). A
// corrupt header can claim days (the fuzzer found one asking for 7 GB); that is an error.
constexpr double kMaxSilentTrackSeconds = 4.0 * 3600.0;

// Appends the channel average of planar float data.
void appendMono(const uint8_t* const* planes, int channels, int count, std::vector<float>& out) {
  const size_t base = out.size();
  out.resize(base + static_cast<size_t>(count), 0.0f);
  for (int c = 0; c < channels; ++c) {
    const float* plane = reinterpret_cast<const float*>(planes[c]);
    for (int i = 0; i < count; ++i) {
      out[base + static_cast<size_t>(i)] += plane[i];
    }
  }
  const float scale = 1.0f / static_cast<float>(channels);
  for (int i = 0; i < count; ++i) {
    float& v = out[base + static_cast<size_t>(i)];
    v = std::clamp(v * scale, -1.0f, 1.0f);
  }
}

}  // namespace

AudioTrack decodeAudio(const std::string& path, int sampleRateHz, double silenceSeconds) {
  AudioTrack track;
  track.sampleRateHz = sampleRateHz;
  FormatInputPtr format = openInput(path);
  const int streamIndex = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (streamIndex < 0) {
    double seconds = silenceSeconds;
    if (seconds <= 0 && format->duration != AV_NOPTS_VALUE && format->duration > 0) {
      seconds = static_cast<double>(format->duration) / AV_TIME_BASE;
    }
    if (!(seconds <= kMaxSilentTrackSeconds)) {
      throw MediaError("'" + path + "' has no audio track and claims to last " +
                       std::to_string(seconds) + " s: no silent track is made for more than " +
                       std::to_string(static_cast<int>(kMaxSilentTrackSeconds)) + " s");
    }
    track.samples.assign(static_cast<size_t>(std::max(0.0, seconds) * sampleRateHz), 0.0f);
    return track;
  }
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != streamIndex) {
      format->streams[i]->discard = AVDISCARD_ALL;
    }
  }
  CodecContextPtr codec = openDecoder(format.get(), streamIndex, kAudioDecodeThreads);
  track.present = true;
  track.sourceSampleRateHz = codec->sample_rate;
  const int channels = std::max(1, codec->ch_layout.nb_channels);

  // Convert to planar float at the target rate, keeping the channels; the average is taken after
  // (averaging and resampling are both linear, so the order does not matter).
  SwrContext* rawSwr = nullptr;
  int rc =
      swr_alloc_set_opts2(&rawSwr, &codec->ch_layout, AV_SAMPLE_FMT_FLTP, sampleRateHz,
                          &codec->ch_layout, codec->sample_fmt, codec->sample_rate, 0, nullptr);
  SwrPtr swr(rawSwr);
  if (rc < 0 || swr_init(swr.get()) < 0) {
    throw MediaError("cannot set up audio resampling for '" + path + "'");
  }
  FramePtr frame(av_frame_alloc());
  std::vector<std::vector<float>> planes(static_cast<size_t>(channels));
  std::vector<uint8_t*> planePointers(static_cast<size_t>(channels));

  const auto convert = [&](const AVFrame* in) {
    const int inCount = in != nullptr ? in->nb_samples : 0;
    const int capacity = swr_get_out_samples(swr.get(), inCount) + 16;
    for (int c = 0; c < channels; ++c) {
      planes[static_cast<size_t>(c)].resize(static_cast<size_t>(capacity));
      planePointers[static_cast<size_t>(c)] =
          reinterpret_cast<uint8_t*>(planes[static_cast<size_t>(c)].data());
    }
    const int produced = swr_convert(
        swr.get(), planePointers.data(), capacity,
        in != nullptr ? const_cast<const uint8_t**>(in->extended_data) : nullptr, inCount);
    if (produced > 0) {
      appendMono(planePointers.data(), channels, produced, track.samples);
    }
  };

  StreamDecoder stream(format.get(), codec.get(), streamIndex);
  while (stream.next(frame.get())) {
    if (frame->ch_layout.nb_channels != channels || frame->sample_rate != codec->sample_rate) {
      track.warning = "audio format changes mid-stream; stopped there";
      break;
    }
    convert(frame.get());
    av_frame_unref(frame.get());
  }
  if (track.warning.empty()) {
    track.warning = stream.warning();
  }
  convert(nullptr);  // flush the resampler's delay line
  return track;
}

std::vector<float> resampleMono(const std::vector<float>& samples, int fromHz, int toHz) {
  if (fromHz == toHz || samples.empty()) {
    return samples;
  }
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  SwrContext* rawSwr = nullptr;
  int rc = swr_alloc_set_opts2(&rawSwr, &mono, AV_SAMPLE_FMT_FLT, toHz, &mono, AV_SAMPLE_FMT_FLT,
                               fromHz, 0, nullptr);
  SwrPtr swr(rawSwr);
  if (rc < 0 || swr_init(swr.get()) < 0) {
    throw MediaError("cannot set up resampling " + std::to_string(fromHz) + " -> " +
                     std::to_string(toHz) + " Hz");
  }
  const int inCount = static_cast<int>(samples.size());
  std::vector<float> out(static_cast<size_t>(swr_get_out_samples(swr.get(), inCount) + 64));
  uint8_t* outPtr = reinterpret_cast<uint8_t*>(out.data());
  const uint8_t* inPtr = reinterpret_cast<const uint8_t*>(samples.data());
  int produced = swr_convert(swr.get(), &outPtr, static_cast<int>(out.size()), &inPtr, inCount);
  if (produced < 0) {
    throw MediaError("resampling failed: " + ffmpegErrorText(produced));
  }
  uint8_t* tailPtr = reinterpret_cast<uint8_t*>(out.data() + produced);
  const int tail =
      swr_convert(swr.get(), &tailPtr, static_cast<int>(out.size()) - produced, nullptr, 0);
  out.resize(static_cast<size_t>(produced + std::max(0, tail)));
  return out;
}

}  // namespace heardmap
