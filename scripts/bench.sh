#!/usr/bin/env bash
# Side-by-side training benchmark: w2v against word2vec.c, gensim and fastText on one corpus, with
# the issue's settings (skip-gram, dim 100, window 5, negative 5, sample 1e-4, min-count 5,
# 1 epoch, 2 threads), one run after another, then the quality of every result scored the same
# way. Prints a Markdown table on stdout (progress on stderr).
#
#   scripts/bench.sh [CORPUS]       default ../shared/data/corpus/en/en_mix.txt.gz
#   RUNS=3        how many times each w2v configuration runs (median reported; peers run once)
#   PEERS=0       skip the peers (w2v rows only)
#   W2V=build/w2v the binary to measure
#   ONLY=phrases  run only the phrases section (w2v phrases against word2phrase)
#   ONLY=korean   run only the Korean section (w2v's Korean mode against fastText and gensim on
#                 ko_wiki.txt.gz, the default corpus then; 5 epochs, see korean_section)
#   ONLY=subwords run only the subwords section (w2v --maxn 6 against fastText, same settings)
#   ONLY=reading  run only the reading section: the vocabulary pass (w2v on the text and on the
#                 .gz, word2vec.c -save-vocab) and whole training runs on the .gz and the text,
#                 interleaved, RUNS times each (default 5 here), medians and ratios
#   ONLY=curve    run only the cost curve: training words/s at the first 1M and 5M words and the
#                 whole corpus, each at dim 50, 100 and 300, RUNS times (default 3), word2vec.c
#                 beside it on the 5M slice; GFLOP/s and the share of the FMA peak that
#                 scripts/fma_peak.cpp measures on this machine
#   BIG=ROWS      instead: the big-model section (index vs parsing vs gensim mmap, ANN), see below
#   BIG_DIR=DIR   with BIG: keep the big section's files in DIR and reuse them in a later run (the
#                 generated model, gensim's copy, and the index with its ANN graph: a 3M-row graph
#                 takes over an hour to build on 2 cores); default a temp dir, deleted at the end
#   GENSIM_QUERIES=N  with BIG: gensim's most_similar loop answers the first N of the 1,000
#                 queries (default all; each reads every row, ~0.4 s a query at 3M rows)
#
# Installs what is missing (hyperfine is not needed; timing is /usr/bin/time): the npm package
# word2vec (the original C tool, compiled -march=native by its install), Debian fasttext and
# python3-gensim. Peers read the corpus unpacked to plain text in a temp dir (their
# requirement); w2v reads the .gz directly, and its row for the unpacked text is shown too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ ${ONLY:-} == korean ]]; then
  corpus=${1:-$root/../shared/data/corpus/ko/ko_wiki.txt.gz}
else
  corpus=${1:-$root/../shared/data/corpus/en/en_mix.txt.gz}
fi
runs=${RUNS:-3}
peers=${PEERS:-1}
w2v=${W2V:-$root/build/w2v}
threads=2
qw=$root/../shared/data/eval/en/questions-words.txt
ws=$root/../shared/data/eval/en/wordsim353.tsv
log() { echo "bench: $*" >&2; }

[[ -x $w2v ]] || { log "no w2v binary at $w2v (build first: cmake -S . -B build && cmake --build build)"; exit 2; }
command -v /usr/bin/time >/dev/null || apt-get install -y time >&2

# Big-model section (opt-in, long: BIG=ROWS scripts/bench.sh, e.g. BIG=3000000): generates a
# ROWS x 300 word2vec binary (GEN=clustered, the default, or GEN=random), then measures start to first answer and peak RSS
# of `w2v nearest` parsing the model, `w2v index` once, and `w2v nearest` mapping the index
# (3 warm runs), beside gensim KeyedVectors.load(mmap='r') + most_similar on the same model
# (saved once in gensim's own format); then `index --ann`'s graph build and 1,000 random queries
# exact / --ann / gensim with recall@10. Prints Markdown tables; deletes its files at the end.
if [[ -n ${BIG:-} ]]; then
  if [[ -n ${BIG_DIR:-} ]]; then
    big=$BIG_DIR
    mkdir -p "$big"
  else
    big=$(mktemp -d "${TMPDIR:-/tmp}/w2v-big.XXXXXX")
    trap 'rm -rf "$big"' EXIT
  fi
  log "big model: $BIG x 300 in $big"
  # A model kept in BIG_DIR from an earlier run is reused when its header has these rows;
  # the index and graph too when both are there (a stale one makes the queries fail, exit 1).
  reuse=0
  if [[ -f $big/m.bin && $(head -c 64 "$big/m.bin" | head -n 1) == "$BIG 300" ]]; then
    reuse=1
    log "reusing $big/m.bin"
  fi
  # GEN=random: i.i.d. gaussian rows (no structure: no ANN method reaches high recall cheaply
  # on them). GEN=clustered (default): real embeddings' kind of structure, low intrinsic
  # dimension: 2,000 cluster centres (gaussian), each row its centre + a gaussian point of its
  # cluster's own 10-dimensional subspace (basis entries N(0, 0.5^2)) + N(0, 0.3^2) noise.
  [[ $reuse == 1 ]] || /usr/bin/python3 - "$BIG" "$big/m.bin" "${GEN:-clustered}" <<'PY'
import sys, numpy as np
rows, path, gen = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = np.random.default_rng(1)
if gen == "clustered":
    centres = rng.standard_normal((2000, 300), dtype=np.float32)
    bases = (0.5 * rng.standard_normal((2000, 10, 300))).astype(np.float32)
