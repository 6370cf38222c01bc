#pragma once
// What `berth check` judges: the binary's facts, the host's facts, the app's intent, and the
// binary's libraries as resolved on that host. Rules are pure functions of this.
#include "config/app_config.hpp"
#include "facts/binary_facts.hpp"
#include "facts/library_facts.hpp"
#include "finding/finding.hpp"
#include "host/host_facts.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth::rules {

struct CheckInput {
    facts::BinaryFacts binary;
    host::HostFacts host;
    config::AppConfig intent; // the app as berth.yaml and flags describe it
    facts::LibraryFacts libraries;
    // The soft LimitNOFILE= of the unit the service will run under, when known (deploy knows
    // its unit): systemd's DefaultLimitNOFILE then does not apply to it.
    std::optional<std::uint64_t> unit_nofile;
};

// The facts a rule needs beyond the binary's own. A rule whose needs the input lacks is not run
// but reported as not judged, so a check from fewer facts says what it could not tell instead
// of passing silently.
enum Needs : unsigned {
    kBinaryOnly = 0,
    kSystemFiles = 1,   // files of the examined system (libc, users, CA bundle, ...): always there
    kRunningSystem = 2, // the state of the running host: CPU, kernel, mounts, clock, sockets.
                        // Under --root the running system is the machine running berth, not
                        // the image's: not judged.
    kLibraries = 4,     // the binary's libraries resolved on that host (facts --libraries)
};

// A rule: its catalogue entry, what it needs, and the pure function that may emit findings
// with that code.
struct Rule {
    CodeInfo info;
    unsigned needs;
    void (*judge)(const CheckInput& in, const CodeInfo& code, std::vector<Finding>& out);
};

struct Judgement {
    std::vector<Finding> findings; // in rule order
    std::vector<NotJudged> not_judged;
};

// A finding with the code's default severity.
Finding finding(const CodeInfo& code, std::string title, std::string evidence, std::string fix);

// The facts describe a running system (not an image read with --root, whose kernel state is the
// machine running berth's).
inline bool running_system_known(const host::HostFacts& h) {
    return h.root == "/";
}

// The host has a zoneinfo directory with entries (Go's time package finds tzdata there).
bool host_has_zoneinfo(const host::HostFacts& h); // rules/host_rules.cpp

const std::vector<Rule>& binary_rules(); // rules/binary_rules.cpp (B1xx)
const std::vector<Rule>& host_rules();   // rules/host_rules.cpp   (H2xx)
// Their catalogue entries (rules/rule_codes.cpp).
const std::vector<CodeInfo>& binary_codes();
const std::vector<CodeInfo>& host_codes();

// Every rule in order whose needs the input meets; the others as not judged.
Judgement judge_check(const CheckInput& in);

} // namespace berth::rules
