#include "report/inspect_text.hpp"
#include "util/strings.hpp"

#include <cstdio>
#include <fmt/format.h>

namespace berth::report {

namespace {

void line(std::string& out, const std::string& label, const std::string& value) {
    out += fmt::format("  {:<12}{}\n", label, value);
}

std::string identity_line(const elf::Identity& id) {
    std::string type = id.type;
    if (id.pie)
        type += " (position-independent executable)";
    else if (id.shared_library)
        type += " (shared library)";
    else if (id.type == "EXEC")
        type += " (executable)";
    std::string arch = id.machine;
    if (!id.goarch.empty() && id.goarch != id.machine) arch += " (GOARCH " + id.goarch + ")";
    if (!id.float_abi.empty()) arch += ", " + id.float_abi + "-float";
    return fmt::format("{} {}-endian {}, {}, {}, entry {:#x}", id.elf_class, id.endianness, arch,
                       id.osabi, type, id.entry);
}

void linkage_lines(std::string& out, const elf::ElfFacts& e) {
    const auto& ln = e.linkage;
    std::string what = ln.kind;
    if (ln.interpreter) what += ", interpreter " + *ln.interpreter;
    what += ", libc " + ln.libc;
    line(out, "linkage", what);
    if (!ln.needed.empty()) line(out, "needed", join(ln.needed, " "));
    if (ln.soname) line(out, "soname", *ln.soname);
    if (ln.rpath) line(out, "rpath", *ln.rpath);
    if (ln.runpath) line(out, "runpath", *ln.runpath);
    std::vector<std::string> flags = ln.flags;
    for (const auto& f : ln.flags_1) flags.push_back("FLAGS_1:" + f);
    if (!flags.empty()) line(out, "dyn flags", join(flags, " "));
    for (const auto& need : e.versions.needs)
        line(out, "versions", need.file + ": " + join(need.versions, " "));
    if (e.versions.max_glibc)
        line(out, "glibc",
             "needs GLIBC_" + *e.versions.max_glibc +
                 " or newer (the host's glibc must be at least " + *e.versions.max_glibc + ")");
    else if (ln.libc == "glibc" && ln.kind == "dynamic")
        line(out, "glibc", "no versioned symbols needed");
}

void go_lines(std::string& out, const facts::BinaryFacts& f) {
    if (!f.is_go()) {
        line(out, "go", "not a Go binary");
        return;
    }
    if (!f.go) {
        std::vector<std::string> evidence;
        for (const auto& e : f.go_evidence)
            evidence.push_back(e == "build_id"          ? "Go build ID"
                               : e == "function_table"  ? "function table"
                               : e == "runtime_symbols" ? "runtime symbols"
                                                        : e);
        line(out, "go",
             fmt::format("Go program ({}); build info {}", join(evidence, ", "),
                         f.go_build_info == "unreadable" ? "unreadable (see the error below)"
                                                         : "missing: `go version -m` finds none"));
        if (f.go_build_id) line(out, "build ID", *f.go_build_id);
        return;
    }
    const auto& go = *f.go;
    line(out, "go", go.go_version);
    if (!go.path.empty()) line(out, "path", go.path);
    if (!go.main.path.empty())
        line(out, "module",
             fmt::format("{} {}{}", go.main.path, go.main.version,
                         go.main.sum.empty() ? "" : " " + go.main.sum));
    for (const auto& d : go.deps) {
        std::string dep =
            fmt::format("{} {}{}", d.path, d.version, d.sum.empty() ? "" : " " + d.sum);
        if (d.replace)
            dep += fmt::format(" => {} {}{}", d.replace->path, d.replace->version,
                               d.replace->sum.empty() ? "" : " " + d.replace->sum);
        line(out, "dep", dep);
    }
    for (const auto& s : go.settings) line(out, "build", s.key + "=" + s.value);
    if (f.go_build_id) line(out, "build ID", *f.go_build_id);
}

void program_lines(std::string& out, const facts::BinaryFacts& f) {
    if (!f.program) return;
    const auto& p = *f.program;
    auto fact = [&](const char* label, const gobuild::Fact& seen) {
        std::string v = seen.present ? "yes" : "no";
        if (seen.present && !seen.evidence.empty()) v += " (" + seen.evidence.front() + ")";
        line(out, label, v);
    };
    line(out, "functions", std::to_string(f.function_count) + " in the Go function table");
    fact("shutdown", p.graceful_shutdown);
    fact("http", p.http_server);
    fact("tls client", p.tls_client);
    fact("tls server", p.tls_server);
    fact("pprof", p.pprof);
    fact("expvar", p.expvar);
    fact("timezones", p.timezone_loading);
    fact("tzdata", p.tzdata_embedded);
    line(out, "resolver", gobuild::resolver_kind(p));
    fact("os/user cgo", p.os_user_cgo);
    fact("prometheus", p.prometheus);
    fact("sd_notify", p.sd_notify);
    fact("race", p.race);
}

} // namespace

std::string human_size(std::uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double v = static_cast<double>(bytes);
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::string render_inspect_text(const facts::BinaryFacts& f) {
    std::string out = f.path + "\n";
    const auto& e = f.elf;
    line(out, "elf", identity_line(e.identity));
    linkage_lines(out, e);
    const auto& d = e.debug;
    std::string debug = d.stripped ? "stripped (no .symtab)" : "not stripped (.symtab present)";
    debug += d.dwarf ? ", DWARF present" : ", no DWARF";
    line(out, "debug", debug);
    if (d.gnu_build_id) line(out, "gnu build", "build-id " + *d.gnu_build_id);
    line(out, "size", fmt::format("{} ({} bytes)", human_size(d.file_size), d.file_size));
    if (d.sha256) line(out, "sha256", *d.sha256);
    const auto& h = e.hardening;
    line(out, "hardening",
         fmt::format("PIE {}, RELRO {}, NX {}, canary {}, FORTIFY {}", h.pie, h.relro, h.nx,
                     h.canary, h.fortify));
    for (const auto& n : h.notes) line(out, "", n);
    go_lines(out, f);
    program_lines(out, f);
    for (const auto& w : e.warnings) line(out, "warning", w);
    for (const auto& cut : e.truncation.cut_other)
        line(out, "warning",
             cut + " runs past the end of the file (" + std::to_string(e.truncation.file_size) +
                 " of " + std::to_string(e.truncation.expected_size) +
                 " bytes): a damaged copy, though what is loaded is whole");
    for (const auto& err : f.part_errors) line(out, "error", err);
    return out;
}

} // namespace berth::report
