// src/eval: the evaluation-set parsers, the correlations, and the analogy rules on a tiny
// hand-made embedding whose answers were worked out by hand (and checked with numpy).
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "eval/analogy_eval.hpp"
#include "eval/case_fold.hpp"
#include "eval/eval_vocab.hpp"
#include "eval/similarity_eval.hpp"
#include "util/error.hpp"
#include "util/isa.hpp"

namespace w2v::eval {
namespace {

std::string error_of(const auto& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// ---------------------------------------------------------------- case folding and vocabulary

TEST(CaseFold, AsciiTouchesOnlyAsciiLetters) {
  EXPECT_EQ(fold_case("Paris-é1z", CaseFold::kAscii), "PARIS-é1Z");
  EXPECT_EQ(fold_case("Paris-é", CaseFold::kUnicode), "PARIS-É");
  EXPECT_EQ(fold_case("Paris", CaseFold::kNone), "Paris");
  EXPECT_EQ(fold_case("서울의", CaseFold::kUnicode), "서울의");
  EXPECT_EQ(fold_case(std::string("a\xFF"
                                  "b"),
                      CaseFold::kUnicode),
            std::string("A\xFF"
                        "B"));
  EXPECT_EQ(parse_case_fold("unicode"), CaseFold::kUnicode);
  EXPECT_THROW(parse_case_fold("upper"), Error);
}

TEST(EvalVocab, FirstCaseVariantAnswersAndRestrictCuts) {
  const std::vector<std::string> words{"the", "Paris", "paris", "PARIS", "rome", "Rome"};
  const EvalVocab v(words, 5, CaseFold::kAscii);
  EXPECT_EQ(v.size(), 5u);
  EXPECT_EQ(v.lookup("paris"), 1u);
  EXPECT_EQ(v.lookup("ROME"), 4u);
  EXPECT_EQ(v.canon(3), 1u);
  EXPECT_EQ(v.next_variant(1), 2u);
  EXPECT_EQ(v.next_variant(2), 3u);
  EXPECT_EQ(v.next_variant(3), EvalVocab::kNone);
  EXPECT_EQ(v.next_variant(4), EvalVocab::kNone);  // "Rome" (row 5) is past the restriction
  const EvalVocab exact(words, 0, CaseFold::kNone);
  EXPECT_EQ(exact.size(), 6u);
  EXPECT_EQ(exact.lookup("PARIS"), 3u);
  EXPECT_EQ(exact.lookup("pARIS"), EvalVocab::kNone);
}

// ---------------------------------------------------------------- analogy parser

TEST(AnalogyParser, SectionsBomBlankLinesAndCrLf) {
  std::istringstream in(
      "\xEF\xBB\xBF: capital-common-countries\r\nAthens Greece Baghdad Iraq\r\n\r\n"
      ": gram1-adjective-to-adverb\n  amazing\tamazingly apparent apparently  \n"
      "calm calmly cheerful cheerfully\n");
  const AnalogySet set = parse_analogies(in, "q.txt");
  ASSERT_EQ(set.sections.size(), 2u);
  EXPECT_EQ(set.sections[0].name, "capital-common-countries");
  EXPECT_FALSE(set.sections[0].syntactic());
  EXPECT_TRUE(set.sections[1].syntactic());
  EXPECT_TRUE((AnalogySection{"syn1_case", 1, {}}).syntactic());
  EXPECT_FALSE((AnalogySection{"sem1_capital", 1, {}}).syntactic());
  ASSERT_EQ(set.sections[0].questions.size(), 1u);
  EXPECT_EQ(set.sections[0].questions[0].d, "Iraq");
  EXPECT_EQ(set.sections[1].questions[0].a, "amazing");
  EXPECT_EQ(set.sections[1].questions[0].b, "amazingly");
  EXPECT_EQ(set.sections[1].questions[0].line, 5u);
  EXPECT_EQ(set.questions(), 3u);
}

TEST(AnalogyParser, QuestionsBeforeAnySectionGoToAnUnnamedOne) {
  std::istringstream in("a b c d\n");
  const AnalogySet set = parse_analogies(in, "q.txt");
  ASSERT_EQ(set.sections.size(), 1u);
  EXPECT_EQ(set.sections[0].name, "");
}

TEST(AnalogyParser, MalformedLinesNameFileAndLine) {
  std::istringstream three(": s\na b c d\na b c\n");
  EXPECT_EQ(error_of([&] { parse_analogies(three, "q.txt"); }),
            "q.txt:3: expected a ': section' line or 4 words, found 3 words");
  std::istringstream five(": s\na b c d e\n");
  EXPECT_EQ(error_of([&] { parse_analogies(five, "q.txt"); }),
            "q.txt:2: expected a ': section' line or 4 words, found 5 words");
  std::istringstream empty_section(":  \n");
  EXPECT_EQ(error_of([&] { parse_analogies(empty_section, "q.txt"); }),
            "q.txt:1: section line without a name");
  EXPECT_THROW(read_analogies("/nonexistent/q.txt"), Error);
}

// ---------------------------------------------------------------- similarity parser

TEST(SimilarityParser, TabCommaAndSpaceSeparators) {
  std::istringstream in(
      "# comment\n# Word 1\tWord 2\tHuman (mean)\nlove\tsex\t6.77\n"
      "tiger,cat,7.35\n  book   paper  7.46 \r\n\nnew york\tcity\t5\n");
  const SimilaritySet set = parse_similarity(in, "p.tsv");
  ASSERT_EQ(set.pairs.size(), 4u);
  EXPECT_FALSE(set.had_header);
  EXPECT_EQ(set.pairs[0].a, "love");
  EXPECT_DOUBLE_EQ(set.pairs[0].gold, 6.77);
  EXPECT_EQ(set.pairs[1].b, "cat");
  EXPECT_EQ(set.pairs[2].a, "book");
  EXPECT_DOUBLE_EQ(set.pairs[2].gold, 7.46);
  EXPECT_EQ(set.pairs[3].a, "new york");  // a tab-separated line keeps inner spaces
  EXPECT_EQ(set.pairs[3].line, 7u);
}

TEST(SimilarityParser, ByteOrderMarkAndHeaderLine) {
  // The Korean WordSim-353 layout: BOM, then a header, then comma-separated rows.
  std::istringstream in(
      "\xEF\xBB\xBFword 1,word 2,kor_score\n사랑,섹스,6.42\n호랑이,고양이,7.17\n");
  const SimilaritySet set = parse_similarity(in, "ko.csv");
  EXPECT_TRUE(set.had_header);
  ASSERT_EQ(set.pairs.size(), 2u);
  EXPECT_EQ(set.pairs[0].a, "사랑");
  EXPECT_EQ(set.pairs[1].b, "고양이");
  EXPECT_DOUBLE_EQ(set.pairs[1].gold, 7.17);
}

TEST(SimilarityParser, MalformedLinesNameFileAndLine) {
  std::istringstream bad_score("a\tb\t1\nc\td\tx\n");
  EXPECT_EQ(error_of([&] { parse_similarity(bad_score, "p.tsv"); }),
            "p.tsv:2: score 'x' is not a number");
  std::istringstream two_fields("a\tb\t1\nc\td\n");
  EXPECT_EQ(error_of([&] { parse_similarity(two_fields, "p.tsv"); }),
            "p.tsv:2: expected 3 fields (word, word, score), found 2");
  std::istringstream nan_score("a b 1\nc d nan\n");
  EXPECT_THROW(parse_similarity(nan_score, "p.tsv"), Error);
  // A non-numeric score is a header only on the first data line.
  std::istringstream late_header("# c\nw1 w2 score\na b 1\n");
  EXPECT_TRUE(parse_similarity(late_header, "p.tsv").had_header);
}

// ---------------------------------------------------------------- correlations

TEST(Correlation, AverageRanksForTies) {
  EXPECT_EQ(average_ranks({10, 20, 20, 30}), (std::vector<double>{1, 2.5, 2.5, 4}));
  EXPECT_EQ(average_ranks({3, 3, 3}), (std::vector<double>{2, 2, 2}));
  EXPECT_EQ(average_ranks({5, 1, 4}), (std::vector<double>{3, 1, 2}));
}

TEST(Correlation, SpearmanWithTiesMatchesHandComputation) {
  // y ranks: 1 2 3.5 5 3.5; x ranks 1..5. sum dx*dy = 8, sum dx^2 = 10, sum dy^2 = 9.5.
  const std::vector<double> x{1, 2, 3, 4, 5}, y{5, 6, 7, 8, 7};
  EXPECT_NEAR(spearman(x, y), 8.0 / std::sqrt(95.0), 1e-12);
  EXPECT_NEAR(spearman(x, {10, 9, 8, 7, 6}), -1.0, 1e-12);
  EXPECT_NEAR(pearson({1, 2, 3}, {2, 4, 6}), 1.0, 1e-12);
  // Pearson by hand: x = 1 2 3 4, y = 1 3 2 5: dx = -1.5 -.5 .5 1.5, dy = -1.75 .25 -.75 2.25.
  EXPECT_NEAR(pearson({1, 2, 3, 4}, {1, 3, 2, 5}), 5.5 / std::sqrt(5.0 * 8.75), 1e-12);
  EXPECT_TRUE(std::isnan(spearman({1, 2, 3}, {4, 4, 4})));
  EXPECT_TRUE(std::isnan(pearson({1}, {1})));
}

// ---------------------------------------------------------------- scoring on a hand-made embedding

io::Vectors hand_made() {
  // Rows in frequency order. "Woman" is a case variant of "woman" pointing almost where
  // woman - man + king does, so the two references' rules disagree on the first question.
  const std::vector<std::vector<float>> rows{
      {0, 1, 0, 0}, {0, -1, 0, 0}, {1, 1, 0, 0}, {1, -1, 1, 0}, {0.9f, -1, 0.1f, 0},
      {0, 1, 0, 1}, {0, -1, 0, 1}, {1, 1, 0, 1}, {1, -1, 0, 1}, {0, 0, 0, -1}};
  io::Vectors v;
  v.words = {"man", "woman", "king",   "queen",    "Woman",
             "boy", "girl",  "prince", "princess", "apple"};
  v.matrix = Matrix(rows.size(), 4);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t k = 0; k < 4; ++k) {
      v.matrix.row(r)[k] = rows[r][k];
    }
  }
  v.format = "test";
  return v;
}

AnalogySet hand_questions() {
  std::istringstream in(
      ": family\nman woman king queen\nking queen man woman\nboy girl prince princess\n"
      ": gram-mixed\nman boy woman girl\nman woman boy girl\nMan WOMAN Prince Princess\n"
      "man woman apple pear\nman woman king apple\n");
  return parse_analogies(in, "hand.txt");
}

struct Expect {
  AnalogyRules rules;
  AnalogyMethod method;
  std::vector<std::int64_t> answers;  // rows; -1 = skipped
  std::size_t correct;
};

TEST(AnalogyEval, HandMadeEmbeddingBothRulesBothMethods) {
  const io::Vectors v = hand_made();
  const AnalogySet set = hand_questions();
  // Worked out with numpy: row 4 = "Woman", 7 = "prince", 8 = "princess", 6 = "girl".
  const std::vector<Expect> cases{
      {AnalogyRules::kWord2vec, AnalogyMethod::k3CosAdd, {4, 1, 8, 6, 6, 8, -1, -1}, 5},
      {AnalogyRules::kGensim, AnalogyMethod::k3CosAdd, {3, 1, 8, 6, 6, 8, -1, -1}, 6},
      {AnalogyRules::kWord2vec, AnalogyMethod::k3CosMul, {4, 7, 4, 6, 6, 4, -1, -1}, 2},
      {AnalogyRules::kGensim, AnalogyMethod::k3CosMul, {3, 7, 4, 6, 6, 6, -1, -1}, 3},
  };
  for (const auto isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_supported(isa)) {
      continue;
    }
    const char* name = isa == Isa::kScalar ? "scalar" : isa == Isa::kAvx2 ? "avx2" : "avx512";
    ::setenv("W2V_ISA", name, 1);
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(name) + " " + analogy_rules_name(c.rules) + " " +
                   analogy_method_name(c.method));
      AnalogyOptions o;
      o.restrict = 9;  // "apple" (row 9) is outside
      o.rules = c.rules;
      o.method = c.method;
      const AnalogyScore s = evaluate_analogies(v, set, o);
      EXPECT_EQ(s.answers, c.answers);
      EXPECT_EQ(s.overall.correct, c.correct);
      EXPECT_EQ(s.overall.seen, 6u);
      EXPECT_EQ(s.overall.total, 8u);
      EXPECT_EQ(s.vocab, 9u);
      ASSERT_EQ(s.sections.size(), 2u);
      EXPECT_EQ(s.semantic.seen, 3u);
      EXPECT_EQ(s.syntactic.total, 5u);  // "gram-mixed" starts with "gram"
      EXPECT_EQ(s.semantic.correct + s.syntactic.correct, c.correct);
    }
  }
  ::unsetenv("W2V_ISA");
}

