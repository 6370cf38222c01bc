#include "elf/elf_image.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <memory>
#include <mutex>
#include <vector>

namespace berth::elf {

namespace {

// Upper bounds that no real file reaches; they keep a corrupt header from driving huge loops.
constexpr std::size_t kMaxSegments = 65535;
constexpr std::size_t kMaxSections = 1 << 20;
constexpr std::size_t kMaxDynamic = 1 << 16;
constexpr std::size_t kMaxVersionEntries = 1 << 14;
// The dynamic section's strings: one longer than kMaxDynamicString is no name or path a loader
// would use, and all of them together stay far below kMaxDynamicStrings in any real file. They
// bound what a hostile file (65536 DT_NEEDED entries, each naming a long string) makes us copy.
constexpr std::uint64_t kMaxDynamicString = 64 * 1024;
constexpr std::uint64_t kMaxDynamicStrings = 1 << 20;
// How far past the last string's start the first read goes, and how much it reads at most.
constexpr std::uint64_t kStringTail = 4096;
constexpr std::uint64_t kStringWindow = 64 * 1024;

struct ElfCloser {
    void operator()(Elf* e) const { elf_end(e); }
};
using ElfHandle = std::unique_ptr<Elf, ElfCloser>;

std::string libelf_error() {
    const char* msg = elf_errmsg(-1);
    return msg ? msg : "unknown libelf error";
}

// The image must be writable memory: elf_memory() reads in ELF_C_READ_MMAP_PRIVATE mode, which
// allows libelf to convert data in place. MappedFile maps privately and writably for that reason
// (copy-on-write: the file never changes, and untouched pages cost nothing).
ElfHandle open_memory(std::span<const std::byte> bytes) {
    static std::once_flag once;
    std::call_once(once, [] { elf_version(EV_CURRENT); });
    Elf* e =
        elf_memory(const_cast<char*>(reinterpret_cast<const char*>(bytes.data())), bytes.size());
    if (!e) throw InputError("cannot read as ELF: " + libelf_error());
    return ElfHandle(e);
}

std::string hex(std::uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

// Maps a virtual address range to a file offset through the PT_LOAD segments; nullopt unless
// the whole range is file data of one segment and lies inside the file.
std::optional<std::uint64_t> file_offset_of(const ElfImage& img, std::uint64_t addr,
                                            std::uint64_t len) {
    for (const auto& s : img.segments) {
        if (s.type != PT_LOAD) continue;
        if (addr < s.vaddr || addr - s.vaddr > s.filesz || len > s.filesz - (addr - s.vaddr))
            continue;
        std::uint64_t off = s.offset + (addr - s.vaddr);
        const std::uint64_t size = img.bytes.empty() ? img.file_size : img.bytes.size();
        if (off < s.offset || off > size || len > size - off) continue;
        return off;
    }
    return std::nullopt;
}

bool names_a_string(std::int64_t tag) {
    return tag == DT_NEEDED || tag == DT_SONAME || tag == DT_RPATH || tag == DT_RUNPATH;
}

// The strings DT_NEEDED, DT_SONAME, DT_RPATH and DT_RUNPATH point to, read from DT_STRTAB (a
// virtual address, DT_STRSZ long). The table of a big library holds every symbol name too, so
// it is not read whole: one read from the first of these strings to a little past the last
// covers them in every real file; a string outside that window is read on its own.
void read_dynamic_strings(ElfImage& img, FileRanges& file) {
    std::uint64_t strtab = 0, strsz = 0, first = UINT64_MAX, last = 0;
    for (const auto& d : img.dynamic) {
        if (d.tag == DT_STRTAB) strtab = d.value;
        if (d.tag == DT_STRSZ) strsz = d.value;
        if (names_a_string(d.tag)) {
            first = std::min(first, d.value);
            last = std::max(last, d.value);
        }
    }
    if (first == UINT64_MAX) return;
    auto str_off = file_offset_of(img, strtab, strsz);
    if (!str_off)
        throw InputError("dynamic string table at address " + hex(strtab) + " size " + hex(strsz) +
                         " is not in the file");
    std::span<const std::byte> window; // table bytes from offset `first`
    if (first < strsz) {
        // strsz is at most the file's size, so last + kStringTail cannot wrap.
        std::uint64_t end = last < strsz ? std::min(strsz, last + kStringTail) : strsz;
        window = file.get(*str_off + first, std::min(end - first, kStringWindow));
    }
    std::uint64_t total = 0;
    auto str = [&](std::uint64_t off) {
        if (off >= strsz) throw InputError("string offset past the end of the data");
        std::string s;
        std::string_view in_window;
        if (off - first < window.size()) in_window = as_text(window.subspan(off - first));
        if (auto nul = in_window.find('\0'); nul != std::string_view::npos)
            s = in_window.substr(0, nul);
        else
            s = file.cstring(*str_off + off, std::min(strsz - off, kMaxDynamicString));
        total += s.size();
        if (total > kMaxDynamicStrings)
            throw InputError("the dynamic section's strings add up to more than " +
                             std::to_string(kMaxDynamicStrings) + " bytes");
        return s;
    };
    for (const auto& d : img.dynamic) {
        switch (d.tag) {
        case DT_NEEDED:
            img.needed.push_back(str(d.value));
            break;
        case DT_SONAME:
            img.soname = str(d.value);
            break;
        case DT_RPATH:
            img.rpath = str(d.value);
            break;
        case DT_RUNPATH:
            img.runpath = str(d.value);
            break;
        default:
            break;
        }
    }
}

void read_dynamic(ElfImage& img, FileRanges& file) {
    const Segment* dyn = img.find_segment(PT_DYNAMIC);
    if (!dyn) return;
    if (!file.has(dyn->offset, dyn->filesz))
        throw InputError("dynamic segment at offset " + hex(dyn->offset) + " size " +
                         hex(dyn->filesz) + " lies outside the file");
    const unsigned w = img.pointer_size();
    const std::uint64_t count = std::min<std::uint64_t>(dyn->filesz / (2 * w), kMaxDynamic);
    ByteReader r = img.reader(file.get(dyn->offset, count * 2 * w));
    img.dynamic.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t off = i * 2 * w;
        auto tag = static_cast<std::int64_t>(r.uint(off, w));
        if (!img.is64) tag = static_cast<std::int32_t>(tag);
        if (tag == DT_NULL) break;
        img.dynamic.push_back({tag, r.uint(off + w, w)});
    }
    read_dynamic_strings(img, file);
}

// The records of .gnu.version_r and .gnu.version_d, found through DT_VERNEED and DT_VERDEF so
// that files without section headers work too, and their names in DT_STRTAB. Read through a
// window: the records of a file lie together and rarely pass 4 KiB, and the names lie together
// in the string table, so one read each serves nearly every file; anything outside is read on
// its own.
class VersionReader {
  public:
    VersionReader(const ElfImage& img, FileRanges& file) : img_(img), file_(file) {
        strtab_ = img.dynamic_value(DT_STRTAB);
        strsz_ = img.dynamic_value(DT_STRSZ);
    }

