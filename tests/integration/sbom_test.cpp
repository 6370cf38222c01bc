// `berth inspect --sbom cyclonedx|spdx` against the references: on every Go fixture, on esbuild
// (Go 1.23) and on the Go programs Debian's golang-go package installs, the components are
// exactly the `dep` and `=>` lines `go version -m` prints (the replacement as the component, the
// original recorded), with the h1 digest as `base64 -d` decodes it; the CycloneDX document is
// valid against the CycloneDX 1.5 JSON schema (Ajv, tests/fixtures/validate-sbom.js); the SPDX
// document says the same as the CycloneDX one and keeps SPDX 2.3's rules on ids and references;
// needed libraries are those `readelf -d` lists, found where `ldd` finds them.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using berth::test::berth_exe;
using berth::test::fixture;
using berth::test::run;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

json sbom(const std::string& format, const std::string& path) {
    auto r = run({berth_exe(), "inspect", "--sbom", format, path});
    EXPECT_EQ(r.status, 0) << path << ": " << r.err;
    EXPECT_EQ(r.err, "");
    return json::parse(r.out);
}

// "valid", or Ajv's errors.
std::string validate_cyclonedx(const std::string& text) {
    auto r = run({"node", berth::test::source_dir() + "/tests/fixtures/validate-sbom.js",
                  fixture("npm"), "cyclonedx"},
                 text);
    return r.status == 0 ? "valid" : r.out + r.err;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(s);
    while (std::getline(in, item, sep)) out.push_back(item);
    return out;
}

// The hex of base64 text, as coreutils decodes it.
std::string base64_hex(const std::string& b64) {
    auto r = berth::test::sh("printf %s '" + b64 + "' | base64 -d | od -An -v -tx1 | tr -d ' \\n'");
    EXPECT_EQ(r.status, 0);
    return r.out;
}

// What a Go module component must say: name, version, h1 sum, the module it replaces.
struct Module {
    std::string name, version, sum, replaces;
    auto key() const { return std::tie(name, version, sum, replaces); }
    bool operator<(const Module& o) const { return key() < o.key(); }
    bool operator==(const Module& o) const { return key() == o.key(); }
};

std::ostream& operator<<(std::ostream& os, const Module& m) {
    return os << m.name << " " << m.version << " " << m.sum << " replaces=" << m.replaces;
}

// `go version -m PATH`, parsed: its modules, the go version, the mod line, the build lines.
struct GoM {
    std::string go_version;
    std::string main_path, main_version;
    std::vector<Module> modules;
    std::vector<std::pair<std::string, std::string>> build;
};

GoM go_version_m(const std::string& path) {
    auto r = run({"go", "version", "-m", path});
    EXPECT_EQ(r.status, 0) << path << ": " << r.err;
    GoM m;
    auto lines = split(r.out, '\n');
    if (!lines.empty()) m.go_version = lines[0].substr(lines[0].rfind(": ") + 2);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto f = split(lines[i], '\t'); // "", "dep", PATH, VERSION, SUM
        if (f.size() < 3) continue;
        if (f[1] == "mod") {
            m.main_path = f[2];
            m.main_version = f.size() > 3 ? f[3] : "";
        } else if (f[1] == "dep") {
            m.modules.push_back({f[2], f.size() > 3 ? f[3] : "", f.size() > 4 ? f[4] : "", ""});
        } else if (f[1] == "=>") {
            Module& d = m.modules.back();
            d.replaces = d.name + (d.version.empty() ? "" : " " + d.version);
            d = {f[2], f.size() > 3 ? f[3] : "", f.size() > 4 ? f[4] : "", d.replaces};
        } else if (f[1] == "build") {
            auto eq = f[2].find('=', 1); // "-ldflags=..." keys start with '-'
            m.build.emplace_back(f[2].substr(0, eq), f[2].substr(eq + 1));
        }
    }
    std::sort(m.modules.begin(), m.modules.end());
    return m;
}

std::map<std::string, std::string> cdx_properties(const json& c) {
    std::map<std::string, std::string> out;
    for (const auto& p : c.value("properties", json::array())) out[p["name"]] = p["value"];
    return out;
}

