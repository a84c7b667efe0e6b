// Which of the most frequent words `w2v plot --top N` leaves out by default: the function words
// that otherwise fill a frequency-ordered map (particles and endings such as 를 이 가 은 는, 있다,
// the, of, and) and say nothing about meaning.
//
// A word is skipped when
//  - it has no letter, or it has a digit (numbers, dates such as 12월, punctuation);
//  - it is one character long (one Hangul syllable: the particles 이 가 은 는 을 를 의 에 로 와 과
//    도; one Latin letter);
//  - it is on the built-in list of Korean eojeol-form function words (있다 있는 한다 그는 대한
//    되었다 또한 ...: verbs of being and doing, determiners, conjunctions, postpositional
//    phrases, picked from the most frequent words of Korean Wikipedia) or of English stop words
//    (the, of, and, in, to, ...), compared after ASCII lowercasing.
// `w2v plot --keep-stopwords` keeps them all; words named on the command line are never skipped.
#pragma once

#include <cstddef>
#include <string_view>

namespace w2v::plot {

bool is_function_word(std::string_view word);

// Sizes of the two built-in lists (for the documentation and tests).
std::size_t korean_stopword_count();
std::size_t english_stopword_count();

}  // namespace w2v::plot