TEST(AnalogyEval, CaseSensitiveSkipsOtherCases) {
  const io::Vectors v = hand_made();
  AnalogyOptions o;
  o.fold = CaseFold::kNone;
  o.restrict = 0;
  const AnalogyScore s = evaluate_analogies(v, hand_questions(), o);
  EXPECT_EQ(s.overall.seen, 6u);  // "Man WOMAN Prince Princess" unknown; "apple" now inside
  EXPECT_EQ(s.vocab, 10u);
}

TEST(AnalogyEval, Word2vecRulesNeedAPositiveScore) {
  // Target = y - x + z is about (-2.96, 0): every candidate scores below zero. compute-accuracy
  // starts from 0 and answers nothing; gensim takes the least negative row ("e").
  io::Vectors v;
  v.words = {"x", "y", "z", "d", "e"};
  v.matrix = Matrix(5, 2);
  const float rows[5][2] = {{1, 0}, {-1, 0.2f}, {-1, -0.2f}, {1, 0.1f}, {0.9f, -0.2f}};
  for (int r = 0; r < 5; ++r) {
    v.matrix.row(r)[0] = rows[r][0];
    v.matrix.row(r)[1] = rows[r][1];
  }
  std::istringstream in(": s\nx y z e\n");
  const AnalogySet set = parse_analogies(in, "q");
  AnalogyOptions o;
  AnalogyScore s = evaluate_analogies(v, set, o);
  EXPECT_EQ(s.answers[0], -1);
  EXPECT_EQ(s.overall.correct, 0u);
  EXPECT_EQ(s.overall.seen, 1u);
  o.rules = AnalogyRules::kGensim;
  s = evaluate_analogies(v, set, o);
  EXPECT_EQ(s.answers[0], 4);
  EXPECT_EQ(s.overall.correct, 1u);
}

