#pragma once
// CPU architecture, flags and kernel release: what decides whether a GOAMD64=v3 or GOARM64 build
// can start on this host at all.
#include "host/host_facts.hpp"

#include <string_view>

namespace berth::host {

// Vendor, model, logical CPU count and the first CPU's flags from /proc/cpuinfo text.
// The level and arm64 fields are derived from the flags.
CpuFacts parse_cpuinfo(std::string_view cpuinfo);
// Highest x86-64 level (1..4) the flags give, 0 below v1; `missing` gets the flags the next
// level lacks.
int x86_64_level_from_flags(const std::vector<std::string>& flags,
                            std::vector<std::string>* missing = nullptr);
// The flags of level `level` (1..4) lacking from `flags` (empty for other levels).
std::vector<std::string> x86_64_level_missing(const std::vector<std::string>& flags, int level);
// The arm64 features Go uses that are present (CpuFacts::arm64_features).
std::vector<std::string> arm64_features_from_flags(const std::vector<std::string>& flags);

// /proc/cpuinfo, uname(2) and, on x86-64, CPUID of the running machine.
CpuFacts collect_cpu(std::vector<std::string>& notes);

} // namespace berth::host
