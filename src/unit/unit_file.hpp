#pragma once
// A systemd unit file as systemd's own parser (src/shared/conf-parser.c) reads it: sections,
// `#`/`;` comment lines (also inside a continuation), backslash continuation, repeated keys kept in
// order, values kept verbatim (quoting and specifiers such as %n are interpreted per directive, so
// the parser leaves them alone). The physical lines are kept too, so writing the file back gives
// the same bytes.
#include "util/error.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::unit {

struct Assignment {
    std::string section; // as written between the brackets, e.g. "Service"
    std::string key;
    std::string value; // continuation lines joined, surrounding whitespace stripped
    std::string file;  // the file it came from (main file or a drop-in)
    int line = 0;      // first physical line of the assignment, 1-based
};

struct SectionHeader {
    std::string name;
    int line = 0;
};

// Something systemd would log and ignore (it still loads the unit): lint reports these.
struct ParseNote {
    int line = 0;
    std::string message;
};

struct UnitFile {
    std::string path;
    std::vector<std::string> lines; // physical lines, each with its own line ending (if any)
    std::vector<SectionHeader> sections;
    std::vector<Assignment> assignments; // in file order
    std::vector<ParseNote> notes;
};

// systemd refuses lines longer than this (LONG_LINE_MAX in conf-parser.c).
constexpr std::size_t kMaxLineBytes = 1024 * 1024;

// berth reads no unit file or drop-in larger than this (systemd sets no bound but the line
// length; real units are a few KiB): past it, an input error, not a finding.
constexpr std::size_t kMaxUnitFileBytes = 4u << 20;

// What systemd refuses to load, at a line of a file (the unit or one of its drop-ins). The
// message reads "file:line: what".
struct UnitParseError : InputError {
    UnitParseError(std::string file_, int line_, const std::string& what)
        : InputError(file_ + ":" + std::to_string(line_) + ": " + what), file(std::move(file_)),
          line(line_) {}
    std::string file;
    int line;
};

// Parses the text of one unit file or drop-in. Throws UnitParseError naming "path:line" for what
// systemd refuses to load (invalid section header, invalid UTF-8, NUL bytes, over-long lines) and
// for an unterminated continuation at the end of the file.
UnitFile parse_unit(const std::string& path, std::string_view text);

// Reads and parses a file; an empty file is a valid, empty unit. Throws InputError (not a
// UnitParseError) when it cannot be read: missing, not a regular file, over kMaxUnitFileBytes.
UnitFile load_unit_file(const std::string& path);

// The bytes of the file as parsed: parse_unit(p, t) then write_unit gives back t.
std::string write_unit(const UnitFile& unit);

} // namespace berth::unit
