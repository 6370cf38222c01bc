#pragma once
// Python's shlex.split in POSIX mode, as Ansible splits an INI host line and ssh arguments:
// words between spaces, tabs, CR and LF; '...' literal; "..." with \" and \\ escapes; a backslash
// outside quotes escapes the next character; with `comments`, '#' ends the line even inside a
// word.
#include <string>
#include <string_view>
#include <vector>

namespace berth::inventory {

// Throws InputError "No closing quotation" / "No escaped character" (Python's words).
std::vector<std::string> shlex_split(std::string_view line, bool comments);

} // namespace berth::inventory
