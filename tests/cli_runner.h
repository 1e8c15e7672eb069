// Runs the built `trellis` binary for the functional tests. Test-only.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace trellis::testing {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs trellis from the source root with `args`, capturing both streams.
// `env` holds NAME=VALUE settings for this run only.
inline Outcome Trellis(const std::vector<std::string>& args,
                       const std::vector<std::string>& env = {}) {
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path() /
                       ("trellis-cli-test-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter++));
  fs::create_directories(dir);
  std::string command = "cd " + Quote(TRELLIS_SOURCE_DIR) + " && env";
  for (const auto& e : env) command += " " + Quote(e);
  command += " " + Quote(TRELLIS_BINARY);
  for (const auto& a : args) command += " " + Quote(a);
  command += " >" + Quote((dir / "out").string()) + " 2>" +
             Quote((dir / "err").string());
  Outcome run;
  const int raw = std::system(command.c_str());
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.out = ReadFile(dir / "out");
  run.err = ReadFile(dir / "err");
  fs::remove_all(dir);
  return run;
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace trellis::testing
