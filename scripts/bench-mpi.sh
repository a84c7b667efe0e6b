#!/usr/bin/env bash
# Data-parallel training measured on one machine: 1 process x 2 threads against mpirun -np 2 x 1
# thread, same corpus and settings as scripts/bench.sh, runs interleaved, medians reported; then
# MPI_Allreduce bandwidth and latency between 2 local ranks for the cost model in BENCHMARKS.md.
# The 2 ranks read the corpus as plain text (split by bytes), as a .gz of 16 members (`split
# --filter gzip`, split at member starts) and as a .gz of one member (read by one rank only).
#
#   scripts/bench-mpi.sh [CORPUS]     default ../shared/data/corpus/en/en_mix.txt.gz
#   RUNS=5                 runs of each configuration
#   SYNC="--sync-hot 2000" extra options for the MPI runs
#   W2V=build-mpi/w2v      an MPI build (cmake -DW2V_MPI=ON)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/data/corpus/en/en_mix.txt.gz}
runs=${RUNS:-5}
w2v=${W2V:-$root/build-mpi/w2v}
read -r -a sync <<<"${SYNC:-}"
qw=$root/../shared/data/eval/en/questions-words.txt
ws=$root/../shared/data/eval/en/wordsim353.tsv
log() { echo "bench-mpi: $*" >&2; }
[[ -x $w2v ]] || { log "no MPI build at $w2v (cmake -S . -B build-mpi -DW2V_MPI=ON -DCMAKE_BUILD_TYPE=Release && cmake --build build-mpi)"; exit 2; }
"$root/scripts/install-deps.sh" --mpi >&2
command -v /usr/bin/time >/dev/null || apt-get install -y time >&2
mpirun=(mpirun --oversubscribe -np 2)
[[ $(id -u) -eq 0 ]] && mpirun+=(--allow-run-as-root)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench-mpi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
plain=$tmp/corpus.txt  # plain text: the ranks split it by bytes (a single .gz goes to one rank)
if [[ $corpus == *.gz ]]; then zcat "$corpus" > "$plain"; else cp "$corpus" "$plain"; fi
members=$tmp/members.txt.gz  # 16 members, one after another (split cuts at line ends)
split -n l/16 --filter='gzip -c' "$plain" > "$members"
one_member=$tmp/one-member.txt.gz
gzip -c "$plain" > "$one_member"
settings=(--dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 1)

score() {  # vectors -> "analogy% spearman"
  local a s
  a=$("$w2v" eval analogy "$qw" -m "$1" 2>/dev/null | awk '$1=="all"{print $6}')
  s=$("$w2v" eval similarity "$ws" -m "$1" 2>/dev/null | awk 'NR==2{print $2}')
  echo "$a $s"
}
record() {  # configuration name, log file, vectors -> one line of results
  local line busy=- mb=-
  if line=$(grep -o 'synchronisation: .*' "$2"); then
    busy=$(sed -E 's/.*busy ([0-9.]+) s.*/\1/' <<<"$line")
    mb=$(sed -E 's/.* ([0-9.]+) MB per rank and sync.*/\1/' <<<"$line")
  fi
  echo "$1 $(grep -o 'training [0-9.]* s' "$2" | awk '{print $2}') $(score "$3") $busy $mb $(grep -o 'done in [0-9.]* s' "$2" | awk '{print $3}')" >>"$tmp/results"
}
for i in $(seq "$runs"); do
  log "run $i/$runs: 1 x 2 threads"
  "$w2v" train "$plain" -o "$tmp/single.bin" --threads 2 "${settings[@]}" 2>"$tmp/single.log"
  record single "$tmp/single.log" "$tmp/single.bin"
  for c in mpi members one-member; do
    input=$plain
    [[ $c == members ]] && input=$members
    [[ $c == one-member ]] && input=$one_member
    log "run $i/$runs: 2 ranks x 1 thread, $c"
    "${mpirun[@]}" "$w2v" train "$input" -o "$tmp/mpi.bin" --threads 1 "${settings[@]}" "${sync[@]}" 2>"$tmp/mpi.log"
    record "$c" "$tmp/mpi.log" "$tmp/mpi.bin"
  done
done
tokens=$(grep -o 'read [0-9]* tokens' "$tmp/single.log" | awk '{print $2}')
cat "$tmp/results" >&2
echo "| configuration | training s (median of $runs) | words/s | analogy % | WordSim-353 | sync thread busy s | MB per sync | whole run s |"
echo "|---|---|---|---|---|---|---|---|"
median() {  # column N of configuration C
  awk -v c="$1" -v n="$2" '$1==c{print $n}' "$tmp/results" | sort -g |
    awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'
}
for c in single mpi members one-member; do
  t=$(median "$c" 2)
  case $c in
    single) name="1 process x 2 threads, plain text" ;;
    mpi) name="2 ranks x 1 thread, plain text" ;;
    members) name="2 ranks x 1 thread, .gz of 16 members" ;;
    one-member) name="2 ranks x 1 thread, .gz of 1 member" ;;
  esac
  printf '| %s | %s | %.2fM | %s | %s | %s | %s | %s |\n' "$name" "$t" \
    "$(awk -v w="$tokens" -v t="$t" 'BEGIN{print w/t/1e6}')" "$(median "$c" 3)" "$(median "$c" 4)" \
    "$(median "$c" 5)" "$(median "$c" 6)" "$(median "$c" 7)"
done
log "MPI_Allreduce between 2 local ranks"
mpicxx -O2 -o "$tmp/allreduce" "$root/scripts/mpi_allreduce_bench.cpp"
echo
echo "| allreduce payload | median time | bandwidth (payload / time) |"
echo "|---|---|---|"
"${mpirun[@]}" "$tmp/allreduce" | awk '{ printf "| %.0f KB | %.3f ms | %.0f MB/s |\n", $1/1024, $2*1e3, $1/$2/1e6 }'
