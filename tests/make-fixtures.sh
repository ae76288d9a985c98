#!/usr/bin/env bash
# Generates the media fixtures the tests use (FFmpeg's synthetic sources, no committed media).
# Usage: make-fixtures.sh OUTDIR
set -euo pipefail
out=${1:?usage: make-fixtures.sh OUTDIR}
mkdir -p "$out"
cd "$out"
ff() { ffmpeg -nostdin -v error -y "$@"; }
video="testsrc2=size=160x120:rate=25:duration=2"
tone="sine=frequency=440:sample_rate=44100:duration=2"
# Stereo with opposite channels: the mono average must cancel (checks channel averaging).
opposite="aevalsrc=sin(2*PI*440*t)|-sin(2*PI*440*t):s=44100:d=2"
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv420p -g 10 -c:a aac -shortest clip.mp4
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v libvpx -b:v 500k -c:a libvorbis -shortest clip.webm
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v mpeg4 -q:v 3 -c:a pcm_s16le -shortest clip.avi
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v mpeg1video -q:v 3 -c:a mp2 -shortest clip.mpg
ff -f lavfi -i "$video" -f lavfi -i "$opposite" -c:v libx264 -pix_fmt yuv420p -c:a flac -shortest opposite.mkv
ff -f lavfi -i "$video" -c:v libx264 -pix_fmt yuv420p silent-video.mkv
# A 640x360 clip with sound for the GUI and render tests (the sound starts at 1 s).
ff -f lavfi -i "testsrc2=size=640x360:rate=25:duration=3" \
   -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=2,adelay=1000" \
   -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest player.mp4
# Damaged files: random bytes, an mp4 cut before its index, an mkv cut mid-stream.
head -c 20000 /dev/urandom > garbage.mp4
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest whole.mp4
head -c "$(( $(stat -c %s whole.mp4) / 2 ))" whole.mp4 > truncated.mp4
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest whole.mkv
head -c "$(( $(stat -c %s whole.mkv) * 6 / 10 ))" whole.mkv > truncated.mkv
rm -f whole.mp4 whole.mkv
# A miniature Tux Paint stamp tree and background folder for the asset-pack builder.
mkdir -p stamps/animals/cats stamps/animals/dogs stamps/things stamps/symbols/math stamps/cartoon backgrounds
disc() {  # disc COLOUR OUT.png: an opaque disc on a transparent 64x48 canvas
  ff -f lavfi -i "color=c=black:s=64x48,format=rgba" -vf "geq=r='$1':g=90:b=40:a='if(lt(hypot(X-32,Y-24),16),255,0)'" -frames:v 1 "$2"
}
disc 230 stamps/animals/cats/cat.png
ff -f lavfi -i "sine=frequency=700:sample_rate=22050:duration=0.8" -c:a libvorbis stamps/animals/cats/cat.ogg
ff -f lavfi -i "sine=frequency=300:sample_rate=22050:duration=0.5" -c:a libvorbis stamps/animals/cats/cat_desc.ogg
echo "A cat." > stamps/animals/cats/cat.txt
disc 40 stamps/animals/dogs/dog.png
ff -f lavfi -i "sine=frequency=200:sample_rate=44100:duration=1.2" -c:a pcm_s16le stamps/animals/dogs/dog.wav
disc 120 stamps/things/box.png
disc 10 stamps/symbols/math/one.png
ff -f lavfi -i "sine=frequency=500:sample_rate=22050:duration=0.3" -c:a libvorbis stamps/symbols/math/one.ogg
disc 60 stamps/cartoon/toon.png
ff -f lavfi -i "sine=frequency=900:sample_rate=22050:duration=0.3" -c:a libvorbis stamps/cartoon/toon.ogg
ff -f lavfi -i "testsrc2=size=400x300" -frames:v 1 backgrounds/a.jpg
ff -f lavfi -i "mandelbrot=size=300x400" -frames:v 1 backgrounds/b.png
touch fixtures.ok
