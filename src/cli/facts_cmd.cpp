// `berth facts`: what the host (or a system image under --root) offers a Go service, read from
// /proc, /sys and files. `berth check` judges these facts; `--json` output can be collected on one
// host and checked elsewhere with `berth check --facts FILE`.
#include "check/check.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "facts/library_facts.hpp"
#include "host/host_facts.hpp"
#include "host/host_facts_json.hpp"
#include "report/facts_text.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

namespace berth::cli {

namespace {

struct FactsOptions {
    std::string root;
    ConfigFlags config;
    std::string binary;
    bool json = false;
    bool libraries = false;
};

int run_facts(const FactsOptions& opt) {
    if (opt.libraries && opt.binary.empty())
        throw InputError("--libraries needs --binary: the binary whose libraries to resolve");
    const sysroot::Root root = sysroot::Root::at(opt.root);
    // The binary as installed on the examined system: relative paths are relative to the
    // current directory here, to the image's root in an image.
    std::string binary = opt.binary;
    if (!binary.empty() && binary[0] != '/')
        binary = root.is_host() ? std::filesystem::absolute(binary).string() : "/" + binary;
    config::AppConfig app = load_config(opt.config);
    if (app.name.empty()) app.name = binary.empty() ? "app" : "";
    config::complete_app_config(app, binary);
    host::HostFacts facts = host::collect_host_facts(check::collect_options(app, root, binary));
    // How this host's loader resolves the binary's libraries: `berth check --facts` on another
    // machine judges that (B103, B104, B105).
    std::optional<facts::LibraryFacts> libraries;
    if (opt.libraries)
        libraries = facts::resolve_library_facts(root.shown(root.resolve(binary)), root);
    if (opt.json) {
        nlohmann::json doc = host::host_facts_to_json(facts);
        if (libraries) doc["libraries"] = *libraries;
        std::printf("%s\n", json_text(doc).c_str());
        return kExitOk;
    }
    std::string text = report::host_facts_text(facts);
    if (libraries) text += report::library_facts_text(binary, *libraries);
    std::fputs(text.c_str(), stdout);
    return kExitOk;
}

} // namespace

void add_facts(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<FactsOptions>();
    auto* cmd = app.add_subcommand(
        "facts", "Show what this host offers a Go service: CPU level, glibc, mounts, limits, ...");
    cmd->add_option("--root", opt->root,
                    "Read the system's files from an image at DIR, as the kernel would in a "
                    "chroot there (kernel state, sockets and processes stay the running host's)")
        ->type_name("DIR");
    add_config_flags(cmd, opt->config, kPlaceFlags);
    cmd->add_option("--app", opt->config.name, "Same as --name")->type_name("NAME");
    cmd->add_option("--binary", opt->binary, "The app's binary as installed (its mount, label)")
        ->type_name("PATH");
    cmd->add_flag("--libraries", opt->libraries,
                  "Also resolve the --binary's libraries as this host's loader would (for "
                  "`berth check --facts` elsewhere)");
    cmd->add_flag("--json", opt->json,
                  "Print one JSON document (schema berth.host-facts/3, docs/host-facts.md)");
    cmd->footer(
        "Paths that do not exist yet are examined at their nearest existing ancestor.\n"
        "Nothing is run: facts come from /proc, /sys, files and a few syscalls.\n\n"
        "Examples:\n"
        "  berth facts --name shop --listen :8080\n"
        "  berth facts --json --config berth.yaml --binary /opt/shop/current/bin/shop "
        "--libraries > shop-host.json\n"
        "      # then, elsewhere: berth check ./shop --facts shop-host.json\n"
        "  berth facts --root /mnt/image --name shop\n\n"
        "Exit status: 0 facts printed; 2 usage or I/O error (e.g. --root not a directory).");
    cmd->callback([opt, &exit_status] { exit_status = run_facts(*opt); });
}

} // namespace berth::cli
