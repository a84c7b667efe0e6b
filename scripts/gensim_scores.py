#!/usr/bin/python3
"""Scores a word2vec-format vectors file the way the peers' table does: gensim's
evaluate_word_analogies(restrict_vocab=30000) and evaluate_word_pairs (WordSim-353 Spearman).
Usage: gensim_scores.py VECTORS QUESTIONS WORDSIM  -> prints "analogy_percent spearman"."""
import logging
import sys

from gensim.models import KeyedVectors

logging.disable(logging.CRITICAL)
path, questions, wordsim = sys.argv[1:4]
kv = KeyedVectors.load_word2vec_format(path, binary=not path.endswith((".txt", ".vec")),
                                       unicode_errors="replace")
acc, _ = kv.evaluate_word_analogies(questions, restrict_vocab=30000)
pearson, spearman, oov = kv.evaluate_word_pairs(wordsim)
print(f"{100 * acc:.2f} {spearman[0]:.3f}")
