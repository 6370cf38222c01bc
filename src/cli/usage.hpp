#pragma once
// The command line itself, the same for every command: --color, --version after any command,
// and what berth says when the command line is wrong: one line "berth: what", naming the
// command whose --help explains it, and an unknown command named with the commands there are.
#include <CLI/CLI.hpp>
#include <string>

namespace berth::cli {

// The options every command takes (--version, --color), on the top command. Call before any
// subcommand is added: they then reach the top command from after any subcommand too.
void add_global_options(CLI::App& app, const std::string& version);

// A range check whose bounds the option's help text states: CLI11's own description says
// "INT in [lo - hi]" beside the value's name.
CLI::Validator in_range(int lo, int hi);

// The line (without "\n") for a command line that CLI11 refused with `e`, parsed into `app`.
std::string usage_error(const CLI::App& app, const CLI::ParseError& e);

} // namespace berth::cli
