// Command lines through CLI11 with Heardmap's checks on top: numbers are read by core/FlagValue
// (a value that is not a number, not finite, not whole or out of range is an error that names the
// flag), and every command reports a bad command line the same way (its name, the reason, a hint
// to --help; exit status 2). Included only by the translation units that parse a command line.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "FlagValue.h"

namespace heardmap {

// --flag takes a number in [low, high] into target (given twice, the last counts).
template <typename T>
CLI::Option* addNumber(CLI::App& app, const std::string& flag, T& target, double low, double high,
                       const std::string& help) {
  return app
      .add_option_function<std::string>(
          flag,
          [&target, flag, low, high](const std::string& text) {
            target = static_cast<T>(numberInRange(flag, text, low, high));
          },
          help)
      ->type_name("NUMBER")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

// --flag takes a whole number in [low, high] into target (given twice, the last counts).
template <typename T>
CLI::Option* addCount(CLI::App& app, const std::string& flag, T& target, long long low,
                      long long high, const std::string& help) {
  return app
      .add_option_function<std::string>(
          flag,
          [&target, flag, low, high](const std::string& text) {
            target = static_cast<T>(integerInRange(flag, text, low, high));
          },
          help)
      ->type_name("N")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

// --flag takes one of the names fromName knows into target (given twice, the last counts); any
// other name is an error that names the flag and lists names ("--colormap: unknown colormap 'x'
// (jet, viridis, inferno, gray)"). Enum has an Invalid value, which fromName gives for the rest.
template <typename Enum>
CLI::Option* addChoice(CLI::App& app, const std::string& flag, Enum& target,
                       Enum (*fromName)(const std::string&), const std::string& noun,
                       const std::string& names, const std::string& help) {
  return app
      .add_option_function<std::string>(
          flag,
          [&target, fromName, flag, noun, names](const std::string& text) {
            const Enum value = fromName(text);
            if (value == Enum::Invalid) {
              throw std::invalid_argument(flag + ": unknown " + noun + " '" + text + "' (" + names +
                                          ")");
            }
            target = value;
          },
          help + " (" + names + ")")
      ->type_name("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

// Parses argv (argv[0] is the command's own name). Returns nothing when the command should run;
// otherwise the exit status, after printing the help (0) or "<command>: <reason>" and a hint (2)
// to stderr. A bad value that a callback refuses (std::invalid_argument) counts as a bad command
// line too.
std::optional<int> parseCommandLine(CLI::App& app, const std::string& command, int argc,
                                    const char* const* argv);

// --flag takes one of a fixed set of names into target (given twice, the last counts); any other
// name is an error that lists them.
CLI::Option* addName(CLI::App& app, const std::string& flag, std::string& target,
                     const std::vector<std::string>& names, const std::string& help);

// Parses arguments (without the program's name) with app, for a caller that reports errors
// itself: a bad command line throws std::invalid_argument with CLI11's or the check's reason.
// Returns false when --help was asked for.
bool parseArguments(CLI::App& app, const std::vector<std::string>& arguments);

}  // namespace heardmap