    // Positions the record window at virtual address `addr`; false when it is not in the file.
    bool start(std::uint64_t addr, std::uint64_t min_len) {
        auto off = file_offset_of(img_, addr, min_len);
        if (!off) return false;
        base_ = *off;
        records_ = file_.get(base_, std::min<std::uint64_t>(kWindow, file_.size() - base_));
        return true;
    }
    // A record field at `rel` bytes from the window's start.
    ByteReader record(std::uint64_t rel, std::uint64_t len) {
        if (rel <= records_.size() && len <= records_.size() - rel)
            return img_.reader(records_.subspan(rel, len));
        if (base_ + rel < base_) throw InputError("version record offset wraps around");
        return img_.reader(file_.get(base_ + rel, len));
    }
    // Reads the names at these string-table offsets (one window over their range).
    std::vector<std::string> names(const std::vector<std::uint32_t>& offsets) {
        std::vector<std::string> out;
        if (offsets.empty()) return out;
        auto str_off = file_offset_of(img_, strtab_, strsz_);
        if (!str_off) throw InputError("dynamic string table is not in the file");
        auto [lo, hi] = std::minmax_element(offsets.begin(), offsets.end());
        if (*hi >= strsz_) throw InputError("version name offset past the end of the strings");
        std::uint64_t len = std::min<std::uint64_t>(strsz_ - *lo, *hi - *lo + kStringTail);
        auto window = as_text(file_.get(*str_off + *lo, std::min(len, kStringWindow)));
        out.reserve(offsets.size());
        for (std::uint32_t o : offsets) {
            std::string_view in;
            if (o - *lo < window.size()) in = window.substr(o - *lo);
            if (auto nul = in.find('\0'); nul != std::string_view::npos)
                out.emplace_back(in.substr(0, nul));
            else
                out.push_back(file_.cstring(
                    *str_off + o, std::min<std::uint64_t>(strsz_ - o, kMaxDynamicString)));
        }
        return out;
    }

