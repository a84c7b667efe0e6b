// Reliability through the binary (issue 15): no command destroys its own input, every output of
// a run is committed together, every signal is honoured in every phase, every write to stdout is
// checked, option mistakes are all reported before any work, and the vectors readers take the
// hostile files of the issue.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <set>
#include <string>
#include <vector>

#include "process.hpp"

namespace w2v {
namespace {

using testing::describe;
using testing::gzip;
using ::testing::HasSubstr;
using testing::make_corpus;
using ::testing::Not;
using testing::read_file;
using testing::run_command;
using testing::run_w2v;
using testing::RunOptions;
using testing::RunResult;
using testing::ScratchDir;
using testing::write_file;

namespace fs = std::filesystem;

constexpr const char* kEarlier = "an earlier file that must survive\n";
// The requirement is one second; the bound leaves room for a loaded machine and sanitizers.
constexpr double kStopBound = 3.0;

const std::vector<std::string> kFast = {"--dim", "8",           "--epochs", "1", "--threads",
                                        "2",     "--min-count", "1",        "-q"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const char* kModel =
    "4 3\n"
    "king 0.9 0.1 0.0\n"
    "queen 0.8 0.2 0.1\n"
    "man 0.1 0.9 0.0\n"
    "woman 0.1 0.8 0.3\n";

// --- 1. no output may be an input ---------------------------------------------------------------

void expect_refused(const RunResult& r, const std::string& out, const std::string& in) {
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(out)) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(in)) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("same file")) << describe(r);
}

TEST(SameFile, TrainOutputOverItsCorpusIsRefused) {
  ScratchDir d("same-corpus");
  const auto corpus = d.file("in.txt");
  const std::string text = make_corpus(200, 10, 50);
  write_file(corpus, text);
  const auto r = run_w2v(with({"train", corpus, "-o", corpus}, kFast));
  expect_refused(r, corpus, corpus);
  EXPECT_EQ(read_file(corpus), text) << "the corpus was overwritten";
  EXPECT_EQ(d.entries(), std::set<std::string>{"in.txt"});
}

