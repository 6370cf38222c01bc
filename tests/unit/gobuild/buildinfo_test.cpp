// The build info decoder on synthetic ELF files built from the format's description: both
// encodings, both word sizes, both byte orders, and corrupt input of every kind.
#include "gobuild/buildinfo.hpp"
#include "unit/gobuild/synthetic_elf.hpp"

#include "elf/elf_image.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace berth::gobuild {
namespace {

namespace synth = berth::test::synth;

const std::string kMod = "path\texample.com/app\n"
                         "mod\texample.com/app\t(devel)\t\n"
                         "dep\texample.com/lib\tv1.0.0\th1:abc=\n"
                         "dep\texample.com/old\tv0.1.0\n"
                         "=>\t../old\t(devel)\t\n"
                         "build\t-compiler=gc\n"
                         "build\t-ldflags=\"-X main.version=1.2.3\"\n"
                         "build\tCGO_ENABLED=0\n"
                         "build\tvcs.modified=true\n";

// The bytes parse_image reads (libelf wants writable memory, as a private mapping gives).
struct Image {
    explicit Image(const std::string& file) : bytes(file.size()) {
        std::memcpy(bytes.data(), file.data(), file.size());
        image = elf::parse_image(bytes);
    }
    std::vector<std::byte> bytes;
    elf::ElfImage image;
};

// Real binaries have data after the blob. Go refuses a string that ends exactly at the end of the
// data it read (debug/buildinfo.decodeString), and so does berth: blobs meant to be read whole
// get a tail.
std::string tailed(const std::string& blob) {
    return blob + std::string(16, '\0');
}

std::optional<BuildInfo> read(const std::string& file) {
    return read_buildinfo(Image(file).image);
}

void expect_app(const BuildInfo& bi, const std::string& version = "go1.19.8") {
    EXPECT_EQ(bi.go_version, version);
    EXPECT_EQ(bi.path, "example.com/app");
    EXPECT_EQ(bi.main.path, "example.com/app");
    EXPECT_EQ(bi.main.version, "(devel)");
    EXPECT_EQ(bi.main.sum, "");
    ASSERT_EQ(bi.deps.size(), 2u);
    EXPECT_EQ(bi.deps[0].path, "example.com/lib");
    EXPECT_EQ(bi.deps[0].sum, "h1:abc=");
    EXPECT_FALSE(bi.deps[0].replace);
    ASSERT_TRUE(bi.deps[1].replace);
    EXPECT_EQ(bi.deps[1].replace->path, "../old");
    EXPECT_EQ(bi.deps[1].replace->version, "(devel)");
    ASSERT_EQ(bi.settings.size(), 4u);
    EXPECT_EQ(bi.settings[1].key, "-ldflags");
    EXPECT_EQ(bi.settings[1].value, "-X main.version=1.2.3");
    EXPECT_EQ(bi.settings[3].key, "vcs.modified");
    EXPECT_EQ(bi.settings[3].value, "true");
}

TEST(GoBuildInfo, InlineEncodingInWritableSegment) {
    auto bi = read(synth::go_like_elf(tailed(synth::inline_blob("go1.19.8", synth::framed(kMod)))));
    ASSERT_TRUE(bi);
    expect_app(*bi);
}

TEST(GoBuildInfo, InlineEncodingInSection) {
    auto file = synth::go_like_elf(tailed(synth::inline_blob("go1.19.8", synth::framed(kMod))),
                                   true, false, ".go.buildinfo");
    auto bi = read(file);
    ASSERT_TRUE(bi);
    expect_app(*bi);
}

TEST(GoBuildInfo, PointerEncodingAllWordSizesAndByteOrders) {
    for (bool is64 : {true, false}) {
        for (bool be : {false, true}) {
            SCOPED_TRACE(std::string(is64 ? "64" : "32") + (be ? " big" : " little"));
            auto blob = synth::pointer_blob(synth::kDataVaddr, "go1.16.15", synth::framed(kMod),
                                            is64 ? 8 : 4, be);
            auto bi = read(synth::go_like_elf(blob, is64, be));
            ASSERT_TRUE(bi);
            expect_app(*bi, "go1.16.15");
        }
    }
}

TEST(GoBuildInfo, InlineEncodingBigEndian32) {
    auto bi = read(synth::go_like_elf(
        tailed(synth::inline_blob("go1.20", synth::framed(kMod), 4, true)), false, true));
    ASSERT_TRUE(bi);
    expect_app(*bi, "go1.20");
}

TEST(GoBuildInfo, OnlyTheFirst64KiBAreSearched) {
    // debug/buildinfo reads 64 KiB from the start of the data segment and looks only there.
    std::string data(200 * 1024, '\0');
    data += synth::inline_blob("go1.19.8", synth::framed(kMod));
    EXPECT_FALSE(read(synth::go_like_elf(data)));
    // A header inside the window whose module info runs past it: the version alone.
    std::string edge(64 * 1024 - 64, '\0');
    edge += synth::inline_blob("go1.19.8", synth::framed(kMod));
    auto bi = read(synth::go_like_elf(edge));
    ASSERT_TRUE(bi);
    EXPECT_EQ(bi->go_version, "go1.19.8");
    EXPECT_TRUE(bi->path.empty());
    EXPECT_TRUE(bi->settings.empty());
}

TEST(GoBuildInfo, MagicAlignmentAsGoSearchesIt) {
    // Go skips an unaligned magic at i to (i+15) &^ 16 and measures alignment from there.
    auto with_stray = [](std::size_t stray, std::size_t real) {
        std::string data(stray, '\0');
        data += "\xff Go buildinf:garbage";
        data.resize(real, '\0');
        return synth::go_like_elf(data +
                                  tailed(synth::inline_blob("go1.19.8", synth::framed(kMod))));
    };
    // 17 skips 32 bytes: the header at 48 is then at 16, aligned.
    auto bi = read(with_stray(17, 48));
    ASSERT_TRUE(bi);
    expect_app(*bi);
    // 24 skips 39 bytes, the header at 64 is then at 25 and skipped too.
    EXPECT_FALSE(read(with_stray(24, 64)));
    // 8 skips 7 bytes and leaves the magic at 1, where Go's skip is 0 (it loops forever).
    std::string only_unaligned(8, '\0');
    only_unaligned += synth::inline_blob("go1.19.8", synth::framed(kMod));
    EXPECT_FALSE(read(synth::go_like_elf(only_unaligned)));
}

TEST(GoBuildInfo, NotGoWhenNoHeader) {
    EXPECT_FALSE(read(synth::go_like_elf(std::string(4096, 'x'))));
    // The magic in an executable segment only is not build info.
    synth::ElfSpec spec;
    spec.segments.push_back({synth::kPtLoad,
                             synth::kPfR | synth::kPfX,
                             0x401000,
                             synth::inline_blob("go1.19.8", synth::framed(kMod)),
                             0,
                             {}});
    EXPECT_FALSE(read(synth::write_elf(spec)));
}

TEST(GoBuildInfo, GopathBuildHasNoModuleInfo) {
    auto bi = read(synth::go_like_elf(synth::inline_blob("go1.12", "")));
    ASSERT_TRUE(bi);
    EXPECT_EQ(bi->go_version, "go1.12");
    EXPECT_TRUE(bi->path.empty());
    EXPECT_TRUE(bi->deps.empty());
    EXPECT_TRUE(bi->settings.empty());
}

void expect_error(const std::string& data, const std::string& what) {
    SCOPED_TRACE(what);
    auto file = synth::go_like_elf(data);
    try {
        read(file);
        ADD_FAILURE() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("Go build info"), std::string::npos) << e.what();
    }
}

