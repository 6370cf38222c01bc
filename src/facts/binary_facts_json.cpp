// JSON -> BinaryFacts, the inverse of the to_json functions in facts/, elf/ and gobuild/: a
// round trip gives the same struct, so rules can be tested on facts written by hand.
#include "facts/binary_facts.hpp"
#include "util/json_text.hpp"

namespace berth {

// Helpers shared by the readers of the three namespaces below.
namespace {

using nlohmann::json;

std::optional<std::string> optional_string(const json& j, const char* key) {
    const json& v = j.at(key);
    if (v.is_null()) return std::nullopt;
    return v.get<std::string>();
}

std::vector<std::string> strings(const json& j, const char* key) {
    return j.at(key).get<std::vector<std::string>>();
}

} // namespace

} // namespace berth

namespace berth::elf {

void from_json(const json& j, ElfFacts& f) {
    const json& id = j.at("identity");
    f.identity.elf_class = id.at("class").get<std::string>();
    f.identity.endianness = id.at("endianness").get<std::string>();
    f.identity.machine = id.at("machine").get<std::string>();
    f.identity.goarch = id.at("goarch").get<std::string>();
    f.identity.machine_code = id.at("machine_code").get<std::uint16_t>();
    f.identity.osabi = id.at("osabi").get<std::string>();
    f.identity.type = id.at("type").get<std::string>();
    f.identity.pie = id.at("pie").get<bool>();
    f.identity.shared_library = id.at("shared_library").get<bool>();
    f.identity.entry = id.at("entry").get<std::uint64_t>();
    f.identity.float_abi = id.value("float_abi", ""); // written only for arm

    const json& ln = j.at("linkage");
    f.linkage.kind = ln.at("kind").get<std::string>();
    f.linkage.interpreter = optional_string(ln, "interpreter");
    f.linkage.libc = ln.at("libc").get<std::string>();
    f.linkage.needed = strings(ln, "needed");
    f.linkage.soname = optional_string(ln, "soname");
    f.linkage.rpath = optional_string(ln, "rpath");
    f.linkage.runpath = optional_string(ln, "runpath");
    f.linkage.flags = strings(ln, "flags");
    f.linkage.flags_1 = strings(ln, "flags_1");

    const json& v = j.at("versions");
    f.versions.needs.clear();
    for (const json& n : v.at("needs"))
        f.versions.needs.push_back({n.at("file").get<std::string>(), strings(n, "versions"), {}});
    f.versions.max_glibc = optional_string(v, "max_glibc");
    f.versions.max_glibcxx = optional_string(v, "max_glibcxx");

    const json& d = j.at("debug");
    f.debug.stripped = d.at("stripped").get<bool>();
    f.debug.dwarf = d.at("dwarf").get<bool>();
    f.debug.dwarf_sections = strings(d, "dwarf_sections");
    f.debug.strippable_bytes = d.at("strippable_bytes").get<std::uint64_t>();
    f.debug.gnu_build_id = optional_string(d, "gnu_build_id");
    f.debug.file_size = d.at("file_size").get<std::uint64_t>();
    f.debug.sha256 = optional_string(d, "sha256");

    const json& h = j.at("hardening");
    f.hardening.pie = h.at("pie").get<std::string>();
    f.hardening.relro = h.at("relro").get<std::string>();
    f.hardening.nx = h.at("nx").get<std::string>();
    f.hardening.canary = h.at("canary").get<std::string>();
    f.hardening.fortify = h.at("fortify").get<std::string>();
    f.hardening.notes = strings(h, "notes");

    f.warnings = strings(j, "warnings");
    const json& t = j.at("truncation");
    f.truncation.file_size = t.at("file_size").get<std::uint64_t>();
    f.truncation.expected_size = t.at("expected_size").get<std::uint64_t>();
    f.truncation.cut_loaded = strings(t, "cut_loaded");
    f.truncation.cut_other = strings(t, "cut_other");
}

} // namespace berth::elf

namespace berth::gobuild {

namespace {

ModuleRef module_ref(const json& j) {
    return {j.at("path").get<std::string>(), j.at("version").get<std::string>(),
            j.at("sum").get<std::string>()};
}

Module module(const json& j) {
    ModuleRef ref = module_ref(j);
    Module m{ref.path, ref.version, ref.sum, std::nullopt};
    if (j.contains("replace") && !j.at("replace").is_null())
        m.replace = module_ref(j.at("replace"));
    return m;
}

Fact fact(const json& j, const char* key) {
    const json& f = j.at(key);
    return {f.at("present").get<bool>(), strings(f, "evidence")};
}

} // namespace

void from_json(const json& j, BuildInfo& info) {
    info.go_version = j.at("go_version").get<std::string>();
    info.path = j.at("path").get<std::string>();
    info.main = module(j.at("main"));
    info.deps.clear();
    for (const json& d : j.at("deps")) info.deps.push_back(module(d));
    info.settings.clear();
    for (const json& s : j.at("settings"))
        info.settings.push_back({s.at("key").get<std::string>(), s.at("value").get<std::string>()});
}

void from_json(const json& j, ProgramFacts& p) {
    p.signal_handling = fact(j, "signal_handling");
    p.http_shutdown = fact(j, "http_shutdown");
    p.graceful_shutdown = fact(j, "graceful_shutdown");
    p.http_server = fact(j, "http_server");
    p.tls_client = fact(j, "tls_client");
    p.tls_server = fact(j, "tls_server");
    p.pprof = fact(j, "pprof");
    p.expvar = fact(j, "expvar");
    p.timezone_loading = fact(j, "timezone_loading");
    p.tzdata_embedded = fact(j, "tzdata_embedded");
    p.cgo_resolver = fact(j, "cgo_resolver");
    p.go_resolver = fact(j, "go_resolver");
    p.os_user_cgo = fact(j, "os_user_cgo");
    p.prometheus = fact(j, "prometheus");
    p.sd_notify = fact(j, "sd_notify");
    p.race = fact(j, "race");
    // "resolver" is derived from cgo_resolver and go_resolver: nothing to read.
}

} // namespace berth::gobuild

namespace berth::facts {

void from_json(const json& j, BinaryFacts& f) {
    f.path = get_path(j, "path");
    f.elf = j.get<elf::ElfFacts>(); // the ELF fields sit at the top level
    const json& go = j.at("go");
    if (go.is_null())
        f.go.reset();
    else
        f.go = go.get<gobuild::BuildInfo>();
    f.go_build_id = optional_string(j, "go_build_id");
    const json& program = j.at("program");
    if (program.is_null()) {
        f.program.reset();
        f.function_count = 0;
    } else {
        f.program = program.get<gobuild::ProgramFacts>();
        f.function_count = program.value("function_count", std::size_t{0});
    }
    f.part_errors = strings(j, "errors");
    // Facts written before berth had one notion of "is Go" lack these two: derive them from the
    // parts that were there.
    if (j.contains("go_evidence")) {
        f.go_evidence = strings(j, "go_evidence");
    } else {
        f.go_evidence.clear();
        if (f.go) f.go_evidence.push_back("build_info");
        if (f.go_build_id) f.go_evidence.push_back("build_id");
        if (f.program) f.go_evidence.push_back("function_table");
    }
    if (j.contains("go_build_info"))
        f.go_build_info = optional_string(j, "go_build_info").value_or("");
    else
        f.go_build_info = !f.is_go() ? "" : f.go ? "present" : "missing";
}

} // namespace berth::facts
