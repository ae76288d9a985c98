#include "CommandLine.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace heardmap {
namespace {

// Says what is wrong with a command line and where its usage is; the exit status for it.
int badCommandLine(const std::string& command, const char* reason) {
  std::fprintf(stderr, "%s: %s\nRun '%s --help' for its usage.\n", command.c_str(), reason,
               command.c_str());
  return 2;
}

}  // namespace

std::optional<int> parseCommandLine(CLI::App& app, const std::string& command, int argc,
                                    const char* const* argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::CallForHelp&) {
    std::fprintf(stderr, "%s", app.help().c_str());
    return 0;
  } catch (const CLI::ParseError& e) {
    return badCommandLine(command, e.what());
  } catch (const std::invalid_argument& e) {  // a value a flag's own check refused
    return badCommandLine(command, e.what());
  }
}

CLI::Option* addName(CLI::App& app, const std::string& flag, std::string& target,
                     const std::vector<std::string>& names, const std::string& help) {
  std::string list;
  for (const std::string& name : names) {
    list += (list.empty() ? "" : ", ") + name;
  }
  return app
      .add_option_function<std::string>(
          flag,
          [&target, flag, names, list](const std::string& text) {
            if (std::find(names.begin(), names.end(), text) == names.end()) {
              throw std::invalid_argument(flag + " must be one of " + list + ", not '" + text +
                                          "'");
            }
            target = text;
          },
          help + " (" + list + ")")
      ->type_name("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

bool parseArguments(CLI::App& app, const std::vector<std::string>& arguments) {
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());  // CLI11's order
  try {
    app.parse(reversed);
    return true;
  } catch (const CLI::CallForHelp&) {
    return false;
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(e.what());
  }
}

}  // namespace heardmap