void expect_not_go(const std::string& data, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_FALSE(read(synth::go_like_elf(data)));
}

void expect_version_only(const std::string& data, const std::string& what) {
    SCOPED_TRACE(what);
    auto bi = read(synth::go_like_elf(data));
    ASSERT_TRUE(bi);
    EXPECT_FALSE(bi->go_version.empty());
    EXPECT_TRUE(bi->path.empty());
    EXPECT_TRUE(bi->main.path.empty());
    EXPECT_TRUE(bi->deps.empty());
    EXPECT_TRUE(bi->settings.empty());
}

std::string pointers(std::uint64_t vers, std::uint64_t mod_ptr) {
    std::string h = synth::header(8, 0);
    synth::put_at(h, 16, vers, 8, false);
    synth::put_at(h, 24, mod_ptr, 8, false);
    return h + std::string(64, '\0');
}

// What Go's reader makes of damaged blobs: where it can't read the version, no build info.
TEST(GoBuildInfo, DamagedVersionIsNoBuildInfo) {
    const std::string mod = synth::framed(kMod);
    expect_not_go(synth::header(8, 2).substr(0, 20), "truncated header");
    expect_not_go(synth::header(8, 2) + "\x08go1", "version length past the end");
    expect_not_go(synth::header(8, 2) + "\x03go1", "version ends exactly at the end");
    expect_not_go(synth::header(8, 2) + std::string(10, '\xff') + "\x01", "varint overflow");
    expect_not_go(synth::header(8, 2) + std::string(9, '\xff') + "\x02", "varint 10th byte > 1");
    expect_not_go(synth::header(8, 2) + "\x80", "varint truncated");
    expect_not_go(synth::header(8, 2) + "\x00\x00", "empty version");
    expect_not_go(synth::header(3, 0), "pointer size 3, pointers unreadable");
    expect_not_go(pointers(0x10, synth::kDataVaddr + 0x20), "pointer outside any segment");
    expect_not_go(pointers(synth::kDataVaddr + 0xfc, synth::kDataVaddr + 0x20),
                  "string header past the file data (in bss)");
    std::string bad_len = synth::pointer_blob(synth::kDataVaddr, "go1.16", mod, 8, false);
    synth::put_at(bad_len, 32 + 8, 0xffffffffffffull, 8, false); // version length
    expect_not_go(bad_len, "string length past the segment");
    std::string bad_data = synth::pointer_blob(synth::kDataVaddr, "go1.16", mod, 8, false);
    synth::put_at(bad_data, 32, 0xdeadbeef0000ull, 8, false); // version data pointer
    expect_not_go(bad_data, "string data outside any segment");
    std::string wrapping = synth::pointer_blob(synth::kDataVaddr, "go1.16", mod, 8, false);
    synth::put_at(wrapping, 32, 0xfffffffffffffff0ull, 8, false);
    synth::put_at(wrapping, 40, 0x20, 8, false);
    expect_not_go(wrapping, "address range wrapping around");
}