with open(path, "wb") as f:
    f.write(b"%d 300\n" % rows)
    for start in range(0, rows, 100000):
        n = min(100000, rows - start)
        if gen == "clustered":
            c = rng.integers(0, 2000, n)
            a = rng.standard_normal((n, 10), dtype=np.float32)
            m = centres[c] + np.einsum("nk,nkd->nd", a, bases[c]) + 0.3 * rng.standard_normal((n, 300), dtype=np.float32)
            m = m.astype(np.float32)
        else:
            m = rng.standard_normal((n, 300), dtype=np.float32)
        f.write(b"".join(b"w%d %s\n" % (start + i, m[i].tobytes()) for i in range(m.shape[0])))
PY
  q=w$((BIG / 2))
  # timed NAME CMD...: "NAME | wall s | peak RSS MB" (wall includes process start).
  timed() {
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$big/t" "$@" > "$big/out" 2> "$big/err" || { cat "$big/err" >&2; exit 1; }
    read -r wall kb < "$big/t"
    echo "| $name | $wall | $((kb / 1024)) |"
  }
  echo "| $BIG x 300 ($(du -m "$big/m.bin" | cut -f1) MB binary) | wall s | peak RSS MB |"
  echo "|---|---|---|"
  # A reused index is set aside for this row (a rename keeps its fingerprint, so its graph stays
  # valid), else nearest would map it instead of parsing.
  [[ -f $big/m.bin.w2vi.aside ]] && mv "$big/m.bin.w2vi.aside" "$big/m.bin.w2vi"
  [[ -f $big/m.bin.w2vi ]] && mv "$big/m.bin.w2vi" "$big/m.bin.w2vi.aside"
  timed "w2v nearest (parses the model)" "$w2v" nearest -m "$big/m.bin" "$q" -k 10
  [[ -f $big/m.bin.w2vi.aside ]] && mv "$big/m.bin.w2vi.aside" "$big/m.bin.w2vi"
  graph=$big/m.bin.w2vi.hnsw
  if [[ $reuse == 1 && -f $graph ]]; then
    echo "| w2v index (once): reused from an earlier run in $big | | |"
  else
    rm -f "$graph"
    timed "w2v index (once)" "$w2v" index "$big/m.bin"
  fi
  for i in 1 2 3; do timed "w2v nearest (mapped index, run $i)" "$w2v" nearest -m "$big/m.bin" "$q" -k 10; done
  timed "w2v nearest --restrict 30000 (mapped index)" "$w2v" nearest -m "$big/m.bin" "$q" -k 10 --restrict 30000
  timed "w2v vec (mapped index)" "$w2v" vec -m "$big/m.bin" "$q"
  if [[ $reuse == 1 && -f $big/m.kv ]]; then
    echo "| gensim load_word2vec_format + save (once): reused from an earlier run | | |"
  else
    timed "gensim load_word2vec_format + save (once)" /usr/bin/python3 -c "
import sys; from gensim.models import KeyedVectors
KeyedVectors.load_word2vec_format(sys.argv[1], binary=True).save(sys.argv[2])" "$big/m.bin" "$big/m.kv"
  fi
  timed "python3 + import gensim (no work)" /usr/bin/python3 -c "from gensim.models import KeyedVectors"
  for i in 1 2 3; do
    timed "gensim KeyedVectors.load(mmap='r') + most_similar (run $i)" /usr/bin/python3 -c "
import sys; from gensim.models import KeyedVectors
kv = KeyedVectors.load(sys.argv[1], mmap='r'); print(kv.most_similar(sys.argv[2], topn=10))" "$big/m.kv" "$q"
  done
  timed "gensim load(mmap='r') + most_similar(restrict_vocab=30000)" /usr/bin/python3 -c "
import sys; from gensim.models import KeyedVectors
kv = KeyedVectors.load(sys.argv[1], mmap='r'); print(kv.most_similar(sys.argv[2], topn=10, restrict_vocab=30000))" "$big/m.kv" "$q"
  # ANN: the graph over the index (kept), then 1,000 random queries (one a line on stdin) by
  # exact search, by --ann and by gensim's most_similar (exact, numpy); queries/s include the
  # process start and the load; recall@10 of --ann against exact on the same queries.
  ann_threads=${ANN_THREADS:-2}
  if [[ -f $graph ]]; then
    echo "| w2v index --ann: graph reused from an earlier run in $big | | |"
  else
    timed "w2v index --ann (graph only, M 16, ef_construction 200, $ann_threads threads)" \
      "$w2v" index "$big/m.bin" --ann --threads "$ann_threads"
  fi
  for i in 1 2 3; do
    timed "w2v nearest --ann (one query: start, map, load the graph, answer; run $i)" \
      "$w2v" nearest -m "$big/m.bin" "$q" -k 10 --ann
  done
  /usr/bin/python3 -c "
import random, sys; random.seed(5); n = int(sys.argv[1])
print('\n'.join('w%d' % random.randrange(n) for _ in range(1000)))" "$BIG" > "$big/queries"
  # GENSIM_QUERIES=N: gensim answers only the first N of them (each of its queries reads every
  # row: about 0.4 s at 3M rows); its rate is N / wall.
  head -n "${GENSIM_QUERIES:-1000}" "$big/queries" > "$big/queries.gensim"
  qtimed() { # NAME OUT QUERIES CMD...: "NAME | wall s | peak RSS MB | queries/s"
    local name=$1 out=$2 queries=$3; shift 3
    /usr/bin/time -f "%e %M" -o "$big/t" "$@" < "$queries" > "$out" 2> "$big/err" || { cat "$big/err" >&2; exit 1; }
    read -r wall kb < "$big/t"
    echo "| $name | $wall | $((kb / 1024)) | $(awk -v n="$(wc -l < "$queries")" -v w="$wall" 'BEGIN {printf "%.0f", n / w}') |"
  }
  echo
  echo "| 1,000 random queries, k 10 (load average $(cut -d' ' -f1-3 /proc/loadavg)) | wall s | peak RSS MB | queries/s |"
  echo "|---|---|---|---|"
  qtimed "w2v nearest - (exact, mapped index)" "$big/exact.tsv" "$big/queries" "$w2v" nearest -m "$big/m.bin" -
  for ef in 50 100 200; do
    qtimed "w2v nearest --ann --ef $ef -" "$big/ann$ef.tsv" "$big/queries" "$w2v" nearest -m "$big/m.bin" --ann --ef "$ef" -
  done
  qtimed "gensim load(mmap='r') + most_similar x $(wc -l < "$big/queries.gensim")" "$big/gensim.out" "$big/queries.gensim" /usr/bin/python3 -c "
