// How long Trellis takes to load, validate and derive from the shipped
// frameworks, against a baseline measured in the same run: reading and parsing
// the same YAML files with yaml-cpp alone. The ratio is Trellis's cost over
// the bare parse, so it holds from one machine to another.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/framework_validator.h"
#include "engine/matrix.h"
#include "engine/route.h"
#include "machine.h"
#include "store/framework_loader.h"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Frameworks() {
  return trellis::DiscoverFrameworks(fs::path(TRELLIS_SOURCE_DIR) /
                                     "frameworks");
}

// Baseline: read every framework file and parse it with yaml-cpp, nothing else.
void BM_YamlParseOnly(benchmark::State& state) {
  std::vector<fs::path> files;
  for (const auto& dir : Frameworks()) {
    for (const auto& entry : fs::directory_iterator(dir))
      files.push_back(entry.path());
  }
  for (auto _ : state) {
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      benchmark::DoNotOptimize(YAML::Load(text.str()));
    }
  }
}
BENCHMARK(BM_YamlParseOnly)->Unit(benchmark::kMicrosecond);

// Trellis's loader: the same files into domain values, with every finding.
void BM_Load(benchmark::State& state) {
  const auto dirs = Frameworks();
  for (auto _ : state) {
    for (const auto& dir : dirs)
      benchmark::DoNotOptimize(trellis::LoadFramework(dir));
  }
}
BENCHMARK(BM_Load)->Unit(benchmark::kMicrosecond);

// What `trellis framework validate` and `matrix` do: load, validate (which
// builds every audience's and role's route) and derive the matrix.
void BM_LoadValidateMatrix(benchmark::State& state) {
  const auto dirs = Frameworks();
  for (auto _ : state) {
    for (const auto& dir : dirs) {
      trellis::LoadResult result = trellis::LoadFramework(dir);
      if (!result.framework) continue;
      benchmark::DoNotOptimize(trellis::ValidateFramework(*result.framework));
      benchmark::DoNotOptimize(trellis::BuildMatrix(*result.framework));
    }
  }
}
BENCHMARK(BM_LoadValidateMatrix)->Unit(benchmark::kMicrosecond);

// Keeps each benchmark's time per iteration for the closing ratio line.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      if (run.run_type == Run::RT_Iteration && run.iterations > 0) {
        seconds_[run.benchmark_name()] =
            run.real_accumulated_time / static_cast<double>(run.iterations);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double Seconds(const std::string& name) const {
    auto it = seconds_.find(name);
    return it == seconds_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double base = reporter.Seconds("BM_YamlParseOnly");
  if (base > 0) {
    std::cout << "machine: " << trellis::bench::Machine() << "\n";
    std::cout << "framework-bench: load_ratio="
              << reporter.Seconds("BM_Load") / base
              << " load_validate_matrix_ratio="
              << reporter.Seconds("BM_LoadValidateMatrix") / base
              << " yaml_parse_us=" << base * 1e6 << "\n";
  }
  benchmark::Shutdown();
  return 0;
}
