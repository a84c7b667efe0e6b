#!/usr/bin/python3
"""Checks that gensim loads the gzipped vectors files w2v writes (`train -o x.txt.gz` and
`-o x.bin.gz`) with KeyedVectors.load_word2vec_format, with the same words in the same order and
the same vectors as the uncompressed files of the same run, and that gensim's own .gz files load
in w2v with gensim's vectors.

Usage: gensim_gzip.py W2V_BINARY WORK_DIR
Exit 0: all agree. 1: a disagreement (printed). 3: gensim or numpy is missing."""
import os
import random
import subprocess
import sys

try:
    import numpy as np
    from gensim.models import KeyedVectors, Word2Vec
except ImportError as e:  # CI installs python3-gensim; a missing package must fail the test
    print(f"missing Python package: {e} (apt-get install python3-gensim)")
    sys.exit(3)

import logging

logging.disable(logging.CRITICAL)

w2v, work = sys.argv[1], sys.argv[2]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


rng = random.Random(7)
corpus = os.path.join(work, "corpus.txt")
sentences = []
with open(corpus, "w") as f:
    for _ in range(2000):
        s = [f"w{rng.randrange(200) * rng.randrange(200) // 200}" for _ in range(10)]
        sentences.append(s)
        f.write(" ".join(s) + "\n")

# One deterministic run per file name: the .gz files must hold exactly the plain files' vectors.
for name in ("v.txt", "v.bin", "v.txt.gz", "v.bin.gz"):
    p = subprocess.run([w2v, "train", corpus, "-o", os.path.join(work, name), "--threads", "1",
                        "--seed", "5", "--min-count", "1", "--dim", "12", "--epochs", "2", "-q"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail(f"w2v train -o {name} exited {p.returncode}: {p.stderr.decode()[:500]}")
        sys.exit(1)

with open(os.path.join(work, "v.bin.gz"), "rb") as f:
    if f.read(2) != b"\x1f\x8b":
        fail("v.bin.gz is not gzip")

ref = KeyedVectors.load_word2vec_format(os.path.join(work, "v.bin"), binary=True)
for name, binary in (("v.txt.gz", False), ("v.bin.gz", True)):
    kv = KeyedVectors.load_word2vec_format(os.path.join(work, name), binary=binary)
    if list(kv.index_to_key) != list(ref.index_to_key):
        fail(f"{name}: gensim reads other words or another order than v.bin")
        continue
    # Binary: the same float32 bits. Text: shortest round-trip decimals, so also exact.
    diff = float(np.max(np.abs(kv.vectors - ref.vectors)))
    if diff != 0.0:
        fail(f"{name}: vectors differ from v.bin by up to {diff}")
    print(f"{name}: gensim loaded {len(kv.index_to_key)} words x {kv.vector_size}, "
          f"max difference {diff}")

# gensim's own gzipped files load in w2v with gensim's vectors.
model = Word2Vec(sentences, vector_size=10, window=3, min_count=1, sg=1, epochs=1, workers=1,
                 seed=2)
for name, binary in (("gensim.txt.gz", False), ("gensim.bin.gz", True)):
    path = os.path.join(work, name)
    model.wv.save_word2vec_format(path, binary=binary)
    words = list(model.wv.index_to_key)[:50]
    p = subprocess.run([w2v, "vec", "-m", path, "-"], input="\n".join(words).encode() + b"\n",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail(f"w2v vec -m {name} exited {p.returncode}: {p.stderr.decode()[:500]}")
        continue
    lines = p.stdout.decode().splitlines()
    if len(lines) != len(words):
        fail(f"{name}: {len(lines)} rows for {len(words)} words")
    for line, word in zip(lines, words):
        got_word, _, values = line.split("\t")
        vec = np.array([np.float32(x) for x in values.split(" ")], dtype=np.float32)
        if got_word != word or not np.allclose(vec, model.wv[word], rtol=0, atol=1e-6):
            fail(f"{name}: vector of {word} differs from gensim's")
            break
    print(f"{name}: w2v read {len(lines)} words as gensim wrote them")

if failures:
    print(f"{len(failures)} disagreement(s)")
    sys.exit(1)
print("all agree")
