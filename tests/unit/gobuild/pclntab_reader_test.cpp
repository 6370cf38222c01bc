// The function table reader on synthetic tables built here from the format's description
// (runtime/symtab.go's pcHeader, debug/gosym): every layout Go has used (1.2, 1.16, 1.18, 1.20),
// both byte orders and both pointer sizes, then truncated and corrupted copies.
#include "gobuild/pclntab.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace berth::gobuild {
namespace {

struct SynthFunc {
    std::uint64_t entry; // address (1.2, 1.16) or offset from the text start (1.18+)
    std::string name;
};

// Bytes written at explicit offsets in a chosen byte order.
struct Writer {
    std::vector<std::byte> bytes;
    Endian endian;

    void put(std::uint64_t at, std::uint64_t v, unsigned width) {
        if (bytes.size() < at + width) bytes.resize(at + width);
        for (unsigned i = 0; i < width; ++i) {
            unsigned shift = endian == Endian::little ? 8 * i : 8 * (width - 1 - i);
            bytes[at + i] = static_cast<std::byte>((v >> shift) & 0xff);
        }
    }
    std::uint64_t append_string(const std::string& s) {
        std::uint64_t at = bytes.size();
        for (char c : s) bytes.push_back(static_cast<std::byte>(c));
        bytes.push_back(std::byte{0});
        return at;
    }
};

std::uint32_t magic_of(PclntabVersion v) {
    switch (v) {
    case PclntabVersion::go12:
        return 0xfffffffb;
    case PclntabVersion::go116:
        return 0xfffffffa;
    case PclntabVersion::go118:
        return 0xfffffff0;
    case PclntabVersion::go120:
        return 0xfffffff1;
    }
    return 0;
}

// Builds a table: header, (1.16+: offset words, name table), functab, then minimal _func
// records (entry, name offset) so that the last bytes of the table are the last name offset.
std::vector<std::byte> make_table(PclntabVersion v, Endian e, unsigned ptr, unsigned quantum,
                                  const std::vector<SynthFunc>& funcs, std::uint64_t end_entry) {
    Writer w{{}, e};
    w.put(0, magic_of(v), 4);
    w.put(4, 0, 1);
    w.put(5, 0, 1);
    w.put(6, quantum, 1);
    w.put(7, ptr, 1);
    const std::uint64_t n = funcs.size();
    if (v == PclntabVersion::go12) {
        // nfunc, functab of pointer-size pairs, end pc, file table offset, names, records.
        w.put(8, n, ptr);
        std::uint64_t functab = 8 + ptr;
        std::uint64_t after = functab + (2 * n + 1) * ptr;
        w.put(after, 0, 4); // file table offset (unused by the reader)
        std::vector<std::uint64_t> name_offs;
        for (const auto& f : funcs) name_offs.push_back(w.append_string(f.name));
        for (std::uint64_t i = 0; i < n; ++i) {
            std::uint64_t rec = w.bytes.size();
            w.put(rec, funcs[i].entry, ptr);
            w.put(rec + ptr, name_offs[i], 4);
            w.put(functab + 2 * i * ptr, funcs[i].entry, ptr);
            w.put(functab + (2 * i + 1) * ptr, rec, ptr);
        }
        w.put(functab + 2 * n * ptr, end_entry, ptr);
        return w.bytes;
    }
    const bool v118 = v == PclntabVersion::go118 || v == PclntabVersion::go120;
    const unsigned words = v118 ? 8 : 7;
    const unsigned field = v118 ? 4 : ptr;
    auto word = [&](unsigned i, std::uint64_t val) { w.put(8 + i * ptr, val, ptr); };
    word(0, n);
    word(1, 0);
    if (v118) word(2, 0x401000); // text start
    std::uint64_t names = 8 + words * ptr;
    w.bytes.resize(names);
    std::vector<std::uint64_t> name_offs;
    for (const auto& f : funcs) name_offs.push_back(w.append_string(f.name) - names);
    std::uint64_t pcln = w.bytes.size();
    unsigned first = v118 ? 3 : 2; // funcname, cu, filetab, pctab, pcln
    word(first, names);
    word(first + 1, pcln);
    word(first + 2, pcln);
    word(first + 3, pcln);
    word(first + 4, pcln);
    std::uint64_t records = pcln + (2 * n + 1) * field;
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t rec = records + i * (field + 4);
        w.put(rec, funcs[i].entry, field);
        w.put(rec + field, name_offs[i], 4);
        w.put(pcln + 2 * i * field, funcs[i].entry, field);
        w.put(pcln + (2 * i + 1) * field, rec - pcln, field);
    }
    w.put(pcln + 2 * n * field, end_entry, field);
    return w.bytes;
}

