#pragma once
// Man pages in roff, made from the command line's own definitions (command_doc.hpp) and the
// findings catalogue: berth(1), berth-COMMAND(1) for every command --help lists, and
// berth-findings(7).
#include "cli/command_doc.hpp"
#include "finding/finding.hpp"

#include <string>
#include <vector>

namespace berth::cli {

struct ManPage {
    std::string file; // "berth-unit-lint.1"
    std::string text; // roff
};

// `version` goes in the page footer ("berth 0.1.0").
ManPage command_page(const CommandDoc& cmd, const CommandDoc& root, const std::string& version);
ManPage findings_page(const std::vector<CodeInfo>& codes, const std::string& version);
// Every page: the commands' (depth first) and then berth-findings(7).
std::vector<ManPage> all_pages(const CommandDoc& root, const std::vector<CodeInfo>& codes,
                               const std::string& version);

// Text as roff prints it literally: backslashes, dashes, a leading dot or quote, non-ASCII.
std::string roff_escape(const std::string& text);

} // namespace berth::cli
