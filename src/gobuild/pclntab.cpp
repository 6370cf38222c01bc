#include "gobuild/pclntab.hpp"

#include "util/error.hpp"

#include <elf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

namespace berth::gobuild {
namespace {

constexpr std::uint32_t kMagic12 = 0xfffffffb;
constexpr std::uint32_t kMagic116 = 0xfffffffa;
constexpr std::uint32_t kMagic118 = 0xfffffff0;
constexpr std::uint32_t kMagic120 = 0xfffffff1;

// Longest function name accepted. Generic instantiations make long names (a few KiB); anything
// beyond this is a damaged table, and the cap keeps a bad offset from costing a scan of the file.
constexpr std::size_t kMaxNameLength = 64 * 1024;

[[noreturn]] void fail(const std::string& what) {
    throw InputError("Go function table: " + what);
}

std::optional<PclntabVersion> version_of_magic(std::uint32_t magic) {
    switch (magic) {
    case kMagic12:
        return PclntabVersion::go12;
    case kMagic116:
        return PclntabVersion::go116;
    case kMagic118:
        return PclntabVersion::go118;
    case kMagic120:
        return PclntabVersion::go120;
    default:
        return std::nullopt;
    }
}

// Where the pieces of the table are, as offsets from the header.
struct Layout {
    std::uint64_t nfunc = 0;
    std::uint64_t functab = 0;  // (entry, func offset) pairs, then the end entry
    unsigned field = 0;         // size of one functab field
    std::uint64_t funcdata = 0; // base of the func offsets (the _func records)
    std::uint64_t names = 0;    // base of the name offsets
    unsigned entry_size = 0;    // size of a _func's first field (entry pc or entry offset)
};

Layout layout_of(const ByteReader& r, PclntabVersion version, unsigned ptr) {
    auto word = [&](unsigned i) { return r.uint(8 + std::uint64_t{i} * ptr, ptr); };
    Layout l;
    l.nfunc = word(0);
    switch (version) {
    case PclntabVersion::go12:
        // nfunc, then the functab; func and name offsets count from the header.
        l.functab = 8 + ptr;
        l.field = ptr;
        l.funcdata = 0;
        l.names = 0;
        l.entry_size = ptr;
        break;
    case PclntabVersion::go116:
        // nfunc, nfiles, funcname, cu, filetab, pctab, pcln (functab and _func records).
        l.names = word(2);
        l.funcdata = word(6);
        l.functab = l.funcdata;
        l.field = ptr;
        l.entry_size = ptr;
        break;
    case PclntabVersion::go118:
    case PclntabVersion::go120:
        // nfunc, nfiles, textStart, funcname, cu, filetab, pctab, pcln; 32-bit entry offsets.
        l.names = word(3);
        l.funcdata = word(7);
        l.functab = l.funcdata;
        l.field = 4;
        l.entry_size = 4;
        break;
    }
    return l;
}

std::string_view name_at(const ByteReader& r, std::uint64_t offset, std::uint64_t index) {
    if (offset >= r.data.size())
        fail(fmt::format("name of function {} lies past the end of the table", index));
    const char* start = reinterpret_cast<const char*>(r.data.data()) + offset;
    std::size_t avail = std::min<std::uint64_t>(r.data.size() - offset, kMaxNameLength + 1);
    const void* nul = std::memchr(start, 0, avail);
    if (!nul) fail(fmt::format("name of function {} is unterminated or too long", index));
    std::size_t len = static_cast<std::size_t>(static_cast<const char*>(nul) - start);
    if (len == 0) fail(fmt::format("function {} has an empty name", index));
    return {start, len};
}

} // namespace

const char* version_range(PclntabVersion v) {
    switch (v) {
    case PclntabVersion::go12:
        return "1.2-1.15";
    case PclntabVersion::go116:
        return "1.16-1.17";
    case PclntabVersion::go118:
        return "1.18-1.19";
    case PclntabVersion::go120:
        return "1.20+";
    }
    return "?";
}

bool looks_like_header(std::span<const std::byte> data, std::uint64_t offset) {
    if (offset > data.size() || data.size() - offset < 8) return false;
    auto b = [&](unsigned i) { return std::to_integer<std::uint8_t>(data[offset + i]); };
    if (b(4) != 0 || b(5) != 0) return false;
    if (b(6) != 1 && b(6) != 2 && b(6) != 4) return false;
    if (b(7) != 4 && b(7) != 8) return false;
    ByteReader le{data, Endian::little}, be{data, Endian::big};
    return version_of_magic(le.u32(offset)) || version_of_magic(be.u32(offset));
}

namespace {

FuncTable parse_table(std::span<const std::byte> table, const NameVisitor& visit) {
    if (table.size() < 16) fail("truncated header");
    if (!looks_like_header(table, 0)) fail("no valid header (magic, quantum, pointer size)");
    FuncTable out;
    ByteReader r{table, Endian::little};
    if (auto v = version_of_magic(r.u32(0))) {
        out.version = *v;
    } else {
        r.endian = Endian::big;
        out.version = *version_of_magic(r.u32(0));
    }
    out.endian = r.endian;
    out.quantum = r.u8(6);
    out.ptr_size = r.u8(7);

    Layout l = layout_of(r, out.version, out.ptr_size);
    if (l.nfunc == 0) fail("no functions");
    if (l.functab > table.size()) fail("function index lies past the end of the table");
    // Check the count against the bytes present before sizing anything by it.
    std::uint64_t room = table.size() - l.functab;
    if (l.nfunc >= room / (2 * l.field)) fail(fmt::format("{} functions do not fit", l.nfunc));
    if (l.funcdata > table.size() || l.names > table.size())
        fail("name or function data offset lies past the end of the table");

    // Names in a real table are distinct strings inside it; a bound on their total size keeps a
    // damaged table (every function pointing at the same long string) from costing copies or
    // reads of far more than the table.
    const std::uint64_t name_budget = 2 * std::uint64_t{table.size()} + (1u << 20);
    std::uint64_t name_bytes = 0;
    std::uint64_t prev_entry = 0;
    for (std::uint64_t i = 0; i < l.nfunc; ++i) {
        std::uint64_t at = l.functab + 2 * i * l.field;
        std::uint64_t entry = r.uint(at, l.field);
        std::uint64_t func_off = r.uint(at + l.field, l.field);
        if (entry < prev_entry) fail(fmt::format("function {} is out of address order", i));
        prev_entry = entry;
        if (func_off > table.size() - l.funcdata)
            fail(fmt::format("record of function {} lies past the end of the table", i));
        std::uint64_t rec = l.funcdata + func_off;
        // The runtime checks the same invariant: each record starts with its own entry.
        if (r.uint(rec, l.entry_size) != entry)
            fail(fmt::format("record of function {} does not match its index entry", i));
        std::uint64_t name_off = r.u32(rec + l.entry_size);
        if (name_off > table.size() - l.names)
            fail(fmt::format("name of function {} lies past the end of the table", i));
        std::string_view name = name_at(r, l.names + name_off, i);
        name_bytes += name.size();
        if (name_bytes > name_budget) fail("function names overlap beyond the table's size");
        visit(name);
    }
    // The end entry closes the last function.
    if (r.uint(l.functab + 2 * l.nfunc * l.field, l.field) < prev_entry)
        fail("end address lies before the last function");
    out.count = l.nfunc;
    return out;
}

} // namespace

FuncTable walk_pclntab(std::span<const std::byte> table, const NameVisitor& visit) {
    try {
        return parse_table(table, visit);
    } catch (const InputError& e) {
        // Reads past the end come from ByteReader without saying which table.
        if (std::string_view(e.what()).starts_with("Go function table")) throw;
        fail(e.what());
    }
}

FuncTable parse_pclntab(std::span<const std::byte> table) {
    std::vector<std::string> names;
    FuncTable t = walk_pclntab(table, [&](std::string_view name) { names.emplace_back(name); });
    t.names = std::move(names);
    return t;
}

namespace {

std::optional<std::uint64_t> scan_segment(std::span<const std::byte> data, Endian endian,
                                          unsigned ptr_size) {
    static constexpr char kRun[] = "\xff\xff\xff";
    const char* base = reinterpret_cast<const char*>(data.data());
    std::size_t pos = 0;
    while (pos + 3 <= data.size()) {
        const void* hit = memmem(base + pos, data.size() - pos, kRun, 3);
        if (!hit) break;
        std::size_t p = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
        // Little-endian magic is m ff ff ff, big-endian ff ff ff m.
        std::optional<std::size_t> header;
        if (endian == Endian::little && p >= 1) header = p - 1;
        if (endian == Endian::big) header = p;
        if (header && looks_like_header(data, *header) &&
            std::to_integer<unsigned>(data[*header + 7]) == ptr_size) {
            ByteReader r{data, endian};
            if (version_of_magic(r.u32(*header))) {
                try {
                    // A full walk: a look-alike in other data fails it, and scanning goes on.
                    walk_pclntab(data.subspan(*header), [](std::string_view) {});
                    return *header;
                } catch (const InputError&) {
                }
            }
        }
        pos = p + 1;
    }
    return std::nullopt;
}

// The file bytes from virtual address `addr` to the end of the file data of the PT_LOAD segment
// that holds it; empty when none holds it in file data.
std::span<const std::byte> bytes_from(const elf::ElfImage& image, std::uint64_t addr,
                                      std::uint64_t* file_offset) {
    for (const auto& seg : image.segments) {
        if (seg.type != PT_LOAD || addr < seg.vaddr || addr - seg.vaddr >= seg.filesz) continue;
        auto data = image.file_data(seg);
        if (addr - seg.vaddr >= data.size()) continue;
        *file_offset = seg.offset + (addr - seg.vaddr);
        return data.subspan(addr - seg.vaddr);
    }
    return {};
}

// The table at virtual address `addr`, when a header for the image's byte order and pointer
// size is there.
std::optional<TableBytes> table_at(const elf::ElfImage& image, std::uint64_t addr,
                                   std::string located_by) {
    TableBytes t;
    t.data = bytes_from(image, addr, &t.file_offset);
    if (!looks_like_header(t.data, 0) ||
        std::to_integer<unsigned>(t.data[7]) != image.pointer_size() ||
        !version_of_magic(image.reader(t.data).u32(0)))
        return std::nullopt;
    t.located_by = std::move(located_by);
    return t;
}

// runtime.firstmoduledata, told by its shape: slices whose length equals their capacity, and
// pointers into the table at the offsets its header gives. Go 1.16-1.25 begin with pcHeader,
// funcnametab, cutab, filetab, pctab, pclntable, ftab; Go 1.2-1.15 with pclntable, ftab, filetab.
// Returns the table's address.
std::optional<std::uint64_t> moduledata_table(const elf::ElfImage& image,
                                              std::span<const std::byte> data) {
    const unsigned w = image.pointer_size();
    ByteReader r = image.reader(data);
    auto word = [&](std::uint64_t at, unsigned i) { return r.uint(at + std::uint64_t{i} * w, w); };
    for (std::uint64_t at = 0; at + 19 * std::uint64_t{w} <= data.size(); at += w) {
        const std::uint64_t p0 = word(at, 0);
        if (p0 == 0) continue;
        const bool go116 = word(at, 2) == word(at, 3) && word(at, 5) == word(at, 6) &&
                           word(at, 8) == word(at, 9) && word(at, 14) == word(at, 15) &&
                           word(at, 17) == word(at, 18) && word(at, 2) != 0 && word(at, 1) > p0;
        const bool go12 = word(at, 1) == word(at, 2) && word(at, 4) == word(at, 5) &&
                          word(at, 7) == word(at, 8) && word(at, 1) != 0 &&
                          word(at, 3) == p0 + 8 + w;
        if (!go116 && !go12) continue;
        auto t = table_at(image, p0, {});
        if (!t) continue;
        ByteReader h = image.reader(t->data);
        auto version = *version_of_magic(h.u32(0));
        if (version == PclntabVersion::go12) {
            if (go12) return p0;
            continue;
        }
        if (!go116 || !h.has(8, 8 * std::uint64_t{w})) continue;
        // funcnametab and pclntable where the header says they are.
        const unsigned names_word = version == PclntabVersion::go116 ? 2 : 3;
        const unsigned pcln_word = version == PclntabVersion::go116 ? 6 : 7;
        if (word(at, 1) == p0 + h.uint(8 + names_word * w, w) &&
            word(at, 13) == p0 + h.uint(8 + pcln_word * w, w))
            return p0;
    }
    return std::nullopt;
}

bool is_table_section(const elf::Section& s) {
    return s.type != SHT_NOBITS && (s.name == ".gopclntab" || s.name.ends_with(".gopclntab"));
}

} // namespace

std::optional<TableBytes> locate_functions(const elf::ElfImage& image, bool scan) {
    const auto& bytes = image.bytes;
    for (const auto& s : image.sections) {
        if (!is_table_section(s)) continue;
        if (s.offset > bytes.size() || s.size > bytes.size() - s.offset)
            fail("section " + s.name + " lies outside the file");
        return TableBytes{bytes.subspan(s.offset, s.size), s.offset, "section " + s.name};
    }
    // The module data: its own section from Go 1.26 on, else inside .noptrdata.
    if (const elf::Section* mod = image.find_section(".go.module");
        mod && mod->type != SHT_NOBITS) {
        ByteReader r = image.reader(image.contents(*mod));
        if (r.has(0, image.pointer_size())) {
            if (auto t = table_at(image, r.uint(0, image.pointer_size()),
                                  "moduledata in section .go.module"))
                return t;
        }
    }
    if (const elf::Section* nd = image.find_section(".noptrdata"); nd && nd->type != SHT_NOBITS) {
        if (auto addr = moduledata_table(image, image.contents(*nd)))
            return table_at(image, *addr, "moduledata in section .noptrdata");
    }
    if (!scan) return std::nullopt;
    // No section: scan the file data of the non-executable PT_LOAD segments, read-only ones
    // first (internal linking puts the table after .rodata; PIE puts it in .data.rel.ro).
    for (bool writable : {false, true}) {
        for (const auto& seg : image.segments) {
            if (seg.type != PT_LOAD || (seg.flags & PF_X)) continue;
            if (((seg.flags & PF_W) != 0) != writable) continue;
            auto data = image.file_data(seg);
            if (data.empty()) continue;
            if (auto at = scan_segment(data, image.endian, image.pointer_size()))
                return TableBytes{data.subspan(*at), seg.offset + *at,
                                  fmt::format("scan of segment at offset {:#x}", seg.offset)};
        }
    }
    return std::nullopt;
}

FuncTable walk_functions(const elf::ElfImage& image, const NameVisitor& visit) {
    auto where = locate_functions(image, true);
    if (!where) fail("not found (no .gopclntab section and no valid header in the data segments)");
    FuncTable t = walk_pclntab(where->data, visit);
    t.file_offset = where->file_offset;
    t.located_by = where->located_by;
    return t;
}

FuncTable read_functions(const elf::ElfImage& image) {
    std::vector<std::string> names;
    FuncTable t = walk_functions(image, [&](std::string_view name) { names.emplace_back(name); });
    t.names = std::move(names);
    return t;
}

std::vector<std::string> sorted_function_names(const FuncTable& table) {
    std::vector<std::string> names = table.names;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

nlohmann::json to_json(const FuncTable& table, bool with_names) {
    nlohmann::json j = {
        {"version", version_range(table.version)},
        {"endian", table.endian == Endian::little ? "little" : "big"},
        {"pointer_size", table.ptr_size},
        {"quantum", table.quantum},
        {"located_by", table.located_by},
        {"file_offset", table.file_offset},
        {"functions", table.count},
    };
    if (with_names) j["names"] = sorted_function_names(table);
    return j;
}

} // namespace berth::gobuild