import sys; from gensim.models import KeyedVectors
kv = KeyedVectors.load(sys.argv[1], mmap='r')
for line in sys.stdin: kv.most_similar(line.strip(), topn=10)" "$big/m.kv"
  for ef in 50 100 200; do
    /usr/bin/python3 - "$big/exact.tsv" "$big/ann$ef.tsv" "$ef" <<'PY'
import collections, sys
def load(p):
    d = collections.defaultdict(set)
    for line in open(p):
        q, _, w, _ = line.rstrip("\n").split("\t")
        d[q].add(w)
    return d
e, a = load(sys.argv[1]), load(sys.argv[2])
print("recall@10 of --ann --ef %s against exact: %.4f" % (sys.argv[3], sum(len(e[q] & a[q]) for q in e) / sum(len(e[q]) for q in e)))
PY
  done
  echo "graph file: $(du -m "$graph" | cut -f1) MB; index: $(du -m "$big/m.bin.w2vi" | cut -f1) MB"
  exit 0
fi
if [[ $peers == 1 && ${ONLY:-} != subwords ]]; then # the subwords section's peer is fastText alone
  [[ ${ONLY:-} == phrases ]] || "$root/scripts/install-deps.sh" --test >&2
  c_tools=$("$root/scripts/install-peers.sh" "$root/build/peers")
