#include "domain/source.h"

namespace trellis {

std::string FormatFinding(const Finding& finding) {
  std::string out = finding.pos.file;
  if (finding.pos.line > 0) {
    out += ":" + std::to_string(finding.pos.line) + ":" +
           std::to_string(finding.pos.column);
  }
  out += finding.severity == Severity::kError ? ": error: " : ": warning: ";
  out += finding.message;
  return out;
}

}  // namespace trellis
