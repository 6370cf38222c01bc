// `berth check BINARY`: will this binary run on this host, and if not, exactly why and how to fix
// it. The pipeline (collect, judge, report) is check/; this file wires its options.
#include "check/check.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/findings_output.hpp"
#include "util/error.hpp"

#include <memory>

namespace berth::cli {

namespace {

struct CheckOptions {
    std::string binary;
    std::string facts_file;
    std::string root;
    ConfigFlags config;
    FindingsOutput output;
    std::string fail_on = "error";
};

int run_check(const CheckOptions& opt) {
    const report::OutputFormat format = opt.output.chosen();
    const Severity threshold = parse_severity(opt.fail_on);
    config::AppConfig app = load_config(opt.config);
    config::complete_app_config(app, opt.binary);
    rules::CheckInput in;
    if (!opt.facts_file.empty()) {
        if (!opt.root.empty())
            throw InputError("--root and --facts exclude each other: the facts name their host");
        in = check::with_host_facts(opt.binary, app, check::read_facts_file(opt.facts_file),
                                    opt.facts_file);
    } else {
        in = check::collect_here(opt.binary, app, sysroot::Root::at(opt.root));
    }
    FindingsReport report = check::report(opt.binary, in, rules::judge_check(in));
    print_findings({report}, format);
    return has_at_least(report.findings, threshold) ? kExitNo : kExitOk;
}

} // namespace

void add_check(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand(
        "check", "Will this binary run on this host? Every reason it would not, with the fix");
    cmd->add_option("binary", opt->binary, "The binary to deploy")->required()->type_name("FILE");
    cmd->add_option("--facts", opt->facts_file,
                    "Judge host facts collected elsewhere (`berth facts --json --binary PATH "
                    "--libraries` on the target) instead of this host")
        ->type_name("FILE");
    cmd->add_option("--root", opt->root,
                    "Judge the system image at DIR, read as the kernel would in a chroot there; "
                    "what only a running host shows (CPU, mounts, clock, sockets) is reported "
                    "as not judged")
        ->type_name("DIR");
    add_config_flags(cmd, opt->config, kPlaceFlags);
    add_findings_output(cmd, opt->output);
    cmd->add_option("--fail-on", opt->fail_on,
                    "Lowest severity that makes the exit status 1 (error, warning, info)")
        ->check(CLI::IsMember({"error", "warning", "info"}))
        ->type_name("SEVERITY");
    cmd->footer("Examples:\n"
                "  berth check ./myapp --user myapp --listen :8080\n"
                "  berth check ./myapp --config berth.yaml --format sarif > berth.sarif\n"
                "  berth check --root /srv/debian11 ./myapp\n"
                "  ssh host berth facts --json --binary /opt/myapp/current/bin/myapp --libraries "
                "> host.json\n"
                "  berth check ./myapp --facts host.json\n"
                "Exit status: 0 no finding at error level (or at --fail-on); 1 there is one;\n"
                "2 usage, input or I/O error. `berth explain CODE` explains a finding.");
    cmd->callback([opt, &exit_status] { exit_status = run_check(*opt); });
}

} // namespace berth::cli
