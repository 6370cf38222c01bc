#pragma once
// The exposure score of `systemd-analyze security --offline=true` (systemd 252): the same 81
// checks, weights, ranges, texts and integer rounding as src/analyze/analyze-security.c, computed
// from the unit files alone, over the settings resolve_security() (security_settings.hpp) reads
// from them as systemd's loader would.
#include "unit/unit_model.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::unit {

struct ExposureCheck {
    std::string name;        // systemd's id, e.g. "PrivateNetwork="
    std::string json_field;  // systemd's json_field, e.g. "PrivateNetwork"
    std::string description; // systemd's text for the verdict; empty where systemd shows none
    std::uint64_t weight = 0;
    std::uint64_t range = 1;
    bool applies = true;       // false: "option does not matter" (not counted)
    std::uint64_t badness = 0; // 0..range
};

struct Exposure {
    std::vector<ExposureCheck> checks; // in systemd's table order
    unsigned score_tenths = 0;         // 0..100; systemd prints score_tenths/10 "." score_tenths%10
    std::string level;                 // PERFECT, SAFE, OK, MEDIUM, EXPOSED, UNSAFE, DANGEROUS

    std::string score_text() const; // "2.1"
};

Exposure assess_exposure(const Unit& unit);
nlohmann::json to_json(const Exposure& e);

} // namespace berth::unit
