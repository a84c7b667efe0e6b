#!/usr/bin/env bash
# Runs every example command of README.md: each code block that follows a line
# `<!-- examples -->` is run line by line (a trailing backslash continues a line) in a scratch
# directory holding the files the examples name (corpus.txt, a.txt, b.txt.gz, words.tsv,
# questions-words.txt, ko-questions.txt, wordsim353.tsv), with the w2v under test first on PATH.
# Any command that exits non-zero fails the run. The install, build and test commands are run by .ci/run itself.
#
#   scripts/readme-examples.sh BUILD_DIR          (w2v is BUILD_DIR/w2v)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: readme-examples.sh BUILD_DIR}" && pwd)
[[ -x "$build/w2v" ]] || { echo "readme-examples: no $build/w2v" >&2; exit 1; }
work="$build/readme-examples"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

# The files the examples read: Korean and English text from the demo corpora (enough for every
# word the examples ask about), the analogy subset shipped in tests/data, a few similarity pairs.
first_lines() { zcat "$1" | head -n "$2" || true; } # zcat ends on SIGPIPE when head is done
{
  first_lines "$root/data/ko_wiki_demo.txt.gz" 15000
  first_lines "$root/data/en_wiki_demo.txt.gz" 25000 | tr '[:upper:]' '[:lower:]'
} >corpus.txt
head -n 20000 corpus.txt >a.txt
first_lines "$root/data/en_wiki_demo.txt.gz" 20000 >my_english.txt
first_lines "$root/data/ko_wiki_demo.txt.gz" 20000 | gzip -1 >my_korean.txt.gz
tail -n 20000 corpus.txt | gzip -1 >b.txt.gz
printf 'king\tx\n서울\ty\nqueen\tz\n' >words.tsv
cp "$root/tests/data/eval/questions-words-subset.txt" questions-words.txt
printf '# word1\tword2\tscore\nking\tqueen\t8.5\nking\tman\t5.0\nman\twoman\t8.3\n서울\t부산\t7.0\n' \
  >wordsim353.tsv
printf 'king\nqueen\n서울\n' >words.txt
printf ': syn1_case\n서울 서울에서 부산 부산에서\n' >ko-questions.txt
w2v_bin="$build/w2v"
"$w2v_bin" train a.txt -o vectors.txt.gz --epochs 1 -q

# The Pictures section plots the demo's models (ko.bin, en.bin) and trains on data/: take the models
# of a demo run (DEMO_DIR, default: BUILD_DIR/demo-seed-2, which scripts/test.sh makes first).
demo="${DEMO_DIR:-$build/demo-seed-2}"
[[ -f "$demo/ko.bin" && -f "$demo/en.bin" ]] || { echo "readme-examples: no demo models in $demo (run scripts/demo.sh $demo first)" >&2; exit 1; }
cp "$demo/ko.bin" "$demo/en.bin" .
ln -s "$root/data" data

mapfile -t commands < <(awk '
  /^<!-- examples -->$/ { marked = 1; next }
  marked && /^```/ { if (inside) { inside = 0; marked = 0 } else inside = 1; next }
  inside {
    if (sub(/\\$/, "")) { pending = pending $0; next }
    print pending $0; pending = ""
  }' "$root/README.md")
((${#commands[@]} > 0)) || { echo "readme-examples: no <!-- examples --> blocks in README.md" >&2; exit 1; }

export PATH="$build:$PATH"
unset W2V_MODEL
failed=0
for cmd in "${commands[@]}"; do
  [[ "$cmd" =~ ^[[:space:]]*$ ]] && continue
  if bash -euo pipefail -c "$cmd" >last.out 2>last.err; then
    printf 'ok    %s\n' "$cmd"
  else
    printf 'FAIL  %s\n' "$cmd"
    sed 's/^/      /' last.err | tail -n 5
    failed=$((failed + 1))
  fi
done
echo "${#commands[@]} README example commands, $failed failed"
((failed == 0))