// ... and where it can read the version but not the module info, the version alone.
TEST(GoBuildInfo, DamagedModuleInfoIsNoModuleInfo) {
    expect_version_only(synth::header(8, 2) + "\x02go" + "\xff\xff\x03" + "abc",
                        "mod past the end");
    expect_version_only(synth::inline_blob("go1.19", kMod) + "tail", "missing sentinels");
    expect_version_only(synth::inline_blob("go1.19", "short") + "tail", "short module info");
    expect_version_only(synth::inline_blob("go1.19", synth::framed("")) + "tail",
                        "sentinels alone (a go test -c binary)");
    expect_version_only(synth::inline_blob("go1.19", synth::framed(kMod)),
                        "module info ends exactly at the end of the data");
    std::string bad_mod = synth::pointer_blob(synth::kDataVaddr, "go1.16", kMod, 8, false);
    synth::put_at(bad_mod, 32 + 16, 0xdeadbeef0000ull, 8, false); // module info data pointer
    expect_version_only(bad_mod, "module info outside any segment");
}

TEST(GoBuildInfo, WhatGoCannotReadIsAnInputError) {
    // Module info Go's parser refuses: Go reports an error, and so does berth.
    expect_error(synth::inline_blob("go1.19", synth::framed("mod\ta\n")) + "tail", "1 column");
    expect_error(synth::inline_blob("go1.19", synth::framed("=>\ta\tb\tc\n")) + "tail", "lone =>");
    expect_error(synth::inline_blob("go1.19", synth::framed("build\tnoequals\n")) + "tail", "no =");
    // Pointer sizes whose words Go reads past its slices (it panics).
    for (unsigned size : {0u, 1u, 2u, 5u, 6u, 7u}) {
        std::string h = synth::header(size, 0);
        synth::put_at(h, 16, synth::kDataVaddr, 8, false);
        expect_error(h + std::string(64, '\0'), "pointer size " + std::to_string(size));
    }
}

