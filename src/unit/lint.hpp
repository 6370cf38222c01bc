#pragma once
// `berth unit lint`: rules from a loaded unit to findings (codes U3xx, see lint_codes.cpp), plus
// the exposure score of systemd-analyze security.
#include "finding/finding.hpp"
#include "unit/exposure.hpp"
#include "unit/unit_model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace berth::unit {

struct LintOptions {
    int systemd_version = 252; // the target's systemd: directives it lacks are findings
    bool dropins = true;       // merge NAME.d/*.conf drop-ins next to the file
    // Also check against this host, as `systemd-analyze verify` does: ExecStart= programs exist
    // and are executable, a socket's service unit exists next to it.
    bool host_checks = false;
};

struct LintResult {
    std::string subject; // the file linted
    std::vector<Finding> findings;
    std::optional<Exposure> exposure; // absent when the unit could not be loaded
};

LintResult lint_unit(const Unit& unit, const LintOptions& options);

} // namespace berth::unit

namespace berth {
// The U3xx codes (unit/lint_codes.cpp).
const std::vector<CodeInfo>& unit_codes();
} // namespace berth

namespace berth::unit {
// Loads the file (and drop-ins); a file systemd would refuse to load gives a U301 finding. Throws
// InputError when a file cannot be read (an I/O error, not a finding).
LintResult lint_file(const std::string& path, const LintOptions& options);

} // namespace berth::unit
