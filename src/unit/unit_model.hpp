#pragma once
// A unit as systemd loads it: the main file plus its drop-ins (NAME.service.d/*.conf), merged in
// systemd's order. Directive semantics (list reset by an empty assignment, last one wins) are
// asked of this model by the rules.
#include "unit/unit_file.hpp"

#include <optional>
#include <string>
#include <vector>

namespace berth::unit {

struct Unit {
    std::string name;            // file name of the main file, e.g. "app.service"
    std::string type;            // the suffix: "service", "socket", "target", ...
    std::vector<UnitFile> files; // the main file first, then the drop-ins in the order applied
    std::vector<Assignment> assignments; // every assignment of every file, in applied order

    // The last assignment of section/key, or nullopt. Section and key are case-sensitive, as in
    // systemd.
    std::optional<Assignment> last(const std::string& section, const std::string& key) const;
    // Every assignment of section/key after the last empty one (an empty assignment resets a list).
    std::vector<Assignment> list(const std::string& section, const std::string& key) const;
};

// The drop-in files for a unit at unit_path, in the order systemd applies them: drop-in
// directories next to the unit for the type ("service.d"), each dash prefix ("foo-.service.d"), the
// template ("foo@.service.d") and the unit itself; files sorted by name, a more specific directory
// overriding a same-named file of a less specific one.
std::vector<std::string> find_dropins(const std::string& unit_path);

// The unit a drop-in file belongs to, from its directory: unit "app.service" (type "service") for
// app.service.d/x.conf, foo-.service.d/ and foo@.service.d/ alike; unit "service" for the type's
// own directory service.d/. nullopt when the path is no *.conf in such a directory.
struct DropinOwner {
    std::string unit;
    std::string type;
};
std::optional<DropinOwner> dropin_owner(const std::string& path);

// Loads the file (following symlinks) and, when with_dropins, its drop-ins.
Unit load_unit(const std::string& path, bool with_dropins = true);
// Builds a unit from already parsed files (main first), for tests and `generate`.
Unit make_unit(std::string name, std::vector<UnitFile> files);

// systemd's parse_boolean(): 1/yes/y/true/t/on and 0/no/n/false/f/off, any case.
std::optional<bool> parse_bool(const std::string& value);
// Splits on whitespace, honouring double and single quotes (systemd's extract_first_word, roughly).
std::vector<std::string> split_words(const std::string& value);

} // namespace berth::unit
