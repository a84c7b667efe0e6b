#include "plot/stopwords.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "text/utf8.hpp"

namespace w2v::plot {

namespace {

// Sorted at first use; plain arrays keep the lists easy to read and extend.
constexpr std::array kKorean = {
    "있다",     "있는",     "한다",       "그는",   "대한",   "되었다",   "또한",     "이후",
    "같은",     "다른",     "가장",       "그러나", "그의",   "많은",     "및",       "위해",
    "때문에",   "것을",     "따라",       "당시",   "있으며", "했다",     "있었다",   "함께",
    "그리고",   "것이다",   "것으로",     "의해",   "된다",   "여러",     "또는",     "하였다",
    "통해",     "모든",     "하는",       "등의",   "이러한", "다시",     "것은",     "이는",
    "것이",     "위한",     "등이",       "자신의", "이를",   "모두",     "특히",     "경우",
    "다음과",   "하지만",   "등을",       "대해",   "에서",   "라고",     "같이",     "동안",
    "이에",     "현재",     "새로운",     "매우",   "한편",   "주로",     "많이",     "주요",
    "가지고",   "거의",     "아니라",     "하고",   "으로",   "인해",     "있고",     "그가",
    "일부",     "않았다",   "이다",       "결국",   "따라서", "되어",     "크게",     "라는",
    "않고",     "없는",     "있던",       "같다",   "없다",   "따르면",   "역시",     "있어",
    "받았다",   "있는데",   "하여",       "가운데", "다음",   "들어",     "어떤",     "가지",
    "않은",     "서로",     "관한",       "않는다", "사이에", "번째",     "되는",     "때문이다",
    "후에",     "않는",     "그를",       "혹은",   "아닌",   "의한",     "개의",     "있다고",
    "대부분의", "예를",     "각각",       "이어",   "위하여", "가진",     "알려져",   "이미",
    "이런",     "이것은",   "일반적으로", "하며",   "이라고", "계속",     "기준으로", "있다는",
    "이들은",   "받아",     "있을",       "이때",   "바로",   "처음으로", "받은",     "더욱",
    "달리",     "대부분",   "처음",       "위치한", "이라는", "없이",     "자신이",   "이상의",
    "두고",     "등으로",   "되고",       "비롯한", "이상",   "주는",     "널리",     "의하면",
    "이들",     "많다",     "완전히",     "등에",   "하나의", "정도로",   "보통",     "있지만",
    "이유로",   "대신",     "없었다",     "의하여", "전에",   "말한다",   "받고",     "포함한",
    "알려진",   "보인다",   "이와",       "되었고", "있어서", "어느",     "최초로",   "있으나",
    "걸쳐",     "것이라고", "하는데",     "그녀는", "이후에", "그들은",   "하기",     "있었으나",
    "없고",     "하게",     "된다고",     "한다고", "하면",   "그러므로", "그런데",   "그래서",
    "하지",     "해서",     "또다른",     "이것이", "그것은", "그것을",   "우리",     "우리는",
    "않았고"};

constexpr std::array kEnglish = {
    "a",       "about",   "above",    "after",   "again",     "against", "all",     "also",
    "am",      "an",      "and",      "any",     "are",       "as",      "at",      "be",
    "became",  "because", "been",     "before",  "being",     "below",   "between", "both",
    "but",     "by",      "can",      "could",   "did",       "do",      "does",    "doing",
    "down",    "during",  "each",     "early",   "few",       "first",   "for",     "from",
    "further", "had",     "has",      "have",    "having",    "he",      "her",     "here",
    "hers",    "herself", "him",      "himself", "his",       "how",     "however", "i",
    "if",      "in",      "into",     "is",      "it",        "its",     "itself",  "later",
    "many",    "may",     "me",       "more",    "most",      "much",    "must",    "my",
    "myself",  "new",     "no",       "nor",     "not",       "now",     "of",      "off",
    "often",   "on",      "once",     "one",     "only",      "or",      "other",   "our",
    "ours",    "out",     "over",     "own",     "same",      "second",  "she",     "should",
    "since",   "so",      "some",     "such",    "than",      "that",    "the",     "their",
    "theirs",  "them",    "then",     "there",   "these",     "they",    "this",    "those",
    "three",   "through", "thus",     "to",      "too",       "two",     "under",   "until",
    "up",      "upon",    "us",       "used",    "very",      "was",     "we",      "well",
    "were",    "what",    "when",     "where",   "which",     "while",   "who",     "whom",
    "why",     "will",    "with",     "within",  "without",   "would",   "you",     "your",
    "yours",   "'s",      "s",        "known",   "including", "several", "another", "around",
    "along",   "among",   "although", "though",  "either",    "neither", "every"};

template <std::size_t N>
bool in_list(const std::array<const char*, N>& list, std::string_view w) {
  return std::any_of(list.begin(), list.end(), [&](const char* s) { return w == s; });
}

}  // namespace

bool is_function_word(std::string_view word) {
  std::size_t chars = 0;
  bool letter = false;
  bool digit = false;
  std::string lower;
  std::size_t i = 0;
  while (i < word.size()) {
    std::size_t len = 1;
    const std::int32_t cp = text::decode(word, i, len);
    ++chars;
    if (cp >= 0) {
      const text::CharCategory c = text::char_category(static_cast<char32_t>(cp));
      letter = letter || c == text::CharCategory::kLetter;
      digit = digit || c == text::CharCategory::kDigit || c == text::CharCategory::kOtherNumber;
    }
    for (std::size_t k = 0; k < len; ++k) {
      const char c = word[i + k];
      lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    i += std::max<std::size_t>(len, 1);
  }
  if (!letter || digit || chars <= 1) return true;
  return in_list(kKorean, lower) || in_list(kEnglish, lower);
}

std::size_t korean_stopword_count() {
  return kKorean.size();
}

std::size_t english_stopword_count() {
  return kEnglish.size();
}

}  // namespace w2v::plot
