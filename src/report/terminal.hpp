#pragma once
// What stdout can take beyond plain text: colour (--color=auto|always|never) and a live line
// redrawn in place. One answer for every command, chosen once before any of them runs.
#include <string>

namespace berth::report {

enum class ColorWhen { automatic, always, never };
ColorWhen parse_color_when(const std::string& when); // "auto", "always", "never"; throws InputError

// Set once by main from --color, before a command runs (default: automatic).
void set_color_when(ColorWhen when);

// Colour on stdout. automatic: stdout is a terminal that is not dumb (TERM set and not "dumb",
// as git judges it) and NO_COLOR is unset or empty (https://no-color.org); always and never
// win over both, since the user said so on the command line.
bool use_color();

// A line redrawn with "\r\033[K" on stdout (deploy's progress): only on a terminal that is not
// dumb, whatever --color says (erasing a line is not colour).
bool live_line();

} // namespace berth::report
