#pragma once
// The output options of the commands that print findings (check, unit lint): --format and its
// --json shorthand, and how the report reaches stdout.
#include "report/findings_report.hpp"
#include "report/terminal.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

namespace berth::cli {

struct FindingsOutput {
    std::string format = "text";
    bool json = false;

    report::OutputFormat chosen() const {
        return json ? report::OutputFormat::json : report::parse_output_format(format);
    }
};

inline void add_findings_output(CLI::App* cmd, FindingsOutput& out) {
    cmd->add_option("--format", out.format, "Output: text, json or sarif (SARIF 2.1.0)")
        ->check(CLI::IsMember({"text", "json", "sarif"}))
        ->type_name("FORMAT");
    cmd->add_flag("--json", out.json, "Same as --format json (schema berth.findings/1)");
}

// Rendered in the chosen format; text in colour as --color says (report::use_color()).
inline void print_findings(const std::vector<FindingsReport>& reports,
                           report::OutputFormat format) {
    std::fputs(render(reports, format, format == report::OutputFormat::text && report::use_color())
                   .c_str(),
               stdout);
}

} // namespace berth::cli
