// `berth unit lint FILE...` and `berth unit generate`: systemd units for a Go service.
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/each_file.hpp"
#include "cli/findings_output.hpp"
#include "cli/usage.hpp"
#include "report/findings_report.hpp"
#include "unit/generate.hpp"
#include "unit/lint.hpp"
#include "unit/spec.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/output_file.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace berth::cli {

namespace {

struct LintCmdOptions {
    std::vector<std::string> files;
    FindingsOutput output;
    int systemd_version = 252;
    bool no_dropins = false;
    bool host_checks = false;
};

int run_lint(const LintCmdOptions& opt) {
    const report::OutputFormat format = opt.output.chosen();
    unit::LintOptions lo;
    lo.systemd_version = opt.systemd_version;
    lo.dropins = !opt.no_dropins;
    lo.host_checks = opt.host_checks;
    std::vector<FindingsReport> reports;
    // A file that cannot be read is one line on stderr; the others are still linted.
    int status = for_each_file(opt.files, [&](const std::string& file) {
        unit::LintResult r = unit::lint_file(file, lo);
        FindingsReport rep;
        rep.command = "unit lint";
        rep.subject = r.subject;
        rep.findings = std::move(r.findings);
        if (r.exposure) {
            rep.extra["exposure"] = unit::to_json(*r.exposure);
        }
        reports.push_back(std::move(rep));
        return has_at_least(reports.back().findings, Severity::error) ? int{kExitNo} : int{kExitOk};
    });
    if (!reports.empty()) print_findings(reports, format);
    return status;
}

struct GenerateCmdOptions {
    ConfigFlags config;
    std::string output;
    bool json = false;
};

int run_generate(const GenerateCmdOptions& opt) {
    config::AppConfig app = load_config(opt.config);
    if (app.name.empty()) throw InputError("no app name: give --name or 'name:' in berth.yaml");
    config::complete_app_config(app, app.name);
    unit::UnitSpec spec = unit::spec_from_config(app);
    unit::Generated g = unit::generate_unit(spec);
    if (opt.output.empty()) {
        if (!opt.json) std::fputs(g.text.c_str(), stdout);
    } else {
        write_output_file(opt.output, g.text);
    }
    if (opt.json) {
        nlohmann::json omitted = nlohmann::json::array();
        for (const auto& o : g.omitted)
            omitted.push_back({{"directive", o.directive}, {"needs", o.needs_version}});
        nlohmann::json doc = {{"schema", "berth.unit-generate/1"},
                              {"unit_name", g.unit_name},
                              {"systemd_version", spec.systemd_version},
                              {"omitted", omitted},
                              {"unit", g.text}};
        std::printf("%s\n", json_text(doc).c_str());
    } else {
        for (const auto& o : g.omitted)
            std::fprintf(stderr, "berth: U317 left out %s: needs systemd %d (target has %d)\n",
                         o.directive.c_str(), o.needs_version, spec.systemd_version);
    }
    return kExitOk;
}

} // namespace

void add_unit(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("unit", "Generate and lint systemd units for a Go service");
    cmd->require_subcommand(1);

    auto lint = std::make_shared<LintCmdOptions>();
    auto* l = cmd->add_subcommand(
        "lint", "Check unit files: findings (U3xx) and the systemd-analyze security score");
    l->add_option("files", lint->files, "Unit files (.service, .socket, ...)")
        ->required()
        ->type_name("FILE");
    add_findings_output(l, lint->output);
    l->add_option("--systemd-version", lint->systemd_version,
                  "The target's systemd version: directives it lacks are findings (default 252)")
        ->check(in_range(1, 999))
        ->type_name("N");
    l->add_flag("--no-dropins", lint->no_dropins,
                "Ignore NAME.d/*.conf drop-ins next to each file");
    l->add_flag("--host-checks", lint->host_checks,
                "Also check this host like systemd-analyze verify: ExecStart= programs exist,\n"
                "a socket's service unit is next to it");
    l->footer(
        "Drop-ins next to the file (NAME.service.d/*.conf, and the template and type drop-in\n"
        "directories) are merged in systemd's order. The exposure score (U314) equals\n"
        "`systemd-analyze security --offline=true FILE` of systemd 252.\n\n"
        "Examples:\n  berth unit lint deploy/app.service\n"
        "  berth unit lint --format sarif deploy/*.service > unit.sarif\n"
        "  berth unit lint --systemd-version 239 app.service\n\n"
        "Exit status: 0 no error findings; 1 error findings (systemd would refuse a unit);\n"
        "2 usage or I/O error.");
    l->callback([lint, &exit_status] { exit_status = run_lint(*lint); });

    auto gen = std::make_shared<GenerateCmdOptions>();
    auto* g = cmd->add_subcommand("generate", "Write a hardened systemd service for the app");
    add_config_flags(g, gen->config, kPlaceFlags | kUnitFlags);
    g->add_option("-o,--output", gen->output, "Write the unit here instead of stdout")
        ->type_name("FILE");
    g->add_flag("--json", gen->json, "Print JSON (schema berth.unit-generate/1) with the unit");
    g->footer("berth.yaml (all keys optional except name; docs/config.md lists them all):\n"
              "  name: shop\n  user: shop            # omit for DynamicUser=yes\n"
              "  args: [--listen, ':8080']\n  environment_file: /etc/shop/env\n"
              "  working_directory: /var/lib/shop\n  listen: 8080\n"
              "  shutdown_timeout: 30     # seconds\n  systemd_version: 252\n\n"
              "Examples:\n  berth unit generate > shop.service\n"
              "  berth unit generate --name shop --port 443 --systemd-version 239\n\n"
              "Exit status: 0 written; 2 usage, input or I/O error.");
    g->callback([gen, &exit_status] { exit_status = run_generate(*gen); });
}

} // namespace berth::cli