fi
[[ $peers == 1 && ${ONLY:-} == subwords ]] && { command -v fasttext >/dev/null || "$root/scripts/install-deps.sh" --test >&2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
plain=$tmp/corpus.txt
if [[ $corpus == *.gz ]]; then zcat "$corpus" > "$plain"; else cp "$corpus" "$plain"; fi
words=$(wc -w < "$plain")
log "corpus $corpus: $words words; results in $tmp"

# run NAME OUTFILE CMD... : time one command; records "NAME wall rss_mb" in $tmp/times
run() {
  local name=$1 out=$2; shift 2
  log "running $name"
  /usr/bin/time -f "%e %M" -o "$tmp/time.$$" "$@" > "$tmp/$name.log" 2>&1 || { log "$name failed:"; tail -5 "$tmp/$name.log" >&2; exit 1; }
  read -r wall rss < "$tmp/time.$$"
  echo "$name $wall $((rss / 1024)) $out" >> "$tmp/times"
}

# Phrases: w2v phrases against word2phrase at word2phrase's defaults (min-count 5, threshold 100),
# one pass, on the same plain text (and w2v also on the .gz); the outputs must be identical.
phrases_section() {
  local pt=$tmp/phrases-times load_before
  : > "$pt"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  tp() { # NAME CMD... : wall time into $pt
    local name=$1; shift
    log "running $name"
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/time.$$" "$@" > "$tmp/$name.log" 2>&1 || { log "$name failed:"; tail -5 "$tmp/$name.log" >&2; exit 1; }
    read -r wall rss user sys < "$tmp/time.$$"
    echo "$name $wall $((rss / 1024)) $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}')" >> "$pt"
  }
  tp w2v-phrases "$w2v" phrases "$plain" -o "$tmp/phrases-w2v.txt" --threads $threads
  tp w2v-phrases-gz "$w2v" phrases "$corpus" -o "$tmp/phrases-w2v-gz.txt" --threads $threads
  if [[ $peers == 1 ]]; then
    tp word2phrase "$c_tools/word2phrase" -train "$plain" -output "$tmp/phrases-w2p.txt" -min-count 5 -threshold 100 -debug 0
  fi
  echo "## Phrases ($(date -u +%F), $(nproc) cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Corpus: $corpus ($words words), one pass, min-count 5, threshold 100, $threads threads."
  echo
  echo "| run | wall s | ratio to word2phrase | CPU s (user + sys) | peak RSS MB |"
  echo "|---|---|---|---|---|"
  local base
  base=$(awk '$1 == "word2phrase" {print $2}' "$pt")
  while read -r name wall rss cpu; do
    if [[ -n $base ]]; then ratio=$(awk -v b="$base" -v w="$wall" 'BEGIN {printf "%.1fx", b / w}'); else ratio=-; fi
    echo "| $name | $wall | $ratio | $cpu | $rss |"
  done < "$pt"
  echo
  local joined
  joined=$(grep -o '[^ ]*_[^ ]*' "$tmp/phrases-w2v.txt" | sort -u | wc -l)
  echo "Distinct tokens with '_' in w2v's output: $joined."
  cmp -s "$tmp/phrases-w2v.txt" "$tmp/phrases-w2v-gz.txt" || { echo "w2v's outputs from the .gz and the plain text DIFFER"; exit 1; }
  if [[ $peers == 1 ]]; then
    if cmp -s "$tmp/phrases-w2v.txt" "$tmp/phrases-w2p.txt"; then
      echo "Agreement: w2v's output is byte-identical to word2phrase's ($(wc -c < "$tmp/phrases-w2p.txt") bytes)."
    else
      echo "Agreement: outputs DIFFER: $(cmp "$tmp/phrases-w2v.txt" "$tmp/phrases-w2p.txt" | head -1)"
      exit 1
    fi
  fi
  echo
}
# Subwords: w2v --maxn 6 against fastText's skipgram at the same settings (the subword issue's
# item 4: skip-gram, dim 100, window 5, negative 5, minn 3, maxn 6, bucket 2M, 1 epoch, lr 0.05,
# 2 threads; both at sample 1e-4, min-count 5), one run each, then the same scoring: analogy and
# WS-353 on the words' vectors, and the rare-word check: WS-353 and SimLex-999 scored from each
# .bin, where a pair with a word below min-count gets its vector from the n-grams (pairs counted).
subwords_section() {
  local st=$tmp/subword-times load_before
  : > "$st"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  ts() { # NAME CMD... : wall, peak RSS, CPU into $st
    local name=$1; shift
    log "running $name"
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/time.$$" "$@" > "$tmp/$name.log" 2>&1 || { log "$name failed:"; tail -5 "$tmp/$name.log" >&2; exit 1; }
    read -r wall rss user sys < "$tmp/time.$$"
    echo "$name $wall $((rss / 1024)) $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}')" >> "$st"
  }
  local sl=$root/../shared/data/eval/en/simlex999.txt
  ts w2v-subwords "$w2v" train "$corpus" -o "$tmp/w2v-subwords.vec" --save-fasttext "$tmp/w2v-subwords.bin" \
    --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 1 --lr 0.05 \
    --maxn 6 --minn 3 --bucket 2000000 --threads $threads -q
  if [[ $peers == 1 ]]; then
    ts fastText-subwords fasttext skipgram -input "$plain" -output "$tmp/fastText-subwords" -dim 100 -ws 5 -neg 5 \
      -t 1e-4 -minCount 5 -epoch 1 -lr 0.05 -minn 3 -maxn 6 -bucket 2000000 -thread $threads -verbose 0
  fi
  echo "## Subwords ($(date -u +%F), $(nproc) cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Corpus: $corpus ($words words). Settings: skip-gram, dim 100, window 5, negative 5, minn 3, maxn 6, bucket 2,000,000, sample 1e-4, min-count 5, 1 epoch, lr 0.05, $threads threads."
  echo
  echo "| run | wall s | speed-up over fastText | CPU s (user + sys) | peak RSS MB | analogy % | WS-353 | WS-353 from .bin (pairs) | SimLex-999 from .bin (pairs) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  local base
  base=$(awk '$1 == "fastText-subwords" {print $2}' "$st")
  sim() { # SET MODEL: "spearman (used pairs)"
    "$w2v" eval similarity "$1" -m "$2" --json 2>/dev/null | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.3f (%d)" % (d["spearman"], d["pairs"]))'
  }
  while read -r name wall rss cpu; do
    if [[ -n $base ]]; then ratio=$(awk -v b="$base" -v w="$wall" 'BEGIN {printf "%.1fx", b / w}'); else ratio=-; fi
    local vecf=$tmp/$name.vec binf=$tmp/$name.bin
    echo "| $name | $wall | $ratio | $cpu | $rss | $(score "$vecf" | sed 's/ / | /') | $(sim "$ws" "$binf") | $(sim "$sl" "$binf") |"
  done < "$st"
  echo
}
# Quality: every result scored by the same tool (w2v eval, which agrees with gensim's
# evaluate_word_analogies(restrict_vocab=30000) exactly under --rules gensim, and with
# evaluate_word_pairs within 0.001; both agreements are tested).
score() {
  local f=$1
  [[ -z $f || ! -f $f ]] && { echo "- -"; return; }
  local a s
  a=$("$w2v" eval analogy "$qw" -m "$f" --restrict 30000 --rules gensim --json | /usr/bin/python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["accuracy_pct"])')
  s=$("$w2v" eval similarity "$ws" -m "$f" --json | /usr/bin/python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["spearman"])')
  echo "$a $s"
}

# Reading: the vocabulary pass and the .gz cost, all runs interleaved (a load change hits every
# row alike); the vocabularies must be identical (w2v's from the text and from the .gz).
reading_section() {
  local rt=$tmp/reading-times n=${RUNS:-5} load_before
  : > "$rt"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  tr_() { # NAME CMD... : wall and CPU into $rt
    local name=$1; shift
    log "running $name"
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/time.$$" "$@" > "$tmp/$name.log" 2>&1 || { log "$name failed:"; tail -5 "$tmp/$name.log" >&2; exit 1; }
    read -r wall rss user sys < "$tmp/time.$$"
    echo "$name $wall $((rss / 1024)) $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')" >> "$rt"
  }
  for ((r = 1; r <= n; r++)); do
    tr_ w2v-vocab-text "$w2v" train "$plain" --vocab-only --save-vocab "$tmp/rv-text.txt" --min-count 5 --threads $threads -q
    tr_ w2v-vocab-gz "$w2v" train "$corpus" --vocab-only --save-vocab "$tmp/rv-gz.txt" --min-count 5 --threads $threads -q
    [[ $peers == 1 ]] && tr_ word2vec.c-vocab "$c_tools/word2vec" -train "$plain" -save-vocab "$tmp/rv-c.txt" -min-count 5
    tr_ w2v-train-text "$w2v" train "$plain" -o "$tmp/rt-text.bin" "${common[@]}"
    tr_ w2v-train-gz "$w2v" train "$corpus" -o "$tmp/rt-gz.bin" "${common[@]}"
  done
  cmp -s "$tmp/rv-text.txt" "$tmp/rv-gz.txt" || { log "the vocabularies from the text and the .gz differ"; exit 1; }
  echo "## Reading: the vocabulary pass and .gz input ($(date -u +%F), $(nproc) cores, load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Corpus: $corpus ($words words), $n runs each, interleaved. Vocabulary pass: \`w2v train --vocab-only --save-vocab\` (min-count 5, $threads threads) against \`word2vec -train TEXT -save-vocab\`; training: the speed section's settings. The two w2v vocabularies are identical ($(wc -l < "$tmp/rv-text.txt") words)."
  echo
  /usr/bin/python3 - "$rt" <<'PY'
import statistics, sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    name, wall, rss, cpu = line.split()
    rows.setdefault(name, []).append((float(wall), int(rss), float(cpu)))
med = {k: statistics.median(w for w, _, _ in v) for k, v in rows.items()}
def ratio(name):
    if name.endswith("-gz"):
        return f"{med[name] / med[name[:-3] + '-text']:.3f}x the text's time"
    if name == "w2v-vocab-text" and "word2vec.c-vocab" in med:
        return f"{med['word2vec.c-vocab'] / med[name]:.1f}x faster than word2vec.c"
    return "-"
print("| run | wall s, median (min-max) | CPU s (user + sys), median | peak RSS MB | ratio |")
print("|---|---|---|---|---|")
for name, rs in rows.items():
    walls = sorted(w for w, _, _ in rs)
    print(f"| {name} | {med[name]:.2f} ({walls[0]:.2f}-{walls[-1]:.2f}) | {statistics.median(c for _, _, c in rs):.2f} | {max(r for _, r, _ in rs)} | {ratio(name)} |")
if "word2vec.c-vocab" in med:
    print(f"\nw2v's vocabulary pass on the .gz: {med['word2vec.c-vocab'] / med['w2v-vocab-gz']:.1f}x faster than word2vec.c on the text.")
PY
}

# training_stats LOG: "SECONDS PAIRS" from a w2v train log's summary line
# ("info: training 2.90 s: 15400000 centre words kept by subsampling, 87100000 (centre, context) pairs").
training_stats() {
  sed -n 's/.*training \([0-9.]*\) s: [0-9]* centre words kept by subsampling, \([0-9]*\) (centre, context) pairs.*/\1 \2/p' "$1"
}

# Cost curve: how the cost grows with the work. Training at the first 1M and 5M words and the whole
# corpus, each at dim 50, 100 and 300 (the speed section's other settings), all runs interleaved;
# word2vec.c beside it at each dim on the 5M slice. Each w2v run's summary gives its training
# seconds and (centre, context) pairs; a pair costs 6 (1 + negative) dim FLOP ((1 + negative) dot
# products and 2 (1 + negative) axpys of dim floats, 2 FLOP a multiply-add; the batched kernel
# does the same arithmetic as a matrix product), so FLOP / training seconds against the FMA peak
# that scripts/fma_peak.cpp measures here, with both cores busy, is the share of peak.
curve_section() {
  local ct=$tmp/curve-times n=${RUNS:-3} load_before neg=5
  : > "$ct"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  g++ -O2 -o "$tmp/fma_peak" "$root/scripts/fma_peak.cpp"
  # Both cores at once, as training runs: their sum is the peak.
  "$tmp/fma_peak" > "$tmp/peak1" & "$tmp/fma_peak" > "$tmp/peak2"; wait
  local peak
  peak=$(for f in "$tmp/peak1" "$tmp/peak2"; do sort -k2 -g -r "$f" | head -n 1 | cut -d' ' -f2; done |
    awk '{ s += $1 } END { printf "%.1f", s }')
  awk '{ n += NF; print; if (n >= 1000000) exit }' "$plain" > "$tmp/slice-1m.txt"
  awk '{ n += NF; print; if (n >= 5000000) exit }' "$plain" > "$tmp/slice-5m.txt"
  ln -sf "$plain" "$tmp/slice-all.txt"
  local r slice dim flags=(--window 5 --negative "$neg" --sample 1e-4 --min-count 5 --epochs 1)
  for ((r = 1; r <= n; r++)); do
    for slice in 1m 5m all; do
      for dim in 50 100 300; do
        log "curve: w2v $slice dim $dim (run $r of $n)"
        /usr/bin/time -f "%e" -o "$tmp/time.$$" "$w2v" train "$tmp/slice-$slice.txt" -o "$tmp/curve.bin" --dim $dim \
          "${flags[@]}" --threads $threads 2> "$tmp/curve.log" ||
          { log "w2v failed:"; tail -5 "$tmp/curve.log" >&2; exit 1; }
        echo "w2v $slice $dim $(cat "$tmp/time.$$") $(training_stats "$tmp/curve.log")" >> "$ct"
      done
    done
  done
  # What bounds it: the 5M slice at dim 100 with the vocabulary cut to 2,000 words (both matrices,
  # 1.8 MB, stay in the caches) and 20,000, against all of it; 1 and 2 threads; AVX-512 and AVX2.
  local bt=$tmp/bound-times vocab isa
  : > "$bt"
  for ((r = 1; r <= n; r++)); do
    for vocab in 2000 20000 0; do
      for t in 1 2; do
        for isa in avx512 avx2; do
          log "bound: vocabulary $vocab, $t threads, $isa (run $r of $n)"
          W2V_ISA=$isa "$w2v" train "$tmp/slice-5m.txt" -o "$tmp/curve.bin" --dim 100 \
            "${flags[@]}" --threads $t --max-vocab $vocab 2> "$tmp/curve.log" ||
            { log "w2v failed:"; tail -5 "$tmp/curve.log" >&2; exit 1; }
          echo "$vocab $t $isa $(training_stats "$tmp/curve.log")" >> "$bt"
        done
      done
    done
  done
  if [[ $peers == 1 ]]; then
    for dim in 50 100 300; do
      log "curve: word2vec.c 5m dim $dim"
      /usr/bin/time -f "%e" -o "$tmp/time.$$" "$c_tools/word2vec" -train "$tmp/slice-5m.txt" -output "$tmp/curve-c.bin" -cbow 0 -size $dim \
        -window 5 -negative $neg -hs 0 -sample 1e-4 -min-count 5 -iter 1 -threads $threads -binary 1 > /dev/null
      echo "word2vec.c 5m $dim $(cat "$tmp/time.$$") - -" >> "$ct"
    done
  fi
  echo "## Cost curve ($(date -u +%F), $(nproc) cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Corpus: the first 1M and 5M words of $corpus and all of it ($words words); skip-gram, window 5, negative $neg, sample 1e-4, min-count 5, 1 epoch, $threads threads; w2v $n runs of each, interleaved (medians), word2vec.c once. FMA peak measured on both cores at once by scripts/fma_peak.cpp: $peak GFLOP/s ($(tr '\n' ' ' < "$tmp/peak1")per core)."
  echo
  /usr/bin/python3 - "$ct" "$peak" "$neg" "$(wc -w < "$tmp/slice-1m.txt")" "$(wc -w < "$tmp/slice-5m.txt")" "$words" <<'PY'
import statistics, sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    tool, slice_, dim, wall, train_s, pairs = line.split()
    rows.setdefault((tool, slice_, int(dim)), []).append((float(wall), train_s, pairs))
peak, neg = float(sys.argv[2]), int(sys.argv[3])
words = dict(zip(("1m", "5m", "all"), map(int, sys.argv[4:7])))
med = {k: statistics.median(w for w, _, _ in v) for k, v in rows.items()}
print("| words | dim | w2v wall s, median (min-max) | words/s | training s | pairs | GFLOP/s in training | share of FMA peak | word2vec.c wall s | w2v's speed-up |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (tool, s, dim), rs in rows.items():
    if tool != "w2v":
        continue
    walls = sorted(w for w, _, _ in rs)
    train = statistics.median(float(t) for _, t, _ in rs)
    pairs = int(rs[0][2])
    gflops = 6 * (1 + neg) * dim * pairs / train / 1e9
    c = med.get(("word2vec.c", s, dim))
    cs = f"{c:.1f}" if c else "-"
    ratio = f"{c / med[(tool, s, dim)]:.1f}x" if c else "-"
    print(f"| {words[s]:,} | {dim} | {med[(tool, s, dim)]:.2f} ({walls[0]:.2f}-{walls[-1]:.2f}) | {words[s] / med[(tool, s, dim)]:,.0f} | {train:.2f} | {pairs:,} | {gflops:.1f} | {100 * gflops / peak:.0f} % | {cs} | {ratio} |")
PY
  echo
  echo "What bounds the training: the 5M slice, dim 100, the vocabulary cut with \`--max-vocab\` (2,000 words: both matrices in the caches), 1 and 2 threads, \`W2V_ISA\` avx512 or avx2; medians of $n. The share is of the peak of the cores used ($(tr '\n' ' ' < "$tmp/peak1")GFLOP/s per core)."
  echo
  /usr/bin/python3 - "$bt" "$peak" "$neg" <<'PY'
import statistics, sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    vocab, threads, isa, train_s, pairs = line.split()
    rows.setdefault((int(vocab), int(threads), isa), []).append((float(train_s), int(pairs)))
peak2, neg = float(sys.argv[2]), int(sys.argv[3])
print("| vocabulary | threads | ISA | training s, median | pairs | GFLOP/s | share of the cores' FMA peak | 1 -> 2 threads |")
print("|---|---|---|---|---|---|---|---|")
g = {}
for (vocab, threads, isa), rs in sorted(rows.items(), key=lambda kv: (kv[0][0] or 10**9, kv[0][2] != "avx512", kv[0][1])):
    train = statistics.median(t for t, _ in rs)
    pairs = rs[0][1]
    g[(vocab, threads, isa)] = gflops = 6 * (1 + neg) * 100 * pairs / train / 1e9
    scaling = f"{g[(vocab, 2, isa)] / g[(vocab, 1, isa)] / 2:.0%} efficiency" if threads == 2 and (vocab, 1, isa) in g else "-"
    print(f"| {vocab or 'all'} | {threads} | {isa} | {train:.2f} | {pairs:,} | {gflops:.1f} | {100 * gflops / (peak2 * threads / 2):.0f} % | {scaling} |")
PY
}

if [[ ${ONLY:-} == phrases ]]; then
  phrases_section
  exit 0
fi
if [[ ${ONLY:-} == subwords ]]; then
  subwords_section
  exit 0
fi

# Korean: w2v's documented Korean command (the Korean mode, chosen by itself on Hangul text; the
# defaults otherwise) against fastText skipgram (its defaults, character n-grams 3-6 included: its
# answer to Korean inflection) and gensim skip-gram on the raw eojeol, at the same dim, window,
# negatives, min-count, sample and 5 epochs. Scored by one tool (w2v eval): Korean WordSim-353, the
# 10,000 Korean analogies (all of them: an unanswerable question counts as wrong), each section,
# and the 10 nearest words of 서울. fastText is scored from its .bin (every word gets a vector from
# its n-grams, as fastText itself answers) and from its .vec (the vocabulary only).
korean_section() {
  local kt=$tmp/korean-times load_before ko_ws=$root/../shared/data/eval/ko/wordsim353_ko.csv
  local ko_qw=$root/../shared/data/eval/ko/analogy_ko.txt
  : > "$kt"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  tk() { # NAME CMD... : wall time and peak RSS into $kt
    local name=$1; shift
    log "running $name"
    /usr/bin/time -f "%e %M" -o "$tmp/time.$$" "$@" > "$tmp/$name.log" 2>&1 || { log "$name failed:"; tail -5 "$tmp/$name.log" >&2; exit 1; }
    read -r wall rss < "$tmp/time.$$"
    echo "$name $wall $((rss / 1024))" >> "$kt"
  }
  local s=(--dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs 5)
  tk w2v "$w2v" train "$corpus" -o "$tmp/ko-w2v.bin" "${s[@]}" --threads $threads -q
  if [[ $peers == 1 ]]; then
    tk fastText fasttext skipgram -input "$plain" -output "$tmp/ko-fasttext" -dim 100 -ws 5 -neg 5 \
      -minCount 5 -t 1e-3 -epoch 5 -thread $threads -verbose 0
    tk gensim /usr/bin/python3 -c "
from gensim.models import Word2Vec
m = Word2Vec(corpus_file='$plain', sg=1, vector_size=100, window=5, negative=5, hs=0, sample=1e-3,
             min_count=5, epochs=5, workers=$threads)
m.wv.save_word2vec_format('$tmp/ko-gensim.bin', binary=True)"
  fi
  echo "## Korean ($(date -u +%F), $(nproc) cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Corpus: $corpus ($words whitespace words). Skip-gram, dim 100, window 5, negative 5, min-count 5, sample 1e-3, 5 epochs, $threads threads; w2v in its Korean mode (the default on Hangul text), the peers on the raw eojeol."
  echo
  echo "| run | wall s | fastText's wall / this | peak RSS MB | KO WS-353 (pairs scored) | analogy correct of 10,000 | semantic sections | syntactic sections | 서울's 10 nearest |"
  echo "|---|---|---|---|---|---|---|---|---|"
  # The surface forms for w2v's composed candidates (w2v eval analogy --forms): the corpus counted
  # whole, every eojeol seen twice or more. Not part of the timed training.
  "$w2v" train "$corpus" --tokenize words --vocab-only --save-vocab "$tmp/ko-forms.txt" \
    --min-count 2 --threads $threads -q
  local ft_wall name timing model extra wall rss ratio ws_json an_json near
  ft_wall=$(awk '$1 == "fastText" {print $2}' "$kt")
  while read -r name timing model extra; do
    [[ -f $model ]] || continue
    wall=-; rss=-; ratio=-
    if [[ $timing != - ]]; then
      read -r wall rss < <(awk -v n="$timing" '$1 == n {print $2, $3}' "$kt")
      [[ -n $ft_wall ]] && ratio=$(awk -v b="$ft_wall" -v w="$wall" 'BEGIN {printf "%.1fx", b / w}')
    fi
    ws_json=$("$w2v" eval similarity "$ko_ws" -m "$model" --json 2>/dev/null)
    # shellcheck disable=SC2086 # $extra is empty or "--forms FILE"
    an_json=$("$w2v" eval analogy "$ko_qw" -m "$model" $extra --json 2>/dev/null)
    near=$("$w2v" nearest -m "$model" -k 10 서울 2>/dev/null | cut -f3 | tr '\n' ' ')
    /usr/bin/python3 - "$name" "$wall" "$ratio" "$rss" "$ws_json" "$an_json" "$near" <<'PY'
import json, sys
name, wall, ratio, rss, ws, an, near = sys.argv[1:]
ws, an = json.loads(ws), json.loads(an)
def secs(kind):
    return ", ".join(f"{s['name'].split('_')[0]} {s['correct']}" for s in an["sections"] if s["kind"] == kind)
print(f"| {name} | {wall} | {ratio} | {rss} | {ws['spearman']:.3f} ({ws['pairs']}) "
      f"| {an['correct']} ({an['correct_of_all_pct']:.1f} %) | {secs('semantic')} | {secs('syntactic')} | {near.strip()} |")
PY
  done <<LIST
w2v w2v $tmp/ko-w2v.bin
w2v(--forms) w2v $tmp/ko-w2v.bin --forms $tmp/ko-forms.txt
fastText(.bin) fastText $tmp/ko-fasttext.bin
fastText(.vec) - $tmp/ko-fasttext.vec
gensim gensim $tmp/ko-gensim.bin
LIST
  echo
  echo "The composed-forms row is the same w2v model scored with \`w2v eval analogy --forms\` (the corpus's eojeol seen twice or more, counted whole; each one the model lacks that is a stem + particle/ending of its first 30,000 rows becomes a candidate, unit(stem) + unit(suffix))."
  echo
}
if [[ ${ONLY:-} == korean ]]; then
  korean_section
  exit 0
fi

settings=(--dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 1 -q)
common=("${settings[@]}" --threads "$threads")
# Hierarchical softmax draws no negatives (--negative is refused with --loss hs).
hs_common=(--dim 100 --window 5 --sample 1e-4 --min-count 5 --epochs 1 -q --threads "$threads" --loss hs)
if [[ ${ONLY:-} == reading ]]; then
  reading_section
  exit 0
fi
if [[ ${ONLY:-} == curve ]]; then
  curve_section
  exit 0
fi
for ((r = 1; r <= runs; r++)); do
  run "w2v-batched" "$tmp/w2v-batched.bin" "$w2v" train "$corpus" -o "$tmp/w2v-batched.bin" "${common[@]}"
  run "w2v-batched-lr0.025" "$tmp/w2v-batched-lr0.025.bin" "$w2v" train "$corpus" -o "$tmp/w2v-batched-lr0.025.bin" "${common[@]}" --lr 0.025
  run "w2v-exact" "$tmp/w2v-exact.bin" "$w2v" train "$corpus" -o "$tmp/w2v-exact.bin" "${common[@]}" --kernel exact
  run "w2v-plain-text" "$tmp/w2v-plain-text.bin" "$w2v" train "$plain" -o "$tmp/w2v-plain-text.bin" "${common[@]}"
  run "w2v-cbow" "$tmp/w2v-cbow.bin" "$w2v" train "$corpus" -o "$tmp/w2v-cbow.bin" "${common[@]}" --model cbow
  run "w2v-cbow-exact-lr0.05" "$tmp/w2v-cbow-exact-lr0.05.bin" "$w2v" train "$corpus" -o "$tmp/w2v-cbow-exact-lr0.05.bin" "${common[@]}" --model cbow --kernel exact --lr 0.05
  run "w2v-hs" "$tmp/w2v-hs.bin" "$w2v" train "$corpus" -o "$tmp/w2v-hs.bin" "${hs_common[@]}"
  run "w2v-hs-exact-lr0.025" "$tmp/w2v-hs-exact-lr0.025.bin" "$w2v" train "$corpus" -o "$tmp/w2v-hs-exact-lr0.025.bin" "${hs_common[@]}" --kernel exact --lr 0.025
  run "w2v-1-thread" "$tmp/w2v-1-thread.bin" "$w2v" train "$corpus" -o "$tmp/w2v-1-thread.bin" "${settings[@]}" --threads 1
  run "w2v-vocab-gz" "" "$w2v" train "$corpus" --vocab-only --save-vocab "$tmp/v1.txt" --min-count 5 --threads $threads -q
  run "w2v-vocab-txt" "" "$w2v" train "$plain" --vocab-only --save-vocab "$tmp/v2.txt" --min-count 5 --threads $threads -q
done
if [[ $peers == 1 ]]; then
  run "word2vec.c" "$tmp/word2vec-c.bin" "$c_tools/word2vec" -train "$plain" -output "$tmp/word2vec-c.bin" \
    -cbow 0 -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -min-count 5 -iter 1 -threads $threads -binary 1
  run "word2vec.c-cbow" "$tmp/word2vec-c-cbow.bin" "$c_tools/word2vec" -train "$plain" -output "$tmp/word2vec-c-cbow.bin" \
    -cbow 1 -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -min-count 5 -iter 1 -threads $threads -binary 1
  run "word2vec.c-hs" "$tmp/word2vec-c-hs.bin" "$c_tools/word2vec" -train "$plain" -output "$tmp/word2vec-c-hs.bin" \
    -cbow 0 -size 100 -window 5 -negative 0 -hs 1 -sample 1e-4 -min-count 5 -iter 1 -threads $threads -binary 1
  run "word2vec.c-vocab" "" "$c_tools/word2vec" -train "$plain" -save-vocab "$tmp/v3.txt" -min-count 5
  run "gensim-corpus_file" "$tmp/gensim.bin" /usr/bin/python3 -c "
import logging, sys
from gensim.models import Word2Vec
m = Word2Vec(corpus_file='$plain', sg=1, vector_size=100, window=5, negative=5, hs=0, sample=1e-4,
             min_count=5, epochs=1, workers=$threads)
m.wv.save_word2vec_format('$tmp/gensim.bin', binary=True)"
  run "fastText" "$tmp/fasttext.vec" fasttext skipgram -input "$plain" -output "$tmp/fasttext" -dim 100 -ws 5 -neg 5 \
    -t 1e-4 -minCount 5 -epoch 1 -thread $threads -maxn 0 -lr 0.025 -verbose 0
fi

/usr/bin/python3 - "$tmp/times" "$words" <<'PY' > "$tmp/table.md"
import statistics, sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    name, wall, rss, *out = line.split()
    rows.setdefault(name, []).append((float(wall), int(rss), out[0] if out else ""))
words = int(sys.argv[2])
def peer(name):  # CBOW and hierarchical-softmax rows compare with word2vec.c's same model
    for model in ("cbow", "hs"):
        if name.startswith(f"w2v-{model}") or name == f"word2vec.c-{model}":
            return f"word2vec.c-{model}"
    return "word2vec.c"
def base(name):
    p = peer(name)
    return statistics.median(w for w, _, _ in rows[p]) if p in rows else None
print("| run | wall s (median of n) | words/s | ratio to word2vec.c (same model) | peak RSS MB | output |")
print("|---|---|---|---|---|---|")
for name, rs in rows.items():
    walls = sorted(w for w, _, _ in rs)
    med = statistics.median(walls)
    ratio = f"{base(name) / med:.2f}x" if base(name) else "-"
    spread = f" ({walls[0]:.1f}-{walls[-1]:.1f}, n={len(walls)})" if len(walls) > 1 else ""
    print(f"| {name} | {med:.2f}{spread} | {words / med:,.0f} | {ratio} | {max(r for _, r, _ in rs)} | {rs[-1][2]} |")
PY
echo "## Speed ($(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo
echo "Corpus: $corpus ($words words). Settings: skip-gram (CBOW for the -cbow rows; hierarchical softmax, no negatives, for the -hs rows), dim 100, window 5, negative 5, sample 1e-4, min-count 5, 1 epoch, $threads threads."
echo
sed 's#'"$tmp"'/##' "$tmp/table.md"
echo
echo "## Quality (analogy: questions-words.txt, top 30,000 words, gensim's rules; WordSim-353 Spearman)"
echo
echo "| result | analogy % | WS-353 |"
echo "|---|---|---|"
for f in w2v-batched w2v-batched-lr0.025 w2v-exact w2v-1-thread word2vec-c w2v-cbow w2v-cbow-exact-lr0.05 \
  word2vec-c-cbow w2v-hs w2v-hs-exact-lr0.025 word2vec-c-hs gensim; do
  [[ -f $tmp/$f.bin ]] && echo "| $f | $(score "$tmp/$f.bin" | sed 's/ / | /') |"
done
[[ -f $tmp/fasttext.vec ]] && echo "| fastText | $(score "$tmp/fasttext.vec" | sed 's/ / | /') |"
echo
echo
phrases_section
subwords_section
echo "HogBatch (pWord2Vec, not packaged): 44.4 s, 2.75x word2vec.c, 765 MB, 16.16 %, 0.466 -- quoted from the performance issue, not measured here."