const std::vector<SynthFunc> kFuncs = {
    {0x1000, "runtime.main"},
    {0x1040, "main.main"},
    {0x1040, "main.init"}, // equal entries happen (zero-size functions)
    {0x10a0, "net/http.(*Server).Shutdown"},
    {0x2000, "crypto/elliptic.(*nistCurve[...]).Add"},
    {0x2100, "main.main"}, // a duplicate name: listed once by sorted_function_names
};

std::vector<std::string> names_of(const std::vector<SynthFunc>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.name);
    return out;
}

struct Shape {
    PclntabVersion version;
    Endian endian;
    unsigned ptr;
    unsigned quantum;
};

std::string shape_name(const testing::TestParamInfo<Shape>& info) {
    const Shape& s = info.param;
    std::string v = version_range(s.version);
    std::replace(v.begin(), v.end(), '.', '_');
    std::replace(v.begin(), v.end(), '-', '_');
    std::replace(v.begin(), v.end(), '+', 'p');
    return "go" + v + (s.endian == Endian::little ? "_le" : "_be") + std::to_string(s.ptr * 8);
}

std::vector<Shape> all_shapes() {
    std::vector<Shape> out;
    for (auto v : {PclntabVersion::go12, PclntabVersion::go116, PclntabVersion::go118,
                   PclntabVersion::go120})
        for (auto e : {Endian::little, Endian::big})
            for (unsigned ptr : {4u, 8u}) out.push_back({v, e, ptr, ptr == 4 ? 4u : 1u});
    return out;
}

class PclntabLayout : public testing::TestWithParam<Shape> {
  protected:
    std::vector<std::byte> table() const {
        const Shape& s = GetParam();
        return make_table(s.version, s.endian, s.ptr, s.quantum, kFuncs, 0x2200);
    }
};

TEST_P(PclntabLayout, ReadsNamesVersionAndShape) {
    const Shape& s = GetParam();
    auto bytes = table();
    FuncTable t = parse_pclntab(bytes);
    EXPECT_EQ(t.version, s.version);
    EXPECT_EQ(t.endian, s.endian);
    EXPECT_EQ(t.ptr_size, s.ptr);
    EXPECT_EQ(t.quantum, s.quantum);
    EXPECT_EQ(t.names, names_of(kFuncs));
}

TEST_P(PclntabLayout, TrailingBytesAfterTheTableAreIgnored) {
    auto bytes = table();
    bytes.resize(bytes.size() + 64, std::byte{0xff});
    EXPECT_EQ(parse_pclntab(bytes).names, names_of(kFuncs));
}

TEST_P(PclntabLayout, EveryTruncationIsAnInputError) {
    auto bytes = table();
    for (std::size_t len = 0; len < bytes.size(); ++len) {
        std::span<const std::byte> cut(bytes.data(), len);
        EXPECT_THROW(parse_pclntab(cut), InputError) << "length " << len;
    }
}

