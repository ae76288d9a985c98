#!/usr/bin/env bash
# Generates the media matrix (tests/media/tst_MediaMatrix.cpp): short clips made with the ffmpeg
# CLI in odd sizes, pixel formats, containers, audio layouts and damaged forms. Each line of
# OUTDIR/matrix.tsv is "FILE<TAB>EXPECT<TAB>WIDTH<TAB>HEIGHT": EXPECT is "video" (must decode to
# frames of WIDTH x HEIGHT), "audio-only" (no picture: a clear error for picture consumers) or
# "damaged" (a result or a clear error, never a crash).
# Usage: make-media-matrix.sh OUTDIR
set -euo pipefail
out=${1:?usage: make-media-matrix.sh OUTDIR}
mkdir -p "$out"
cd "$out"
ff() { ffmpeg -nostdin -v error -y "$@"; }
list=matrix.tsv.partial
: > "$list"
dur=0.6
tone="sine=frequency=440:sample_rate=44100:duration=$dur"
src() { echo "testsrc2=size=$1:rate=${2:-10}:duration=$dur"; }
entry() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$list"; }

# Sizes: odd, tiny, not multiples of 16, very wide. FFV1 keeps any size in any pixel format.
for size in 2x2 3x5 17x9 199x101 200x120 360x288 392x220 426x240 427x241 1023x31 4096x24; do
  w=${size%x*}; h=${size#*x}
  # (testsrc2 rounds odd sizes down to even ones: scale to the exact size)
  ff -f lavfi -i "$(src 64x64)" -f lavfi -i "$tone" -vf "scale=$w:$h" -c:v ffv1 -pix_fmt yuv420p \
     -c:a flac -shortest "size-$size.mkv"
  entry "size-$size.mkv" video "$w" "$h"
done
# Pixel formats (rawvideo where FFV1 has no such format).
for fmt in yuv420p yuv422p yuv444p gray yuv420p10le yuv444p12le rgb24 bgra gbrp; do
  ff -f lavfi -i "$(src 426x240)" -c:v ffv1 -pix_fmt "$fmt" "pixfmt-$fmt.mkv"
  entry "pixfmt-$fmt.mkv" video 426 240
done
for fmt in nv12 bgr24 yuyv422 pal8; do
  ff -f lavfi -i "$(src 426x240)" -c:v rawvideo -pix_fmt "$fmt" "raw-$fmt.avi"
  entry "raw-$fmt.avi" video 426 240
done
# Containers and their usual codecs, at the crash-prone 426 x 240.
ff -f lavfi -i "$(src 426x240)" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest c.mp4
ff -f lavfi -i "$(src 426x240)" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest c.mov
ff -f lavfi -i "$(src 426x240)" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv422p -c:a aac -shortest c422.mkv
ff -f lavfi -i "$(src 426x240)" -f lavfi -i "$tone" -c:v libvpx -b:v 300k -c:a libvorbis -shortest c.webm
ff -f lavfi -i "$(src 426x240)" -f lavfi -i "$tone" -c:v mpeg4 -q:v 4 -c:a pcm_s16le -shortest c.avi
ff -f lavfi -i "$(src 360x288 25)" -f lavfi -i "$tone" -c:v mpeg1video -q:v 4 -c:a mp2 -shortest c.mpg
ff -f lavfi -i "$(src 426x240 25)" -f lavfi -i "$tone" -c:v mpeg2video -q:v 4 -c:a mp2 -shortest c.ts
for f in c.mp4 c.mov c422.mkv c.webm c.avi c.ts; do entry "$f" video 426 240; done
entry c.mpg video 360 288
# Anamorphic (SAR 2:1), rotation metadata, variable frame rate.
ff -f lavfi -i "$(src 320x240)" -vf setsar=2/1 -c:v libx264 -pix_fmt yuv420p sar.mp4
entry sar.mp4 video 320 240
# Rotation: a picture with a blue left third, turned by display-matrix metadata (kept only by a
# stream copy); the ffmpeg CLI (which applies it, as players do) writes the first frame as the oracle.
ff -f lavfi -i "$(src 320x240)" -vf "drawbox=x=0:y=0:w=106:h=240:color=blue:t=fill" \
   -c:v libx264 -pix_fmt yuv444p -crf 10 upright.mp4
for deg in 90 180 270; do
  ff -i upright.mp4 -c copy -metadata:s:v:0 rotate=$deg rotated-$deg.mp4
  ff -i rotated-$deg.mp4 -frames:v 1 rotated-$deg.png
done
rm -f upright.mp4
entry rotated-90.mp4 video 240 320
entry rotated-180.mp4 video 320 240
entry rotated-270.mp4 video 240 320
ff -f lavfi -i "testsrc2=size=320x240:rate=30:duration=1.2" -f lavfi -i "$tone" \
   -vf "select='lt(mod(n,10),3)+eq(mod(n,7),0)',setpts=N/(30*TB)+0.2*floor(N/5)/TB" -fps_mode vfr \
   -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest vfr.mkv
entry vfr.mkv video 320 240
# Audio rates and layouts (8 to 96 kHz, mono to 5.1), with a small picture.
for layout in 8000:mono 22050:stereo 48000:5.1 96000:stereo; do
  rate=${layout%%:*}; ch=${layout#*:}
  ff -f lavfi -i "$(src 160x90)" -f lavfi -i "sine=frequency=300:sample_rate=$rate:duration=$dur" \
     -af "aformat=channel_layouts=$ch" -ar "$rate" -c:v libx264 -pix_fmt yuv420p -c:a flac \
     -shortest "audio-$rate-${ch/./}.mkv"
  entry "audio-$rate-${ch/./}.mkv" video 160 90
done
# No picture, no sound.
ff -f lavfi -i "$tone" -c:a aac audio-only.m4a
entry audio-only.m4a audio-only 0 0
ff -f lavfi -i "$tone" -c:a pcm_s16le audio-only.wav
entry audio-only.wav audio-only 0 0
ff -f lavfi -i "$(src 426x240)" -c:v libx264 -pix_fmt yuv420p video-only.mp4
entry video-only.mp4 video 426 240
# Damaged: zero bytes, a header only, cut in half, a bit-flipped middle.
: > zero-length.mp4
entry zero-length.mp4 damaged 0 0
ff -f lavfi -i "testsrc2=size=426x240:rate=10:duration=2" -f lavfi -i "$tone" -c:v libx264 \
   -pix_fmt yuv420p -c:a aac -shortest whole.mkv
head -c 700 whole.mkv > header-only.mkv
head -c "$(( $(stat -c %s whole.mkv) / 2 ))" whole.mkv > truncated.mkv
ff -f lavfi -i "testsrc2=size=426x240:rate=25:duration=2" -c:v mpeg1video -q:v 4 whole.mpg
head -c "$(( $(stat -c %s whole.mpg) * 4 / 10 ))" whole.mpg > truncated.mpg
cp whole.mkv flipped.mkv
size=$(stat -c %s flipped.mkv)
for k in 1 2 3 4 5 6 7 8; do
  printf '\xff\x00\xa5' | dd of=flipped.mkv bs=1 seek=$(( size * k / 10 )) conv=notrunc status=none
done
rm -f whole.mkv whole.mpg
for f in header-only.mkv truncated.mkv truncated.mpg flipped.mkv; do entry "$f" damaged 426 240; done
mv "$list" matrix.tsv
