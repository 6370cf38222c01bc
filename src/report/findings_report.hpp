#pragma once
// Renderers for findings: text for people, JSON for programs, SARIF 2.1.0 for CI code scanning.
// They only render; deciding what is wrong happened in the rules.
#include "finding/finding.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::report {

enum class OutputFormat { text, json, sarif };
OutputFormat parse_output_format(const std::string& name); // throws InputError

// Colour is used only when asked (on a terminal, and never with NO_COLOR: see use_color()).
std::string render_text(const std::vector<FindingsReport>& reports, bool color);
nlohmann::json render_json(const std::vector<FindingsReport>& reports);
nlohmann::json render_sarif(const std::vector<FindingsReport>& reports);
std::string render(const std::vector<FindingsReport>& reports, OutputFormat format, bool color);

// True when stdout is a terminal and NO_COLOR is unset or empty (https://no-color.org).
bool use_color();

} // namespace berth::report
