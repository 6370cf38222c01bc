#include "elf/elf_facts.hpp"
#include "elf/elf_image.hpp"
#include "test_support.hpp"
#include "unit/gobuild/synthetic_elf.hpp"
#include "util/error.hpp"
#include "util/file_ranges.hpp"
#include "util/mapped_file.hpp"
#include "util/sha256.hpp"

#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <optional>
#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace berth;

namespace {

std::vector<std::byte> load(const std::string& path) {
    MappedFile f(path);
    return {f.bytes().begin(), f.bytes().end()};
}

elf::ElfImage layout_of(std::span<const std::byte> bytes) {
    FileRanges file = FileRanges::mapped(bytes);
    return elf::read_layout(file);
}

// What read_layout saw, or the error it gave, in one comparable string.
std::string layout_summary(FileRanges file) {
    try {
        auto img = elf::read_layout(file);
        std::string s =
            std::to_string(img.is64) + " " + std::to_string(img.machine) + " " +
            std::to_string(img.segments.size()) + " " + std::to_string(img.dynamic.size()) +
            " interp=" + img.interpreter.value_or("-") + " soname=" + img.soname.value_or("-") +
            " rpath=" + img.rpath.value_or("-") + " runpath=" + img.runpath.value_or("-") +
            " needed:";
        for (const auto& n : img.needed) s += " " + n;
        return s;
    } catch (const InputError& e) {
        return std::string("error: ") + e.what();
    }
}

// An anonymous in-memory file holding `bytes`, for the pread path.
struct MemFile {
    explicit MemFile(std::span<const std::byte> bytes) : fd(::memfd_create("elf", MFD_CLOEXEC)) {
        if (fd < 0) throw std::runtime_error("memfd_create failed");
        if (!bytes.empty() &&
            ::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()))
            throw std::runtime_error("write to memfd failed");
    }
    ~MemFile() { ::close(fd); }
    int fd;
};

// The resolver reads libraries with pread (FileRanges::descriptor), inspect maps them: both
// must see the same layout, or reject the file with the same error.
void same_layout_both_ways(std::span<const std::byte> bytes) {
    MemFile mem(bytes);
    EXPECT_EQ(layout_summary(FileRanges::descriptor(mem.fd, bytes.size())),
              layout_summary(FileRanges::mapped(bytes)));
}

// parse_image must either succeed or throw InputError: any other outcome (crash, other
// exception) fails the test, and ASan/UBSan watch the reads.
void parses_or_rejects(std::vector<std::byte> bytes) {
    try {
        auto img = elf::parse_image(bytes);
        (void)elf::derive_elf_facts(img, false);
    } catch (const InputError&) {
    }
    same_layout_both_ways(bytes);
}

// Writes v little-endian at off (byte by byte: GCC's -Wstringop-overflow misjudges a memcpy here).
template <typename T> void poke(std::vector<std::byte>& b, std::size_t off, T v) {
    const auto value = static_cast<std::uint64_t>(v);
    for (std::size_t i = 0; i < sizeof v && off + i < b.size(); ++i)
        b[off + i] = static_cast<std::byte>((value >> (8 * i)) & 0xff);
}

} // namespace

TEST(ElfImage, ReadsASystemBinary) {
    MappedFile f("/usr/bin/ls");
    auto img = elf::parse_image(f.bytes());
    EXPECT_TRUE(img.is64);
    EXPECT_EQ(img.machine, EM_X86_64);
    ASSERT_TRUE(img.interpreter.has_value());
    EXPECT_EQ(*img.interpreter, "/lib64/ld-linux-x86-64.so.2");
    EXPECT_NE(std::find(img.needed.begin(), img.needed.end(), "libc.so.6"), img.needed.end());
    EXPECT_NE(img.find_section(".dynsym"), nullptr);
    EXPECT_EQ(img.sections.front().type, static_cast<std::uint32_t>(SHT_NULL));
}

TEST(ElfImage, LibcDefinesGlibcVersions) {
    MappedFile f("/lib/x86_64-linux-gnu/libc.so.6");
    auto img = elf::parse_image(f.bytes());
    auto max = elf::highest_version(img.version_defs, "GLIBC_");
    ASSERT_TRUE(max.has_value());
    EXPECT_GE(elf::compare_versions(*max, "2.36"), 0);
    EXPECT_NE(std::find(img.version_defs.begin(), img.version_defs.end(), "GLIBC_2.2.5"),
              img.version_defs.end());
}