TEST(SameFile, AnotherPathLinksAndGzipAreCaught) {
  ScratchDir d("same-paths");
  const auto corpus = d.file("in.txt");
  const auto gz = d.file("in.gz");
  const std::string text = make_corpus(200, 10, 50);
  const std::string packed = gzip(text);
  write_file(corpus, text);
  write_file(gz, packed);
  fs::create_directories(d.file("sub"));
  fs::create_symlink(corpus, d.file("link.txt"));
  fs::create_hard_link(corpus, d.file("hard.txt"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {corpus, d.file("sub/../in.txt")},
      {corpus, d.file("./in.txt")},
      {corpus, d.file("link.txt")},
      {corpus, d.file("hard.txt")},
      {gz, gz},
  };
  for (const auto& [in, out] : cases) {
    const auto r = run_w2v(with({"train", in, "-o", out}, kFast));
    expect_refused(r, out, in);
  }
  EXPECT_EQ(read_file(corpus), text);
  EXPECT_EQ(read_file(gz), packed);
}

TEST(SameFile, EveryTrainOutputAgainstEveryInput) {
  ScratchDir d("same-options");
  const auto corpus = d.file("in.txt"), vocab = d.file("v.vocab"), sim = d.file("sim.tsv"),
             ana = d.file("q.txt"), out = d.file("out.bin");
  const std::string text = make_corpus(200, 10, 50);
  write_file(corpus, text);
  write_file(vocab, "w1 10\nw2 5\n");
  write_file(sim, "w1\tw2\t1.0\nw2\tw3\t2.0\nw1\tw3\t3.0\n");
  write_file(ana, ": s\nw1 w2 w3 w4\n");
  // --save-vocab over the corpus.
  auto r = run_w2v(with({"train", corpus, "-o", out, "--save-vocab", corpus}, kFast));
  expect_refused(r, corpus, corpus);
  // -o over --read-vocab.
  r = run_w2v(with({"train", corpus, "-o", vocab, "--read-vocab", vocab}, kFast));
  expect_refused(r, vocab, vocab);
  // -o over --eval-similarity / --eval-analogy.
  r = run_w2v(with({"train", corpus, "-o", sim, "--eval-similarity", sim}, kFast));
  expect_refused(r, sim, sim);
  r = run_w2v(with({"train", corpus, "-o", ana, "--eval-analogy", ana}, kFast));
  expect_refused(r, ana, ana);
  // --save-vocab and -o naming one file (which does not exist yet).
  r = run_w2v(with({"train", corpus, "-o", out, "--save-vocab", out}, kFast));
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("two outputs cannot share a file"));
  EXPECT_EQ(read_file(corpus), text);
  EXPECT_EQ(read_file(vocab), "w1 10\nw2 5\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST(SameFile, PlotOverItsModelIsRefused) {
  ScratchDir d("same-plot");
  const auto model = d.file("m.txt");
  write_file(model, kModel);
  fs::create_symlink(model, d.file("m.svg"));
  for (const auto& out : {model, d.file("m.svg")}) {
    const auto r = run_w2v({"plot", "king", "queen", "man", "-m", model, "-o", out});
    expect_refused(r, out, model);
  }
  EXPECT_EQ(read_file(model), kModel);
}

// --- 2. all outputs of a run together, or none -------------------------------------------------

TEST(CommitTogether, FailedVectorsWriteKeepsTheOldVocabulary) {
  ScratchDir d("together-fail");
  const auto corpus = d.file("c.txt"), vocab = d.file("v.vocab"), out = d.file("v.bin");
  write_file(corpus, make_corpus(2000, 20, 300));
  write_file(vocab, kEarlier);
  write_file(out, kEarlier);
  RunOptions opt;
  opt.in_child = [] {
    rlimit lim{};
    lim.rlim_cur = lim.rlim_max = 16 * 1024;  // the vocabulary fits (~3 kB), the vectors do not
    return ::setrlimit(RLIMIT_FSIZE, &lim) == 0;
  };
  const auto r = run_w2v({"train", corpus, "-o", out, "--save-vocab", vocab, "--dim", "32",
                          "--epochs", "1", "--threads", "2", "--min-count", "1", "-q"},
                         opt);
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(read_file(vocab), kEarlier) << "the vocabulary was replaced by a failed run";
  EXPECT_EQ(read_file(out), kEarlier);
  EXPECT_EQ(d.entries(), (std::set<std::string>{"c.txt", "v.bin", "v.vocab"}));
}

TEST(CommitTogether, InterruptedTrainingKeepsTheOldVocabulary) {
  ScratchDir d("together-int");
  const auto corpus = d.file("c.txt"), vocab = d.file("v.vocab"), out = d.file("v.bin");
  write_file(corpus, make_corpus(2000, 20, 300));
  write_file(vocab, kEarlier);
  RunOptions opt;
  opt.signal = SIGTERM;
  opt.signal_when = "training:";
  const auto r = run_w2v({"train", corpus, "-o", out, "--save-vocab", vocab, "--dim", "32",
                          "--epochs", "100000", "--threads", "2", "--min-count", "1"},
                         opt);
  EXPECT_EQ(r.exit_code, 143) << describe(r);
  EXPECT_EQ(read_file(vocab), kEarlier) << "the vocabulary was replaced by an interrupted run";
  EXPECT_EQ(d.entries(), (std::set<std::string>{"c.txt", "v.vocab"}));
}

TEST(CommitTogether, SuccessfulRunWritesBoth) {
  ScratchDir d("together-ok");
  const auto corpus = d.file("c.txt"), vocab = d.file("v.vocab"), out = d.file("v.bin");
  write_file(corpus, make_corpus(500, 10, 100));
  write_file(vocab, kEarlier);
  const auto r = run_w2v(with({"train", corpus, "-o", out, "--save-vocab", vocab}, kFast));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(read_file(vocab), HasSubstr("w0 "));
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(d.entries(), (std::set<std::string>{"c.txt", "v.bin", "v.vocab"}));
}

// --- 3. a signal while the output is written ---------------------------------------------------

// 2000 words once each, at --dim 10000 in text: about 220 MB of vectors written, from a corpus
// that trains in a moment.
struct BigWrite {
  explicit BigWrite(const std::string& name) : dir(name) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "w" + std::to_string(i) + (i % 10 == 9 ? "\n" : " ");
    write_file(corpus, text);
    write_file(out, kEarlier);
  }
  std::vector<std::string> args() const {
    return {"train",    corpus, "-o",        out, "--dim",       "10000",
            "--epochs", "1",    "--window",  "1", "--negative",  "1",
            "--sample", "0",    "--threads", "2", "--min-count", "1"};
  }
  ScratchDir dir;
  std::string corpus = dir.file("c.txt");
  std::string out = dir.file("v.txt");
};

