#include "elf/elf_facts.hpp"
#include "elf/elf_image.hpp"
#include "test_support.hpp"
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
        (void)elf::derive_elf_facts(img, false, false);
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
    auto facts = elf::derive_elf_facts(elf::parse_image(f.bytes()), false, false);
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
    auto facts = elf::derive_elf_facts(elf::parse_image(f.bytes()), false, false);
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
