#include "report/terminal.hpp"

#include "util/error.hpp"

#include <cstdlib>
#include <string_view>
#include <unistd.h>

namespace berth::report {

namespace {

ColorWhen color_when = ColorWhen::automatic;

bool smart_terminal() {
    if (::isatty(STDOUT_FILENO) != 1) return false;
    const char* term = std::getenv("TERM");
    return term && *term && std::string_view(term) != "dumb";
}

} // namespace

ColorWhen parse_color_when(const std::string& when) {
    if (when == "auto") return ColorWhen::automatic;
    if (when == "always") return ColorWhen::always;
    if (when == "never") return ColorWhen::never;
    throw InputError("--color: '" + when + "' is not auto, always or never");
}

void set_color_when(ColorWhen when) {
    color_when = when;
}

bool use_color() {
    if (color_when != ColorWhen::automatic) return color_when == ColorWhen::always;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    return smart_terminal();
}

bool live_line() {
    return smart_terminal();
}

} // namespace berth::report
