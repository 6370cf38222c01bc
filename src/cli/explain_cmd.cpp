// `berth explain CODE`: the long explanation of a finding code, from the rule catalogue.
#include "catalogue/catalogue.hpp"
#include "cli/commands.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::cli {

namespace {

struct ExplainOptions {
    std::vector<std::string> codes;
    bool all = false;
    bool markdown = false;
    bool json = false;
};

nlohmann::json code_json(const CodeInfo& c) {
    return {{"code", c.code},
            {"severity", severity_name(c.severity)},
            {"title", c.title},
            {"explain", c.explain}};
}

int run_explain(const ExplainOptions& opt) {
    if (opt.markdown) {
        std::fputs(catalogue::catalogue_markdown().c_str(), stdout);
        return kExitOk;
    }
    std::vector<const CodeInfo*> chosen;
    if (opt.all || opt.codes.empty()) {
        for (const auto& c : catalogue::catalogue()) chosen.push_back(&c);
    } else {
        for (const auto& code : opt.codes) {
            const CodeInfo* info = catalogue::find_code(code);
            if (!info) {
                std::fprintf(stderr,
                             "berth: unknown code '%s' (`berth explain --all` lists "
                             "every code)\n",
                             code.c_str());
                return kExitInput;
            }
            chosen.push_back(info);
        }
    }
    if (opt.json) {
        nlohmann::json codes = nlohmann::json::array();
        for (const auto* c : chosen) codes.push_back(code_json(*c));
        nlohmann::json doc = {{"schema", "berth.explain/1"}, {"codes", codes}};
        std::printf("%s\n", json_text(doc).c_str());
        return kExitOk;
    }
    bool list_only = opt.all || opt.codes.empty();
    for (const auto* c : chosen) {
        if (list_only) {
            std::printf("%-6s %-8s %s\n", c->code, severity_name(c->severity), c->title);
        } else {
            std::printf("%s (%s): %s\n\n%s\n", c->code, severity_name(c->severity), c->title,
                        c->explain);
        }
    }
    return kExitOk;
}

} // namespace

void add_explain(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<ExplainOptions>();
    auto* cmd =
        app.add_subcommand("explain", "Explain a finding code: why it matters, how to fix it");
    cmd->add_option("code", opt->codes, "Finding codes, e.g. B101 or b101 (none: list every code)")
        ->type_name("CODE");
    cmd->add_flag("--all", opt->all, "List every code with its severity and title");
    cmd->add_flag("--markdown", opt->markdown,
                  "Print the whole catalogue as Markdown (this is docs/findings.md)");
    cmd->add_flag("--json", opt->json, "Print JSON (schema berth.explain/1)");
    cmd->footer("Examples:\n  berth explain B104\n  berth explain --all");
    cmd->callback([opt, &exit_status] { exit_status = run_explain(*opt); });
}

} // namespace berth::cli