  private:
    static constexpr std::uint64_t kWindow = 4096;
    const ElfImage& img_;
    FileRanges& file_;
    std::uint64_t strtab_ = 0, strsz_ = 0, base_ = 0;
    std::span<const std::byte> records_;
};

// Elf32_Verneed and Elf64_Verneed have the same layout (so do the aux records).
void read_version_needs(ElfImage& img, FileRanges& file) {
    std::uint64_t addr = img.dynamic_value(DT_VERNEED);
    std::uint64_t count = img.dynamic_value(DT_VERNEEDNUM);
    if (!addr || !count) return;
    VersionReader in(img, file);
    if (!in.start(addr, 16))
        throw InputError("version needs at address " + hex(addr) + " are not in the file");
    struct Pending {
        std::uint32_t file;
        std::vector<std::uint32_t> versions;
        std::vector<bool> weak;
    };
    std::vector<Pending> pending;
    std::vector<std::uint32_t> offsets;
    std::uint64_t off = 0;
    std::size_t entries = 0;
    for (std::uint64_t i = 0; i < count && entries < kMaxVersionEntries; ++i, ++entries) {
        ByteReader r = in.record(off, 16);
        Pending p{r.u32(4), {}, {}};
        offsets.push_back(p.file);
        std::uint16_t aux_count = r.u16(2);
        std::uint64_t aux = off + r.u32(8);
        for (std::uint16_t k = 0; k < aux_count && entries < kMaxVersionEntries; ++k, ++entries) {
            ByteReader a = in.record(aux, 16);
            p.versions.push_back(a.u32(8));
            p.weak.push_back((a.u16(4) & VER_FLG_WEAK) != 0);
            offsets.push_back(a.u32(8));
            std::uint32_t next = a.u32(12);
            if (next == 0) break;
            aux += next;
        }
        pending.push_back(std::move(p));
        std::uint32_t next = r.u32(12);
        if (next == 0) break;
        off += next;
    }
    auto names = in.names(offsets);
    std::size_t n = 0;
    for (const auto& p : pending) {
        VersionNeed need;
        need.file = names[n++];
        for (std::size_t k = 0; k < p.versions.size(); ++k) {
            need.versions.push_back(names[n++]);
            if (p.weak[k]) need.weak.push_back(need.versions.back());
        }
        img.version_needs.push_back(std::move(need));
    }
}

// .gnu.version_d: the versions a library defines (libc.so.6 defines GLIBC_2.2.5 ... GLIBC_2.36).
void read_version_defs(ElfImage& img, FileRanges& file) {
    std::uint64_t addr = img.dynamic_value(DT_VERDEF);
    std::uint64_t count = img.dynamic_value(DT_VERDEFNUM);
    if (!addr || !count) return;
    VersionReader in(img, file);
    if (!in.start(addr, 20))
        throw InputError("version definitions at address " + hex(addr) + " are not in the file");
    std::vector<std::uint32_t> offsets;
    std::uint64_t off = 0;
    for (std::uint64_t i = 0; i < count && i < kMaxVersionEntries; ++i) {
        ByteReader r = in.record(off, 20);
        std::uint16_t flags = r.u16(2);
        std::uint16_t aux_count = r.u16(6);
        // The VER_FLG_BASE entry names the file itself, not a version.
        if (aux_count > 0 && !(flags & VER_FLG_BASE))
            offsets.push_back(in.record(off + r.u32(12), 4).u32(0));
        std::uint32_t next = r.u32(16);
        if (next == 0) break;
        off += next;
    }
    img.version_defs = in.names(offsets);
}

void read_sections(ElfImage& img, Elf* e) {
    std::size_t count = 0, names_index = 0;
    if (elf_getshdrnum(e, &count) != 0) {
        img.warnings.push_back("section headers unreadable: " + libelf_error());
        return;
    }
    if (count == 0) return;
    if (count > kMaxSections) {
        img.warnings.push_back("section count " + std::to_string(count) + " is implausible");
        return;
    }
    bool have_names = elf_getshdrstrndx(e, &names_index) == 0;
    img.sections.reserve(count);
    // Index 0 is the null section, which elf_nextscn() skips: keep indexes equal to sh_link's.
    img.sections.emplace_back();
    for (Elf_Scn* scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh)) {
            img.warnings.push_back("section header unreadable: " + libelf_error());
            break;
        }
        Section s;
        if (have_names) {
            const char* name = elf_strptr(e, names_index, sh.sh_name);
            if (name) s.name = name;
        }
        s.type = sh.sh_type;
        s.flags = sh.sh_flags;
        s.addr = sh.sh_addr;
        s.offset = sh.sh_offset;
        s.size = sh.sh_size;
        s.link = sh.sh_link;
        s.entsize = sh.sh_entsize;
        img.sections.push_back(std::move(s));
    }
    if (!have_names) img.warnings.push_back("section names unreadable: " + libelf_error());
}

} // namespace

