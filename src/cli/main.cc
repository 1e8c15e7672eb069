// The `trellis` command. Thin: parses arguments and hands over to the commands.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/account_commands.h"
#include "cli/data_commands.h"
#include "cli/framework_commands.h"
#include "cli/plan_commands.h"
#include "cli/serve_command.h"

namespace {

int Run(int argc, char** argv) {
  CLI::App app{
      "Trellis: the training system for integrated working in children's "
      "services",
      "trellis"};
  app.require_subcommand(1);
  // Global options may follow the subcommands:
  // `trellis framework list --frameworks DIR`.
  app.fallthrough();
  app.set_version_flag("--version", "trellis 0.1.0");
  trellis::cli::GlobalOptions global;
  app.add_option("--frameworks", global.frameworks_root,
                 "Folder of framework folders (default: $TRELLIS_FRAMEWORKS or "
                 "./frameworks)")
      ->envname("TRELLIS_FRAMEWORKS");
  app.add_option("--db", global.db,
                 "The database: sqlite:PATH or postgresql://... (default: "
                 "$TRELLIS_DB or sqlite:trellis.db)")
      ->envname("TRELLIS_DB");
  int status = 0;
  trellis::cli::AddFrameworkCommands(app, global, std::cout, std::cerr,
                                     &status);
  trellis::cli::AddDataCommands(app, global, std::cout, std::cerr, &status);
  trellis::cli::AddAccountCommands(app, global, std::cin, std::cout, std::cerr,
                                   &status);
  trellis::cli::AddServeCommand(app, global, std::cout, std::cerr, &status);
  trellis::cli::AddPlanCommands(app, global, std::cout, std::cerr, &status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "trellis: " << e.what() << " (see 'trellis --help')\n";
    return 2;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    // Only a bug gets here: every expected failure is a finding or an Error.
    std::cerr << "trellis: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "trellis: internal error\n";
  }
  return 70;
}
