#!/usr/bin/env bash
# The demo: train Korean and English vectors on the corpora shipped in data/, then ask them
# questions and draw a picture.
#
#   scripts/demo.sh [OUT_DIR]          (default OUT_DIR: ./demo-out)
#
# W2V=path/to/w2v picks the binary (default: build/w2v of this checkout, else w2v on PATH).
# THREADS=N sets the training threads (default: all cores), SEED=N the seed (default 1). It ends
# by checking the answers README.md promises and exits 1 if they do not hold.
# Korean is trained in the Korean mode (particles and endings split off), English with punctuation
# split off and lowercased; the flags of each are explained in data/README.md. Answers vary a
# little from run to run with more than one thread (Hogwild updates); --threads 1 --seed N is
# exactly reproducible.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-demo-out}"
threads="${THREADS:-$(nproc)}"
seed="${SEED:-1}"
if [[ -n "${W2V:-}" ]]; then
  w2v="$W2V"
elif [[ -x "$here/build/w2v" ]]; then
  w2v="$here/build/w2v"  # the one just built, not an older one on PATH
elif command -v w2v > /dev/null; then
  w2v="$(command -v w2v)"
else
  echo "demo.sh: no w2v binary: build it (cmake -S . -B build && make -C build) or set W2V=" >&2
  exit 2
fi
mkdir -p "$out"
start=$SECONDS

echo "== Training Korean vectors on data/ko_wiki_demo.txt.gz (120,000 paragraphs, 5.1M eojeol)"
# Korean mode (chosen by default on Hangul text): particles and endings split off the eojeol.
# Window 2 with the particles kept in it (--sample 1e-2), min-count 150, 10 epochs: data/README.md.
"$w2v" train "$here/data/ko_wiki_demo.txt.gz" -o "$out/ko.bin" --save-init "$out/ko-init.bin" \
  --window 2 --sample 1e-2 --min-count 150 --epochs 10 --threads "$threads" --seed "$seed"

echo "== Training English vectors on data/en_wiki_demo.txt.gz (255,138 paragraphs, 17.3M words)"
# Punctuation split off and lowercased; 8 epochs, 10 negatives and word2vec.c's learning rate
# 0.025 (over 8 epochs it beat the default 0.05 for queen; data/README.md has the measurements).
"$w2v" train "$here/data/en_wiki_demo.txt.gz" -o "$out/en.bin" \
  --tokenize words --lowercase --epochs 8 --negative 10 --lr 0.025 --threads "$threads" --seed "$seed"

echo
echo "== w2v nearest 서울 -k 10"
"$w2v" nearest -m "$out/ko.bin" -k 10 서울 | tee "$out/nearest-seoul.tsv"
echo
echo "== w2v nearest 부산 대학교 -k 5"
"$w2v" nearest -m "$out/ko.bin" -k 5 부산 대학교
echo
echo "== w2v analogy king man woman (king - man + woman)"
"$w2v" analogy -m "$out/en.bin" -k 20 king man woman >"$out/analogy-king.tsv"
head -n 5 "$out/analogy-king.tsv"
echo
echo "== w2v analogy paris france germany"
"$w2v" analogy -m "$out/en.bin" -k 5 paris france germany
echo
"$w2v" plot -m "$out/ko.bin" -o "$out/cities.svg" --title "도시 (Korean Wikipedia demo)" \
  서울 부산 대구 인천 광주 대전 울산 수원 도쿄 오사카 베이징 상하이 뉴욕 런던 파리 베를린
"$w2v" plot -m "$out/en.bin" -o "$out/royalty.svg" --title "English Wikipedia demo" \
  king queen man woman prince princess boy girl father mother son daughter uncle aunt
"$w2v" plot -m "$out/en.bin" -o "$out/pairs.svg" --title "The same offset: male → female" \
  --pairs king:queen man:woman boy:girl father:mother prince:princess
"$w2v" plot --before "$out/ko-init.bin" -m "$out/ko.bin" -o "$out/before-after.svg" \
  --title "Before and after training (Korean Wikipedia demo)" \
  서울 부산 대구 인천 도쿄 오사카 뉴욕 런던 파리 베를린 축구 야구 농구 사과 포도
"$w2v" plot -m "$out/ko.bin" --top 300 -o "$out/map.html" --title "300 frequent words (Korean demo)"
echo "== plots: $out/cities.svg $out/royalty.svg $out/pairs.svg $out/before-after.svg and the"
echo "   explorable map $out/map.html (open them in a browser)"

# The answers, checked on every run (CI runs this script with four seeds). The aim (README.md) is
# queen first for king - man + woman and at least 6 Korean cities among 서울's 10 nearest words.
# Every run measured with these settings reached it (data/README.md), but the Korean list often
# has exactly 6, so it is reported, not enforced. Enforced is a floor that a broken pipeline
# misses: queen among the first 5 answers (of ~84,000 words) and at least 4 Korean cities.
# Cities only: 서울특별시 / 서울시 (Seoul itself) and Seoul's districts (강남구 ...) do not count.
min_cities=4
max_queen_rank=5
korean_cities=" 부산 인천 대구 대전 광주 울산 세종 수원 성남 고양 용인 부천 안산 안양 남양주 화성 평택
  의정부 시흥 파주 김포 광명 군포 하남 오산 이천 안성 의왕 양주 포천 여주 동두천 과천 구리 춘천 원주 강릉
  동해 태백 속초 삼척 청주 충주 제천 천안 공주 보령 아산 서산 논산 계룡 당진 전주 군산 익산 정읍 남원 김제
  목포 여수 순천 나주 광양 포항 경주 김천 안동 구미 영주 영천 상주 문경 경산 창원 마산 진해 진주 통영 사천
  김해 밀양 거제 양산 제주 서귀포 평양 개성 함흥 청진 신의주 원산 남포 해주 사리원 "
korean_cities=$(echo $korean_cities)  # one space between names
cities=()
while IFS=$'\t' read -r _ _ word _; do
  [[ " $korean_cities " == *" $word "* ]] && cities+=("$word")
done < "$out/nearest-seoul.tsv"
queen_rank=$(awk -F'\t' '$3 == "queen" { print $2 }' "$out/analogy-king.tsv")
echo
aim() { if eval "$1"; then echo "aim met"; else echo "aim not met"; fi; }
echo "== check: ${#cities[@]} Korean cities among 서울's 10 nearest words (${cities[*]}); $(aim '((${#cities[@]} >= 6))') (6), floor $min_cities"
echo "== check: queen ranks ${queen_rank:-below 20} for king - man + woman; $(aim '[[ "$queen_rank" == 1 ]]') (1), floor $max_queen_rank"
echo "== demo finished in $((SECONDS - start)) s"
if ((${#cities[@]} < min_cities)) || [[ -z "$queen_rank" ]] || ((queen_rank > max_queen_rank)); then
  echo "demo.sh: the answers above are below the floor: the training or the data is broken" >&2
  exit 1
fi