TEST(ElfImage, PreadAndMappingSeeTheSameLayoutOfEverySystemProgram) {
    int elf_files = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/bin")) {
        if (!entry.is_regular_file()) continue;
        std::optional<MappedFile> mapped;
        try {
            mapped.emplace(entry.path());
        } catch (const InputError&) {
            continue; // empty or unreadable
        }
        if (!elf::is_elf(mapped->bytes())) continue;
        ++elf_files;
        SCOPED_TRACE(entry.path().string());
        int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
        ASSERT_GE(fd, 0);
        EXPECT_EQ(layout_summary(FileRanges::descriptor(fd, mapped->size())),
                  layout_summary(FileRanges::mapped(mapped->bytes())));
        ::close(fd);
    }
    EXPECT_GT(elf_files, 100);
}

namespace {

constexpr std::uint64_t kStrtabVaddr = 0x400000;
constexpr std::int64_t kDtNeeded = 1, kDtStrtab = 5, kDtStrsz = 10, kDtSoname = 14;

test::synth::SegmentSpec segment(std::uint32_t type, std::uint64_t vaddr, std::string data) {
    test::synth::SegmentSpec s;
    s.type = type;
    s.vaddr = vaddr;
    s.data = std::move(data);
    return s;
}

// A 64-bit ELF whose string table `strtab` is loaded at kStrtabVaddr, with a dynamic segment
// of `entries` (a DT_NULL is added). Extra segments (e.g. PT_INTERP) may be given.
std::vector<std::byte>
dynamic_elf(const std::string& strtab,
            const std::vector<std::pair<std::int64_t, std::uint64_t>>& entries,
            std::vector<test::synth::SegmentSpec> extra = {}) {
    std::string dynamic;
    for (auto [tag, value] : entries) {
        test::synth::put(dynamic, static_cast<std::uint64_t>(tag), 8, false);
        test::synth::put(dynamic, value, 8, false);
    }
    dynamic += std::string(16, '\0'); // DT_NULL
    test::synth::ElfSpec spec;
    spec.segments = std::move(extra);
    spec.segments.push_back(segment(test::synth::kPtLoad, kStrtabVaddr, strtab));
    spec.segments.push_back(segment(PT_DYNAMIC, 0x600000, dynamic));
    std::string text = test::synth::write_elf(spec);
    auto begin = reinterpret_cast<const std::byte*>(text.data());
    return {begin, begin + text.size()};
}

std::vector<std::pair<std::int64_t, std::uint64_t>> table(const std::string& strtab) {
    return {{kDtStrtab, kStrtabVaddr}, {kDtStrsz, strtab.size()}};
}

} // namespace

TEST(ElfImage, DynamicStringsNearAndFarAreRead) {
    // Names far apart in a big table: the first read covers the first, the others are read
    // one by one.
    std::string strtab = std::string("libfirst.so.1\0", 14);
    strtab.resize(150000, 'x');
    strtab += std::string("libfar.so.2\0", 12);
    strtab.resize(200000, 'y');
    strtab += std::string("libself.so\0", 11);
    auto entries = table(strtab);
    entries.push_back({kDtNeeded, 0});
    entries.push_back({kDtNeeded, 150000});
    entries.push_back({kDtSoname, 200000});
    auto bytes = dynamic_elf(strtab, entries);
    auto img = layout_of(bytes);
    EXPECT_EQ(img.needed, (std::vector<std::string>{"libfirst.so.1", "libfar.so.2"}));
    EXPECT_EQ(img.soname, "libself.so");
    same_layout_both_ways(bytes);
}

TEST(ElfImage, HostileDynamicStringsAreRejected) {
    std::string strtab("libc.so.6\0\0\0\0\0\0\0", 16);
    auto expect_rejected = [](const std::vector<std::byte>& bytes, const std::string& what) {
        SCOPED_TRACE(what);
        EXPECT_THROW(layout_of(bytes), InputError);
        same_layout_both_ways(bytes);
    };
    // An offset near 2^64: the window's end must not wrap around.
    auto entries = table(strtab);
    entries.push_back({kDtNeeded, 0});
    entries.push_back({kDtNeeded, 0xFFFFFFFFFFFFF000});
    expect_rejected(dynamic_elf(strtab, entries), "offset near 2^64");

    // The last string runs to the end of the table without a NUL.
    std::string open_end = strtab + "libm.so";
    entries = table(open_end);
    entries.push_back({kDtNeeded, 16});
    expect_rejected(dynamic_elf(open_end, entries), "unterminated");

    // A string longer than any name or path a loader uses.
    std::string huge = strtab + std::string(70000, 'a') + '\0';
    entries = table(huge);
    entries.push_back({kDtNeeded, 16});
    expect_rejected(dynamic_elf(huge, entries), "70000-byte string");

    // Many entries naming one long string: what would be copied is capped.
    std::string long_one = strtab + std::string(60000, 'b') + '\0';
    entries = table(long_one);
    for (int i = 0; i < 20; ++i) entries.push_back({kDtNeeded, 16});
    expect_rejected(dynamic_elf(long_one, entries), "20 x 60000 bytes");
}

