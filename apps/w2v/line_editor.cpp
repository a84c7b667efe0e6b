#include "line_editor.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "text/utf8.hpp"
#include "util/stop.hpp"

namespace w2v::app {
namespace {

void put(std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

struct LineEditor::Saved {
  termios modes{};
};

bool interactive_terminal() {
  return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1;
}

LineEditor::LineEditor(std::string prompt) : prompt_(std::move(prompt)), saved_(new Saved) {
  termios t{};
  if (::tcgetattr(STDIN_FILENO, &saved_->modes) == 0) {
    t = saved_->modes;
    // Byte at a time, no echo; signals (Ctrl-C) stay on, so an interrupt ends the session.
    t.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | IEXTEN);
    t.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    raw_ = ::tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0;
  }
}

LineEditor::~LineEditor() {
  if (raw_) ::tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_->modes);
  delete saved_;
}

int LineEditor::read_byte() {
  for (;;) {
    // Short waits, so that a stop request (Ctrl-C, SIGTERM) ends an idle prompt at once.
    pollfd p{STDIN_FILENO, POLLIN, 0};
    const int pr = ::poll(&p, 1, 100);
    if (stop_requested() != 0) {
      put("\r\n");
      throw_if_stopped();
    }
    if (pr == 0 || (pr < 0 && errno == EINTR)) continue;
    unsigned char c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return -1;
    return c;
  }
}

void LineEditor::redraw() const {
  std::string s = "\r" + prompt_ + buf_ + "\x1b[K";
  const std::size_t back = text::display_width(std::string_view(buf_).substr(cursor_));
  if (back > 0) s += "\x1b[" + std::to_string(back) + "D";
  put(s);
}

bool LineEditor::read_line(std::string& line) {
  buf_.clear();
  cursor_ = 0;
  std::size_t hist = history_.size();
  std::string draft;
  auto left = [&] {
    while (cursor_ > 0 && continuation(buf_[--cursor_])) {
    }
  };
  auto right = [&] {
    if (cursor_ < buf_.size()) ++cursor_;
    while (cursor_ < buf_.size() && continuation(buf_[cursor_])) ++cursor_;
  };
  auto recall = [&](std::size_t h) {
    if (hist == history_.size()) draft = buf_;
    hist = h;
    buf_ = hist == history_.size() ? draft : history_[hist];
    cursor_ = buf_.size();
  };
  redraw();
  for (;;) {
    const int c = read_byte();
    if (c < 0 || (c == 0x04 && buf_.empty())) {
      put("\r\n");
      return false;
    }
    switch (c) {
      case '\r':
      case '\n':
        put("\r\n");
        line = buf_;
        if (!buf_.empty() && (history_.empty() || history_.back() != buf_)) {
          history_.push_back(buf_);
        }
        return true;
      case 0x01:  // Ctrl-A
        cursor_ = 0;
        break;
      case 0x05:  // Ctrl-E
        cursor_ = buf_.size();
        break;
      case 0x02:  // Ctrl-B
        left();
        break;
      case 0x06:  // Ctrl-F
        right();
        break;
      case 0x7f:
      case 0x08: {  // Backspace
        const std::size_t end = cursor_;
        left();
        buf_.erase(cursor_, end - cursor_);
        break;
      }
      case 0x04: {  // Ctrl-D inside a line: delete under the cursor
        const std::size_t b = cursor_;
        right();
        buf_.erase(b, cursor_ - b);
        cursor_ = b;
        break;
      }
      case 0x0b:  // Ctrl-K
        buf_.erase(cursor_);
        break;
      case 0x15:  // Ctrl-U
        buf_.erase(0, cursor_);
        cursor_ = 0;
        break;
      case 0x17: {  // Ctrl-W: the blanks before the cursor, then the word
        std::size_t b = cursor_;
        while (b > 0 && buf_[b - 1] == ' ') --b;
        while (b > 0 && buf_[b - 1] != ' ') --b;
        buf_.erase(b, cursor_ - b);
        cursor_ = b;
        break;
      }
      case 0x1b: {  // ESC [ X, ESC O X, ESC [ n ~
        const int c1 = read_byte();
        if (c1 != '[' && c1 != 'O') break;
        int c2 = read_byte();
        int num = 0;
        while (c2 >= '0' && c2 <= '9') {
          num = num * 10 + (c2 - '0');
          c2 = read_byte();
        }
        if (c2 == 'A' && hist > 0) recall(hist - 1);
        if (c2 == 'B' && hist < history_.size()) recall(hist + 1);
        if (c2 == 'C') right();
        if (c2 == 'D') left();
        if (c2 == 'H' || (c2 == '~' && (num == 1 || num == 7))) cursor_ = 0;
        if (c2 == 'F' || (c2 == '~' && (num == 4 || num == 8))) cursor_ = buf_.size();
        if (c2 == '~' && num == 3) {
          const std::size_t b = cursor_;
          right();
          buf_.erase(b, cursor_ - b);
          cursor_ = b;
        }
        break;
      }
      default:
        if (c >= 0x20) {
          buf_.insert(buf_.begin() + static_cast<std::ptrdiff_t>(cursor_), static_cast<char>(c));
          ++cursor_;
        }
        break;
    }
    redraw();
  }
}

}  // namespace w2v::app