TEST(AnalogyEval, ManyQuestionsAllIsasAgree) {
  // 500 random-ish questions over 300 words: every kernel gives the same answers (FMA kernels
  // agree bit for bit; the generic one may differ only on exact near-ties, which this data has
  // not).
  io::Vectors v;
  const std::size_t n = 300, dim = 37;
  v.matrix = Matrix(n, dim);
  std::uint64_t x = 12345;
  for (std::size_t r = 0; r < n; ++r) {
    v.words.push_back("w" + std::to_string(r));
    for (std::size_t k = 0; k < dim; ++k) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      v.matrix.row(r)[k] = static_cast<float>(static_cast<double>(x >> 40) / (1 << 24) - 0.5);
    }
  }
  std::string text = ": s\n";
  for (int q = 0; q < 500; ++q) {
    text += "w" + std::to_string((q * 7) % n) + " w" + std::to_string((q * 13 + 1) % n) + " w" +
            std::to_string((q * 29 + 2) % n) + " w" + std::to_string((q * 31 + 3) % n) + "\n";
  }
  std::istringstream in(text);
  const AnalogySet set = parse_analogies(in, "q");
  for (const auto method : {AnalogyMethod::k3CosAdd, AnalogyMethod::k3CosMul}) {
    std::vector<std::vector<std::int64_t>> answers;
    for (const char* isa : {"scalar", "avx2", "avx512"}) {
      ::setenv("W2V_ISA", isa, 1);
      AnalogyOptions o;
      o.method = method;
      o.threads = 2;
      answers.push_back(evaluate_analogies(v, set, o).answers);
    }
    ::unsetenv("W2V_ISA");
    EXPECT_EQ(answers[0], answers[1]);
    EXPECT_EQ(answers[1], answers[2]);
    // Brute force in double with the word2vec rules.
    std::vector<std::vector<double>> u(n, std::vector<double>(dim));
    for (std::size_t r = 0; r < n; ++r) {
      double len = 0;
      for (std::size_t k = 0; k < dim; ++k) {
        len += double(v.matrix.row(r)[k]) * v.matrix.row(r)[k];
      }
      for (std::size_t k = 0; k < dim; ++k) {
        u[r][k] = v.matrix.row(r)[k] / std::sqrt(len);
      }
    }
    const auto& qs = set.sections[0].questions;
    for (std::size_t q = 0; q < qs.size(); ++q) {
      const auto id = [&](const std::string& w) { return std::stoul(w.substr(1)); };
      const std::size_t a = id(qs[q].a), b = id(qs[q].b), c = id(qs[q].c);
      std::int64_t best = -1;
      double bv = method == AnalogyMethod::k3CosAdd ? 0 : -1;
      for (std::size_t r = 0; r < n; ++r) {
        if (r == a || r == b || r == c) {
          continue;
        }
        double ca = 0, cb = 0, cc = 0;
        for (std::size_t k = 0; k < dim; ++k) {
          ca += u[a][k] * u[r][k];
          cb += u[b][k] * u[r][k];
          cc += u[c][k] * u[r][k];
        }
        const double s = method == AnalogyMethod::k3CosAdd
                             ? cb - ca + cc
                             : ((1 + cb) / 2) * ((1 + cc) / 2) / ((1 + ca) / 2 + 1e-6);
        if (s > bv) {
          bv = s;
          best = static_cast<std::int64_t>(r);
        }
      }
      EXPECT_EQ(answers[0][q], best) << "question " << q;
    }
  }
}

