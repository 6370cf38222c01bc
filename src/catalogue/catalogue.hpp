#pragma once
// The catalogue of finding codes: every stage's code table, in code order. `berth explain CODE`
// and docs/findings.md are generated from it. It sits above the stages that declare the tables
// (rules/, unit/), so none of them depends on another for its codes.
#include "finding/finding.hpp"

#include <string>
#include <vector>

namespace berth::catalogue {

const std::vector<CodeInfo>& catalogue();
// The entry of a code, matched without regard to case ("b104" is B104); nullptr when unknown.
const CodeInfo* find_code(const std::string& code);
std::string catalogue_markdown();

} // namespace berth::catalogue
