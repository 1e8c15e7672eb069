#include "engine/matrix.h"

#include "engine/route.h"

namespace trellis {

Matrix BuildMatrix(const Framework& framework) {
  Matrix matrix;
  for (const auto& a : framework.audiences) matrix.audiences.push_back(&a);
  for (const auto& p : framework.processes) matrix.processes.push_back(&p);
  for (const Audience* audience : matrix.audiences) {
    std::vector<MatrixCell> row;
    for (const Process* process : matrix.processes)
      row.push_back({audience, process, {}});
    if (auto route = BuildRoute(framework, audience->id)) {
      for (const auto& step : route->steps) {
        for (size_t p = 0; p < matrix.processes.size(); ++p) {
          if (step.module->process.id == matrix.processes[p]->id) {
            row[p].modules.push_back(step.module);
          }
        }
      }
    }
    matrix.cells.insert(matrix.cells.end(), row.begin(), row.end());
  }
  return matrix;
}

}  // namespace trellis
