#include "unit/unit_file.hpp"

#include "util/error.hpp"
#include "util/read_text.hpp"
#include "util/strings.hpp"

#include <cstdint>

namespace berth::unit {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view strip(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

[[noreturn]] void fail(const std::string& path, int line, const std::string& what) {
    throw UnitParseError(path, line, what);
}

// Splits into physical lines the way systemd's read_line() does: "\n", "\r\n" or a lone "\r"
// ends a line. Each piece keeps its terminator so the file can be written back unchanged.
std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || text[i] == '\r') {
            std::size_t end = i + 1;
            if (text[i] == '\r' && end < text.size() && text[end] == '\n') ++end;
            lines.emplace_back(text.substr(start, end - start));
            start = end;
            i = end - 1;
        }
    }
    if (start < text.size()) lines.emplace_back(text.substr(start));
    return lines;
}

std::string_view without_terminator(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    return line;
}

struct Parser {
    UnitFile& unit;
    std::string section; // current section, empty before the first header
    bool in_section = false;

    void logical_line(std::string_view text, int line) {
        std::string_view l = strip(text);
        if (l.empty()) return;
        if (l.front() == '[') {
            if (l.size() < 2 || l.back() != ']')
                fail(unit.path, line, "invalid section header '" + std::string(l) + "'");
            section = std::string(l.substr(1, l.size() - 2));
            in_section = true;
            unit.sections.push_back({section, line});
            return;
        }
        if (!in_section) {
            unit.notes.push_back({line, "assignment outside of any section; systemd ignores it"});
            return;
        }
        auto eq = l.find('=');
        if (eq == std::string_view::npos) {
            unit.notes.push_back(
                {line, "missing '=' in '" + std::string(l) + "'; systemd ignores the line"});
            return;
        }
        std::string_view key = strip(l.substr(0, eq));
        std::string_view value = strip(l.substr(eq + 1));
        if (key.empty()) {
            unit.notes.push_back({line, "empty key in '" + std::string(l) + "'"});
            return;
        }
        unit.assignments.push_back(
            {section, std::string(key), std::string(value), unit.path, line});
    }
};

} // namespace

UnitFile parse_unit(const std::string& path, std::string_view text) {
    UnitFile unit;
    unit.path = path;
    unit.lines = split_lines(text);
    Parser parser{unit, {}, false};

    std::string continuation; // joined text of a pending continuation
    int continuation_line = 0;
    bool pending = false;
    for (std::size_t i = 0; i < unit.lines.size(); ++i) {
        int line_no = static_cast<int>(i) + 1;
        std::string_view raw = without_terminator(unit.lines[i]);
        if (i == 0 && raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3); // BOM
        if (raw.size() > kMaxLineBytes)
            fail(path, line_no,
                 "line is " + std::to_string(raw.size()) +
                     " bytes long; systemd refuses lines "
                     "over " +
                     std::to_string(kMaxLineBytes) + " bytes");
        if (auto nul = raw.find('\0'); nul != std::string_view::npos)
            fail(path, line_no,
                 "NUL byte at column " + std::to_string(nul + 1) + ": not a text unit file");
        if (auto ok = utf8_valid_prefix(raw); ok != raw.size())
            fail(path, line_no,
                 "invalid UTF-8 at column " + std::to_string(ok + 1) +
                     "; systemd refuses a unit that is not UTF-8 clean");

        std::string_view lead = raw;
        while (!lead.empty() && is_space(lead.front())) lead.remove_prefix(1);
        // A comment line is skipped even in the middle of a continuation, as systemd does.
        if (!lead.empty() && (lead.front() == '#' || lead.front() == ';')) continue;

        std::string joined;
        std::string_view logical = raw;
        if (pending) {
            joined = continuation + std::string(raw);
            logical = joined;
            if (logical.size() > kMaxLineBytes)
                fail(path, continuation_line,
                     "continued line grows past " + std::to_string(kMaxLineBytes) + " bytes");
        }
        std::string_view trimmed = logical;
        while (!trimmed.empty() && is_space(trimmed.back())) trimmed.remove_suffix(1);
        if (!trimmed.empty() && trimmed.back() == '\\') {
            // systemd turns the backslash into a space and joins the next line.
            if (!pending) continuation_line = line_no;
            continuation = std::string(trimmed.substr(0, trimmed.size() - 1)) + " ";
            pending = true;
            continue;
        }
        parser.logical_line(logical, pending ? continuation_line : line_no);
        pending = false;
        continuation.clear();
    }
    if (pending)
        fail(path, continuation_line,
             "line ends with a backslash continuation but the file ends before the "
             "continued line");
    return unit;
}

UnitFile load_unit_file(const std::string& path) {
    return parse_unit(path, read_input_file(path, kMaxUnitFileBytes, "a unit file", Dash::file));
}

std::string write_unit(const UnitFile& unit) {
    std::string out;
    for (const auto& l : unit.lines) out += l;
    return out;
}

} // namespace berth::unit
