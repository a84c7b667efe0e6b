// Line-level helpers shared by the evaluation-file parsers.
#pragma once

#include <string_view>
#include <vector>

namespace w2v::eval {

inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

// ASCII blanks (space, tab, CR, VT, FF).
bool is_space(char c);
std::string_view trim(std::string_view s);
// Fields separated by runs of blanks.
std::vector<std::string_view> split_ws(std::string_view s);

}  // namespace w2v::eval