TEST_P(PclntabLayout, EverySingleByteCorruptionParsesOrThrowsInputError) {
    // Runs under ASan/UBSan in the sanitizer build: any wild read or overflow fails there.
    auto good = table();
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (std::uint8_t x : {0x01, 0x80, 0xff}) {
            auto bytes = good;
            bytes[i] ^= std::byte{x};
            try {
                FuncTable t = parse_pclntab(bytes);
                EXPECT_LE(t.names.size(), bytes.size());
            } catch (const InputError& e) {
                EXPECT_TRUE(std::string(e.what()).starts_with("Go function table")) << e.what();
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllVersions, PclntabLayout, testing::ValuesIn(all_shapes()), shape_name);

std::vector<std::byte> go118_le64() {
    return make_table(PclntabVersion::go118, Endian::little, 8, 1, kFuncs, 0x2200);
}

// The 1.18 layout at a glance (64-bit): header words at 8 + 8*i, functab at word 7.
std::uint64_t word(const std::vector<std::byte>& b, unsigned i) {
    return ByteReader{b, Endian::little}.u64(8 + 8 * i);
}

void expect_error(const std::vector<std::byte>& bytes, const std::string& fragment) {
    try {
        parse_pclntab(bytes);
        ADD_FAILURE() << "no error, expected one containing: " << fragment;
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

TEST(PclntabCorrupt, BadHeaderFields) {
    auto b = go118_le64();
    b[0] = std::byte{0xfc}; // magic 0xfffffffc
    expect_error(b, "no valid header");
    b = go118_le64();
    b[4] = std::byte{1};
    expect_error(b, "no valid header");
    b = go118_le64();
    b[6] = std::byte{3}; // quantum
    expect_error(b, "no valid header");
    b = go118_le64();
    b[7] = std::byte{2}; // pointer size
    expect_error(b, "no valid header");
    expect_error(std::vector<std::byte>(8, std::byte{0}), "truncated header");
}

TEST(PclntabCorrupt, HugeFunctionCountIsRejectedBeforeAllocating) {
    auto b = go118_le64();
    Writer w{b, Endian::little};
    w.put(8, 0x7fffffffffffffffull, 8);
    expect_error(w.bytes, "do not fit");
    w.put(8, 0, 8);
    expect_error(w.bytes, "no functions");
}

TEST(PclntabCorrupt, OffsetsOutsideTheTable) {
    auto b = go118_le64();
    Writer w{b, Endian::little};
    w.put(8 + 8 * 7, b.size() + 100, 8); // pcln offset
    expect_error(w.bytes, "past the end");

    w = Writer{go118_le64(), Endian::little};
    std::uint64_t pcln = word(w.bytes, 7);
    w.put(pcln + 4, 0xfffffff0, 4); // func offset of function 0
    expect_error(w.bytes, "record of function 0 lies past the end");

    w = Writer{go118_le64(), Endian::little};
    std::uint64_t rec = pcln + ByteReader{w.bytes, Endian::little}.u32(pcln + 4);
    w.put(rec + 4, 0xfffffff0, 4); // name offset of function 0
    expect_error(w.bytes, "name of function 0 lies past the end");
}

TEST(PclntabCorrupt, RecordThatDoesNotMatchItsIndexEntry) {
    Writer w{go118_le64(), Endian::little};
    std::uint64_t pcln = word(w.bytes, 7);
    std::uint64_t rec = pcln + ByteReader{w.bytes, Endian::little}.u32(pcln + 4);
    w.put(rec, 0x999, 4);
    expect_error(w.bytes, "does not match its index entry");
}

TEST(PclntabCorrupt, EntriesOutOfOrder) {
    auto funcs = kFuncs;
    std::swap(funcs[0], funcs[4]);
    expect_error(make_table(PclntabVersion::go120, Endian::big, 8, 2, funcs, 0x2200),
                 "out of address order");
    expect_error(make_table(PclntabVersion::go116, Endian::little, 4, 4, kFuncs, 0x10),
                 "end address lies before the last function");
}

TEST(PclntabCorrupt, UnterminatedEmptyAndOverlongNames) {
    // go12, 64-bit: nfunc at 8, functab at 16 (pc, func offset), the record's name offset
    // follows its 8-byte entry. Point the name at bytes appended without a terminator.
    Writer w{make_table(PclntabVersion::go12, Endian::little, 8, 1, {{0x10, "a"}}, 0x20),
             Endian::little};
    std::uint64_t rec = ByteReader{w.bytes, Endian::little}.u64(24);
    std::uint64_t tail = w.bytes.size();
    for (char c : std::string("zzzz")) w.bytes.push_back(static_cast<std::byte>(c));
    w.put(rec + 8, tail, 4);
    expect_error(w.bytes, "unterminated");

    expect_error(make_table(PclntabVersion::go118, Endian::little, 8, 1, {{0x10, ""}}, 0x20),
                 "empty name");
    std::string longname(70 * 1024, 'n');
    expect_error(make_table(PclntabVersion::go118, Endian::little, 8, 1, {{0x10, longname}}, 0x20),
                 "too long");
}

TEST(PclntabCorrupt, EveryFunctionPointingAtOneLongNameHitsTheBudget) {
    // 2000 functions all naming the same 60 KiB string: 120 MB of copies from a 76 KiB table.
    std::vector<SynthFunc> funcs;
    std::string longname(60 * 1024, 'q');
    for (int i = 0; i < 2000; ++i) funcs.push_back({std::uint64_t(i), i == 0 ? longname : "x"});
    Writer w{make_table(PclntabVersion::go118, Endian::little, 8, 1, funcs, 5000), Endian::little};
    std::uint64_t pcln = word(w.bytes, 7);
    ByteReader r{w.bytes, Endian::little};
    std::uint64_t first_rec = pcln + r.u32(pcln + 4);
    std::uint32_t long_off = r.u32(first_rec + 4);
    for (int i = 1; i < 2000; ++i) w.put(pcln + r.u32(pcln + (2 * i + 1) * 4) + 4, long_off, 4);
    expect_error(w.bytes, "overlap");
}

TEST(PclntabHeader, LooksLikeHeader) {
    auto b = go118_le64();
    EXPECT_TRUE(looks_like_header(b, 0));
    EXPECT_FALSE(looks_like_header(b, 1));
    EXPECT_FALSE(looks_like_header(b, b.size() - 4));
    auto be = make_table(PclntabVersion::go12, Endian::big, 4, 4, kFuncs, 0x2200);
    EXPECT_TRUE(looks_like_header(be, 0));
}

TEST(PclntabNames, SortedAndUnique) {
    FuncTable t = parse_pclntab(go118_le64());
    auto names = sorted_function_names(t);
    EXPECT_EQ(names, (std::vector<std::string>{"crypto/elliptic.(*nistCurve[...]).Add", "main.init",
                                               "main.main", "net/http.(*Server).Shutdown",
                                               "runtime.main"}));
}

TEST(PclntabJson, SummaryAndNames) {
    FuncTable t =
        parse_pclntab(make_table(PclntabVersion::go120, Endian::big, 4, 4, kFuncs, 0x2200));
    t.located_by = "section .gopclntab";
    auto j = to_json(t);
    EXPECT_EQ(j["version"], "1.20+");
    EXPECT_EQ(j["endian"], "big");
    EXPECT_EQ(j["pointer_size"], 4);
    EXPECT_EQ(j["quantum"], 4);
    EXPECT_EQ(j["functions"], kFuncs.size());
    EXPECT_FALSE(j.contains("names"));
    EXPECT_EQ(to_json(t, true)["names"].size(), 5u);
}

// read_functions on a hand-made ElfImage: the section path, the scan path and no table.
elf::ElfImage image_with(const std::vector<std::byte>& file, Endian e, bool is64) {
    elf::ElfImage img;
    img.bytes = file;
    img.endian = e;
    img.is64 = is64;
    return img;
}

TEST(PclntabElf, UsesTheSectionWhenPresent) {
    auto table = make_table(PclntabVersion::go118, Endian::big, 8, 2, kFuncs, 0x2200);
    std::vector<std::byte> file(0x100, std::byte{0xff});
    file.insert(file.end(), table.begin(), table.end());
    auto img = image_with(file, Endian::big, true);
    elf::Section s;
    s.name = ".gopclntab";
    s.type = 1; // SHT_PROGBITS
    s.offset = 0x100;
    s.size = table.size();
    img.sections.push_back(s);
    FuncTable t = read_functions(img);
    EXPECT_EQ(t.located_by, "section .gopclntab");
    EXPECT_EQ(t.file_offset, 0x100u);
    EXPECT_EQ(t.names, names_of(kFuncs));

    img.sections[0].size = file.size(); // runs past the end of the file
    EXPECT_THROW(read_functions(img), InputError);
}

TEST(PclntabElf, ScansReadOnlySegmentsWithoutSections) {
    auto table = make_table(PclntabVersion::go120, Endian::little, 4, 4, kFuncs, 0x2200);
    // A look-alike header (valid magic and fields, nonsense after it) comes first.
    std::vector<std::byte> file(0x200, std::byte{0});
    const std::uint8_t fake[] = {0xf1, 0xff, 0xff, 0xff, 0, 0, 4, 4, 9, 9, 9, 9};
    std::memcpy(file.data() + 0x40, fake, sizeof fake);
    file.insert(file.end(), table.begin(), table.end());
    file.resize(file.size() + 32, std::byte{0});
    auto img = image_with(file, Endian::little, false);
    elf::Segment text{1, 1 | 4, 0, 0x400000, 0x40, 0x40}; // PT_LOAD R+X: not scanned
    elf::Segment rodata{1, 4, 0x40, 0x500000, file.size() - 0x40, file.size() - 0x40};
    img.segments = {text, rodata};
    FuncTable t = read_functions(img);
    EXPECT_EQ(t.version, PclntabVersion::go120);
    EXPECT_EQ(t.file_offset, 0x200u);
    EXPECT_EQ(t.names, names_of(kFuncs));
    EXPECT_NE(t.located_by.find("scan"), std::string::npos);

    // A 64-bit image does not accept a 32-bit table.
    img.is64 = true;
    EXPECT_THROW(read_functions(img), InputError);
}

// The module data leads to the table without a scan: Go 1.26's .go.module section, and
// runtime.firstmoduledata in .noptrdata (external linking leaves the table unnamed).
TEST(PclntabElf, FoundThroughTheModuleData) {
    const std::uint64_t base = 0x500000; // the address of file offset 0
    auto table = make_table(PclntabVersion::go118, Endian::little, 8, 1, kFuncs, 0x2200);
    std::vector<std::byte> file(0x100, std::byte{0xff});
    file.insert(file.end(), table.begin(), table.end());
    file.resize((file.size() + 7) / 8 * 8, std::byte{0});
    const std::uint64_t md = file.size(), p = base + 0x100;
    ByteReader hdr{table, Endian::little};
    auto field = [&](unsigned i) { return hdr.u64(8 + 8 * i); };
    // pcHeader, then the slices funcnametab, cutab, filetab, pctab, pclntable, ftab.
    std::vector<std::uint64_t> words = {p};
    for (unsigned i : {3u, 4u, 5u, 6u, 7u, 7u}) {
        std::uint64_t len = i == 7 ? kFuncs.size() + 1 : 64;
        words.insert(words.end(), {p + field(i), len, len});
    }
    auto write_moduledata = [&](std::vector<std::byte>& f, const std::vector<std::uint64_t>& w) {
        Writer out{f, Endian::little};
        for (std::size_t i = 0; i < w.size(); ++i) out.put(md + 8 * i, w[i], 8);
        f = out.bytes;
    };
    write_moduledata(file, words);
    auto img = image_with(file, Endian::little, true);
    img.segments = {elf::Segment{1, 4 | 2, 0, base, file.size(), file.size()}};
    elf::Section noptrdata;
    noptrdata.name = ".noptrdata";
    noptrdata.type = 1; // SHT_PROGBITS
    noptrdata.offset = md;
    noptrdata.size = 8 * words.size();
    img.sections = {elf::Section{}, noptrdata};

    auto where = locate_functions(img, false);
    ASSERT_TRUE(where);
    EXPECT_EQ(where->located_by, "moduledata in section .noptrdata");
    EXPECT_EQ(where->file_offset, 0x100u);
    FuncTable t = read_functions(img);
    EXPECT_EQ(t.names, names_of(kFuncs));
    EXPECT_EQ(t.count, kFuncs.size());

    // Go 1.26: the module data has its own section; only its first word is needed.
    img.sections[1].name = ".go.module";
    where = locate_functions(img, false);
    ASSERT_TRUE(where);
    EXPECT_EQ(where->located_by, "moduledata in section .go.module");
    EXPECT_EQ(where->file_offset, 0x100u);

    // Module data whose funcnametab is not where the header says: not the module data. Only
    // the scan finds the table then.
    img.sections[1].name = ".noptrdata";
    words[1] += 8;
    write_moduledata(file, words);
    img.bytes = file;
    EXPECT_FALSE(locate_functions(img, false));
    where = locate_functions(img, true);
    ASSERT_TRUE(where);
    EXPECT_NE(where->located_by.find("scan"), std::string::npos);
}

TEST(PclntabElf, WalkHandsOverEveryNameInTableOrder) {
    auto bytes = make_table(PclntabVersion::go120, Endian::little, 8, 1, kFuncs, 0x2200);
    std::vector<std::string> seen;
    FuncTable t = walk_pclntab(bytes, [&](std::string_view n) { seen.emplace_back(n); });
    EXPECT_EQ(seen, names_of(kFuncs));
    EXPECT_EQ(t.count, kFuncs.size());
    EXPECT_TRUE(t.names.empty());
}

TEST(PclntabElf, NoTableIsAnInputError) {
    std::vector<std::byte> file(0x1000, std::byte{0xff});
    auto img = image_with(file, Endian::little, true);
    img.segments = {elf::Segment{1, 4, 0, 0, file.size(), file.size()}};
    try {
        read_functions(img);
        ADD_FAILURE() << "expected an error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("not found"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace berth::gobuild
