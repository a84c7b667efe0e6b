#!/usr/bin/env bash
# The demo: train Korean and English vectors on the corpora shipped in data/, then ask them
# questions and draw a picture.
#
#   scripts/demo.sh [OUT_DIR]          (default OUT_DIR: ./demo-out)
#
# W2V=path/to/w2v picks the binary (default: w2v on PATH, else build/w2v). THREADS=N sets the
# training threads (default: all cores). About 3-5 minutes on 2 cores; peak memory ~250 MB.
# Training uses --tokenize words (punctuation split off, so 서울, 서울. "서울" are one word) and
# 5 epochs; the English model is also lowercased. Answers vary a little from run to run with more
# than one thread (Hogwild updates); --threads 1 --seed N is exactly reproducible.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-demo-out}"
threads="${THREADS:-$(nproc)}"
if [[ -n "${W2V:-}" ]]; then
  w2v="$W2V"
elif command -v w2v > /dev/null; then
  w2v="$(command -v w2v)"
elif [[ -x "$here/build/w2v" ]]; then
  w2v="$here/build/w2v"
else
  echo "demo.sh: no w2v binary: build it (cmake -S . -B build && make -C build) or set W2V=" >&2
  exit 2
fi
mkdir -p "$out"
start=$SECONDS

echo "== Training Korean vectors on data/ko_wiki_demo.txt.gz (120,000 paragraphs, 5.1M eojeol)"
# Korean mode (chosen by default on Hangul text): particles and endings split off the eojeol.
# Window 2 with the particles kept in it (--sample 1e-2), min-count 50, 7 epochs: data/README.md.
"$w2v" train "$here/data/ko_wiki_demo.txt.gz" -o "$out/ko.bin" \
  --window 2 --sample 1e-2 --min-count 50 --epochs 7 --threads "$threads"

echo "== Training English vectors on data/en_wiki_demo.txt.gz (130,000 paragraphs, 8.9M words)"
"$w2v" train "$here/data/en_wiki_demo.txt.gz" -o "$out/en.bin" \
  --tokenize words --lowercase --epochs 5 --threads "$threads"

echo
echo "== w2v nearest 서울 -k 10"
"$w2v" nearest -m "$out/ko.bin" -k 10 서울
echo
echo "== w2v nearest 부산 대학교 -k 5"
"$w2v" nearest -m "$out/ko.bin" -k 5 부산 대학교
echo
echo "== w2v analogy king man woman (king - man + woman)"
"$w2v" analogy -m "$out/en.bin" -k 5 king man woman
echo
echo "== w2v analogy paris france germany"
"$w2v" analogy -m "$out/en.bin" -k 5 paris france germany
echo
"$w2v" plot -m "$out/ko.bin" -o "$out/cities.svg" --title "도시 (Korean Wikipedia demo)" \
  서울 부산 대구 인천 광주 대전 울산 수원 도쿄 오사카 베이징 상하이 뉴욕 런던 파리 베를린
"$w2v" plot -m "$out/en.bin" -o "$out/royalty.svg" --title "English Wikipedia demo" \
  king queen man woman prince princess boy girl father mother son daughter uncle aunt
echo "== plots: $out/cities.svg $out/royalty.svg (open them in a browser)"
echo "== demo finished in $((SECONDS - start)) s"
