// `berth inspect FILE...`: what a binary needs, read from its bytes, never by running it.
#include "cli/commands.hpp"
#include "cli/each_file.hpp"
#include "facts/binary_facts.hpp"
#include "gobuild/pclntab.hpp"
#include "gobuild/version_m.hpp"
#include "report/inspect_text.hpp"
#include "report/sbom.hpp"
#include "resolve/resolver.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/mapped_file.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"
#include "util/utc_time.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace berth::cli {

namespace {

struct InspectCommandOptions {
    std::vector<std::string> files;
    bool json = false;
    bool hash = false;
    bool go_version_m = false;
    bool symbols = false;
    std::string sbom; // "" or "cyclonedx" | "spdx"
};

// `--go-version-m`: exactly what `go version -m FILE` prints, or its message on stderr.
int print_go_version_m(const std::vector<std::string>& files) {
    return for_each_file(files, [](const std::string& path) {
        MappedFile file(path);
        auto info = gobuild::read_buildinfo(elf::parse_image(file.bytes()));
        if (!info) {
            std::fprintf(stderr, "berth: %s: not a Go binary (no Go build info)\n", path.c_str());
            return int{kExitNo};
        }
        std::fputs(gobuild::format_version_m(path, *info).c_str(), stdout);
        return int{kExitOk};
    });
}

// `--symbols`: the function names of the Go function table, one per line, sorted.
int print_symbols(const std::vector<std::string>& files) {
    return for_each_file(files, [&](const std::string& path) {
        MappedFile file(path);
        auto table = gobuild::read_functions(elf::parse_image(file.bytes()));
        if (files.size() > 1) std::printf("%s:\n", path.c_str());
        for (const auto& name : gobuild::sorted_function_names(table))
            std::printf("%s\n", name.c_str());
        return int{kExitOk};
    });
}

// The SBOM's time: SOURCE_DATE_EPOCH when set (reproducible builds' convention), else the
// file's modification time, so that the same file gives the same document.
std::string sbom_timestamp(const std::string& path) {
    std::time_t t = 0;
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        auto v = parse_int(epoch);
        if (!v || *v < 0)
            throw InputError(std::string("SOURCE_DATE_EPOCH is not a number of seconds: ") + epoch);
        t = static_cast<std::time_t>(*v);
    } else {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) throw InputError(path + ": cannot stat");
        t = st.st_mtime;
    }
    return utc_time(t);
}

// `--sbom FORMAT`: one document for one file. Any valid ELF file gets one: what berth cannot
// read (no Go build info) is simply not in it.
int print_sbom(const InspectCommandOptions& opt) {
    if (opt.files.size() != 1)
        throw CLI::ValidationError("--sbom", "takes exactly one FILE (one document per binary)");
    return for_each_file(opt.files, [&](const std::string& path) {
        facts::BinaryFacts facts = facts::collect_binary_facts(path, {});
        report::SbomInput in;
        in.facts = &facts;
        in.file_name = std::filesystem::path(path).filename().string();
        in.sha256 = sha256_file(path);
        in.timestamp = sbom_timestamp(path);
        if (!facts.elf.linkage.needed.empty()) {
            resolve::Options ro;
            ro.root = sysroot::Root::at("");
            resolve::ResolveResult r = resolve::resolve(path, ro);
            for (const auto& d : r.needed) {
                report::SbomLibrary lib;
                lib.name = d.name;
                lib.path = d.path;
                lib.via = d.path.empty() ? "not_found" : resolve::via_name(d.via);
                try {
                    if (!d.path.empty()) lib.sha256 = sha256_file(d.path);
                } catch (const InputError&) {
                    // Found but unreadable: the path and how it was found still stand.
                }
                for (const auto& need : facts.elf.versions.needs)
                    if (need.file == d.name) lib.versions = need.versions;
                in.libraries.push_back(std::move(lib));
            }
        }
        std::string doc =
            opt.sbom == "spdx" ? report::render_spdx(in) : report::render_cyclonedx(in);
        std::fputs(doc.c_str(), stdout);
        return int{kExitOk};
    });
}