std::map<std::string, std::string> spdx_annotations(const json& p) {
    std::map<std::string, std::string> out;
    for (const auto& a : p.value("annotations", json::array())) {
        std::string c = a["comment"];
        out[c.substr(0, c.find('='))] = c.substr(c.find('=') + 1);
    }
    return out;
}

std::string cdx_sha256(const json& c) {
    for (const auto& h : c.value("hashes", json::array()))
        if (h["alg"] == "SHA-256") return h["content"];
    return "";
}

std::string spdx_purl(const json& p) {
    for (const auto& r : p.value("externalRefs", json::array()))
        if (r["referenceType"] == "purl") return r["referenceLocator"];
    return "";
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// The Go modules a CycloneDX document lists (not the toolchain, not C libraries), checked one by
// one: the purl names the module and version, the SHA-256 is the h1 digest.
std::vector<Module> cdx_modules(const json& doc) {
    std::vector<Module> out;
    for (const auto& c : doc["components"]) {
        std::string ref = c["bom-ref"];
        if (!ref.starts_with("go:") || ref == "go:stdlib") continue;
        auto props = cdx_properties(c);
        Module m{c["name"], c.value("version", ""), props["berth:go:h1"],
                 props["berth:go:replaces"]};
        std::string name = m.name;
        if (!name.starts_with(".") && !name.starts_with("/")) {
            std::string v = m.version == "(devel)" ? "" : m.version;
            EXPECT_EQ(percent_decode(c.value("purl", "")),
                      "pkg:golang/" + name + (v.empty() ? "" : "@" + v));
        } else {
            EXPECT_FALSE(c.contains("purl")) << name; // a directory has none
        }
        if (m.sum.starts_with("h1:")) {
            EXPECT_EQ(cdx_sha256(c), base64_hex(m.sum.substr(3))) << name;
        }
        if (!m.replaces.empty()) {
            EXPECT_EQ(c["pedigree"]["ancestors"][0]["name"].get<std::string>() + " " +
                          c["pedigree"]["ancestors"][0]["version"].get<std::string>(),
                      m.replaces);
        }
        out.push_back(m);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The SPDX document against the CycloneDX one: the same components with the same facts, SPDX
// ids as the specification allows them, every relationship between packages that exist.
void expect_spdx_matches(const json& spdx, const json& cdx, const std::string& path) {
    SCOPED_TRACE("spdx: " + path);
    EXPECT_EQ(spdx["spdxVersion"], "SPDX-2.3");
    EXPECT_EQ(spdx["dataLicense"], "CC0-1.0");
    EXPECT_EQ(spdx["SPDXID"], "SPDXRef-DOCUMENT");
    EXPECT_TRUE(spdx["documentNamespace"].get<std::string>().starts_with("urn:uuid:"));
    EXPECT_EQ(spdx["creationInfo"]["created"], cdx["metadata"]["timestamp"]);
    const std::regex id_re("^SPDXRef-[a-zA-Z0-9.-]+$");
    const std::regex hex64("^[0-9a-f]{64}$");
    std::set<std::string> ids;
    for (const auto& p : spdx["packages"]) {
        std::string id = p["SPDXID"];
        EXPECT_TRUE(std::regex_match(id, id_re)) << id;
        EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
        EXPECT_EQ(p["downloadLocation"], "NOASSERTION");
        EXPECT_EQ(p["filesAnalyzed"], false);
        for (const auto& c : p.value("checksums", json::array())) {
            EXPECT_EQ(c["algorithm"], "SHA256");
            EXPECT_TRUE(std::regex_match(c["checksumValue"].get<std::string>(), hex64));
        }
    }
    // Component i of CycloneDX (the root first) is package i of SPDX.
    std::vector<json> cdx_all = {cdx["metadata"]["component"]};
    for (const auto& c : cdx["components"]) cdx_all.push_back(c);
    ASSERT_EQ(spdx["packages"].size(), cdx_all.size());
    for (std::size_t i = 0; i < cdx_all.size(); ++i) {
        const json& c = cdx_all[i];
        const json& p = spdx["packages"][i];
        SCOPED_TRACE(c["name"].get<std::string>());
        EXPECT_EQ(p["name"], c["name"]);
        EXPECT_EQ(p.value("versionInfo", ""), c.value("version", ""));
        EXPECT_EQ(spdx_purl(p), c.value("purl", ""));
        std::string sum = p.contains("checksums") ? p["checksums"][0]["checksumValue"] : "";
        EXPECT_EQ(sum, cdx_sha256(c));
        EXPECT_EQ(spdx_annotations(p), cdx_properties(c));
    }
    std::string root = spdx["packages"][0]["SPDXID"];
    std::size_t links = 0;
    for (const auto& r : spdx["relationships"]) {
        std::string a = r["spdxElementId"], b = r["relatedSpdxElement"];
        EXPECT_TRUE(a == "SPDXRef-DOCUMENT" || ids.count(a)) << a;
        EXPECT_TRUE(ids.count(b)) << b;
        if (a == root) ++links;
    }
    EXPECT_EQ(links, ids.size() - 1); // the root links every other package
}

// One Go program: both documents against `go version -m`.
void expect_matches_go(const std::string& path, bool validate) {
    SCOPED_TRACE(path);
    GoM go = go_version_m(path);
    auto r = run({berth_exe(), "inspect", "--sbom", "cyclonedx", path});
    ASSERT_EQ(r.status, 0) << r.err;
    if (validate) {
        EXPECT_EQ(validate_cyclonedx(r.out), "valid");
    }
    json cdx = json::parse(r.out);
    EXPECT_EQ(cdx_modules(cdx), go.modules);

    const json& root = cdx["metadata"]["component"];
    auto props = cdx_properties(root);
    if (!go.main_path.empty()) {
        EXPECT_EQ(root["name"], go.main_path);
        EXPECT_EQ(root.value("version", ""), go.main_version);
    }
    EXPECT_EQ(props["berth:go:version"], go.go_version);
    for (const auto& [key, value] : go.build) {
        ASSERT_TRUE(props.count("berth:go:build:" + key)) << key;
        // Go quotes values with spaces or quotes; berth stores them unquoted.
        if (!value.starts_with("\"") && !value.starts_with("`")) {
            EXPECT_EQ(props["berth:go:build:" + key], value) << key;
        }
    }
    std::size_t stdlib = 0;
    for (const auto& c : cdx["components"]) {
        if (c["bom-ref"] != "go:stdlib") continue;
        ++stdlib;
        EXPECT_EQ(c["version"], go.go_version);
        EXPECT_EQ(c["purl"], "pkg:golang/stdlib@" + go.go_version.substr(2));
    }
    EXPECT_EQ(stdlib, 1u);
    expect_spdx_matches(sbom("spdx", path), cdx, path);
}

std::vector<std::string> files_in(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (!e.is_regular_file() || name.ends_with(".txt") || name.ends_with(".tmp")) continue;
        out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// DT_NEEDED names as readelf prints them: " 0x... (NEEDED)  Shared library: [libc.so.6]".
std::vector<std::string> readelf_needed(const std::string& path) {
    auto r = run({"readelf", "-d", "-W", path});
    std::vector<std::string> out;
    for (const auto& line : split(r.out, '\n'))
        if (line.find("(NEEDED)") != std::string::npos)
            out.push_back(line.substr(line.find('[') + 1, line.rfind(']') - line.find('[') - 1));
    return out;
}

std::vector<json> libraries(const json& cdx) {
    std::vector<json> out;
    for (const auto& c : cdx["components"])
        if (c["bom-ref"].get<std::string>().starts_with("elf:")) out.push_back(c);
    return out;
}

} // namespace

TEST(Sbom, EveryGoFixtureListsWhatGoVersionMLists) {
    std::size_t n = 0, with_deps = 0, replaced = 0;
    for (const auto& dir : {"go", "go-features"}) {
        for (const auto& path : files_in(fixture(dir))) {
            if (path.ends_with("/test-binary")) continue; // module info without modules: below
            expect_matches_go(path, std::string(dir) == "go");
            auto go = go_version_m(path);
            with_deps += !go.modules.empty();
            for (const auto& m : go.modules) replaced += !m.replaces.empty();
            ++n;
        }
    }
    // A missing or half-built fixture directory must fail, not pass with nothing compared.
    EXPECT_GE(n, 70u);
    EXPECT_GE(with_deps, 2u);
    EXPECT_GE(replaced, 3u);
}

TEST(Sbom, DebianGoProgramsAndEsbuildListWhatGoVersionMLists) {
    // Go's own commands as Debian's golang-1.19-go installs them (GOPATH-style: no modules),
    // and esbuild's npm build (Go 1.23, one dependency, vcs settings).
    auto goroot = run({"go", "env", "GOROOT"});
    ASSERT_EQ(goroot.status, 0);
    std::string root = split(goroot.out, '\n')[0];
    std::vector<std::string> paths = {root + "/bin/go", root + "/bin/gofmt",
                                      fixture("npm/esbuild-0.24.0")};
    for (const auto& p : files_in(root + "/pkg/tool/linux_amd64")) paths.push_back(p);
    EXPECT_GE(paths.size(), 15u);
    for (const auto& p : paths) expect_matches_go(p, true);
    json cdx = sbom("cyclonedx", root + "/bin/go");
    EXPECT_EQ(cdx["metadata"]["component"]["name"], "cmd/go"); // no main module: the package
    EXPECT_FALSE(cdx["metadata"]["component"].contains("purl"));
}

TEST(Sbom, TestBinaryWithoutModulesHasTheToolchainOnly) {
    json cdx = sbom("cyclonedx", fixture("go/test-binary"));
    ASSERT_EQ(cdx["components"].size(), 1u);
    EXPECT_EQ(cdx["components"][0]["name"], "stdlib");
}

TEST(Sbom, CgoBinaryListsItsNeededLibrariesWhereLddFindsThem) {
    std::string path = fixture("go/cgo-glibc");
    auto r = run({berth_exe(), "inspect", "--sbom", "cyclonedx", path});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(validate_cyclonedx(r.out), "valid");
    auto libs = libraries(json::parse(r.out));
    auto needed = readelf_needed(path);
    ASSERT_FALSE(needed.empty());
    ASSERT_EQ(libs.size(), needed.size());
    auto ldd = run({"ldd", path});
    for (std::size_t i = 0; i < needed.size(); ++i) {
        SCOPED_TRACE(needed[i]);
        EXPECT_EQ(libs[i]["name"], needed[i]);
        EXPECT_EQ(libs[i]["type"], "library");
        auto props = cdx_properties(libs[i]);
        std::string lib_path = props["berth:elf:path"];
        // ldd: "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)"
        EXPECT_NE(ldd.out.find("\t" + needed[i] + " => " + lib_path + " ("), std::string::npos)
            << ldd.out;
        auto sum = run({"sha256sum", lib_path});
        EXPECT_EQ(cdx_sha256(libs[i]), sum.out.substr(0, 64));
        EXPECT_NE(props["berth:elf:symbol_versions"].find("GLIBC_"), std::string::npos);
    }
    expect_spdx_matches(sbom("spdx", path), json::parse(r.out), path);
    // The SPDX relationship of a needed library is DYNAMIC_LINK, of a Go module STATIC_LINK.
    json spdx = sbom("spdx", path);
    std::set<std::string> kinds;
    for (const auto& rel : spdx["relationships"]) kinds.insert(rel["relationshipType"]);
    EXPECT_TRUE(kinds.count("DYNAMIC_LINK"));
    EXPECT_TRUE(kinds.count("STATIC_LINK"));

    // A foreign-architecture cgo binary: its libraries are not on this machine, and say so.
    json arm = sbom("cyclonedx", fixture("go/arm64-cgo"));
    auto arm_libs = libraries(arm);
    EXPECT_EQ(arm_libs.size(), readelf_needed(fixture("go/arm64-cgo")).size());
    for (const auto& l : arm_libs) {
        EXPECT_EQ(cdx_properties(l)["berth:elf:found_via"], "not_found");
        EXPECT_FALSE(l.contains("hashes"));
    }
}

TEST(Sbom, NonGoBinaryHasTheFileAndItsLibrariesOnly) {
    for (const char* path : {"/usr/bin/ls", "/usr/bin/ssh"}) {
        SCOPED_TRACE(path);
        auto r = run({berth_exe(), "inspect", "--sbom", "cyclonedx", path});
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(validate_cyclonedx(r.out), "valid");
        json cdx = json::parse(r.out);
        EXPECT_EQ(cdx["metadata"]["component"]["name"], fs::path(path).filename().string());
        EXPECT_FALSE(cdx["metadata"]["component"].contains("purl"));
        auto libs = libraries(cdx);
        EXPECT_EQ(libs.size(), cdx["components"].size()); // nothing but libraries
        std::vector<std::string> names;
        for (const auto& l : libs) names.push_back(l["name"]);
        EXPECT_EQ(names, readelf_needed(path));
        expect_spdx_matches(sbom("spdx", path), cdx, path);
    }
    // A Go program whose build info is gone: the file, and the fact that it is missing.
    json cdx = sbom("cyclonedx", fixture("npm/esbuild-0.28.2"));
    EXPECT_EQ(cdx_properties(cdx["metadata"]["component"])["berth:go:build_info"], "missing");
    EXPECT_TRUE(cdx["components"].empty());
}

TEST(Sbom, DeterministicIdentityFromTheFileAndTimeFromSourceDateEpochOrMtime) {
    std::string path = fixture("go/modules");
    auto a = run({berth_exe(), "inspect", "--sbom", "cyclonedx", path});
    auto b = run({berth_exe(), "inspect", "--sbom", "cyclonedx", path});
    EXPECT_EQ(a.out, b.out);
    json cdx = json::parse(a.out);
    std::string sha = run({"sha256sum", path}).out.substr(0, 64);
    auto uuid = [](const std::string& name) {
        auto r = run({"python3", "-c",
                      "import sys,uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[1]))", name});
        EXPECT_EQ(r.status, 0) << r.err;
        return split(r.out, '\n')[0];
    };
    EXPECT_EQ(cdx["serialNumber"], "urn:uuid:" + uuid("berth:cyclonedx:sha256:" + sha));
    EXPECT_EQ(cdx["metadata"]["component"]["hashes"][0]["content"], sha);
    json spdx = sbom("spdx", path);
    EXPECT_EQ(spdx["documentNamespace"], "urn:uuid:" + uuid("berth:spdx:sha256:" + sha));

    // Without SOURCE_DATE_EPOCH: the file's modification time, as date(1) prints it.
    auto mtime = berth::test::sh("date -u -d @$(stat -c %Y '" + path + "') +%Y-%m-%dT%H:%M:%SZ");
    auto plain = run(
        {"env", "-u", "SOURCE_DATE_EPOCH", berth_exe(), "inspect", "--sbom", "cyclonedx", path});
    EXPECT_EQ(json::parse(plain.out)["metadata"]["timestamp"], split(mtime.out, '\n')[0]);
    auto fixed = run(
        {"env", "SOURCE_DATE_EPOCH=1700000000", berth_exe(), "inspect", "--sbom", "spdx", path});
    EXPECT_EQ(json::parse(fixed.out)["creationInfo"]["created"], "2023-11-14T22:13:20Z");
    auto bad =
        run({"env", "SOURCE_DATE_EPOCH=soon", berth_exe(), "inspect", "--sbom", "spdx", path});
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("SOURCE_DATE_EPOCH"), std::string::npos);
}

TEST(Sbom, UsageErrors) {
    std::string go = fixture("go/modules");
    berth::test::TempDir tmp;
    berth::test::write_file(tmp.path + "/text", "not an ELF file\n");
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    std::vector<Case> cases = {
        {{"--sbom", "cyclonedx", go, go}, "exactly one FILE"},
        {{"--sbom", "cdx", go}, "cdx"},
        {{"--sbom", "spdx", "--json", go}, "excludes"},
        {{"--sbom", "spdx", "--go-version-m", go}, "excludes"},
        {{"--sbom", "spdx", tmp.path + "/text"}, tmp.path + "/text"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv = {berth_exe(), "inspect"};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        auto r = run(argv);
        SCOPED_TRACE(c.says);
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.out, "");
        EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    }
}