bool is_elf(std::span<const std::byte> bytes) {
    return bytes.size() >= 4 && std::memcmp(bytes.data(), ELFMAG, SELFMAG) == 0;
}

ElfImage read_layout(FileRanges& file) {
    const std::uint64_t size = file.size();
    auto head = file.get(0, std::min<std::uint64_t>(size, EI_NIDENT));
    if (!is_elf(head)) throw InputError("not an ELF file (no ELF magic number)");
    auto ident = reinterpret_cast<const unsigned char*>(head.data());
    if (size < EI_NIDENT) throw InputError("truncated ELF header");
    ElfImage img;
    img.file_size = size;
    if (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64)
        throw InputError("unknown ELF class " + std::to_string(ident[EI_CLASS]));
    if (ident[EI_DATA] != ELFDATA2LSB && ident[EI_DATA] != ELFDATA2MSB)
        throw InputError("unknown ELF data encoding " + std::to_string(ident[EI_DATA]));
    img.is64 = ident[EI_CLASS] == ELFCLASS64;
    img.endian = ident[EI_DATA] == ELFDATA2LSB ? Endian::little : Endian::big;
    img.osabi = ident[EI_OSABI];
    img.abiversion = ident[EI_ABIVERSION];
    const std::size_t ehdr_size = img.is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    if (size < ehdr_size)
        throw InputError("truncated ELF header (" + std::to_string(size) + " of " +
                         std::to_string(ehdr_size) + " bytes)");

    // The ELF header and program headers are read directly: they are all the loader-emulating
    // resolver needs, and skipping libelf's setup there keeps `berth ldd` over /usr/bin fast.
    ByteReader ehdr = img.reader(file.get(0, ehdr_size));
    const unsigned w = img.is64 ? 8 : 4;
    img.type = ehdr.u16(16);
    img.machine = ehdr.u16(18);
    img.entry = ehdr.uint(24, w);
    const std::uint64_t phoff = ehdr.uint(24 + w, w);
    const std::uint64_t shoff = ehdr.uint(24 + 2 * w, w);
    img.flags = ehdr.u32(24 + 3 * w);
    const std::uint16_t phentsize = ehdr.u16(img.is64 ? 54 : 42);
    img.shoff = shoff;
    img.shentsize = ehdr.u16(img.is64 ? 58 : 46);
    img.shnum = ehdr.u16(img.is64 ? 60 : 48);
    std::uint64_t phnum = ehdr.u16(img.is64 ? 56 : 44);
    if (phnum == PN_XNUM) { // the real count is in section header 0's sh_info
        std::uint64_t sh_info_at = shoff + (img.is64 ? 44 : 28);
        if (sh_info_at < shoff || !file.has(sh_info_at, 4))
            throw InputError("program header count in section header 0 lies outside the file");
        phnum = img.reader(file.get(sh_info_at, 4)).u32(0);
    }
    if (phnum > kMaxSegments) throw InputError("implausible program header count");
    const std::size_t phent = img.is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    // The kernel and ld.so refuse any other entry size; accepting one would let a hostile
    // header make us read up to 65535 x 65535 bytes of program headers.
    if (phnum > 0 && phentsize != phent)
        throw InputError("program header entry size " + std::to_string(phentsize) + " is not " +
                         std::to_string(phent) + ", the size for its ELF class");
    if (phnum > 0 && !file.has(phoff, phnum * phentsize))
        throw InputError("program headers at offset " + hex(phoff) +
                         " lie outside the file (size " + hex(size) + ")");
    ByteReader phdrs =
        img.reader(phnum > 0 ? file.get(phoff, phnum * phentsize) : std::span<const std::byte>{});
    img.segments.reserve(phnum);
    for (std::uint64_t i = 0; i < phnum; ++i) {
        const std::uint64_t at = i * phentsize;
        Segment seg;
        seg.type = phdrs.u32(at);
        if (img.is64) {
            seg.flags = phdrs.u32(at + 4);
            seg.offset = phdrs.u64(at + 8);
            seg.vaddr = phdrs.u64(at + 16);
            seg.filesz = phdrs.u64(at + 32);
            seg.memsz = phdrs.u64(at + 40);
        } else {
            seg.offset = phdrs.u32(at + 4);
            seg.vaddr = phdrs.u32(at + 8);
            seg.filesz = phdrs.u32(at + 16);
            seg.memsz = phdrs.u32(at + 20);
            seg.flags = phdrs.u32(at + 24);
        }
        img.segments.push_back(seg);
    }
    if (const Segment* interp = img.find_segment(PT_INTERP)) {
        if (!file.has(interp->offset, interp->filesz))
            throw InputError("interpreter path at offset " + hex(interp->offset) +
                             " lies outside the file");
        // The kernel refuses to run a file whose PT_INTERP is longer than PATH_MAX.
        if (interp->filesz > PATH_MAX)
            throw InputError("interpreter path of " + std::to_string(interp->filesz) +
                             " bytes is longer than PATH_MAX: the kernel refuses to run it");
        auto text = as_text(file.get(interp->offset, interp->filesz));
        img.interpreter = std::string(text.substr(0, text.find('\0')));
    }
    read_dynamic(img, file);
    read_version_needs(img, file);
    read_version_defs(img, file);
    return img;
}