int run_inspect(const InspectCommandOptions& opt) {
    if (opt.go_version_m) return print_go_version_m(opt.files);
    if (opt.symbols) return print_symbols(opt.files);
    if (!opt.sbom.empty()) return print_sbom(opt);
    facts::InspectOptions options;
    options.hash = opt.hash;
    nlohmann::json files = nlohmann::json::array();
    bool first = true;
    int status = for_each_file(
        opt.files,
        [&](const std::string& path) {
            facts::BinaryFacts facts = facts::collect_binary_facts(path, options);
            // A program cut inside what the kernel maps cannot run: an input error, not a report.
            const auto& cut = facts.elf.truncation;
            if (!cut.cut_loaded.empty())
                throw InputError(path + ": cut short: " + join(cut.cut_loaded, ", ") +
                                 " runs past the end of the file (" +
                                 std::to_string(cut.file_size) + " of " +
                                 std::to_string(cut.expected_size) +
                                 " bytes); an interrupted copy? It cannot run.");
            if (opt.json) {
                files.push_back(facts);
            } else {
                if (!first) std::fputs("\n", stdout);
                std::fputs(report::render_inspect_text(facts).c_str(), stdout);
            }
            first = false;
            return int{kExitOk};
        },
        [&](const std::string& path, const std::string& what) {
            if (!opt.json) return;
            nlohmann::json entry = {{"error", what}};
            set_path(entry, "path", path);
            files.push_back(std::move(entry));
        });
    if (opt.json) {
        nlohmann::json doc = {{"schema", "berth.inspect/1"}, {"files", files}};
        std::printf("%s\n", json_text(doc).c_str());
    }
    return status;
}

} // namespace

void add_inspect(CLI::App& app, int& exit_status) {
    auto opt = std::make_shared<InspectCommandOptions>();
    auto* cmd = app.add_subcommand(
        "inspect", "Tell what a binary needs, without running it: ELF, libc, libraries, GLIBC "
                   "versions, hardening, Go build info");
    cmd->add_option("files", opt->files, "Binaries to inspect")->required()->type_name("FILE");
    auto* json_flag = cmd->add_flag(
        "--json", opt->json, "Print one JSON document (schema berth.inspect/1, docs/inspect.md)");
    cmd->add_flag("--hash", opt->hash, "Also compute the file's SHA-256 (reads every byte)");
    auto* version_m =
        cmd->add_flag("--go-version-m", opt->go_version_m,
                      "Print exactly what `go version -m FILE` prints (no Go toolchain needed)");
    // The spelling is the table's (cmd/link/internal/ld/pcln.go), which is not nm's.
    auto* symbols = cmd->add_flag(
        "--symbols", opt->symbols,
        "List the function names of the Go function table, sorted and unique, even in "
        "stripped binaries. Spelled as the table stores them, not as `go tool nm` "
        "prints them: generic type arguments cut to [...] (nm: the types), "
        "'\u00b7' where nm has '.', no .abi0 suffix on assembly functions (see "
        "docs/inspect.md)");
    cmd->add_option("--sbom", opt->sbom,
                    "Print a software bill of materials of one FILE: cyclonedx (CycloneDX 1.5 "
                    "JSON) or spdx (SPDX 2.3 JSON): the Go modules with versions, hashes and "
                    "package URLs, the Go toolchain, build settings, needed libraries "
                    "(docs/inspect.md)")
        ->check(CLI::IsMember({"cyclonedx", "spdx"}))
        ->type_name("FORMAT")
        ->excludes(json_flag)
        ->excludes(version_m)
        ->excludes(symbols);
    cmd->footer("Examples:\n"
                "  berth inspect ./myapp                 what it needs and how it was built\n"
                "  berth inspect --json ./myapp | jq .versions.max_glibc\n"
                "  berth inspect --go-version-m ./myapp  same output as `go version -m`\n"
                "  berth inspect --hash ./myapp          include the SHA-256\n"
                "  berth inspect --sbom cyclonedx ./myapp > myapp.cdx.json\n"
                "Exit status: 0 all files inspected; 1 (--go-version-m) a file is not a Go "
                "binary;\n2 a file could not be read or is not a valid ELF file (the others are "
                "still reported).");
    cmd->callback([opt, &exit_status] { exit_status = run_inspect(*opt); });
}

} // namespace berth::cli
