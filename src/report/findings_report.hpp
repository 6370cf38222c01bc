#pragma once
// Renderers for findings: text for people, JSON for programs, SARIF 2.1.0 for CI code scanning.
// They only render; deciding what is wrong happened in the rules.
#include "finding/finding.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace berth::report {

enum class OutputFormat { text, json, sarif };
OutputFormat parse_output_format(const std::string& name); // throws InputError

// Colour only when asked (see report::use_color() in terminal.hpp).
std::string render_text(const std::vector<FindingsReport>& reports, bool color);
nlohmann::json render_json(const std::vector<FindingsReport>& reports);
nlohmann::json render_sarif(const std::vector<FindingsReport>& reports);
// A file path as a URI reference (RFC 3986) for SARIF's artifactLocation.uri: every byte but
// the unreserved characters and '/' percent-encoded, so any name (spaces, '#', '%', ':', bytes
// that are not UTF-8) is kept exactly.
std::string percent_encode_path(std::string_view path);
std::string render(const std::vector<FindingsReport>& reports, OutputFormat format, bool color);

} // namespace berth::report
