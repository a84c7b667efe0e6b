#!/usr/bin/env bash
# Runs the README's MPI block (the code block after `<!-- mpi-examples -->`) line by line, as
# written: the install and build lines from the repository root (so `build-mpi` is the MPI build
# scripts/test.sh made; the build line only relinks what changed), the `mpirun` lines in a scratch
# directory holding the files they name (corpus.txt, a.txt, b.txt and a `hosts` file giving this
# machine 4 slots) with `build-mpi` linked to the repository's. Any failing line fails the run.
#
#   scripts/readme-mpi-examples.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t commands < <(awk '
  /^<!-- mpi-examples -->$/ { marked = 1; next }
  marked && /^```/ { if (inside) exit; inside = 1; next }
  inside { print }' README.md)
((${#commands[@]} > 0)) || { echo "readme-mpi-examples: no <!-- mpi-examples --> block in README.md" >&2; exit 1; }

work="$root/build-mpi-examples"
rm -rf "$work"
mkdir -p "$work"
first_lines() { zcat "$1" | head -n "$2" || true; } # zcat ends on SIGPIPE when head is done
first_lines data/en_wiki_demo.txt.gz 8000 >"$work/corpus.txt"
head -n 4000 "$work/corpus.txt" >"$work/a.txt"
tail -n 4000 "$work/corpus.txt" >"$work/b.txt"
echo "localhost slots=4" >"$work/hosts"
ln -s "$root/build-mpi" "$work/build-mpi"
# CI runs as root, where Open MPI wants its consent in the environment.
if [[ $(id -u) -eq 0 ]]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi

failed=0
for cmd in "${commands[@]}"; do
  [[ "$cmd" =~ ^[[:space:]]*$ ]] && continue
  dir=$root
  [[ "$cmd" == mpirun* ]] && dir=$work
  if (cd "$dir" && bash -euo pipefail -c "$cmd") >"$work/last.out" 2>"$work/last.err"; then
    printf 'ok    %s\n' "$cmd"
  else
    printf 'FAIL  %s\n' "$cmd"
    sed 's/^/      /' "$work/last.err" | tail -n 8
    failed=$((failed + 1))
  fi
done
[[ -s "$work/vec.bin" ]] || { echo "readme-mpi-examples: the mpirun lines wrote no vec.bin" >&2; failed=$((failed + 1)); }
echo "${#commands[@]} README MPI commands, $failed failed"
((failed == 0))
