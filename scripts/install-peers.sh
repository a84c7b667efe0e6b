#!/usr/bin/env bash
# Installs the peer tools the interop tests and benchmarks compare w2v with, and prints the
# directory that holds word2vec's original C tools (word2vec, compute-accuracy, distance, ...).
#
#   scripts/install-peers.sh DIR      # e.g. build/peers; idempotent
#
# word2vec's C tools come from the npm package "word2vec" (Google's word2vec.c, word2phrase.c and
# compute-accuracy.c, Apache-2.0). Its postinstall step builds them with `make`; npm may skip
# install scripts, and a copy built on another machine (-march=native) may not run here, so
# they are always rebuilt in place with `make -B` when missing or stale.
# Needs: npm, gcc, make. Prints only the tools' directory on stdout; logs go to stderr.
set -euo pipefail

dir=${1:?usage: install-peers.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
src="$dir/node_modules/word2vec/src"
# Tests running in parallel may call this at once: one installs, the others wait for it.
exec 9>"$dir/.install-lock"
flock 9

if [[ ! -f "$src/compute-accuracy.c" ]]; then
  command -v npm >/dev/null || { echo "install-peers: npm not found (apt-get install npm)" >&2; exit 1; }
  echo "install-peers: npm install word2vec into $dir" >&2
  (cd "$dir" && npm install --no-audit --no-fund --no-save word2vec >&2)
fi
[[ -f "$src/compute-accuracy.c" ]] || { echo "install-peers: $src/compute-accuracy.c missing after npm install" >&2; exit 1; }

# Rebuild once on this machine (stamp), or whenever a tool is missing or does not start.
stamp="$src/.built-here"
need=0
[[ -f "$stamp" && "$(cat "$stamp")" == "$(uname -n) $(uname -m)" ]] || need=1
for tool in word2vec word2phrase compute-accuracy distance word-analogy; do
  [[ -x "$src/$tool" ]] || need=1
done
if [[ $need == 0 ]] && ! "$src/compute-accuracy" >/dev/null 2>&1; then need=1; fi
if [[ $need == 1 ]]; then
  echo "install-peers: building word2vec's C tools in $src" >&2
  make -B -C "$src" >&2
  echo "$(uname -n) $(uname -m)" > "$stamp"
fi
echo "$src"
