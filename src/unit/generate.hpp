#pragma once
// `berth unit generate`: a hardened, practical service unit for a Go program, every line with a
// one-line comment saying why, and nothing the target's systemd does not know.
#include "unit/spec.hpp"

#include <string>
#include <vector>

namespace berth::unit {

struct Omission {
    std::string directive; // "ProtectClock=yes"
    int needs_version = 0; // first systemd that knows it
};

struct Generated {
    std::string unit_name; // "shop.service"
    std::string text;
    std::vector<Omission> omitted; // left out for spec.systemd_version (U317)
};

// spec must have passed validate_spec().
Generated generate_unit(const UnitSpec& spec);

// Quotes one ExecStart= word for systemd: % and $ escaped, quoted when it has spaces or quotes.
std::string exec_word(const std::string& word);

} // namespace berth::unit
