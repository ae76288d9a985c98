#!/usr/bin/env bash
# Makes Heardmap's built-in demo clip from Debian-packaged assets: a Tux Paint dog photo (with its
# own bark) moving over a Tux Paint background photograph, a silent cow as a distractor, and four
# seconds of silence at the end (where a model should show nothing).
# Usage: make-demo-clip.sh OUT.mp4
set -euo pipefail
out=${1:?usage: make-demo-clip.sh OUT.mp4}
stamps=/usr/share/tuxpaint/stamps/animals/mammals
background=/usr/share/tuxpaint/templates/corn_maze.jpg
for f in "$stamps/dogs/dog.png" "$stamps/dogs/dog.ogg" "$stamps/bovines/cow.png" "$background"; do
  [ -f "$f" ] || { echo "make-demo-clip: missing $f (run scripts/install-deps.sh)" >&2; exit 1; }
done
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.mp4"
ffmpeg -nostdin -v error -y \
  -loop 1 -framerate 25 -i "$background" \
  -loop 1 -framerate 25 -i "$stamps/dogs/dog.png" \
  -loop 1 -framerate 25 -i "$stamps/bovines/cow.png" \
  -i "$stamps/dogs/dog.ogg" \
  -filter_complex "\
[0]scale=640:360:force_original_aspect_ratio=increase,crop=640:360,setsar=1[bg];\
[1]scale=-1:140[dog];[2]scale=-1:100[cow];\
[bg][cow]overlay=x=470:y=230[b1];\
[b1][dog]overlay=x='30+330*(0.5-0.5*cos(2*PI*t/12))':y='170+25*sin(2*PI*t/3)',format=yuv420p[v];\
[3]aresample=48000,apad=whole_dur=1.5,aloop=loop=4:size=72000,apad=whole_dur=12[a]" \
  -map "[v]" -map "[a]" -t 12 -c:v libx264 -preset veryfast -crf 23 -g 25 \
  -c:a aac -b:a 96k -ac 1 -movflags +faststart "$tmp"
mv "$tmp" "$out"
