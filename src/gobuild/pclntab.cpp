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

FuncTable parse_table(std::span<const std::byte> table) {
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

    out.names.reserve(l.nfunc);
    // Names in a real table are distinct strings inside it; a bound on their total size keeps a
    // damaged table (every function pointing at the same long string) from exhausting memory.
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
        out.names.emplace_back(name);
    }
    // The end entry closes the last function.
    if (r.uint(l.functab + 2 * l.nfunc * l.field, l.field) < prev_entry)
        fail("end address lies before the last function");
    return out;
}

} // namespace

FuncTable parse_pclntab(std::span<const std::byte> table) {
    try {
        return parse_table(table);
    } catch (const InputError& e) {
        // Reads past the end come from ByteReader without saying which table.
        if (std::string_view(e.what()).starts_with("Go function table")) throw;
        fail(e.what());
    }
}

namespace {

std::optional<FuncTable> scan_segment(std::span<const std::byte> data, Endian endian,
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
                    FuncTable t = parse_pclntab(data.subspan(*header));
                    t.file_offset = *header;
                    return t;
                } catch (const InputError&) {
                    // A look-alike in other data: keep scanning.
                }
            }
        }
        pos = p + 1;
    }
    return std::nullopt;
}

} // namespace

FuncTable read_functions(const elf::ElfImage& image) {
    const auto& bytes = image.bytes;
    for (const auto& s : image.sections) {
        if (s.name != ".gopclntab" || s.type == SHT_NOBITS) continue;
        if (s.offset > bytes.size() || s.size > bytes.size() - s.offset)
            fail("section .gopclntab lies outside the file");
        FuncTable t = parse_pclntab(bytes.subspan(s.offset, s.size));
        t.file_offset = s.offset;
        t.located_by = "section .gopclntab";
        return t;
    }
    // No section: scan the file data of the non-executable PT_LOAD segments, read-only ones
    // first (internal linking puts the table after .rodata; PIE puts it in .data.rel.ro).
    for (bool writable : {false, true}) {
        for (const auto& seg : image.segments) {
            if (seg.type != PT_LOAD || (seg.flags & PF_X)) continue;
            if (((seg.flags & PF_W) != 0) != writable) continue;
            auto data = image.file_data(seg);
            if (data.empty()) continue;
            if (auto t = scan_segment(data, image.endian, image.pointer_size())) {
                t->file_offset += seg.offset;
                t->located_by = fmt::format("scan of segment at offset {:#x}", seg.offset);
                return *t;
            }
        }
    }
    fail("not found (no .gopclntab section and no valid header in the data segments)");
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
        {"functions", table.names.size()},
    };
    if (with_names) j["names"] = sorted_function_names(table);
    return j;
}

} // namespace berth::gobuild
