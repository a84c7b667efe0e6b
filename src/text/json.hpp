// JSON string literals, the one escaper behind every --json output and the HTML map's data.
#pragma once

#include <string>
#include <string_view>

namespace w2v::text {

enum class JsonContext {
  kPlain,      // a JSON document on its own (stdout of --json)
  kInsideHtml  // embedded in an HTML <script>: '<', '>' and '&' escaped too, so "</script>"
               // in a word cannot end the script
};

// A JSON string literal for `s`: quotes and backslashes escaped, \n \t \r as short escapes,
// other C0 controls, DEL, U+2028 and U+2029 as \uXXXX (the last two end a line in JavaScript);
// each invalid UTF-8 byte becomes \ufffd. Everything else is copied as UTF-8.
std::string json_string(std::string_view s, JsonContext context = JsonContext::kPlain);

}  // namespace w2v::text
