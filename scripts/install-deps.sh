#!/usr/bin/env bash
# Installs what w2v needs to build, test and run its demo on Debian 12 (run as root, or with sudo
# available). Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev zlib1g-dev libutf8proc-dev
  clang libclang-rt-14-dev libomp-14-dev clang-format clang-tidy
  python3 python3-gensim fasttext librsvg2-bin fonts-noto-cjk
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(nodejs npm libopenmpi-dev openmpi-bin)
elif [[ "${1:-}" == "--mpi" ]]; then
  packages+=(libopenmpi-dev openmpi-bin)
fi

missing=()
for p in "${packages[@]}"; do
  if [[ "$p" == nodejs || "$p" == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue  # a Node.js/npm not from Debian is fine
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
