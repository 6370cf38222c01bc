#pragma once
// The command line as data, read from the CLI11 definitions that also print --help: the man
// pages and the shell completions are made from it, so none of them can disagree with --help.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace berth::cli {

struct OptionDoc {
    std::vector<std::string> names;   // "-h", "--help"; empty for a positional argument
    std::string positional;           // the positional's name ("files"), else empty
    std::string help_name;            // the name as --help prints it: "-h,--help", "files"
    std::string help_opts;            // what --help prints after it: " FILE ... REQUIRED"
    std::string value;                // the value's name ("WHEN"); empty for a flag
    std::vector<std::string> choices; // the allowed values, when the option lists them
    std::string description;
    bool repeatable = false;
    bool file_value = false; // the value names a file or directory (FILE, DIR, PATH)
    bool dir_value = false;
};

struct CommandDoc {
    std::vector<std::string> path; // {"berth", "unit", "lint"}
    std::string description;
    std::string usage; // --help's usage line without "Usage: "
    std::string footer;
    std::vector<OptionDoc> positionals;
    std::vector<OptionDoc> options;
    std::vector<CommandDoc> subcommands; // the ones --help lists (hidden ones left out)
};

// `app` and every command under it that --help shows.
CommandDoc command_doc(const CLI::App& app);

// "berth unit lint"; with a dash: "berth-unit-lint" (the man page's name).
std::string command_name(const CommandDoc& cmd, char separator = ' ');

// The commands below `cmd`, depth first, `cmd` first.
std::vector<const CommandDoc*> all_commands(const CommandDoc& cmd);

} // namespace berth::cli
