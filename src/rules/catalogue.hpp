#pragma once
// The catalogue of finding codes: one entry per code, registered next to the rule that emits it.
// `berth explain CODE` and docs/findings.md are generated from these entries.
#include "rules/finding.hpp"

#include <string>
#include <vector>

namespace berth {

struct CodeInfo {
    const char* code;
    Severity severity; // default severity
    const char* title;
    const char* explain; // the long explanation: why it matters, how to fix it
};

// Each stage keeps its table in its own file and lists it here (rules/catalogue.cpp).
const std::vector<CodeInfo>& catalogue();
const CodeInfo* find_code(const std::string& code);
std::string catalogue_markdown();

} // namespace berth