// ---------------------------------------------------------------- Korean eojeol through stems

// Cities and countries: 서울:한국 = 도쿄:일본 on a hand-made plane.
io::Vectors korean_made() {
  io::Vectors v;
  v.words = {"서울", "한국", "도쿄", "일본", "부산"};
  const float rows[5][3] = {{1, 0, 0.1f}, {1, 1, 0}, {-1, 0, 0.1f}, {-1, 1, 0}, {0.9f, 0, 0.2f}};
  v.matrix = Matrix(5, 3);
  for (std::size_t r = 0; r < 5; ++r) {
    for (std::size_t k = 0; k < 3; ++k) {
      v.matrix.row(r)[k] = rows[r][k];
    }
  }
  v.format = "test";
  return v;
}

TEST(EvalRoutes, KoreanEojeolAreAnsweredThroughTheirStem) {
  const io::Vectors v = korean_made();
  const EvalVocab vocab(v.words, 0, CaseFold::kUnicode);
  Route r{};
  EXPECT_EQ(vocab.lookup("서울에서", true, r), 0u);
  EXPECT_EQ(r, Route::kStem);
  EXPECT_EQ(vocab.lookup("부산", true, r), 4u);
  EXPECT_EQ(r, Route::kVocabulary);
  EXPECT_EQ(vocab.lookup("서울에서", false, r), EvalVocab::kNone);
  EXPECT_EQ(r, Route::kMissing);
  EXPECT_EQ(vocab.lookup("대구에서", true, r), EvalVocab::kNone);  // the stem is unknown too
  EXPECT_EQ(r, Route::kMissing);

  std::istringstream in(
      ": capitals\n서울 한국 도쿄 일본\n서울의 한국 도쿄에서 일본\n서울 한국 대구 일본\n");
  const AnalogySet set = parse_analogies(in, "ko.txt");
  AnalogyOptions o;
  o.restrict = 0;
  o.fold = CaseFold::kUnicode;
  const AnalogyScore s = evaluate_analogies(v, set, o);
  EXPECT_EQ(s.routes.vocabulary, 1u);
  EXPECT_EQ(s.routes.stem, 1u);
  EXPECT_EQ(s.routes.missing, 1u);
  EXPECT_EQ(s.overall.seen, 2u);
  EXPECT_EQ(s.overall.correct, 2u);  // 일본 both times
  EXPECT_NEAR(s.overall.accuracy_of_all(), 200.0 / 3, 1e-9);
  o.stems = false;
  const AnalogyScore words_only = evaluate_analogies(v, set, o);
  EXPECT_EQ(words_only.overall.seen, 1u);
  EXPECT_EQ(words_only.routes.missing, 2u);

  std::istringstream pairs("서울에서,부산으로,9\n서울,도쿄,3\n한국,일본에,5\n대구,서울,6\n");
  const SimilaritySet ss = parse_similarity(pairs, "ko.csv");
  SimilarityOptions so;
  so.restrict = 0;
  const SimilarityScore sim = evaluate_similarity(v, ss, so);
  EXPECT_EQ(sim.pairs, 3u);
  EXPECT_EQ(sim.by_stem, 2u);
  EXPECT_EQ(sim.by_vocabulary, 1u);
  EXPECT_EQ(sim.skipped, 1u);
  so.stems = false;
  EXPECT_EQ(evaluate_similarity(v, ss, so).pairs, 1u);
}

}  // namespace
// Composed forms: 자동차:자동차를 :: 인터넷:? needs 인터넷을, which a split vocabulary lacks. With
// the corpus's forms as candidates it is composed from 인터넷 and 을 and beats 인터넷의; without
// them the inflected words fall back to their stems and the answer (인터넷 itself) is excluded.
TEST(EvalRoutes, KoreanFormsAreComposedIntoCandidates) {
  io::Vectors v;
  v.words = {"자동차", "인터넷", "를", "을", "의", "기차"};
  const float rows[6][4] = {{1, 0, 0, 0},     {0, 1, 0, 0}, {0, 0, 1, 0.1f},
                            {0, 0, 1, -0.1f}, {0, 0, 0, 1}, {0.9f, 0.1f, 0, 0}};
  v.matrix = Matrix(6, 4);
  for (std::size_t r = 0; r < 6; ++r) {
    std::copy(rows[r], rows[r] + 4, v.matrix.row(r));
  }
  std::istringstream in(": syn1_case\n자동차 자동차를 인터넷 인터넷을\n");
  const AnalogySet set = parse_analogies(in, "ko.txt");
  AnalogyOptions o;
  o.restrict = 0;
  o.fold = CaseFold::kUnicode;
  const AnalogyScore plain = evaluate_analogies(v, set, o);
  EXPECT_EQ(plain.routes.stem, 1u);
  EXPECT_EQ(plain.overall.correct, 0u);
  EXPECT_EQ(plain.composed, 0u);

  // 기차 is in the vocabulary (not composed again); 기차에게 has a suffix the vocabulary lacks;
  // 비행기를 a stem it lacks; 인터넷의 twice (case variants fold to one).
  const std::vector<std::string> forms = {"자동차를", "인터넷의", "기차",    "인터넷을",
                                          "기차에게", "비행기를", "인터넷의"};
  o.forms = &forms;
  const AnalogyScore composed = evaluate_analogies(v, set, o);
  EXPECT_EQ(composed.composed, 3u);  // 자동차를, 인터넷의, 인터넷을
  EXPECT_EQ(composed.vocab, 9u);
  EXPECT_EQ(composed.routes.composed, 1u);
  EXPECT_EQ(composed.routes.stem, 0u);
  EXPECT_EQ(composed.overall.correct, 1u);
  ASSERT_EQ(composed.answers.size(), 1u);
  EXPECT_EQ(composed.answers[0], 8);  // 인터넷을, after the 6 rows, 자동차를 and 인터넷의

  // restrict applies to the stems: with 인터넷 outside it, nothing of it is composed.
  o.restrict = 1;
  EXPECT_EQ(evaluate_analogies(v, set, o).composed, 0u);
}

}  // namespace w2v::eval
