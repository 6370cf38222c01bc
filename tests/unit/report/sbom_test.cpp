// The SBOM's shared parts: package URLs as the purl specification spells them, the name-based
// UUID (checked against Python's uuid.uuid5), the h1 digest, and the component list both formats
// render (the replacement is the component, the original is recorded).
#include "report/sbom.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace berth;
using namespace berth::report;

TEST(SbomPurl, GolangPurlsEncodeEachSegment) {
    EXPECT_EQ(golang_purl("github.com/pkg/errors", "v0.9.1"),
              "pkg:golang/github.com/pkg/errors@v0.9.1");
    // '+' and '(' are not unreserved: encoded; case kept as Go spells the module.
    EXPECT_EQ(golang_purl("github.com/BurntSushi/toml", "v2.0.0+incompatible"),
              "pkg:golang/github.com/BurntSushi/toml@v2.0.0%2Bincompatible");
    EXPECT_EQ(golang_purl("example.com/a b", "(devel)"),
              "pkg:golang/example.com/a%20b@%28devel%29");
    EXPECT_EQ(golang_purl("example.com/app", "", "cmd/app"), "pkg:golang/example.com/app#cmd/app");
    EXPECT_EQ(golang_purl("stdlib", "1.19.8"), "pkg:golang/stdlib@1.19.8");
    EXPECT_EQ(purl_encode("a/b@c?d#e%f"), "a%2Fb%40c%3Fd%23e%25f");
    EXPECT_EQ(purl_encode("A-z_0.9~:"), "A-z_0.9~:");
    EXPECT_EQ(purl_encode("\xc3\xa9"), "%C3%A9");
}

TEST(SbomPurl, NameUuidIsVersion5) {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'berth:cyclonedx:sha256:abc'))"
    EXPECT_EQ(name_uuid("berth:cyclonedx:sha256:abc"), "9b21cd0e-b8af-5b66-bc8c-53e62e224370");
    EXPECT_NE(name_uuid("a"), name_uuid("b"));
}

TEST(SbomPurl, H1DigestIsSha256) {
    // python3 -c "import base64; print(base64.b64decode('mxML...GOA=').hex())"
    EXPECT_EQ(h1_hex("h1:mxMLS0wbHdAhjMnAQ2wi4rjKXOMJPjWO72Se/AUOGOA="),
              "9b130b4b4c1b1dd0218cc9c0436c22e2b8ca5ce3093e358eef649efc050e18e0");
    EXPECT_EQ(h1_hex("h2:mxMLS0wbHdAhjMnAQ2wi4rjKXOMJPjWO72Se/AUOGOA="), "");
    EXPECT_EQ(h1_hex("h1:notbase64!"), "");
    EXPECT_EQ(h1_hex("h1:AAAA"), ""); // not 32 bytes
}

namespace {

facts::BinaryFacts go_facts() {
    facts::BinaryFacts f;
    f.go_evidence = {"build_info"};
    f.go_build_info = "present";
    gobuild::BuildInfo bi;
    bi.go_version = "go1.19.8";
    bi.path = "example.com/app/cmd/app";
    bi.main = {"example.com/app", "(devel)", "", {}};
    bi.deps.push_back({"example.com/lib", "v1.0.0", "",
                       gobuild::ModuleRef{"example.com/fork", "v1.1.0",
                                          "h1:mxMLS0wbHdAhjMnAQ2wi4rjKXOMJPjWO72Se/AUOGOA="}});
    bi.deps.push_back(
        {"example.com/local", "v0.0.0", "", gobuild::ModuleRef{"../local", "(devel)", ""}});
    bi.deps.push_back({"example.com/plain", "v1.0.0", "h1:AAAA", {}});
    bi.settings = {{"GOOS", "linux"}, {"-ldflags", "-s -w"}};
    f.go = bi;
    f.elf.identity.machine = "x86_64";
    f.elf.linkage.kind = "dynamic";
    f.elf.linkage.interpreter = "/lib64/ld-linux-x86-64.so.2";
    return f;
}

std::string property(const SbomComponent& c, const std::string& name) {
    for (const auto& [n, v] : c.properties)
        if (n == name) return v;
    return "<none>";
}

} // namespace

