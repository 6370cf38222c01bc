#pragma once
// The D4xx codes: what a deploy found or suffered, each in the catalogue (`berth explain D405`).
#include "finding/finding.hpp"

#include <string>
#include <vector>

namespace berth::deploy {

const std::vector<CodeInfo>& deploy_codes();
// A finding with the code's catalogue severity. Throws std::logic_error for an unknown code.
Finding deploy_finding(const std::string& code, std::string title, std::string evidence,
                       std::string fix);

} // namespace berth::deploy
