// Where a value came from in a framework file, so that every finding can point
// at a line a coordinator can open. Plain value types; thread-safe.
#pragma once

#include <string>

namespace trellis {

struct SourcePos {
  std::string file;  // as given to the loader
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

// A reference to something by id, remembering where it was written.
struct Ref {
  std::string id;
  SourcePos pos;
};

enum class Severity { kError, kWarning };

// One thing the loader or the validator has to say about a framework.
struct Finding {
  Severity severity = Severity::kError;
  SourcePos pos;
  std::string message;
};

// "file:line:col: error: message", the form compilers use, so editors can jump
// to it.
std::string FormatFinding(const Finding& finding);

}  // namespace trellis
