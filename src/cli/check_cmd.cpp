// `berth check BINARY`: will this binary run on this host, and if not, exactly why and how to fix
// it. Collects the binary's and the host's facts (or reads host facts collected elsewhere),
// judges them with the rules, renders the findings.
#include "cli/commands.hpp"
#include "cli/findings_output.hpp"
#include "host/host_facts_json.hpp"
#include "report/findings_report.hpp"
#include "rules/check_input.hpp"
#include "util/error.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace berth::cli {

namespace {

struct CheckOptions {
    std::string binary;
    std::string facts_file;
    std::string root = "/";
    std::string config;
    std::string user, listen, install_dir, log_dir;
    FindingsOutput output;
    std::string fail_on = "error";
};

AppIntent intent_from(const CheckOptions& opt) {
    AppIntent intent = opt.config.empty() ? AppIntent{} : load_app_intent(opt.config);
    if (!opt.user.empty()) intent.user = opt.user;
    if (!opt.install_dir.empty()) intent.install_dir = opt.install_dir;
    if (!opt.log_dir.empty()) intent.log_dir = opt.log_dir;
    if (!opt.listen.empty()) parse_listen(opt.listen, intent.listen_address, intent.listen_port);
    complete_app_intent(intent, opt.binary);
    return intent;
}

// Where the binary is on the checked system. Under --root a binary inside the image is looked
// at where it lies in the image (root/opt/app/bin/app is /opt/app/bin/app there); one outside
// the image keeps its absolute path.
std::string path_on_target(const std::string& binary, const std::string& root) {
    namespace fs = std::filesystem;
    std::string path = fs::absolute(binary).lexically_normal().string();
    if (root.empty() || root == "/") return path;
    std::string dir = fs::absolute(root).lexically_normal().string();
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/')
        return path.substr(dir.size());
    return path;
}

int run_check(const CheckOptions& opt) {
    const OutputFormat format = opt.output.chosen();
    const Severity threshold = parse_severity(opt.fail_on);
    CheckInput in;
    in.intent = intent_from(opt);
    in.binary = collect_binary_facts(opt.binary, InspectOptions{});
    if (!opt.facts_file.empty()) {
        // Facts collected on another host (`berth facts --json --binary B --libraries` there).
        // Library resolution is judged only when those facts carry it.
        std::ifstream file(opt.facts_file);
        if (!file) throw InputError(opt.facts_file + ": cannot open the facts file");
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(file);
            in.host = host::host_facts_from_json(j);
            if (j.contains("libraries")) in.libraries = j["libraries"].get<LibraryFacts>();
        } catch (const nlohmann::json::exception& e) {
            throw InputError(opt.facts_file + ": not valid host facts: " + e.what());
        }
    } else {
        host::CollectOptions collect;
        collect.root = opt.root;
        collect.install_dir = in.intent.install_dir;
        collect.config_dir = in.intent.config_dir;
        collect.log_dir = in.intent.log_dir;
        collect.binary = path_on_target(opt.binary, opt.root);
        collect.listen_address = in.intent.listen_address;
        collect.listen_port = in.intent.listen_port;
        collect.user = in.intent.user;
        in.host = host::collect_host_facts(collect);
        in.libraries = resolve_library_facts(opt.binary, opt.root);
    }
    FindingsReport report;
    report.command = "check";
    report.subject = opt.binary;
    report.findings = run_check_rules(in);
    report.extra["host"] = in.host.hostname;
    report.extra["root"] = in.host.root;
    report.extra["intent"] = in.intent;
    print_findings({report}, format);
    return has_at_least(report.findings, threshold) ? kExitNo : kExitOk;
}

} // namespace

void add_check(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand(
        "check", "Will this binary run on this host? Every reason it would not, with the fix");
    cmd->add_option("binary", opt->binary, "The binary to deploy")->required();
    cmd->add_option("--facts", opt->facts_file,
                    "Judge host facts collected elsewhere (`berth facts --json` on the target) "
                    "instead of this host");
    cmd->add_option("--root", opt->root,
                    "Read the system image mounted at DIR (files, ld.so cache; kernel state is "
                    "this machine's)");
    cmd->add_option("--config", opt->config,
                    "berth.yaml with the app's intent (user, listen, "
                    "install_dir, log_dir, nofile, min_free_mb)");
    cmd->add_option("--user", opt->user, "Service user (overrides berth.yaml)");
    cmd->add_option("--listen", opt->listen, "Listen address HOST:PORT or PORT");
    cmd->add_option("--install-dir", opt->install_dir, "Install directory (default /opt/APP)");
    cmd->add_option("--log-dir", opt->log_dir, "Log directory (default /var/log/APP)");
    add_findings_output(cmd, opt->output);
    cmd->add_option("--fail-on", opt->fail_on,
                    "Lowest severity that makes the exit status 1 (error, warning, info)")
        ->check(CLI::IsMember({"error", "warning", "info"}));
    cmd->footer("Examples:\n"
                "  berth check ./myapp --user myapp --listen :8080\n"
                "  berth check ./myapp --config berth.yaml --format sarif > berth.sarif\n"
                "  ssh host berth facts --json > host.json; berth check ./myapp --facts host.json\n"
                "Exit status: 0 no finding at error level (or at --fail-on); 1 there is one;\n"
                "2 usage, input or I/O error. `berth explain CODE` explains a finding.");
    cmd->callback([opt, &exit_status] { exit_status = run_check(*opt); });
}

} // namespace berth::cli