TEST(GoBuildInfo, DecodeBlobWithoutImageRejectsPointers) {
    auto blob = synth::pointer_blob(synth::kDataVaddr, "go1.16", synth::framed(kMod), 8, false);
    std::vector<std::byte> bytes(blob.size());
    std::memcpy(bytes.data(), blob.data(), blob.size());
    EXPECT_THROW(decode_blob(bytes, nullptr), InputError);
    auto inl = synth::inline_blob("go1.19.8", synth::framed(kMod)) + "tail";
    std::vector<std::byte> inl_bytes(inl.size());
    std::memcpy(inl_bytes.data(), inl.data(), inl.size());
    auto bi = decode_blob(inl_bytes, nullptr);
    ASSERT_TRUE(bi);
    expect_app(*bi);
}

TEST(GoBuildInfo, NonGoElfFromTheSystemIsNotGo) {
    // Any ELF without the header: a synthetic one with sections, a note and code.
    synth::ElfSpec spec;
    spec.segments.push_back({synth::kPtLoad, synth::kPfR | synth::kPfX, 0x401000,
                             std::string(256, '\x90'), 0, ".text"});
    spec.segments.push_back(
        {synth::kPtLoad, synth::kPfR | synth::kPfW, 0x600000, std::string(256, '\0'), 0, ".data"});
    EXPECT_FALSE(read(synth::write_elf(spec)));
}

// --- parse_modinfo: the reverse of runtime/debug's writer ---

BuildInfo parse(const std::string& text) {
    BuildInfo bi;
    parse_modinfo(text, bi);
    return bi;
}

TEST(GoModinfo, QuotedKeysAndValues) {
    auto bi = parse("build\t\"a key\"=\"v\\tx\"\n"
                    "build\t`raw=key`=`raw value`\n"
                    "build\tk=\n"
                    "build\tDEFAULT_GODEBUG=x=1\n");
    ASSERT_EQ(bi.settings.size(), 4u);
    EXPECT_EQ(bi.settings[0].key, "a key");
    EXPECT_EQ(bi.settings[0].value, "v\tx");
    EXPECT_EQ(bi.settings[1].key, "raw=key");
    EXPECT_EQ(bi.settings[1].value, "raw value");
    EXPECT_EQ(bi.settings[2].value, "");
    EXPECT_EQ(bi.settings[3].key, "DEFAULT_GODEBUG");
    EXPECT_EQ(bi.settings[3].value, "x=1");
}

TEST(GoModinfo, GoQuirksAreKept) {
    // An unterminated last line and unknown lines are ignored; a "=>" after a build line still
    // replaces the last module, as runtime/debug does.
    auto bi =
        parse("path\tp\nunknown line\ndep\ta\tv1\nbuild\tk=v\n=>\tb\tv2\th1:x\nbuild\tlast=1");
    EXPECT_EQ(bi.path, "p");
    ASSERT_EQ(bi.deps.size(), 1u);
    ASSERT_TRUE(bi.deps[0].replace);
    EXPECT_EQ(bi.deps[0].replace->path, "b");
    ASSERT_EQ(bi.settings.size(), 1u);
}

