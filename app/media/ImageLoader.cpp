#include "ImageLoader.h"

#include <algorithm>
#include <cmath>

#include "FfmpegUtil.h"
#include "MediaError.h"

namespace heardmap {

RgbaImage decodeImageRgba(const std::string& path, int maxSidePx) {
  FormatInputPtr format = openInput(path);
  const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream < 0) {
    throw MediaError("'" + path + "' is not an image");
  }
  CodecContextPtr codec = openDecoder(format.get(), stream, 1);
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  bool decoded = false;
  while (!decoded && av_read_frame(format.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream && avcodec_send_packet(codec.get(), packet.get()) >= 0) {
      decoded = avcodec_receive_frame(codec.get(), frame.get()) == 0;
    }
    av_packet_unref(packet.get());
  }
  if (!decoded) {
    avcodec_send_packet(codec.get(), nullptr);
    decoded = avcodec_receive_frame(codec.get(), frame.get()) == 0;
  }
  if (!decoded) {
    throw MediaError("cannot decode image '" + path + "'");
  }
  double scale = 1.0;
  const int longest = std::max(frame->width, frame->height);
  if (maxSidePx > 0 && longest > maxSidePx) {
    scale = static_cast<double>(maxSidePx) / longest;
  }
  RgbaImage image;
  image.width = std::max(1, static_cast<int>(std::lround(frame->width * scale)));
  image.height = std::max(1, static_cast<int>(std::lround(frame->height * scale)));
  image.pixels.resize(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4);
  PackedScaler scaler;
  if (!scaler.frameToPacked(frame.get(), image.width, image.height, AV_PIX_FMT_RGBA, 4, SWS_AREA,
                            image.pixels.data())) {
    throw MediaError("cannot convert the pixel format '" +
                     std::string(pixelFormatName(frame->format)) + "' of '" + path + "'");
  }
  return image;
}

}  // namespace heardmap
