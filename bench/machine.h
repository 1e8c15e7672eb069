// The machine a benchmark ran on, for the line it prints beside its ratios.
#pragma once

#include <fstream>
#include <string>
#include <thread>

namespace trellis::bench {

// "AMD EPYC, 2 cores": the CPU model from /proc/cpuinfo and the hardware
// threads.
inline std::string Machine() {
  std::string model = "unknown cpu";
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("model name")) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) +
         " cores";
}

}  // namespace trellis::bench