TEST(SbomComponents, GoModulesReplacementsToolchainAndLibraries) {
    auto f = go_facts();
    SbomInput in;
    in.facts = &f;
    in.file_name = "app";
    in.sha256 = std::string(64, 'a');
    in.timestamp = "2024-01-02T03:04:05Z";
    in.libraries.push_back({"libc.so.6",
                            "/lib/x86_64-linux-gnu/libc.so.6",
                            "ld.so.cache",
                            std::string(64, 'b'),
                            {"GLIBC_2.2.5", "GLIBC_2.34"}});
    in.libraries.push_back({"libgone.so", "", "not_found", "", {}});
    auto c = sbom_components(in);
    ASSERT_EQ(c.size(), 7u);

    EXPECT_EQ(c[0].kind, SbomKind::root);
    EXPECT_EQ(c[0].name, "example.com/app");
    EXPECT_EQ(c[0].version, "(devel)");
    EXPECT_EQ(c[0].purl, "pkg:golang/example.com/app#cmd/app");
    EXPECT_EQ(c[0].sha256, in.sha256);
    EXPECT_EQ(property(c[0], "berth:go:build:-ldflags"), "-s -w");
    EXPECT_EQ(property(c[0], "berth:go:package"), "example.com/app/cmd/app");

    // The replacement is the component; the original is its ancestor.
    EXPECT_EQ(c[1].name, "example.com/fork");
    EXPECT_EQ(c[1].version, "v1.1.0");
    EXPECT_EQ(c[1].purl, "pkg:golang/example.com/fork@v1.1.0");
    EXPECT_EQ(c[1].sha256, "9b130b4b4c1b1dd0218cc9c0436c22e2b8ca5ce3093e358eef649efc050e18e0");
    ASSERT_TRUE(c[1].replaces);
    EXPECT_EQ(c[1].replaces->purl, "pkg:golang/example.com/lib@v1.0.0");
    EXPECT_EQ(property(c[1], "berth:go:replaces"), "example.com/lib v1.0.0");

    // A directory has no package URL and no hash.
    EXPECT_EQ(c[2].name, "../local");
    EXPECT_EQ(c[2].purl, "");
    EXPECT_EQ(c[2].sha256, "");
    EXPECT_EQ(property(c[2], "berth:go:replaces"), "example.com/local v0.0.0");

    // A sum that is no SHA-256 stays a property only.
    EXPECT_EQ(c[3].sha256, "");
    EXPECT_EQ(property(c[3], "berth:go:h1"), "h1:AAAA");

    EXPECT_EQ(c[4].kind, SbomKind::go_stdlib);
    EXPECT_EQ(c[4].version, "go1.19.8");
    EXPECT_EQ(c[4].purl, "pkg:golang/stdlib@1.19.8");
    EXPECT_EQ(c[4].cpe, "cpe:2.3:a:golang:go:1.19.8:-:*:*:*:*:*:*");

    EXPECT_EQ(c[5].name, "libc.so.6");
    EXPECT_EQ(property(c[5], "berth:elf:path"), "/lib/x86_64-linux-gnu/libc.so.6");
    EXPECT_EQ(property(c[5], "berth:elf:symbol_versions"), "GLIBC_2.2.5 GLIBC_2.34");
    EXPECT_EQ(property(c[6], "berth:elf:path"), "<none>");
    EXPECT_EQ(property(c[6], "berth:elf:found_via"), "not_found");

    // Both renderings: the same input gives the same bytes; the identity follows the hash.
    EXPECT_EQ(render_cyclonedx(in), render_cyclonedx(in));
    auto cdx = nlohmann::json::parse(render_cyclonedx(in));
    EXPECT_EQ(cdx["serialNumber"], "urn:uuid:" + name_uuid("berth:cyclonedx:sha256:" + in.sha256));
    EXPECT_EQ(cdx["components"].size(), 6u);
    EXPECT_EQ(cdx["components"][0]["pedigree"]["ancestors"][0]["name"], "example.com/lib");
    auto spdx = nlohmann::json::parse(render_spdx(in));
    EXPECT_EQ(spdx["packages"].size(), 7u);
    EXPECT_EQ(spdx["relationships"].size(), 7u);
    EXPECT_EQ(spdx["creationInfo"]["created"], "2024-01-02T03:04:05Z");
}

TEST(SbomComponents, NonGoFileIsTheRootAndItsLibraries) {
    facts::BinaryFacts f;
    f.elf.identity.machine = "x86_64";
    f.elf.linkage.kind = "dynamic";
    SbomInput in;
    in.facts = &f;
    in.file_name = "ls";
    in.sha256 = std::string(64, 'c');
    in.libraries.push_back({"libc.so.6", "/x/libc.so.6", "ld.so.cache", "", {}});
    auto c = sbom_components(in);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].name, "ls");
    EXPECT_EQ(c[0].purl, "");
    EXPECT_EQ(property(c[0], "berth:go:version"), "<none>");
    EXPECT_EQ(c[1].kind, SbomKind::library);
}