void signal_into_write(int sig, int code) {
  BigWrite w(sig == SIGINT ? "bigwrite-int" : "bigwrite-term");
  RunOptions opt;
  opt.signal = sig;
  opt.signal_when = "writing ";
  opt.signal_delay = 0.3;  // well inside the write, which takes seconds
  const auto r = run_w2v(w.args(), opt);
  EXPECT_EQ(r.exit_code, code) << describe(r);
  EXPECT_GE(r.seconds_after_signal, 0) << describe(r);
  EXPECT_LT(r.seconds_after_signal, kStopBound) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("interrupted; no output was written, earlier files are intact"));
  EXPECT_EQ(read_file(w.out), kEarlier) << "the old file was replaced";
  EXPECT_EQ(w.dir.entries(), (std::set<std::string>{"c.txt", "v.txt"})) << "temp file left";
  std::printf("[ info     ] stopped %.3f s after the signal\n", r.seconds_after_signal);
}

TEST(SignalWhileWriting, SigintAbortsTheWrite) {
  signal_into_write(SIGINT, 130);
}

TEST(SignalWhileWriting, SigtermAbortsTheWrite) {
  signal_into_write(SIGTERM, 143);
}

TEST(SignalWhileWriting, SecondSigintLeavesNoTempFile) {
  BigWrite w("bigwrite-twice");
  std::string cmd;
  for (const auto& a : w.args()) cmd += " '" + a + "'";
  const std::string err = w.dir.file("../bigwrite-twice.err");
  // Two SIGINTs back to back once the write has begun.
  const std::string script = std::string("'") + W2V_BINARY + "'" + cmd + " 2>'" + err +
                             "' & p=$!; until grep -q 'writing ' '" + err +
                             "' 2>/dev/null; do sleep 0.05; done; sleep 0.3; kill -INT $p; "
                             "kill -INT $p; wait $p; echo $?";
  const auto r = run_command({"/bin/sh", "-c", script});
  ::unlink(err.c_str());
  EXPECT_EQ(r.out, "130\n") << describe(r);
  EXPECT_EQ(read_file(w.out), kEarlier);
  EXPECT_EQ(w.dir.entries(), (std::set<std::string>{"c.txt", "v.txt"})) << "temp file left";
}

// --- 4. a signal while vectors load ------------------------------------------------------------

void expect_stopped(const RunResult& r, int code) {
  EXPECT_EQ(r.exit_code, code) << describe(r);
  EXPECT_GE(r.seconds_after_signal, 0) << describe(r);
  EXPECT_LT(r.seconds_after_signal, kStopBound) << describe(r);
}

TEST(SignalWhileLoading, DevZeroModel) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"nearest", "king", "-m", "/dev/zero"},
           {"vec", "king", "-m", "/dev/zero"},
           {"similarity", "king", "queen", "-m", "/dev/zero"},
           {"analogy", "a", "b", "c", "-m", "/dev/zero"},
       }) {
    RunOptions opt;
    opt.signal = SIGTERM;
    opt.signal_delay = 0.5;
    opt.timeout_seconds = 20;
    expect_stopped(run_w2v(args, opt), 143);
  }
  ScratchDir d("load-zero-eval");
  write_file(d.file("q.txt"), ": s\na b c d\n");
  RunOptions opt;
  opt.signal = SIGINT;
  opt.signal_delay = 0.5;
  opt.timeout_seconds = 20;
  expect_stopped(run_w2v({"eval", "analogy", d.file("q.txt"), "-m", "/dev/zero"}, opt), 130);
}

