#!/usr/bin/python3
"""Checks that `w2v nearest | analogy | similarity | vec` agree with gensim on files written by
gensim (binary and text) and by fastText (.vec, skipgram -maxn 0).

Usage: gensim_query.py W2V_BINARY WORK_DIR
Exit 0: all agree. 1: a disagreement (printed). 3: gensim, numpy or fasttext is missing.

Agreement means the same top-10 words in the same order as gensim's most_similar (and, for
analogies, most_similar(positive=[A, C], negative=[B]) and most_similar_cosmul), scores within
1e-5. Two neighbours may swap places only if gensim itself scores them within 1e-6 (a float
rounding tie); such swaps are counted and printed."""
import os
import random
import shutil
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
fasttext = shutil.which("fasttext") or "/usr/bin/fasttext"
if not os.path.exists(fasttext):
    print("missing the fasttext binary (apt-get install fasttext)")
    sys.exit(3)

failures = []
near_ties = 0


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


# A small corpus with graded structure: random walks on a ring of 300 words, so a word's
# neighbours are the words a few steps away, more or less similar (no big clusters of near ties).
rng = random.Random(5)
ring = [f"w{i}" for i in range(300)]
corpus_path = os.path.join(work, "corpus.txt")
sentences = []
for _ in range(3000):
    pos = rng.randrange(300)
    s = []
    for _ in range(12):
        pos = (pos + rng.choice([-3, -2, -1, 1, 2, 3])) % 300
        s.append(ring[pos])
    sentences.append(s)
with open(corpus_path, "w") as f:
    for s in sentences:
        f.write(" ".join(s) + "\n")

model = Word2Vec(sentences, vector_size=24, window=4, min_count=1, sg=1, negative=5, epochs=3,
                 workers=1, seed=3)
files = {}
files["gensim.bin"] = os.path.join(work, "gensim.bin")
model.wv.save_word2vec_format(files["gensim.bin"], binary=True)
files["gensim.txt"] = os.path.join(work, "gensim.txt")
model.wv.save_word2vec_format(files["gensim.txt"], binary=False)
ft_prefix = os.path.join(work, "ft")
subprocess.run([fasttext, "skipgram", "-input", corpus_path, "-output", ft_prefix, "-minCount",
                "1", "-maxn", "0", "-dim", "16", "-epoch", "20", "-lr", "0.2", "-thread", "1",
                "-verbose", "0"], check=True, stdout=subprocess.DEVNULL)
files["fasttext.vec"] = ft_prefix + ".vec"


def run_w2v(args, stdin):
    p = subprocess.run([w2v] + args, input=stdin.encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail(f"w2v {' '.join(args)} exited {p.returncode}: {p.stderr.decode()[:500]}")
    return p.stdout.decode()


def parse(out):
    res = {}
    for line in out.splitlines():
        q, rank, word, score = line.split("\t")
        res.setdefault(q, []).append((word, float(score)))
    return res


def compare(what, got, want):
    global near_ties
    gw = [w for w, _ in got]
    ww = [w for w, _ in want]
    wscore = dict(want)
    if len(gw) != len(ww):
        fail(f"{what}: {len(gw)} answers, gensim {len(ww)}")
        return
    for i, (g, w) in enumerate(zip(gw, ww)):
        if g == w:
            if abs(got[i][1] - want[i][1]) > 1e-5:
                fail(f"{what}: score of {g} {got[i][1]} vs gensim {want[i][1]}")
            continue
        # A swap is a rounding tie only if gensim scores the two within 1e-6.
        other = wscore.get(g)
        if other is not None and abs(other - want[i][1]) < 1e-6:
            near_ties += 1
            print(f"near tie: {what} rank {i + 1}: {g} {got[i][1]} / gensim {w} {want[i][1]}")
            continue
        if other is None and i == len(ww) - 1 and abs(got[i][1] - want[i][1]) < 1e-6:
            near_ties += 1
            continue
        fail(f"{what}: rank {i + 1} is {g} ({got[i][1]}), gensim says {w} ({want[i][1]})\n"
             f"  w2v:    {gw}\n  gensim: {ww}")
        return


for name, path in files.items():
    binary = name.endswith(".bin")
    kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    words = list(kv.index_to_key)
    if len(words) < 100:
        fail(f"{name}: only {len(words)} words")
        continue
    pick = random.Random(len(name))
    queries = [w for w in pick.sample(words, 40) if w != "</s>"]

    # The file loads with the same words, ids and values.
    out = run_w2v(["vec", "-m", path, "-"], "\n".join(queries) + "\n")
    for line in out.splitlines():
        word, wid, values = line.split("\t")
        vec = np.array([np.float32(x) for x in values.split(" ")], dtype=np.float32)
        if kv.key_to_index[word] != int(wid):
            fail(f"{name}: id of {word} is {wid}, gensim {kv.key_to_index[word]}")
        if not np.array_equal(vec, kv[word]):
            fail(f"{name}: vector of {word} differs from gensim's")
    if len(out.splitlines()) != len(queries):
        fail(f"{name}: vec printed {len(out.splitlines())} lines for {len(queries)} words")

    # nearest: top-10, same order.
    got = parse(run_w2v(["nearest", "-m", path, "-k", "10", "-"], "\n".join(queries) + "\n"))
    for q in queries:
        compare(f"{name} nearest {q}", got.get(q, []), kv.most_similar(q, topn=10))
    # Several words: gensim most_similar(positive=[a, b]).
    pairs = [(queries[i], queries[i + 1]) for i in range(0, 20, 2)]
    got = parse(run_w2v(["nearest", "-m", path, "-k", "10", "-"],
                        "".join(f"{a} {b}\n" for a, b in pairs)))
    for a, b in pairs:
        compare(f"{name} nearest '{a} {b}'", got.get(f"{a} {b}", []),
                kv.most_similar(positive=[a, b], topn=10))

    # analogy A B C = most_similar(positive=[A, C], negative=[B]); 3cosmul = most_similar_cosmul.
    triples = [tuple(pick.sample(words, 3)) for _ in range(25)]
    text = "".join(f"{a} {b} {c}\n" for a, b, c in triples)
    for method in ("3cosadd", "3cosmul"):
        got = parse(run_w2v(["analogy", "-m", path, "-k", "10", "--method", method, "-"], text))
        for a, b, c in triples:
            if method == "3cosadd":
                want = kv.most_similar(positive=[a, c], negative=[b], topn=10)
            else:
                want = kv.most_similar_cosmul(positive=[a, c], negative=[b], topn=10)
            compare(f"{name} analogy {method} {a} {b} {c}", got.get(f"{a} {b} {c}", []), want)

    # similarity.
    out = run_w2v(["similarity", "-m", path, "-"], "".join(f"{a} {b}\n" for a, b in pairs))
    for line, (a, b) in zip(out.splitlines(), pairs):
        s = float(line.split("\t")[2])
        if abs(s - float(kv.similarity(a, b))) > 1e-5:
            fail(f"{name}: similarity {a} {b} = {s}, gensim {kv.similarity(a, b)}")
    print(f"{name}: {len(words)} words x {kv.vector_size} checked")

print(f"near ties swapped: {near_ties}")
if failures:
    print(f"{len(failures)} disagreement(s)")
    sys.exit(1)
print("all agree")
