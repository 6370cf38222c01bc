#pragma once
// Shell completion scripts for bash, zsh and fish, made from the command line's own definitions
// (command_doc.hpp): every command, option and value --help lists, nothing else.
#include "cli/command_doc.hpp"

#include <optional>
#include <string>

namespace berth::cli {

// The script for `shell` ("bash", "zsh", "fish"); nullopt for another shell.
std::optional<std::string> completion_script(const CommandDoc& root, const std::string& shell);

} // namespace berth::cli