ElfImage parse_image(std::span<const std::byte> bytes) {
    FileRanges file = FileRanges::mapped(bytes);
    ElfImage img = read_layout(file);
    img.bytes = bytes;
    ElfHandle e = open_memory(bytes);
    if (elf_kind(e.get()) != ELF_K_ELF) throw InputError("not an ELF object");
    read_sections(img, e.get());
    return img;
}

const Section* ElfImage::find_section(std::string_view name) const {
    for (const auto& s : sections)
        if (s.name == name) return &s;
    return nullptr;
}

std::uint64_t ElfImage::dynamic_value(std::int64_t tag) const {
    for (const auto& d : dynamic)
        if (d.tag == tag) return d.value;
    return 0;
}

const Segment* ElfImage::find_segment(std::uint32_t seg_type) const {
    for (const auto& s : segments)
        if (s.type == seg_type) return &s;
    return nullptr;
}

std::span<const std::byte> ElfImage::contents(const Section& s) const {
    if (s.type == SHT_NOBITS) return {};
    ByteReader r{bytes, endian};
    if (!r.has(s.offset, s.size))
        throw InputError("section " + s.name + " at offset " + hex(s.offset) + " size " +
                         hex(s.size) + " lies outside the file");
    return bytes.subspan(s.offset, s.size);
}

std::span<const std::byte> ElfImage::file_data(const Segment& s) const {
    if (s.offset >= bytes.size()) return {};
    return bytes.subspan(s.offset, std::min<std::uint64_t>(s.filesz, bytes.size() - s.offset));
}

std::span<const std::byte> ElfImage::at_vaddr(std::uint64_t addr, std::uint64_t len) const {
    auto off = file_offset_of(*this, addr, len);
    if (!off || !ByteReader{bytes, endian}.has(*off, len))
        throw InputError("address " + hex(addr) + " (+" + std::to_string(len) +
                         " bytes) is not mapped from the file");
    return bytes.subspan(*off, len);
}

} // namespace berth::elf
