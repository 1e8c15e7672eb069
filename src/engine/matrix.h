// The audience x process matrix [001 App. 1, MISSION A5], derived from the
// requirements and routes: each module stands under its own process, in route
// order. Pure; safe from many threads.
#pragma once

#include <string>
#include <vector>

#include "domain/framework.h"

namespace trellis {

struct MatrixCell {
  const Audience* audience = nullptr;
  const Process* process = nullptr;
  std::vector<const Module*> modules;  // in route order
};

struct Matrix {
  std::vector<const Audience*> audiences;  // framework order
  std::vector<const Process*> processes;   // framework order
  std::vector<MatrixCell> cells;           // audiences x processes, row by row

  const MatrixCell& At(size_t audience, size_t process) const {
    return cells[audience * processes.size() + process];
  }
};

// Builds the matrix over every audience and process of the framework. Modules
// whose process is unknown are left out (the validator reports them).
Matrix BuildMatrix(const Framework& framework);

}  // namespace trellis
