#!/usr/bin/python3
"""Scores a word2vec-format vectors file with gensim's reference evaluation, for the w2v
agreement tests. Prints one JSON object on stdout.

  gensim_eval.py analogy VECTORS QUESTIONS RESTRICT
      -> {"correct": c, "seen": s, "accuracy": percent, "sections": [{"name", "correct", "seen"}]}
         (KeyedVectors.evaluate_word_analogies(restrict_vocab=RESTRICT), case-insensitive)
  gensim_eval.py similarity VECTORS PAIRS RESTRICT DELIMITER
      -> {"spearman": rho, "pearson": r, "oov_percent": p}
         (KeyedVectors.evaluate_word_pairs(restrict_vocab=RESTRICT, delimiter=DELIMITER))
"""
import json
import logging
import sys

from gensim.models import KeyedVectors


def load(path):
    binary = not (path.endswith(".txt") or path.endswith(".vec"))
    return KeyedVectors.load_word2vec_format(path, binary=binary)


def main():
    logging.basicConfig(level=logging.WARNING)
    task, vectors, data, restrict = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    kv = load(vectors)
    if task == "analogy":
        score, sections = kv.evaluate_word_analogies(data, restrict_vocab=restrict)
        total = sections[-1]
        out = {
            "correct": len(total["correct"]),
            "seen": len(total["correct"]) + len(total["incorrect"]),
            "accuracy": 100.0 * score,
            "sections": [
                {"name": s["section"], "correct": len(s["correct"]),
                 "seen": len(s["correct"]) + len(s["incorrect"])}
                for s in sections[:-1]
            ],
        }
    elif task == "similarity":
        delimiter = sys.argv[5] if len(sys.argv) > 5 else "\t"
        pearson, spearman, oov = kv.evaluate_word_pairs(
            data, restrict_vocab=restrict, delimiter=delimiter)
        out = {"spearman": float(spearman[0]), "pearson": float(pearson[0]), "oov_percent": oov}
    else:
        raise SystemExit("usage: gensim_eval.py analogy|similarity VECTORS FILE RESTRICT [DELIM]")
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
