#pragma once
// What `berth check` judges: the binary's facts, the host's facts, the app's intent, and the
// binary's libraries as resolved on that host. Rules are pure functions of this.
#include "config/app_intent.hpp"
#include "facts/binary_facts.hpp"
#include "facts/library_facts.hpp"
#include "host/host_facts.hpp"
#include "rules/catalogue.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth {

struct CheckInput {
    BinaryFacts binary;
    host::HostFacts host;
    AppIntent intent;
    LibraryFacts libraries;
};

// A rule: its catalogue entry and the pure function that may emit findings with that code.
struct Rule {
    CodeInfo info;
    void (*judge)(const CheckInput& in, const CodeInfo& code, std::vector<Finding>& out);
};

// A finding with the code's default severity.
Finding finding(const CodeInfo& code, std::string title, std::string evidence, std::string fix);

// The host has a zoneinfo directory with entries (Go's time package finds tzdata there).
bool host_has_zoneinfo(const host::HostFacts& h); // rules/host_rules.cpp

const std::vector<Rule>& binary_rules(); // rules/binary_rules.cpp (B1xx)
const std::vector<Rule>& host_rules();   // rules/host_rules.cpp   (H2xx)

// Every rule in order; the findings in rule order.
std::vector<Finding> run_check_rules(const CheckInput& in);

} // namespace berth