TEST(SignalWhileLoading, FifoWithoutWriterAndIdleWriter) {
  ScratchDir d("load-fifo");
  const auto fifo = d.file("model.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  RunOptions opt;
  opt.signal = SIGTERM;
  opt.signal_delay = 0.5;
  opt.timeout_seconds = 20;
  // Nobody opens the FIFO for writing: open() waits.
  auto r = run_w2v({"nearest", "king", "-m", fifo}, opt);
  expect_stopped(r, 143);
  EXPECT_THAT(r.err, Not(HasSubstr("error")));
  // A writer that holds the FIFO open and never writes (the child itself, through fd 3).
  const std::string script = "exec 3<>'" + fifo + "'; exec '" + W2V_BINARY +
                             "' eval similarity /dev/null -m '" + fifo + "'";
  r = run_command({"/bin/sh", "-c", script}, opt);
  expect_stopped(r, 143);
  EXPECT_THAT(r.err, Not(HasSubstr("error")));
}

TEST(SignalWhileLoading, IdleStdinForNearestAndTrain) {
  ScratchDir d("idle-stdin");
  write_file(d.file("m.txt"), kModel);
  RunOptions opt;
  opt.keep_stdin_open = true;
  opt.signal = SIGINT;
  opt.signal_delay = 0.7;
  opt.signal_other_thread = true;  // not the thread that waits on stdin
  opt.timeout_seconds = 20;
  // One query answered (the scoring threads exist now), then the writer goes idle.
  opt.stdin_data = "king\n";
  expect_stopped(run_w2v({"nearest", "-", "-m", d.file("m.txt"), "--threads", "4"}, opt), 130);
  opt.stdin_data = "king man woman\n";
  expect_stopped(run_w2v({"analogy", "-", "-m", d.file("m.txt"), "--threads", "4"}, opt), 130);
  opt.stdin_data = "some words\n";
  expect_stopped(run_w2v({"train", "-", "-o", d.file("v.bin"), "--threads", "4"}, opt), 130);
  EXPECT_FALSE(fs::exists(d.file("v.bin")));
}

// --- 5. the vocabulary does not depend on --threads --------------------------------------------

TEST(CountingBound, VocabularyIsTheSameForAnyThreadCount) {
  ScratchDir d("count-threads");
  const auto corpus = d.file("c.txt");
  // About 9 MB (three reading blocks) with ~60,000 distinct words, and a bound that prunes.
  write_file(corpus, make_corpus(90000, 20, 60000, 7));
  std::string first;
  for (const char* threads : {"1", "3", "64", "1024"}) {
    const auto vocab = d.file(std::string("v") + threads + ".vocab");
    const auto r = run_w2v({"train", corpus, "--vocab-only", "--save-vocab", vocab, "--min-count",
                            "1", "--max-counter-words", "20000", "--threads", threads});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_THAT(r.err, HasSubstr("counting hit its bound of 20000")) << "no pruning tested";
    const std::string v = read_file(vocab);
    if (first.empty()) {
      first = v;
    } else {
      EXPECT_TRUE(v == first) << "--threads " << threads << " changed the vocabulary";
    }
  }
  // Without pruning, a small file at a very high thread count: the default bound.
  const auto small = d.file("small.txt");
  write_file(small, make_corpus(20000, 10, 40000, 3));
  std::string base;
  for (const char* threads : {"1", "1024"}) {
    const auto vocab = d.file(std::string("s") + threads + ".vocab");
    const auto r = run_w2v({"train", small, "--vocab-only", "--save-vocab", vocab, "--min-count",
                            "1", "--threads", threads});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_THAT(r.err, Not(HasSubstr("counting hit its bound")));
    if (base.empty()) {
      base = read_file(vocab);
    } else {
      EXPECT_TRUE(read_file(vocab) == base) << "--threads 1024 changed the vocabulary";
    }
  }
}

// --- 6. stdout is checked at exit --------------------------------------------------------------

bool stdout_to_dev_full() {
  const int fd = ::open("/dev/full", O_WRONLY);
  return fd >= 0 && ::dup2(fd, 1) == 1;
}

TEST(StdoutChecked, EveryCommandFailsOnAFullStdout) {
  ScratchDir d("dev-full");
  const auto model = d.file("m.txt"), sim = d.file("s.tsv"), ana = d.file("q.txt");
  const auto corpus = d.file("c.txt");
  write_file(model, kModel);
  write_file(sim, "king queen 9\nman woman 8\nking man 2\n");
  write_file(ana, ": s\nking queen man woman\n");
  write_file(corpus, make_corpus(300, 10, 40));
  write_file(d.file("sim2.tsv"), "w1 w2 9\nw2 w3 8\nw1 w3 2\n");
  RunOptions opt;
  opt.in_child = stdout_to_dev_full;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"eval", "similarity", sim, "-m", model},
           {"eval", "analogy", ana, "-m", model},
           {"nearest", "king", "-m", model},
           {"analogy", "king", "queen", "man", "-m", model},
           {"similarity", "king", "queen", "-m", model},
           {"vec", "king", "-m", model},
           {"--help"},
           {"train", "--help"},
           {"--version"},
           with({"train", corpus, "-o", d.file("v.bin"), "--eval-similarity", d.file("sim2.tsv")},
                kFast),
       }) {
    const auto r = run_w2v(args, opt);
    EXPECT_EQ(r.exit_code, 1) << args[0] << " " << (args.size() > 1 ? args[1] : "") << "\n"
                              << describe(r);
    EXPECT_THAT(r.err, HasSubstr("writing to stdout failed")) << describe(r);
  }
}

