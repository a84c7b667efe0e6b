#!/usr/bin/env bash
# Installs what w2v needs on Debian 12 (run as root, or with sudo available). Idempotent: packages
# already present are left alone, and apt-get runs only when something is missing.
#
#   scripts/install-deps.sh           build w2v and run scripts/demo.sh: compiler, CMake and the
#                                     seven libraries (CLI11, fmt, spdlog, zlib, utf8proc, hnswlib,
#                                     ISA-L);
#                                     nothing else
#   scripts/install-deps.sh --mpi     + Open MPI, for the MPI build
#   scripts/install-deps.sh --test    + everything scripts/test.sh needs: GoogleTest, clang (fuzzing,
#                                     clang-format, clang-tidy), the peers (gensim, fastText, npm for
#                                     word2vec.c), Open MPI, iproute2 (the two-host MPI test),
#                                     rsvg-convert and CJK fonts, chromium
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcli11-dev libspdlog-dev libfmt-dev zlib1g-dev libutf8proc-dev libhnswlib-dev libisal-dev
)
case "${1:-}" in
  "") ;;
  --mpi) packages+=(libopenmpi-dev openmpi-bin) ;;
  --test)
    packages+=(
      git libgtest-dev libgmock-dev
      clang libclang-rt-14-dev libomp-14-dev clang-format clang-tidy
      python3 python3-gensim fasttext nodejs npm
      libopenmpi-dev openmpi-bin iproute2 librsvg2-bin fonts-noto-cjk chromium
    )
    ;;
  *)
    echo "usage: install-deps.sh [--mpi | --test]" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  if [[ "$p" == nodejs || "$p" == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue # a Node.js/npm not from Debian is fine
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
