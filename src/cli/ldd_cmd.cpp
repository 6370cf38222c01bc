// `berth ldd FILE...`: the libraries the dynamic loader would map, found without running it.
#include "cli/commands.hpp"
#include "cli/each_file.hpp"
#include "cli/usage.hpp"
#include "report/ldd_text.hpp"
#include "resolve/resolver.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::cli {

namespace {

struct LddOptions {
    std::vector<std::string> files;
    std::string root;
    std::string library_path;
    bool library_path_given = false;
    bool use_env = false;
    int cpu_level = 0;
    bool json = false;
    bool list = false;
};

int run_ldd(const LddOptions& opt) {
    resolve::Options ro;
    ro.root = sysroot::Root::at(opt.root);
    ro.cpu_level = opt.cpu_level;
    if (opt.library_path_given) {
        ro.library_path = opt.library_path;
    } else if (opt.use_env) {
        if (const char* v = std::getenv("LD_LIBRARY_PATH")) ro.library_path = v;
    }
    resolve::Session session(ro);
    nlohmann::json files = nlohmann::json::array();
    nlohmann::json errors = nlohmann::json::array();
    bool first = true;
    std::string text; // one file's report, reused
    int status = for_each_file(
        opt.files,
        [&](const std::string& file) {
            resolve::ResolveResult r = session.resolve(file);
            if (opt.json) {
                files.push_back(resolve::to_json(r));
            } else {
                if (!first && !opt.list) text += '\n';
                if (opt.list)
                    report::append_ldd_list(text, r, opt.files.size() > 1);
                else
                    report::append_ldd_tree(text, r);
                std::fwrite(text.data(), 1, text.size(), stdout);
                text.clear();
            }
            first = false;
            return r.ok() ? int{kExitOk} : int{kExitNo};
        },
        [&](const std::string& file, const std::string& what) {
            nlohmann::json entry = {{"error", what}};
            set_path(entry, "file", file);
            errors.push_back(std::move(entry));
        });
    if (opt.json) {
        nlohmann::json doc = {{"schema", "berth.ldd/1"}, {"files", files}, {"errors", errors}};
        std::printf("%s\n", json_text(doc).c_str());
    }
    return status;
}

} // namespace

void add_ldd(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<LddOptions>();
    auto* cmd = app.add_subcommand(
        "ldd",
        "Show the shared libraries a program loads, as ld.so would find them (never runs it)");
    cmd->add_option("file", opt->files,
                    "ELF programs or libraries (several: one run, shared caches)")
        ->required()
        ->type_name("FILE");
    cmd->add_option("--root", opt->root,
                    "Resolve as on the system image at DIR, as ld.so would in a chroot there: "
                    "its ld.so.cache and directories, its symlinks followed inside it")
        ->type_name("DIR");
    cmd->add_option("--library-path", opt->library_path,
                    "Search these directories as LD_LIBRARY_PATH would (':'-separated)")
        ->type_name("LIST")
        ->each([opt](const std::string&) { opt->library_path_given = true; });
    cmd->add_flag("--use-env", opt->use_env,
                  "Take LD_LIBRARY_PATH from the environment (ignored by default: the service "
                  "will not run with yours)");
    cmd->add_option("--cpu-level", opt->cpu_level,
                    "Pretend the CPU is x86-64 psABI level N (1-4) for glibc-hwcaps "
                    "subdirectories (default: this CPU's)")
        ->check(in_range(1, 4))
        ->type_name("N");
    cmd->add_flag("--list", opt->list, "Print a flat list like ldd instead of the tree");
    cmd->add_flag("--json", opt->json, "Print JSON (schema berth.ldd/1, see docs/ldd.md)");
    cmd->footer(
        "Search order (glibc): DT_RPATH of the loading chain (when the loader has no "
        "DT_RUNPATH),\n"
        "LD_LIBRARY_PATH (only with --library-path/--use-env), DT_RUNPATH of the loader,\n"
        "/etc/ld.so.cache, then the default directories; glibc-hwcaps/x86-64-vN "
        "subdirectories first.\n"
        "musl: LD_LIBRARY_PATH, RUNPATH/RPATH of the chain, /etc/ld-musl-ARCH.path.\n\n"
        "Examples:\n"
        "  berth ldd /usr/bin/curl\n"
        "  berth ldd --root /mnt/image /mnt/image/usr/sbin/nginx\n"
        "  berth ldd --json ./myservice | jq '.files[0].missing'\n\n"
        "Exit status: 0 every library found; 1 a library (or the loader) not found;\n"
        "2 a file unreadable or not ELF (reported on one line, other files still processed).");
    cmd->callback([opt, &exit_status] { exit_status = run_ldd(*opt); });
}

} // namespace berth::cli
