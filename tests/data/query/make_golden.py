#!/usr/bin/python3
"""Regenerates the golden query fixtures in this directory (run it from anywhere):
  golden.txt        word2vec text (header "V D", one word and D values a line)
  golden.bin        word2vec binary, the same vectors, with the newline after each vector (word2vec.c)
  golden_nearest.tsv  gensim's most_similar(word, topn=5) for every word: query, rank, word, score
  golden_analogy.tsv  gensim's most_similar(positive=[a, c], negative=[b], topn=3) for a few questions
Values have two decimals so text and binary hold the same float32 numbers. The script refuses
a set in which two neighbours of a list score within 1e-4 of each other (ambiguous order)."""
import os
import struct

import numpy as np
from gensim.models import KeyedVectors

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240607)
words = ["king", "queen", "man", "woman", "prince", "princess", "paris", "france", "rome",
         "italy", "서울", "부산", "apple", "orange", "dog", "cat", "car", "road", "boy", "girl"]
dim = 8
base = np.round(rng.uniform(-1, 1, size=(len(words), dim)), 2).astype(np.float32)
# Some structure: royal and gender directions, so king - man + woman lands near queen.
royal = np.array([0.9, 0, 0, 0, 0, 0, 0, 0], dtype=np.float32)
male = np.array([0, 0.9, 0, 0, 0, 0, 0, 0], dtype=np.float32)
female = np.array([0, 0, 0.9, 0, 0, 0, 0, 0], dtype=np.float32)
vec = {w: base[i] * 0.3 for i, w in enumerate(words)}
for w, parts in {"king": [royal, male], "queen": [royal, female], "man": [male], "woman": [female],
                 "prince": [royal, male, male * 0.2], "princess": [royal, female, female * 0.2],
                 "boy": [male], "girl": [female]}.items():
    vec[w] = vec[w] + sum(parts)
mat = np.round(np.array([vec[w] for w in words]), 2).astype(np.float32)

with open(os.path.join(here, "golden.txt"), "w", encoding="utf-8") as f:
    f.write(f"{len(words)} {dim}\n")
    for w, v in zip(words, mat):
        f.write(w + " " + " ".join(f"{x:.2f}" for x in v) + "\n")
with open(os.path.join(here, "golden.bin"), "wb") as f:
    f.write(f"{len(words)} {dim}\n".encode())
    for w, v in zip(words, mat):
        f.write(w.encode("utf-8") + b" " + struct.pack(f"<{dim}f", *v) + b"\n")

kv = KeyedVectors.load_word2vec_format(os.path.join(here, "golden.txt"), binary=False)
kv_bin = KeyedVectors.load_word2vec_format(os.path.join(here, "golden.bin"), binary=True)
assert np.array_equal(kv.vectors, kv_bin.vectors)


def check_gaps(result, what):
    scores = [s for _, s in result]
    for a, b in zip(scores, scores[1:]):
        assert a - b > 1e-4, f"ambiguous order for {what}: {result}"


with open(os.path.join(here, "golden_nearest.tsv"), "w", encoding="utf-8") as f:
    for w in words:
        res = kv.most_similar(w, topn=5)
        check_gaps(res, w)
        for rank, (n, s) in enumerate(res, 1):
            f.write(f"{w}\t{rank}\t{n}\t{s:.6f}\n")
questions = [("king", "man", "woman"), ("prince", "boy", "girl"), ("paris", "france", "italy"),
             ("queen", "woman", "man")]
with open(os.path.join(here, "golden_analogy.tsv"), "w", encoding="utf-8") as f:
    for a, b, c in questions:
        res = kv.most_similar(positive=[a, c], negative=[b], topn=3)
        check_gaps(res, (a, b, c))
        for rank, (n, s) in enumerate(res, 1):
            f.write(f"{a} {b} {c}\t{rank}\t{n}\t{s:.6f}\n")
print("ok")
