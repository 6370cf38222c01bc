// `berth ldd FILE...`: the libraries the dynamic loader would map, found without running it.
#include "cli/commands.hpp"
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

std::string line_for(const resolve::Dependency& d) {
    std::string s = d.name + " => ";
    if (d.path.empty()) {
        s += "not found";
        if (!d.error.empty()) s += " (" + d.error + ")";
        return s;
    }
    s += d.path;
    if (d.via == resolve::Via::interpreter)
        s += " (interpreter)";
    else if (d.already_loaded)
        s += " (already loaded)";
    else
        s += std::string(" [") + resolve::via_name(d.via) + "]";
    return s;
}

void print_tree(const std::vector<resolve::Dependency>& deps, const std::string& indent) {
    for (std::size_t i = 0; i < deps.size(); ++i) {
        bool last = i + 1 == deps.size();
        const auto& d = deps[i];
        std::printf("%s%s%s\n", indent.c_str(), last ? "└── " : "├── ", line_for(d).c_str());
        std::string child_indent = indent + (last ? "    " : "│   ");
        for (const auto& s : d.skipped)
            std::printf("%s  skipped %s\n", child_indent.c_str(), s.c_str());
        print_tree(d.needed, child_indent);
    }
}

void print_text(const resolve::ResolveResult& r) {
    if (!r.dynamic) {
        std::printf("%s: statically linked (no dynamic loader involved)\n", r.file.c_str());
        return;
    }
    std::string head = r.file + " [" + (r.loader == resolve::LoaderKind::musl ? "musl" : "glibc") +
                       " loader " + r.interpreter;
    if (!r.interpreter_found) head += " (NOT FOUND)";
    if (r.cpu_level > 0) head += ", x86-64-v" + std::to_string(r.cpu_level);
    head += "]";
    std::printf("%s\n", head.c_str());
    print_tree(r.needed, "");
    for (const auto& w : r.warnings) std::printf("warning: %s\n", w.c_str());
}

// ldd's flat form: every mapped object once, in load order, then what was not found.
void print_list(const resolve::ResolveResult& r, bool with_header) {
    if (with_header) std::printf("%s:\n", r.file.c_str());
    if (!r.dynamic) {
        std::printf("\tstatically linked\n");
        return;
    }
    for (std::size_t i = 1; i < r.loaded.size(); ++i) {
        const auto& o = r.loaded[i];
        if (o.via == resolve::Via::interpreter || o.name.find('/') != std::string::npos)
            std::printf("\t%s\n", o.path.c_str());
        else
            std::printf("\t%s => %s\n", o.name.c_str(), o.path.c_str());
    }
    for (const auto& m : r.missing) std::printf("\t%s => not found\n", m.c_str());
}

int run_ldd(const LddOptions& opt) {
    resolve::Options ro;
    ro.root = opt.root;
    ro.cpu_level = opt.cpu_level;
    if (opt.library_path_given) {
        ro.library_path = opt.library_path;
    } else if (opt.use_env) {
        if (const char* v = std::getenv("LD_LIBRARY_PATH")) ro.library_path = v;
    }
    resolve::Session session(ro);
    int status = kExitOk;
    nlohmann::json files = nlohmann::json::array();
    nlohmann::json errors = nlohmann::json::array();
    bool first = true;
    for (const auto& file : opt.files) {
        try {
            resolve::ResolveResult r = session.resolve(file);
            if (!r.ok() && status == kExitOk) status = kExitNo;
            if (opt.json) {
                files.push_back(resolve::to_json(r));
            } else {
                if (!first && !opt.list) std::printf("\n");
                if (opt.list)
                    print_list(r, opt.files.size() > 1);
                else
                    print_text(r);
            }
            first = false;
        } catch (const InputError& e) {
            std::fflush(stdout);
            std::fprintf(stderr, "berth ldd: %s\n", e.what());
            errors.push_back({{"file", file}, {"error", e.what()}});
            status = kExitInput;
        }
    }
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
        ->required();
    cmd->add_option("--root", opt->root,
                    "Resolve as on the system image mounted at DIR: DIR/etc/ld.so.cache, "
                    "DIR-prefixed directories")
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
        ->check(CLI::Range(1, 4))
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
