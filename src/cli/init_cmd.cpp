// `berth init BINARY`: a commented starter berth.yaml, filled from what the binary shows (its
// name, an HTTP health check when it serves HTTP, a shutdown window when it handles SIGTERM).
#include "cli/commands.hpp"
#include "config/app_config.hpp"
#include "deploy/release.hpp"
#include "facts/binary_facts.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"

#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <sys/stat.h>

namespace berth::cli {

namespace {

struct InitOptions {
    std::string binary;
    std::string output = "berth.yaml";
    bool force = false;
};

std::string starter(const std::string& binary, const facts::BinaryFacts& f) {
    config::AppConfig app;
    config::complete_app_config(app, binary);
    const bool http = f.program && f.program->http_server.present;
    const bool sigterm = f.program && f.program->signal_handling.present;
    std::string version = deploy::version_from_build_info(f);
    std::string out = fmt::format(
        "# berth.yaml for {name}, written by `berth init` from {binary}.\n"
        "# Every key: docs/config.md. Check the host first: berth check {binary} --host ...\n"
        "name: {name}\n"
        "binary: {binary}\n"
        "# version: {version}    # default: from the build info ({source})\n"
        "# user: {name}          # default: DynamicUser=yes (a transient user per start)\n"
        "# install_dir: /opt/{name}\n",
        fmt::arg("name", app.name), fmt::arg("binary", binary),
        fmt::arg("version", version.empty() ? "1.0.0" : version),
        fmt::arg("source", version.empty() ? "none recorded: the sha256 is used"
                                           : "what the binary records"));
    if (http)
        out += "\n# It serves HTTP: say where, and how berth proves a release healthy.\n"
               "listen: \":8080\"\n"
               "health:\n"
               "  http: /healthz        # or a URL: http://127.0.0.1:8080/healthz\n"
               "  expect: 200\n"
               "  passes: 3             # answers in a row\n"
               "  interval: 1s\n"
               "  timeout: 30s\n"
               "  settle: 5s            # no restart allowed this long after the start\n";
    else
        out += "\n# listen: \":8080\"\n# health: {tcp: 8080}\n";
    if (sigterm)
        out += "\n# It handles SIGTERM: the seconds it needs to drain (TimeoutStopSec adds 5).\n"
               "shutdown_timeout: 25\n";
    else
        out += "\n# It does not handle SIGTERM (B112): stops cut requests in flight.\n";
    out += "\n# environment:\n#   LOG_LEVEL: info\n# environment_file: secrets.env   # installed "
           "0600 as /etc/NAME/env\n"
           "# config_files:\n#   - {src: config.toml, dest: config.toml}\n"
           "keep_releases: 5\n"
           "# hosts: [root@web1, deploy@web2]\n# sudo: false\n";
    return out;
}

int run_init(const InitOptions& opt) {
    facts::BinaryFacts f = facts::collect_binary_facts(opt.binary, facts::InspectOptions{});
    struct stat st {};
    if (opt.output != "-" && !opt.force && ::stat(opt.output.c_str(), &st) == 0)
        throw InputError(opt.output + " exists: use --force to replace it, or -o FILE");
    std::string text = starter(opt.binary, f);
    // What berth init writes, berth reads back without error.
    config::parse_app_config(text, opt.output);
    if (opt.output == "-") {
        std::fputs(text.c_str(), stdout);
    } else {
        write_file_atomically(opt.output, text, 0644, {::getuid(), ::getgid()});
        std::fprintf(stderr, "berth: wrote %s\n", opt.output.c_str());
    }
    return kExitOk;
}

} // namespace

void add_init(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Write a commented starter berth.yaml for a Go binary");
    cmd->add_option("binary", opt->binary, "The Go program")->required()->type_name("FILE");
    cmd->add_option("-o,--output", opt->output, "Where to write it ('-' = stdout)")
        ->type_name("FILE")
        ->capture_default_str();
    cmd->add_flag("--force", opt->force, "Replace an existing file");
    cmd->footer("Example:\n  berth init ./build/shop && berth deploy --dry-run\n\n"
                "Exit status: 0 written; 2 usage, input or I/O error.");
    cmd->callback([opt, &exit_status] { exit_status = run_init(*opt); });
}

} // namespace berth::cli