TEST(GoModinfo, ErrorsNameTheLine) {
    try {
        parse("path\tp\nbuild\tk=a b\n");
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "could not parse Go build info: line 2: unquoted value \"a b\" must be quoted");
    }
    EXPECT_THROW(parse("build\t=v\n"), InputError);
    EXPECT_THROW(parse("build\t\n"), InputError);
    EXPECT_THROW(parse("build\t\"k\n"), InputError);
    EXPECT_THROW(parse("build\t\"k\"v\n"), InputError);
    EXPECT_THROW(parse("build\t\"k\"\n"), InputError);
    EXPECT_THROW(parse("build\tk=\"v\n"), InputError);
    EXPECT_THROW(parse("build\ta b=v\n"), InputError);
    EXPECT_THROW(parse("dep\ta\tb\tc\td\n"), InputError);
    EXPECT_THROW(parse("dep\ta\tb\n=>\ta\tb\n"), InputError);
    EXPECT_THROW(parse("dep\ta\tb\n=>\ta\tb\tc\n=>\ta\tb\tc\n"), InputError);
}

// --- build ID ---

std::string note(const std::string& name, std::uint32_t type, const std::string& desc) {
    std::string n;
    synth::put(n, name.size() + 1, 4, false);
    synth::put(n, desc.size(), 4, false);
    synth::put(n, type, 4, false);
    n += name + '\0';
    while (n.size() % 4) n += '\0';
    n += desc;
    while (n.size() % 4) n += '\0';
    return n;
}

TEST(GoBuildId, FromNoteSectionAndSegment) {
    const std::string id = "abc/def/ghi/jkl";
    synth::ElfSpec spec;
    spec.segments.push_back(
        {synth::kPtLoad, synth::kPfR | synth::kPfX, 0x401000, std::string(64, '\xcc'), 0, ".text"});
    spec.segments.push_back({synth::kPtNote, synth::kPfR, 0x400f00,
                             note("GNU", 3, "12345678") + note("Go", 4, id), 0,
                             ".note.go.buildid"});
    EXPECT_EQ(read_go_build_id(Image(synth::write_elf(spec)).image), id);
    spec.segments[1].section_name.reset(); // only the PT_NOTE segment
    EXPECT_EQ(read_go_build_id(Image(synth::write_elf(spec)).image), id);
}

TEST(GoBuildId, FromTextWithoutNote) {
    synth::ElfSpec spec;
    std::string text =
        std::string(16, '\0') + "\xff Go build ID: \"a/b/c/d\"\n \xff" + std::string(32, '\xcc');
    spec.segments.push_back({synth::kPtLoad, synth::kPfR | synth::kPfX, 0x401000, text, 0, {}});
    EXPECT_EQ(read_go_build_id(Image(synth::write_elf(spec)).image), "a/b/c/d");
    spec.segments[0].data = std::string(64, '\xcc');
    EXPECT_EQ(read_go_build_id(Image(synth::write_elf(spec)).image), std::nullopt);
    // A truncated note is no build ID, not a crash.
    spec.segments.push_back(
        {synth::kPtNote, synth::kPfR, 0x400f00, note("Go", 4, "abcdefgh").substr(0, 18), 0, {}});
    EXPECT_EQ(read_go_build_id(Image(synth::write_elf(spec)).image), std::nullopt);
}

TEST(GoBuildInfoJson, PlainKeys) {
    auto bi = read(synth::go_like_elf(tailed(synth::inline_blob("go1.19.8", synth::framed(kMod)))));
    ASSERT_TRUE(bi);
    auto j = to_json(*bi);
    EXPECT_EQ(j["go_version"], "go1.19.8");
    EXPECT_EQ(j["path"], "example.com/app");
    EXPECT_EQ(j["main"]["version"], "(devel)");
    EXPECT_EQ(j["deps"][0]["sum"], "h1:abc=");
    EXPECT_FALSE(j["deps"][0].contains("replace"));
    EXPECT_EQ(j["deps"][1]["replace"]["path"], "../old");
    EXPECT_EQ(j["settings"][1]["key"], "-ldflags");
    EXPECT_EQ(j["settings"][1]["value"], "-X main.version=1.2.3");
}

} // namespace
} // namespace berth::gobuild
