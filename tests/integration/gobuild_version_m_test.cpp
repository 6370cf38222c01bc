// The build info reader against the reference: for every Go fixture (tests/fixtures/build-go.sh)
// and for synthetic files in the encodings Go 1.19 no longer writes, berth's rendering must equal
// `go version -m FILE` byte for byte; the facts each fixture was built with must be decoded.
#include "gobuild/buildinfo.hpp"
#include "gobuild/version_m.hpp"
#include "test_support.hpp"
#include "unit/gobuild/synthetic_elf.hpp"

#include "elf/elf_image.hpp"
#include "util/mapped_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace berth::gobuild {
namespace {

namespace fs = std::filesystem;
namespace synth = berth::test::synth;
using berth::test::run;

struct Decoded {
    std::optional<BuildInfo> info;
    elf::ElfImage image;
};

Decoded decode(const std::string& path) {
    MappedFile file(path);
    Decoded d;
    d.image = elf::parse_image(file.bytes());
    d.info = read_buildinfo(d.image);
    d.image.bytes = {}; // the mapping ends here
    return d;
}

std::string berth_version_m(const std::string& path) {
    auto d = decode(path);
    if (!d.info) return "not a Go binary";
    return format_version_m(path, *d.info);
}

std::string go_version_m(const std::string& path) {
    auto r = run({"go", "version", "-m", path});
    EXPECT_EQ(r.status, 0) << path << ": " << r.err;
    return r.out;
}

std::vector<std::string> go_fixtures() {
    std::vector<std::string> paths;
    std::string dir = berth::test::fixture("go");
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (!e.is_regular_file() || name == "manifest.txt" || name.ends_with(".tmp")) continue;
        paths.push_back(e.path().string());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

TEST(GoBuildInfoFixtures, MatchGoVersionMByteForByte) {
    auto paths = go_fixtures();
    int compared = 0;
    for (const auto& p : paths) {
        SCOPED_TRACE(p);
        std::string expected = go_version_m(p);
        EXPECT_EQ(berth_version_m(p), expected);
        ++compared;
    }
    // A missing or half-built fixture directory must fail, not pass with nothing compared.
    EXPECT_GE(compared, 20);
}

std::map<std::string, std::vector<std::pair<std::string, std::string>>> read_manifest() {
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> m;
    std::istringstream in(berth::test::read_file(berth::test::fixture("go/manifest.txt")));
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name, field;
        std::getline(fields, name, '\t');
        auto& facts = m[name];
        while (std::getline(fields, field, '\t')) {
            auto eq = field.find('=', 1); // "-ldflags=..." keys start with '-'
            facts.emplace_back(field.substr(0, eq), field.substr(eq + 1));
        }
    }
    return m;
}

const std::string* setting(const BuildInfo& bi, const std::string& key) {
    for (const auto& s : bi.settings)
        if (s.key == key) return &s.value;
    return nullptr;
}

TEST(GoBuildInfoFixtures, FactsFromTheManifest) {
    auto manifest = read_manifest();
    EXPECT_GE(manifest.size(), 20u);
    int checked = 0;
    for (const auto& [name, facts] : manifest) {
        SCOPED_TRACE(name);
        auto d = decode(berth::test::fixture("go/" + name));
        ASSERT_TRUE(d.info);
        const BuildInfo& bi = *d.info;
        EXPECT_EQ(bi.go_version, "go1.19.8");
        for (const auto& [key, value] : facts) {
            SCOPED_TRACE(key + "=" + value);
            if (key == "elf.class") {
                EXPECT_EQ(d.image.is64 ? "64" : "32", value);
            } else if (key == "elf.endian") {
                EXPECT_EQ(d.image.endian == Endian::big ? "big" : "little", value);
            } else if (key == "elf.type") {
                EXPECT_EQ(d.image.type == 3 ? "dyn" : "exec", value); // ET_DYN
            } else if (key == "link") {
                EXPECT_EQ(d.image.interpreter ? "dynamic" : "static", value);
            } else if (key == "cc") {
                // Go 1.19 does not record the C compiler; the ELF shows it only indirectly.
                EXPECT_EQ(*setting(bi, "CGO_ENABLED"), "1");
            } else if (key == "dep" || key == "replace") {
                auto it = std::find_if(bi.deps.begin(), bi.deps.end(),
                                       [&](const Module& m) { return m.path == value; });
                ASSERT_NE(it, bi.deps.end());
                if (key == "dep") {
                    EXPECT_FALSE(it->replace);
                    EXPECT_TRUE(it->sum.starts_with("h1:"));
                } else {
                    EXPECT_TRUE(it->replace);
                }
            } else if (key == "mod") {
                EXPECT_EQ(value, "none");
                EXPECT_TRUE(bi.main.path.empty());
            } else {
                const std::string* v = setting(bi, key);
                ASSERT_NE(v, nullptr) << "build setting missing";
                EXPECT_EQ(*v, value);
            }
            ++checked;
        }
    }
    EXPECT_GE(checked, 80);
}

TEST(GoBuildInfoFixtures, VcsAndDependenciesDecoded) {
    auto dirty = decode(berth::test::fixture("go/git-dirty"));
    ASSERT_TRUE(dirty.info);
    const std::string* rev = setting(*dirty.info, "vcs.revision");
    ASSERT_NE(rev, nullptr);
    EXPECT_EQ(rev->size(), 40u);
    EXPECT_EQ(*setting(*dirty.info, "vcs.time"), "2023-01-02T03:04:05Z");

    auto mods = decode(berth::test::fixture("go/modules"));
    ASSERT_TRUE(mods.info);
    ASSERT_EQ(mods.info->deps.size(), 3u);
    EXPECT_EQ(mods.info->deps[0].path, "example.com/lib");
    ASSERT_TRUE(mods.info->deps[0].replace);
    EXPECT_EQ(mods.info->deps[0].replace->version, "v1.1.0");
    EXPECT_TRUE(mods.info->deps[0].replace->sum.starts_with("h1:"));
    EXPECT_EQ(mods.info->deps[1].replace->path, "../local");
}

TEST(GoBuildInfoFixtures, GoBuildIdMatchesGoTool) {
    for (const char* name : {"cgo-off", "cgo-glibc", "s390x", "386", "stripped"}) {
        SCOPED_TRACE(name);
        std::string path = berth::test::fixture(std::string("go/") + name);
        auto r = run({"go", "tool", "buildid", path});
        ASSERT_EQ(r.status, 0) << r.err;
        MappedFile file(path);
        auto id = read_go_build_id(elf::parse_image(file.bytes()));
        ASSERT_TRUE(id);
        EXPECT_EQ(*id + "\n", r.out);
    }
}

TEST(GoBuildInfoFixtures, NonGoElfIsNotGo) {
    for (const char* path : {"/usr/bin/ls", "/bin/sh"}) {
        MappedFile file(path);
        auto image = elf::parse_image(file.bytes());
        EXPECT_FALSE(read_buildinfo(image)) << path;
        EXPECT_FALSE(read_go_build_id(image)) << path;
    }
}

// Synthetic files in every encoding: go version -m must read them exactly as berth does.
TEST(GoBuildInfoSynthetic, MatchGoVersionM) {
    const std::string mod = synth::framed("path\texample.com/old\n"
                                          "mod\texample.com/old\tv1.2.3\th1:main=\n"
                                          "dep\texample.com/a\tv0.1.0\th1:a=\n"
                                          "dep\texample.com/b\tv0.2.0\n"
                                          "=>\texample.com/c\tv0.3.0\th1:c=\n"
                                          "build\t-ldflags=\"-s -w -X 'main.v=a b'\"\n"
                                          "build\t\"odd key\"=`raw value`\n"
                                          "build\tunicode=\"\\u00e9\\u2028\\t\\\"\"\n"
                                          "build\tempty=\n");
    // Real binaries have data after the blob; Go 1.19 drops a string that ends exactly at the end
    // of the data it read (debug/buildinfo decodeString), and so does berth (case "no-tail").
    const std::string kTail(16, '\0');
    struct Case {
        std::string name;
        std::string file;
    };
    std::vector<Case> cases;
    for (bool is64 : {true, false}) {
        for (bool be : {false, true}) {
            std::string tag = std::string(is64 ? "64" : "32") + (be ? "be" : "le");
            unsigned ps = is64 ? 8 : 4;
            cases.push_back(
                {"pointer-" + tag,
                 synth::go_like_elf(
                     synth::pointer_blob(synth::kDataVaddr, "go1.16.15", mod, ps, be), is64, be)});
            cases.push_back({"inline-" + tag,
                             synth::go_like_elf(synth::inline_blob("go1.18", mod, ps, be) + kTail,
                                                is64, be, ".go.buildinfo")});
        }
    }
    cases.push_back({"gopath", synth::go_like_elf(synth::inline_blob("go1.12", "") + kTail)});
    // Go's quirks, which berth reads the same way (tests/unit/gobuild/buildinfo_test.cpp).
    cases.push_back({"no-tail", synth::go_like_elf(synth::inline_blob("go1.18", mod))});
    cases.push_back({"sentinels-only",
                     synth::go_like_elf(synth::inline_blob("go1.19", synth::framed("")) + kTail)});
    cases.push_back(
        {"unframed", synth::go_like_elf(synth::inline_blob("go1.19", "path\tx\nmod\tx\t"
                                                                     "v1.2.3\th1:m=\n") +
                                        kTail)});
    // Go strips any 16 bytes on each side when the 17th from the end is a newline.
    cases.push_back(
        {"any-sentinels",
         synth::go_like_elf(synth::inline_blob("go1.19", std::string(16, 'x') + "path\tx.com/y\n" +
                                                             std::string(16, 'y')) +
                            kTail)});
    auto stray = [&](std::size_t at, std::size_t real) {
        std::string data(at, '\0');
        data += "\xff Go buildinf:garbage";
        data.resize(real, '\0');
        return synth::go_like_elf(data + synth::inline_blob("go1.19", mod) + kTail);
    };
    cases.push_back({"stray-magic-found", stray(17, 48)});
    berth::test::TempDir tmp;
    auto write = [&](const std::string& name, const std::string& file) {
        std::string path = tmp.path + "/" + name;
        berth::test::write_file(path, file);
        fs::permissions(path, fs::perms::owner_all);
        return path;
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        std::string path = write(c.name, c.file);
        std::string expected = go_version_m(path);
        EXPECT_NE(expected.find(": go1."), std::string::npos);
        EXPECT_EQ(berth_version_m(path), expected);
    }
    // Files Go reads as "not a Go executable": no build info for berth either. (Files on which
    // Go's search loops forever, a magic at 1-15 modulo 32, can't be compared.)
    std::string far(70 * 1024, '\0');
    std::vector<Case> not_go = {
        {"stray-magic-skips-the-header", stray(24, 64)},
        {"past-64KiB", synth::go_like_elf(far + synth::inline_blob("go1.19", mod) + kTail)},
        {"empty-version", synth::go_like_elf(synth::inline_blob("", mod) + kTail)},
        {"version-to-the-end", synth::go_like_elf(synth::inline_blob("go1.19", "").substr(0, 39))},
    };
    for (const auto& c : not_go) {
        SCOPED_TRACE(c.name);
        std::string path = write(c.name, c.file);
        auto r = run({"go", "version", "-m", path});
        EXPECT_EQ(r.out, "");
        EXPECT_NE(r.err.find("not a Go executable"), std::string::npos) << r.err;
        EXPECT_EQ(berth_version_m(path), "not a Go binary");
    }
}

// A `go test -c` binary: its module info is the two sentinels alone. `berth inspect
// --go-version-m` (the command, its exit status included) prints what `go version -m` prints.
TEST(GoBuildInfoFixtures, TestBinaryReadsAsGoReadsIt) {
    std::string path = berth::test::fixture("go/test-binary");
    auto expected = run({"go", "version", "-m", path});
    ASSERT_EQ(expected.status, 0) << expected.err;
    EXPECT_EQ(expected.out, path + ": go1.19.8\n");
    auto r = run({berth::test::berth_exe(), "inspect", "--go-version-m", path});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, expected.out);
    EXPECT_EQ(r.err, "");
}

} // namespace
} // namespace berth::gobuild
