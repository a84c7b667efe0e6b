// The interactive prompt of `nearest` and `analogy` run on a terminal without query words (as
// word2vec.c's `distance` and `fasttext nn` offer): one query per line, with minimal line
// editing of our own (no readline: it is GPL and would be a new dependency for a few keys).
//
// Keys: printable text (UTF-8) inserts at the cursor; Left/Right, Home/End, Ctrl-A/E/B/F move;
// Backspace and Delete remove a character; Ctrl-U / Ctrl-K delete before / after the cursor,
// Ctrl-W the word before it; Up/Down walk the session's history; Enter submits; Ctrl-D on an
// empty line (or end of input) ends the session; Ctrl-C ends it as an interrupt does. The
// terminal's modes are restored on every way out.
#pragma once

#include <string>
#include <vector>

namespace w2v::app {

// True when stdin and stderr are terminals: the prompt is drawn on stderr, results go to stdout.
bool interactive_terminal();

class LineEditor {
 public:
  explicit LineEditor(std::string prompt);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;
  // Reads one line into `line`; false at Ctrl-D on an empty line or end of input.
  bool read_line(std::string& line);

 private:
  void redraw() const;
  int read_byte();  // -1 at end of input
  std::string prompt_;
  std::string buf_;
  std::size_t cursor_ = 0;  // byte offset in buf_, on a character boundary
  std::vector<std::string> history_;
  bool raw_ = false;
  struct Saved;
  Saved* saved_ = nullptr;
};

}  // namespace w2v::app
