#!/usr/bin/env bash
# Installs every Debian package Heardmap needs (Debian 12). Recommends stay on: they bring Mesa's
# llvmpipe (OpenGL under Xvfb) and libqt6opengl6-dev.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config ccache git clang-format clang libclang-rt-14-dev
  qt6-base-dev libqt6opengl6-dev
  libtorch-dev libgloo-dev libopenblas0-pthread zlib1g-dev python3-torch python3-torchvision python3-pil python3-scipy
  libavcodec-dev libavformat-dev libswscale-dev libswresample-dev libavutil-dev ffmpeg
  portaudio19-dev libasound2-dev libjpeg62-turbo-dev nlohmann-json3-dev libeigen3-dev libcli11-dev
  xvfb xauth x11-apps imagemagick
  tuxpaint-stamps-default tuxpaint-data plasma-workspace-wallpapers mate-backgrounds
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
