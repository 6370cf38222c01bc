// `berth facts`: what the host (or a system image under --root) offers a Go service, read from
// /proc, /sys and files. `berth check` judges these facts; `--json` output can be collected on one
// host and checked elsewhere with `berth check --facts FILE`.
#include "cli/commands.hpp"
#include "facts/library_facts.hpp"
#include "host/facts_text.hpp"
#include "host/host_facts.hpp"
#include "host/host_facts_json.hpp"
#include "host/sockets.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

namespace berth::cli {

namespace {

struct FactsOptions {
    std::string root = "/";
    std::string app = "app";
    std::string install_dir, config_dir, log_dir, binary, listen, user;
    bool json = false;
    bool libraries = false;
};

std::string absolute(const std::string& path, bool host) {
    if (path.empty() || path[0] == '/') return path;
    // On the host a relative path means the current directory; in an image there is none.
    return host ? std::filesystem::absolute(path).string() : "/" + path;
}

host::CollectOptions collect_options(const FactsOptions& opt) {
    host::CollectOptions c;
    bool on_host = opt.root.empty() || opt.root == "/";
    c.root = opt.root;
    c.install_dir =
        absolute(opt.install_dir.empty() ? "/opt/" + opt.app : opt.install_dir, on_host);
    c.config_dir = absolute(opt.config_dir.empty() ? "/etc/" + opt.app : opt.config_dir, on_host);
    c.log_dir = absolute(opt.log_dir.empty() ? "/var/log/" + opt.app : opt.log_dir, on_host);
    c.binary = absolute(opt.binary, on_host);
    c.user = opt.user.empty() ? opt.app : opt.user;
    if (!opt.listen.empty() &&
        !host::parse_listen_address(opt.listen, c.listen_address, c.listen_port))
        throw InputError("--listen " + opt.listen +
                         ": expected PORT, :PORT, ADDRESS:PORT or [IPV6]:PORT");
    return c;
}

int run_facts(const FactsOptions& opt) {
    if (opt.libraries && opt.binary.empty())
        throw InputError("--libraries needs --binary: the binary whose libraries to resolve");
    host::CollectOptions options = collect_options(opt);
    host::HostFacts facts = host::collect_host_facts(options);
    // How this host's loader resolves the binary's libraries: `berth check --facts` on another
    // machine judges that (B103, B104).
    std::optional<LibraryFacts> libraries;
    if (opt.libraries) {
        bool on_host = opt.root.empty() || opt.root == "/";
        libraries =
            resolve_library_facts(on_host ? options.binary : opt.root + options.binary, opt.root);
    }
    if (opt.json) {
        nlohmann::json doc = host::host_facts_to_json(facts);
        if (libraries) doc["libraries"] = *libraries;
        std::printf("%s\n", json_text(doc).c_str());
        return kExitOk;
    }
    std::fputs(host::host_facts_text(facts).c_str(), stdout);
    if (libraries) {
        std::string missing;
        for (const auto& name : libraries->missing) missing += " " + name;
        std::printf("\nlibraries of %s: %s\n", opt.binary.c_str(),
                    missing.empty() ? "all found" : ("not found:" + missing).c_str());
    }
    return kExitOk;
}

} // namespace

void add_facts(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<FactsOptions>();
    auto* cmd = app.add_subcommand(
        "facts", "Show what this host offers a Go service: CPU level, glibc, mounts, limits, ...");
    cmd->add_option("--root", opt->root,
                    "Read the system's files from an image mounted at DIR (kernel state, sockets "
                    "and processes stay the running host's)")
        ->type_name("DIR");
    cmd->add_option("--app", opt->app,
                    "App name: the default paths are /opt/APP, /etc/APP, /var/log/APP and the "
                    "default user is APP")
        ->type_name("NAME")
        ->capture_default_str();
    cmd->add_option("--install-dir", opt->install_dir, "Install directory (default /opt/APP)")
        ->type_name("DIR");
    cmd->add_option("--config-dir", opt->config_dir, "Config directory (default /etc/APP)")
        ->type_name("DIR");
    cmd->add_option("--log-dir", opt->log_dir, "Log directory (default /var/log/APP)")
        ->type_name("DIR");
    cmd->add_option("--binary", opt->binary, "The app's binary as installed (its mount, label)")
        ->type_name("PATH");
    cmd->add_flag("--libraries", opt->libraries,
                  "Also resolve the --binary's libraries as this host's loader would (for "
                  "`berth check --facts` elsewhere)");
    cmd->add_option("--listen", opt->listen,
                    "The app's listen address, compared with the listening sockets: 8080, "
                    ":8080, 127.0.0.1:8080, [::1]:8080")
        ->type_name("ADDR");
    cmd->add_option("--user", opt->user, "The service user to look up (default APP)")
        ->type_name("NAME");
    cmd->add_flag("--json", opt->json,
                  "Print one JSON document (schema berth.host-facts/1, docs/host-facts.md)");
    cmd->footer(
        "Paths that do not exist yet are examined at their nearest existing ancestor.\n"
        "Nothing is run: facts come from /proc, /sys, files and a few syscalls.\n\n"
        "Examples:\n"
        "  berth facts --app shop --listen :8080\n"
        "  berth facts --json --app shop > shop-host.json   # then: berth check --facts "
        "shop-host.json\n"
        "  berth facts --root /mnt/image --app shop\n\n"
        "Exit status: 0 facts printed; 2 usage or I/O error (e.g. --root not a directory).");
    cmd->callback([opt, &exit_status] { exit_status = run_facts(*opt); });
}

} // namespace berth::cli
