// Option checking shared by every subcommand: numeric options are taken as text and checked
// here, so that all mistakes of one command line are reported together, before any work (CLI11
// would stop at the first). Also the check that no output of a command is one of its inputs.
#pragma once

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace w2v::app {

class OptionChecker {
 public:
  template <typename T>
  T integer(const char* name, const std::string& text, T lo, T hi) {
    T v{};
    const char* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    const bool overflow = res.ec == std::errc::result_out_of_range;
    if (res.ptr != end || (res.ec != std::errc() && !overflow)) {
      problems_.push_back(fmt::format("{} '{}' is not a whole number", name, text));
    } else if (overflow || v < lo || v > hi) {
      problems_.push_back(fmt::format("{} {} is out of range ({} to {})", name, text, lo, hi));
    }
    return v;
  }
  double real(const char* name, const std::string& text, double lo, double hi) {
    double v = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(v)) {
      problems_.push_back(fmt::format("{} '{}' is not a finite number", name, text));
    } else if (v < lo || v > hi) {
      problems_.push_back(fmt::format("{} {} is out of range ({} to {})", name, text, lo, hi));
    }
    return v;
  }
  // Runs a parser that throws w2v::Error for a bad value; records its message instead.
  template <typename F>
  auto choice(F parse) -> decltype(parse()) {
    try {
      return parse();
    } catch (const Error& e) {
      problems_.emplace_back(e.what());
      return {};
    }
  }
  void problem(std::string p) { problems_.push_back(std::move(p)); }
  bool any() const { return !problems_.empty(); }
  // Throws w2v::Error (exit 2) listing every problem recorded.
  void throw_if_any() const {
    if (problems_.empty()) return;
    std::string msg = problems_.size() == 1 ? "bad option: " : "bad options:";
    if (problems_.size() == 1) {
      msg += problems_[0];
    } else {
      for (const auto& p : problems_) msg += "\n  " + p;
    }
    throw Error(msg, kExitUsage);
  }

 private:
  std::vector<std::string> problems_;
};

// Sets the help placeholders (`--dim INT`, `-m FILE`) of the named options of `sub`.
inline void name_placeholders(CLI::App* sub,
                              const std::vector<std::pair<std::string, std::string>>& names) {
  for (const auto& [option, placeholder] : names) sub->get_option(option)->type_name(placeholder);
}

}  // namespace w2v::app