// --- 7, 8. every bad option together, before any work ------------------------------------------

TEST(AllBadOptions, QueryCommandsReportThemTogether) {
  const std::string missing = "/nonexistent/model.bin";
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> expect;
  };
  const std::vector<Case> cases = {
      {{"nearest", "king", "-m", missing, "-k", "0", "--restrict", "x", "--threads", "-1"},
       {"-k 0", "--restrict 'x'", "--threads -1"}},
      {{"analogy", "a", "b", "c", "-m", missing, "-k", "zero", "--method", "bad", "--threads",
        "99999"},
       {"-k 'zero'", "bad", "--threads 99999"}},
      {{"similarity", "a", "b", "c", "-m", missing, "--threads", "z"}, {"--threads 'z'", "pairs"}},
      {{"vec", "a", "-m", missing, "--threads", "-5", "--restrict", "3"}, {}},
      {{"eval", "analogy", "/nonexistent/q.txt", "-m", missing, "--restrict", "-1", "--method", "x",
        "--rules", "y", "--case", "z", "--threads", "q"},
       {"--restrict '-1'", "x", "y", "z", "--threads 'q'"}},
      {{"eval", "similarity", "/nonexistent/s.tsv", "-m", missing, "--restrict", "-1", "--case",
        "z"},
       {"--restrict '-1'", "z"}},
      {{"plot", "a", "b", "-m", missing, "--top", "x", "--width", "5", "--height", "1e9",
        "--format", "gif"},
       {"--top 'x'", "--width 5", "--height '1e9'", "gif"}},
  };
  for (const auto& c : cases) {
    const auto r = run_w2v(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0] << "\n" << describe(r);
    EXPECT_THAT(r.err, Not(HasSubstr("nonexistent"))) << "work started before the options were "
                                                         "checked\n"
                                                      << describe(r);
    if (c.expect.size() > 1) {
      EXPECT_THAT(r.err, HasSubstr("bad options:")) << describe(r);
    }
    for (const auto& e : c.expect) EXPECT_THAT(r.err, HasSubstr(e)) << describe(r);
  }
}

