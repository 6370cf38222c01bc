#pragma once
// HostFacts <-> JSON (schema berth.host-facts/3, docs/host-facts.md). Reading is strict: every
// field must be present with its type, so facts collected on another host by `berth facts --json`
// and given to `berth check --facts FILE` mean exactly what they meant there. Unknown extra fields
// are ignored (a newer berth may add some).
#include "host/host_facts.hpp"

#include <nlohmann/json.hpp>

namespace berth::host {

nlohmann::json host_facts_to_json(const HostFacts& facts);
// Throws InputError naming the field ("facts.cpu.flags[2]: expected a string").
HostFacts host_facts_from_json(const nlohmann::json& j);

// For nlohmann's ADL: json j = facts; facts = j.get<HostFacts>().
void to_json(nlohmann::json& j, const HostFacts& facts);
void from_json(const nlohmann::json& j, HostFacts& facts);

} // namespace berth::host
