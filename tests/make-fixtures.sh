#!/usr/bin/env bash
# Generates the media fixtures the tests use (FFmpeg's synthetic sources, no committed media).
# Usage: make-fixtures.sh OUTDIR
set -euo pipefail
out=${1:?usage: make-fixtures.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
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
# NTSC's 29.97 frames per second: no frame falls on a whole second (2 s lies between 1.969 and
# 2.002), as in most camera and broadcast video.
ff -f lavfi -i "testsrc2=size=160x120:rate=30000/1001:duration=3" -f lavfi -i "$tone" \
   -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest ntsc.mp4
# Damaged files: noise bytes, an mp4 cut before its index, an mkv cut mid-stream. The noise is
# seeded (20,000 bytes of raw white noise, no header): /dev/urandom bytes are now and then taken
# for a real format by FFmpeg's probe (once for an LRC subtitle file), which failed the tests.
ff -f lavfi -i "anoisesrc=d=0.625:c=white:seed=1234:sample_rate=16000" -f s16le garbage.mp4
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest whole.mp4
head -c "$(( $(stat -c %s whole.mp4) / 2 ))" whole.mp4 > truncated.mp4
ff -f lavfi -i "$video" -f lavfi -i "$tone" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest whole.mkv
head -c "$(( $(stat -c %s whole.mkv) * 6 / 10 ))" whole.mkv > truncated.mkv
rm -f whole.mp4 whole.mkv
# .pth files written by the real torch.save (Debian's python3-torch, not the pyenv python on PATH).
/usr/bin/python3 "$here/pth/make_pth_fixtures.py" pth
# The official architectures (EZ-VSL, SLAVC) saved as their train.py saves them, and their maps.
/usr/bin/python3 "$here/pth/official_reference.py" official
# The official SSPL release (frame/sound/pcm/ssl_head files, with and without PCM) and its map.
/usr/bin/python3 "$here/pth/sspl_reference.py" official
# A Flickr-layout folder and the per-sample cIoU of EZ-VSL and SLAVC test.py runs on it.
/usr/bin/python3 "$here/pth/official_eval.py" official_flickr official/ezvsl_best.pth ezvsl
/usr/bin/python3 "$here/pth/official_eval.py" official_flickr official/slavc_latest.pth slavc
/usr/bin/python3 "$here/pth/official_eval.py" official_flickr official/lvs_best.pth.tar lvs
/usr/bin/python3 "$here/pth/official_eval.py" official_flickr official/sspl sspl
# JPEG files written by PIL and what PIL decodes and resizes them to (the official loaders' frames).
/usr/bin/python3 "$here/media/pil_reference.py" pil
# The media matrix: odd sizes, pixel formats, containers, audio layouts, damaged files.
"$here/make-media-matrix.sh" matrix
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
# Miniature dataset folders in the standard layouts (boxes chosen by hand, see tst_Datasets).
frame() { ff -f lavfi -i "testsrc2=size=$1" -frames:v 1 "$2"; }
wav() { ff -f lavfi -i "sine=frequency=$1:sample_rate=16000:duration=$2" "$3"; }
mkdir -p datasets/flickr/Annotations datasets/flickr/frames datasets/flickr/audio
cat > datasets/flickr/Annotations/f1.xml <<'XML'
<annotation><filename>f1</filename>
<object><name>annotator1</name><bbox><xmin>0</xmin><ymin>0</ymin><xmax>128</xmax><ymax>128</ymax></bbox></object>
<object><name>annotator2</name><bbox><xmin>64</xmin><ymin>64</ymin><xmax>192</xmax><ymax>192</ymax></bbox></object>
</annotation>
XML
cp datasets/flickr/Annotations/f1.xml datasets/flickr/Annotations/f2.xml
frame 256x256 datasets/flickr/frames/f1.jpg
wav 440 4 datasets/flickr/audio/f1.wav
mkdir -p datasets/vggss/frames datasets/vggss/audio
echo '[{"file": "v1", "class": "tone", "bbox": [[0.25, 0.5, 0.75, 1.2]]}, {"file": "gone", "bbox": [[0, 0, 1, 1]]}]' > datasets/vggss/vggss.json
frame 320x240 datasets/vggss/frames/v1.jpg
wav 880 10 datasets/vggss/audio/v1.wav
mkdir -p datasets/avs/visual_frames/test/tone/clipA datasets/avs/audio_wav/test/tone
echo '[{"image": "/mnt/elsewhere/s4_data/visual_frames/test/tone/clipA/clipA_3.png", "audio": "/mnt/elsewhere/s4_data/audio_wav/test/tone/clipA.wav", "gt_box": [21.0, 72.0, 196.0, 140.0]}]' > datasets/avs/s4_box.json
frame 224x224 datasets/avs/visual_frames/test/tone/clipA/clipA_3.png
wav 330 5 datasets/avs/audio_wav/test/tone/clipA.wav
mkdir -p datasets/is3/visual_frames datasets/is3/audio_wav
echo '[{"image": "/x/visual_frames/cat_bell_7_cat.jpg", "audio": "/x/audio_wav/cat_bell_7_cat.wav", "gt_box": [0, 0, 100, 100]}, {"image": "/x/visual_frames/cat_bell_7_bell.jpg", "audio": "/x/audio_wav/cat_bell_7_bell.wav", "gt_box": [120, 120, 224, 224]}]' > datasets/is3/synthetic3240_bbox.json
frame 224x224 datasets/is3/visual_frames/cat_bell_7_cat.jpg
cp datasets/is3/visual_frames/cat_bell_7_cat.jpg datasets/is3/visual_frames/cat_bell_7_bell.jpg
wav 500 10 datasets/is3/audio_wav/cat_bell_7_cat.wav
wav 1500 10 datasets/is3/audio_wav/cat_bell_7_bell.wav
mkdir -p datasets/folder
cp clip.mp4 datasets/folder/a.mp4
cp clip.webm datasets/folder/b.webm
echo '{"a.mp4": [{"time": 0.5, "boxes": [[0.1, 0.1, 0.5, 0.5]]}, {"time": 1.5, "boxes": [[0.5, 0.5, 0.9, 0.9]]}]}' > datasets/folder/boxes.json
# A raw S16_LE 16 kHz mono "microphone" recording for ALSA's file plugin (tst_Live): a 1 kHz sine
# at amplitude 1/8 (RMS 0.0884).
ff -f lavfi -i "sine=frequency=1000:sample_rate=16000:duration=5" -f s16le -ac 1 tone16k.raw
touch fixtures.ok