TEST(ElfImage, ProgramHeaderEntrySizeAndInterpreterLengthAreChecked) {
    auto whole = load("/usr/bin/true");
    for (std::uint16_t size : {55, 57, 64, 65535}) {
        auto b = whole;
        poke<std::uint16_t>(b, offsetof(Elf64_Ehdr, e_phentsize), size);
        EXPECT_THROW(elf::parse_image(b), InputError) << size;
        same_layout_both_ways(b);
    }
    std::string strtab("libc.so.6\0", 10);
    auto entries = table(strtab);
    entries.push_back({kDtNeeded, 0});
    std::string interp = "/lib64/" + std::string(5000, 'l') + '\0';
    auto bytes = dynamic_elf(strtab, entries, {segment(PT_INTERP, 0x200000, interp)});
    EXPECT_THROW(layout_of(bytes), InputError);
    same_layout_both_ways(bytes);
    interp = "/lib64/ld-linux-x86-64.so.2";
    interp += '\0';
    bytes = dynamic_elf(strtab, entries, {segment(PT_INTERP, 0x200000, interp)});
    EXPECT_EQ(layout_of(bytes).interpreter, "/lib64/ld-linux-x86-64.so.2");
}

TEST(FileRanges, ReadsStringsInStepsInBothModes) {
    std::string text(10000, 'z');
    text[5000] = '\0'; // a string from 100 to 5000 crosses a 4 KiB step
    text[9990] = '\0';
    auto begin = reinterpret_cast<const std::byte*>(text.data());
    std::vector<std::byte> bytes(begin, begin + text.size());
    MemFile mem(bytes);
    FileRanges read = FileRanges::descriptor(mem.fd, bytes.size());
    FileRanges mapped = FileRanges::mapped(bytes);
    for (FileRanges* f : {&read, &mapped}) {
        EXPECT_EQ(f->cstring(100, 10000), std::string(4900, 'z'));
        EXPECT_EQ(f->cstring(9980, 100), std::string(10, 'z'));
        EXPECT_EQ(f->cstring(5000, 10), "");
        EXPECT_THROW(f->cstring(100, 4000), InputError); // no NUL within the limit
        EXPECT_THROW(f->cstring(9991, 100), InputError); // runs to the end of the file
        EXPECT_THROW(f->cstring(10001, 1), InputError);
    }
}

TEST(FileRanges, ReadsRangesInAndPastTheHead) {
    std::vector<std::byte> bytes(10000);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = std::byte(i * 7 + i / 256);
    MemFile mem(bytes);
    FileRanges file = FileRanges::descriptor(mem.fd, bytes.size());
    auto expect_range = [&](std::uint64_t off, std::uint64_t len) {
        auto got = file.get(off, len);
        ASSERT_EQ(got.size(), len);
        EXPECT_EQ(std::memcmp(got.data(), bytes.data() + off, len), 0) << off << "+" << len;
    };
    expect_range(0, 16);
    expect_range(100, 3000);
    expect_range(4000, 500); // crosses the end of the first block
    expect_range(9000, 1000);
    expect_range(0, 16); // earlier spans stay valid and equal
    expect_range(10000, 0);
    EXPECT_THROW(file.get(9999, 2), InputError);
    EXPECT_THROW(file.get(~std::uint64_t{0}, 2), InputError);
    // A file that shrank after its size was taken.
    FileRanges stale = FileRanges::descriptor(mem.fd, 20000);
    EXPECT_THROW(stale.get(12000, 100), InputError);
}

TEST(ElfImage, RejectsNonElf) {
    std::string text = "#!/bin/sh\necho hi\n";
    std::vector<std::byte> b(reinterpret_cast<const std::byte*>(text.data()),
                             reinterpret_cast<const std::byte*>(text.data() + text.size()));
    EXPECT_THROW(elf::parse_image(b), InputError);
    EXPECT_THROW(elf::parse_image({}), InputError);
}

TEST(ElfImage, TruncatedAtEveryPointIsRejectedOrParsed) {
    auto whole = load("/usr/bin/true");
    for (std::size_t len = 0; len < whole.size(); len += (len < 4096 ? 7 : 997))
        parses_or_rejects({whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(len)});
}

TEST(ElfImage, HeaderFieldsPointingOutsideAreRejected) {
    auto whole = load("/usr/bin/true");
    auto far = std::uint64_t{1} << 60;
    for (std::size_t field : {offsetof(Elf64_Ehdr, e_phoff), offsetof(Elf64_Ehdr, e_shoff)}) {
        auto b = whole;
        poke(b, field, far);
        parses_or_rejects(b);
    }
    auto b = whole;
    poke<std::uint16_t>(b, offsetof(Elf64_Ehdr, e_phnum), 0xfffe); // 0xffff means "see shdr 0"
    EXPECT_THROW(elf::parse_image(b), InputError);
    b = whole;
    poke<std::uint16_t>(b, offsetof(Elf64_Ehdr, e_shnum), 0xffff);
    parses_or_rejects(b);
    b = whole;
    b[EI_CLASS] = std::byte{9};
    EXPECT_THROW(elf::parse_image(b), InputError);
}