TEST(AllBadOptions, EvalRestrictMinusOneIsRefused) {
  ScratchDir d("restrict-neg");
  write_file(d.file("m.txt"), kModel);
  write_file(d.file("q.txt"), ": s\nking queen man woman\n");
  const auto r =
      run_w2v({"eval", "analogy", d.file("q.txt"), "-m", d.file("m.txt"), "--restrict", "-1"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("--restrict"));
  EXPECT_THAT(r.out, Not(HasSubstr("18446744073709551615")));
}

// --- 9. every input parsed before the work -----------------------------------------------------

TEST(InputsFirst, BadEvalSimilarityFileStopsTrainingBeforeItStarts) {
  ScratchDir d("eval-first");
  const auto corpus = d.file("c.txt"), out = d.file("v.bin");
  write_file(corpus, make_corpus(2000, 20, 300));
  write_file(d.file("bad.tsv"), "w1\tw2\t1\nw1\tw3\tnot-a-number\n");
  write_file(d.file("bad.txt"), ": s\nw1 w2 w3\n");
  for (const char* opt : {"--eval-similarity", "--eval-analogy"}) {
    const auto bad = d.file(opt == std::string("--eval-analogy") ? "bad.txt" : "bad.tsv");
    RunOptions ro;
    ro.timeout_seconds = 30;
    const auto r = run_w2v({"train", corpus, "-o", out, opt, bad, "--epochs", "100000",
                            "--min-count", "1", "--threads", "2"},
                           ro);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_THAT(r.err, HasSubstr(bad)) << describe(r);
    EXPECT_THAT(r.err, Not(HasSubstr("training:"))) << "the set was read after training";
    EXPECT_FALSE(fs::exists(out));
  }
}

// --- 10-13. readers -----------------------------------------------------------------------------

TEST(Readers, Utf8ByteOrderMarkIsNotPartOfTheFirstWord) {
  ScratchDir d("bom");
  const std::string bom = "\xEF\xBB\xBF";
  write_file(d.file("glove.txt"), bom + "king 1 0\nqueen 0 1\n");
  write_file(d.file("w2v.txt"), bom + "2 2\nking 1 0\nqueen 0 1\n");
  std::string bin = bom + "2 2\n";
  for (const char* w : {"king", "queen"}) {
    const float v[2] = {1.0f, 0.5f};
    bin += std::string(w) + " " + std::string(reinterpret_cast<const char*>(v), 8) + "\n";
  }
  write_file(d.file("w2v.bin"), bin);
  for (const char* f : {"glove.txt", "w2v.txt", "w2v.bin"}) {
    const auto r = run_w2v({"vec", "king", "-m", d.file(f), "--tsv"});
    EXPECT_EQ(r.exit_code, 0) << f << "\n" << describe(r);
    EXPECT_THAT(r.out, ::testing::StartsWith("king\t0\t")) << f;
  }
}

TEST(Readers, UnderflowingValuesAreReadAsZeroAndCounted) {
  ScratchDir d("underflow");
  write_file(d.file("m.txt"), "2 3\nking 1e-46 0.5 -1e-50\nqueen 1 1e-40 2\n");
  const auto r = run_w2v({"vec", "king", "queen", "-m", d.file("m.txt"), "--tsv"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.out, HasSubstr("king\t0\t0 0.5 -0\n"));
  EXPECT_THAT(r.out, HasSubstr("queen\t1\t1 1e-40 2\n"));
  EXPECT_THAT(r.err, HasSubstr("2 value(s) too small for float")) << describe(r);
  // Overflow stays an error.
  write_file(d.file("big.txt"), "1 2\nking 1e39 0\n");
  const auto e = run_w2v({"vec", "king", "-m", d.file("big.txt")});
  EXPECT_EQ(e.exit_code, 1) << describe(e);
  EXPECT_THAT(e.err, HasSubstr("out of float range"));
}

TEST(Readers, BadHeaderIsReportedAsLineOne) {
  ScratchDir d("bad-header");
  for (const char* header : {"5 -3", "5 3 7", "5.0 3", "2 3.5"}) {
    write_file(d.file("m.txt"), std::string(header) + "\nking 1 2 3\nqueen 4 5 6\n");
    const auto r = run_w2v({"vec", "king", "-m", d.file("m.txt")});
    EXPECT_EQ(r.exit_code, 1) << header << "\n" << describe(r);
    EXPECT_THAT(r.err, HasSubstr(d.file("m.txt") + ": line 1: bad header")) << describe(r);
  }
  // A GloVe file whose first word is a number still loads.
  write_file(d.file("g.txt"), "5 0.1 0.2\nking 0.3 0.4\n");
  const auto r = run_w2v({"vec", "5", "-m", d.file("g.txt")});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
}

TEST(Readers, HugeQuotedInputIsCappedInMessages) {
  ScratchDir d("cap");
  write_file(d.file("m.txt"), kModel);
  const std::string huge(100000, 'x');  // an argument may hold up to 128 kB
  const auto r = run_w2v({"nearest", huge, "-m", d.file("m.txt")});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_LT(r.err.size(), 1000u) << "a 100 kB word was echoed into the message";
  EXPECT_THAT(r.err, HasSubstr(std::string(200, 'x') + "\xE2\x80\xA6"));
  // In --read-vocab and --eval-similarity errors too.
  write_file(d.file("v.vocab"), huge + "\n");
  write_file(d.file("c.txt"), "a b c\n");
  const auto v = run_w2v(with(
      {"train", d.file("c.txt"), "-o", d.file("o.bin"), "--read-vocab", d.file("v.vocab")}, kFast));
  EXPECT_EQ(v.exit_code, 1) << describe(v);
  EXPECT_LT(v.err.size(), 1000u);
  write_file(d.file("s.tsv"), "a b 1\na b " + huge + "\n");
  const auto s = run_w2v({"eval", "similarity", d.file("s.tsv"), "-m", d.file("m.txt")});
  EXPECT_EQ(s.exit_code, 1) << describe(s);
  EXPECT_LT(s.err.size(), 1000u);
}

// --- 14, 15. training edge cases ----------------------------------------------------------------

TEST(TrainEdges, BatchedKernelRefusesTooManyNegatives) {
  ScratchDir d("negative");
  const auto corpus = d.file("c.txt"), out = d.file("v.bin");
  write_file(corpus, make_corpus(300, 10, 40));
  auto r = run_w2v(with({"train", corpus, "-o", out, "--negative", "500"}, kFast));
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("batched kernel"));
  EXPECT_THAT(r.err, HasSubstr("--kernel exact"));
  EXPECT_FALSE(fs::exists(out));
  r = run_w2v(with({"train", corpus, "-o", out, "--negative", "500", "--kernel", "exact"}, kFast));
  EXPECT_EQ(r.exit_code, 0) << describe(r);
}

TEST(TrainEdges, LongestOutputNameTheFileSystemAllows) {
  ScratchDir d("long-name");
  const auto corpus = d.file("c.txt");
  write_file(corpus, make_corpus(300, 10, 40));
  const std::string name = std::string(250, 'v') + ".bin";     // 254 bytes
  const std::string vocab = std::string(249, 'w') + ".vocab";  // 255 bytes
  const auto r =
      run_w2v(with({"train", corpus, "-o", d.file(name), "--save-vocab", d.file(vocab)}, kFast));
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(fs::exists(d.file(name)));
  EXPECT_TRUE(fs::exists(d.file(vocab)));
  EXPECT_EQ(d.entries(), (std::set<std::string>{"c.txt", name, vocab}));
  const auto p =
      run_w2v({"plot", "--top", "5", "--keep-stopwords", "-m", d.file(name), "-o",
               d.file(std::string(251, 'p') + ".svg")});  // the words w0 w1 ... hold digits
  EXPECT_EQ(p.exit_code, 0) << describe(p);
}

// --- help placeholders
// ----------------------------------------------------------------------------

TEST(Help, PlaceholdersSayWhatOptionsTake) {
  const auto r = run_w2v({"train", "--help"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.out, HasSubstr("--dim INT"));
  EXPECT_THAT(r.out, HasSubstr("--lr,--alpha FLOAT"));
  EXPECT_THAT(r.out, HasSubstr("-o,--output FILE"));
  EXPECT_THAT(r.out, Not(HasSubstr("TEXT")));
  const auto n = run_w2v({"nearest", "--help"});
  EXPECT_THAT(n.out, HasSubstr("-m,--model FILE"));
  EXPECT_THAT(n.out, HasSubstr("-k INT"));
  EXPECT_THAT(n.out, Not(HasSubstr("TEXT")));
  const auto e = run_w2v({"eval", "analogy", "--help"});
  EXPECT_THAT(e.out, HasSubstr("--restrict INT"));
  EXPECT_THAT(e.out, Not(HasSubstr("TEXT")));
}

}  // namespace
}  // namespace w2v
