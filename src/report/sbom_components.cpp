// The component list both SBOM formats render, package URLs and the document's UUID.
#include "report/sbom.hpp"

#include "util/sha256.hpp"
#include "util/strings.hpp"

#include <array>
#include <set>

namespace berth::report {

std::string purl_encode(std::string_view s) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
        if (plain) {
            out += ch;
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 0xf];
        }
    }
    return out;
}

namespace {

// Each '/'-separated segment encoded, empty segments dropped (the specification's rule for
// namespaces and subpaths).
std::string encode_segments(std::string_view path) {
    std::string out;
    for (const auto& seg : split_nonempty(path, '/')) {
        if (!out.empty()) out += '/';
        out += purl_encode(seg);
    }
    return out;
}

// A module path that names a module (example.com/x), not a directory of a replace directive
// (./x, ../x, /x), which has no package URL.
bool is_directory(std::string_view path) {
    return path.starts_with("./") || path.starts_with("../") || path.starts_with("/") ||
           path == "." || path == "..";
}

// "go1.19.8" -> "1.19.8"; "" for toolchains without a release number ("devel go1.22-abc").
std::string go_release(std::string_view go_version) {
    auto words = split_words(go_version);
    if (words.empty() || !words[0].starts_with("go1")) return "";
    return words[0].substr(2);
}

} // namespace

std::string golang_purl(std::string_view module, std::string_view version,
                        std::string_view subpath) {
    std::string out = "pkg:golang/" + encode_segments(module);
    if (!version.empty()) out += "@" + purl_encode(version);
    if (!subpath.empty()) out += "#" + encode_segments(subpath);
    return out;
}

std::string name_uuid(std::string_view name) {
    // The URL namespace of RFC 4122 appendix C.
    static const std::array<unsigned char, 16> ns = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad,
                                                     0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0,
                                                     0x4f, 0xd4, 0x30, 0xc8};
    std::string data(reinterpret_cast<const char*>(ns.data()), ns.size());
    data += name;
    std::string h = sha1_raw(std::as_bytes(std::span(data.data(), data.size())));
    h.resize(16);
    h[6] = static_cast<char>((h[6] & 0x0f) | 0x50); // version 5
    h[8] = static_cast<char>((h[8] & 0x3f) | 0x80); // RFC 4122 variant
    std::string hex = hex_bytes(std::as_bytes(std::span(h.data(), h.size())));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string h1_hex(std::string_view sum) {
    if (!sum.starts_with("h1:")) return "";
    auto raw = base64_decode(sum.substr(3));
    if (!raw || raw->size() != 32) return "";
    return hex_bytes(std::as_bytes(std::span(raw->data(), raw->size())));
}

std::vector<SbomComponent> sbom_components(const SbomInput& in) {
    const facts::BinaryFacts& f = *in.facts;
    std::vector<SbomComponent> out;
    std::set<std::string> refs;
    auto add = [&](SbomComponent c) {
        std::string ref = c.ref;
        for (int n = 2; !refs.insert(c.ref).second; ++n) c.ref = ref + "-" + std::to_string(n);
        out.push_back(std::move(c));
    };

    // The root: the main module when the build info names one, else the package path (a
    // GOPATH build, Go's own commands), else the file.
    SbomComponent root;
    root.kind = SbomKind::root;
    root.ref = "root";
    root.sha256 = in.sha256;
    root.name = in.file_name;
    root.properties.emplace_back("berth:file:name", in.file_name);
    if (f.go) {
        const gobuild::BuildInfo& bi = *f.go;
        if (!bi.main.path.empty()) {
            root.name = bi.main.path;
            root.version = bi.main.version;
            std::string subpath;
            if (bi.path.starts_with(bi.main.path + "/"))
                subpath = bi.path.substr(bi.main.path.size() + 1);
            // "(devel)" is no version a registry knows: the purl goes without one.
            std::string v = bi.main.version == "(devel)" ? "" : bi.main.version;
            root.purl = golang_purl(bi.main.path, v, subpath);
            if (!bi.main.sum.empty()) root.properties.emplace_back("berth:go:h1", bi.main.sum);
        } else if (!bi.path.empty()) {
            root.name = bi.path;
        }
        root.properties.emplace_back("berth:go:version", bi.go_version);
        if (!bi.path.empty()) root.properties.emplace_back("berth:go:package", bi.path);
        for (const auto& s : bi.settings)
            root.properties.emplace_back("berth:go:build:" + s.key, s.value);
    } else if (f.is_go()) {
        root.properties.emplace_back("berth:go:build_info", f.go_build_info);
    }
    const elf::ElfFacts& e = f.elf;
    root.properties.emplace_back("berth:elf:machine", e.identity.machine);
    root.properties.emplace_back("berth:elf:linkage", e.linkage.kind);
    if (e.linkage.interpreter)
        root.properties.emplace_back("berth:elf:interpreter", *e.linkage.interpreter);
    add(std::move(root));

    if (f.go) {
        for (const auto& dep : f.go->deps) {
            SbomComponent c;
            c.kind = SbomKind::go_module;
            const auto& used = dep.replace ? dep.replace->path : dep.path;
            const auto& version = dep.replace ? dep.replace->version : dep.version;
            const auto& sum = dep.replace ? dep.replace->sum : dep.sum;
            c.name = used;
            c.version = version;
            c.ref = "go:" + used + (version.empty() ? "" : "@" + version);
            if (!is_directory(used))
                c.purl = golang_purl(used, version == "(devel)" ? "" : version);
            c.sha256 = h1_hex(sum);
            if (!sum.empty()) c.properties.emplace_back("berth:go:h1", sum);
            if (dep.replace) {
                c.replaces =
                    SbomOriginal{dep.path, dep.version, golang_purl(dep.path, dep.version)};
                c.properties.emplace_back(
                    "berth:go:replaces", dep.path + (dep.version.empty() ? "" : " " + dep.version));
            }
            add(std::move(c));
        }
        // The standard library and runtime, compiled in: named as syft and the Go vulnerability
        // database name it.
        SbomComponent std_lib;
        std_lib.kind = SbomKind::go_stdlib;
        std_lib.ref = "go:stdlib";
        std_lib.name = "stdlib";
        std_lib.version = f.go->go_version;
        std::string release = go_release(f.go->go_version);
        std_lib.purl = golang_purl("stdlib", release);
        if (!release.empty()) std_lib.cpe = "cpe:2.3:a:golang:go:" + release + ":-:*:*:*:*:*:*";
        add(std::move(std_lib));
    }

    for (const auto& lib : in.libraries) {
        SbomComponent c;
        c.kind = SbomKind::library;
        c.ref = "elf:" + lib.name;
        c.name = lib.name;
        c.sha256 = lib.sha256;
        if (!lib.path.empty()) c.properties.emplace_back("berth:elf:path", lib.path);
        c.properties.emplace_back("berth:elf:found_via", lib.via);
        if (!lib.versions.empty())
            c.properties.emplace_back("berth:elf:symbol_versions", join(lib.versions));
        add(std::move(c));
    }
    return out;
}

} // namespace berth::report
