#include "util/error.hpp"

#include <cstring>

namespace w2v {

std::string errno_message(int err) {
  char buf[256];
  // GNU strerror_r returns a char*, which may or may not point into buf.
  const char* msg = strerror_r(err, buf, sizeof buf);
  return msg;
}

}  // namespace w2v
