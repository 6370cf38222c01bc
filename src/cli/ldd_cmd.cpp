// `berth ldd FILE...`: the libraries the dynamic loader would map, found without running it.
#include "cli/commands.hpp"
#include "cli/each_file.hpp"
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

// The text is built in one buffer per file and written at once: over /usr/bin that is tens of
// thousands of lines, and formatting each through printf was half of the run's time.
void append_line(std::string& out, const resolve::Dependency& d) {
    out += d.name;
    out += " => ";
    if (d.path.empty()) {
        out += "not found";
        if (!d.error.empty()) {
            out += " (";
            out += d.error;
            out += ')';
        }
        return;
    }
    out += d.path;
    if (d.via == resolve::Via::interpreter) {
        out += " (interpreter)";
    } else if (d.already_loaded) {
        out += " (already loaded)";
    } else {
        out += " [";
        out += resolve::via_name(d.via);
        out += ']';
    }
}

// `indent` grows by one level per call and is restored before returning.
void append_tree(std::string& out, const std::vector<resolve::Dependency>& deps,
                 std::string& indent) {
    for (std::size_t i = 0; i < deps.size(); ++i) {
        bool last = i + 1 == deps.size();
        const auto& d = deps[i];
        out += indent;
        out += last ? "└── " : "├── ";
        append_line(out, d);
        out += '\n';
        const std::size_t depth = indent.size();
        indent += last ? "    " : "│   ";
        for (const auto& s : d.skipped) {
            out += indent;
            out += "  skipped ";
            out += s;
            out += '\n';
        }
        append_tree(out, d.needed, indent);
        indent.resize(depth);
    }
}

void append_text(std::string& out, const resolve::ResolveResult& r) {
    out += r.file;
    if (!r.dynamic) {
        out += ": statically linked (no dynamic loader involved)\n";
        return;
    }
    out += r.loader == resolve::LoaderKind::musl ? " [musl loader " : " [glibc loader ";
    out += r.interpreter;
    if (!r.interpreter_found) out += " (NOT FOUND)";
    if (r.cpu_level > 0) {
        out += ", x86-64-v";
        out += std::to_string(r.cpu_level);
    }
    out += "]\n";
    std::string indent;
    append_tree(out, r.needed, indent);
    for (const auto& w : r.warnings) {
        out += "warning: ";
        out += w;
        out += '\n';
    }
}

// ldd's flat form: every mapped object once, in load order, then what was not found.
void append_list(std::string& out, const resolve::ResolveResult& r, bool with_header) {
    if (with_header) {
        out += r.file;
        out += ":\n";
    }
    if (!r.dynamic) {
        out += "\tstatically linked\n";
        return;
    }
    for (std::size_t i = 1; i < r.loaded.size(); ++i) {
        const auto& o = r.loaded[i];
        out += '\t';
        if (o.via != resolve::Via::interpreter && o.name.find('/') == std::string::npos) {
            out += o.name;
            out += " => ";
        }
        out += o.path;
        out += '\n';
    }
    for (const auto& m : r.missing) {
        out += '\t';
        out += m;
        out += " => not found\n";
    }
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
    nlohmann::json files = nlohmann::json::array();
    nlohmann::json errors = nlohmann::json::array();
    bool first = true;
    std::string text; // one file's report, reused
    int status = for_each_file(
        "ldd", opt.files,
        [&](const std::string& file) {
            resolve::ResolveResult r = session.resolve(file);
            if (opt.json) {
                files.push_back(resolve::to_json(r));
            } else {
                if (!first && !opt.list) text += '\n';
                if (opt.list)
                    append_list(text, r, opt.files.size() > 1);
                else
                    append_text(text, r);
                std::fwrite(text.data(), 1, text.size(), stdout);
                text.clear();
            }
            first = false;
            return r.ok() ? int{kExitOk} : int{kExitNo};
        },
        [&](const std::string& file, const std::string& what) {
            errors.push_back({{"file", file}, {"error", what}});
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
