#include "io/vocab_file.hpp"

#include <fmt/format.h>
#include <charconv>
#include <utility>
#include <vector>

#include "io/atomic_file.hpp"
#include "io/text_reader.hpp"
#include "util/error.hpp"
#include "vocab/counter.hpp"

namespace w2v::io {

void write_vocab_file(const std::string& path, const vocab::Vocab& vocab) {
  AtomicFile out(path);
  fmt::memory_buffer buf;
  for (std::uint32_t i = 0; i < vocab.size(); ++i) {
    fmt::format_to(std::back_inserter(buf), "{} {}\n", vocab.word(i), vocab.count(i));
    if (buf.size() > (1u << 20)) {
      out.write(buf.data(), buf.size());
      buf.clear();
    }
  }
  out.write(buf.data(), buf.size());
  out.commit();
}

vocab::Vocab read_vocab_file(const std::string& path, const vocab::VocabOptions& options) {
  check_inputs({path});
  TextReader reader({path});
  TextBlock block;
  std::vector<std::pair<std::string, std::uint64_t>> words;
  vocab::Counter seen(0);
  while (reader.next(block)) {
    std::uint64_t line_no = block.first_line;
    std::string_view text = block.text;
    while (!text.empty()) {
      const auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) {
        ++line_no;
        continue;
      }
      const auto sp = line.find_last_of(" \t");
      if (sp == std::string_view::npos || sp == 0) {
        throw Error(
            fmt::format("{}:{}: expected 'word count', got '{}'", path, line_no, capped(line)));
      }
      std::string_view word = line.substr(0, sp);
      while (!word.empty() && (word.back() == ' ' || word.back() == '\t')) word.remove_suffix(1);
      const std::string_view num = line.substr(sp + 1);
      std::uint64_t count = 0;
      const auto res = std::from_chars(num.data(), num.data() + num.size(), count);
      if (res.ec != std::errc() || res.ptr != num.data() + num.size() || word.empty() ||
          word.find_first_of(" \t") != std::string_view::npos) {
        throw Error(
            fmt::format("{}:{}: expected 'word count', got '{}'", path, line_no, capped(line)));
      }
      if (seen.find(word) != vocab::Counter::kDead) {
        throw Error(fmt::format("{}:{}: word '{}' listed twice", path, line_no, capped(word)));
      }
      seen.add(word);
      words.emplace_back(std::string(word), count);
      ++line_no;
    }
  }
  return vocab::Vocab::from_counts(std::move(words), options);
}

}  // namespace w2v::io
