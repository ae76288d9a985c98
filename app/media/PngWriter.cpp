#include "PngWriter.h"

#include <cstring>

#include "FfmpegUtil.h"
#include "MediaError.h"
#include "core/AtomicFile.h"

namespace heardmap {

void writePng(const std::string& path, const RgbImage& image) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (codec == nullptr) {
    throw MediaError("no PNG encoder in this FFmpeg build");
  }
  CodecContextPtr context(avcodec_alloc_context3(codec));
  context->width = image.width;
  context->height = image.height;
  context->pix_fmt = AV_PIX_FMT_RGB24;
  context->time_base = AVRational{1, 25};
  int rc = avcodec_open2(context.get(), codec, nullptr);
  if (rc < 0) {
    throw MediaError("cannot open PNG encoder: " + ffmpegErrorText(rc));
  }
  FramePtr frame(av_frame_alloc());
  frame->format = AV_PIX_FMT_RGB24;
  frame->width = image.width;
  frame->height = image.height;
  if (av_frame_get_buffer(frame.get(), 0) < 0) {
    throw MediaError("out of memory for a PNG frame");
  }
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(frame->data[0] + static_cast<size_t>(y) * static_cast<size_t>(frame->linesize[0]),
                image.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(image.width) * 3,
                static_cast<size_t>(image.width) * 3);
  }
  PacketPtr packet(av_packet_alloc());
  rc = avcodec_send_frame(context.get(), frame.get());
  if (rc >= 0) {
    rc = avcodec_receive_packet(context.get(), packet.get());
  }
  if (rc < 0) {
    throw MediaError("PNG encoding failed: " + ffmpegErrorText(rc));
  }
  writeFileAtomically(path, std::string(reinterpret_cast<const char*>(packet->data),
                                        static_cast<size_t>(packet->size)));
}

}  // namespace heardmap
