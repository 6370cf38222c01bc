#pragma once
// What systemd knows: every directive systemd 252 accepts per section (from its own
// --dump-configuration-items), and the first systemd version of the directives berth emits or
// commonly meets, so a unit can be checked against (or generated for) an older systemd.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::unit {

struct KnownSection {
    std::string_view name;                    // "Service"
    std::vector<std::string_view> directives; // sorted
};

// systemd 252's sections and directives (known_directives.cpp, generated).
const std::vector<KnownSection>& known_sections_252();
const KnownSection* find_known_section(std::string_view name);
bool is_known_directive_252(std::string_view section, std::string_view key);

// The baseline systemd version of the known-directive list.
constexpr int kKnownDirectivesVersion = 252;

// First systemd version that understands a directive (or a directive=value form such as
// "Type=exec"); nullopt when not in the table (then assumed as old as systemd itself).
std::optional<int> first_version(std::string_view directive);
std::optional<int> first_version(std::string_view directive, std::string_view value);

// The section a unit of this type keeps its type-specific directives in ("service" -> "Service").
std::string type_section(const std::string& type);

} // namespace berth::unit