TEST(ElfImage, CorruptProgramHeadersAreRejectedOrParsed) {
    auto whole = load("/usr/bin/true");
    Elf64_Ehdr eh;
    std::memcpy(&eh, whole.data(), sizeof eh);
    // Corrupt each field of each program header with extreme values.
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        std::size_t ph = eh.e_phoff + i * sizeof(Elf64_Phdr);
        for (std::size_t field : {offsetof(Elf64_Phdr, p_offset), offsetof(Elf64_Phdr, p_vaddr),
                                  offsetof(Elf64_Phdr, p_filesz)}) {
            for (std::uint64_t v : {std::uint64_t{0}, ~std::uint64_t{0}, std::uint64_t{1} << 40}) {
                auto b = whole;
                poke(b, ph + field, v);
                parses_or_rejects(b);
            }
        }
    }
}

TEST(ElfImage, ByteFlipsNeverCrash) {
    auto whole = load("/usr/bin/true");
    std::uint32_t seed = 12345;
    for (int round = 0; round < 300; ++round) {
        auto b = whole;
        for (int k = 0; k < 8; ++k) {
            seed = seed * 1103515245 + 12345;
            std::size_t at = (seed >> 8) % std::min<std::size_t>(b.size(), 8192);
            b[at] = std::byte(seed & 0xff);
        }
        parses_or_rejects(b);
    }
}

TEST(ElfFacts, VersionsCompareNumerically) {
    EXPECT_GT(elf::compare_versions("2.34", "2.4"), 0);
    EXPECT_LT(elf::compare_versions("2.2.5", "2.3"), 0);
    EXPECT_EQ(elf::compare_versions("2.17", "2.17"), 0);
    auto v =
        elf::highest_version({"GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_2.4", "GLIBC_PRIVATE"}, "GLIBC_");
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, "2.34");
}

TEST(ElfFacts, MachineNamesCoverTheTargets) {
    EXPECT_EQ(elf::machine_name(EM_X86_64, true, Endian::little), "x86_64");
    EXPECT_EQ(elf::machine_name(EM_AARCH64, true, Endian::little), "aarch64");
    EXPECT_EQ(elf::machine_name(EM_ARM, false, Endian::little), "arm");
    EXPECT_EQ(elf::machine_name(EM_386, false, Endian::little), "i386");
    EXPECT_EQ(elf::machine_name(EM_RISCV, true, Endian::little), "riscv64");
    EXPECT_EQ(elf::machine_name(EM_PPC64, true, Endian::little), "ppc64le");
    EXPECT_EQ(elf::machine_name(EM_S390, true, Endian::big), "s390x");
    EXPECT_EQ(elf::machine_name(258, true, Endian::little), "loongarch64");
    EXPECT_EQ(elf::goarch_name(258, true, Endian::little), "loong64");
    EXPECT_EQ(elf::goarch_name(EM_AARCH64, true, Endian::little), "arm64");
}

TEST(ElfFacts, HardeningOfADynamicSystemBinary) {
    MappedFile f("/usr/bin/ssh");
    auto facts = elf::derive_elf_facts(elf::parse_image(f.bytes()), false);
    EXPECT_EQ(facts.linkage.kind, "dynamic");
    EXPECT_EQ(facts.linkage.libc, "glibc");
    EXPECT_EQ(facts.hardening.pie, "yes");
    EXPECT_EQ(facts.hardening.relro, "full"); // Debian builds ssh with -z now
    EXPECT_EQ(facts.hardening.canary, "yes");
    EXPECT_EQ(facts.hardening.nx, "yes");
    EXPECT_TRUE(facts.debug.stripped);
    EXPECT_TRUE(facts.debug.gnu_build_id.has_value());
}

TEST(ElfFacts, SharedLibraryIsNotAnExecutable) {
    MappedFile f("/lib/x86_64-linux-gnu/libc.so.6");
    auto facts = elf::derive_elf_facts(elf::parse_image(f.bytes()), false);
    EXPECT_TRUE(facts.identity.shared_library);
    EXPECT_FALSE(facts.identity.pie);
    EXPECT_EQ(facts.hardening.pie, "n/a");
    ASSERT_TRUE(facts.linkage.soname);
    EXPECT_EQ(*facts.linkage.soname, "libc.so.6");
}

TEST(Sha256, OfKnownBytes) {
    std::string abc = "abc";
    EXPECT_EQ(sha256_hex(std::as_bytes(std::span(abc.data(), abc.size()))),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
