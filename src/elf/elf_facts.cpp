#include "elf/elf_facts.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <fmt/format.h>

namespace berth::elf {

namespace {

// Not in every <elf.h> yet.
constexpr std::uint16_t kEmLoongArch = 258;

std::string osabi_name(std::uint8_t osabi) {
    switch (osabi) {
    case ELFOSABI_SYSV:
        return "SYSV";
    case ELFOSABI_GNU:
        return "GNU/Linux";
    case ELFOSABI_FREEBSD:
        return "FreeBSD";
    case ELFOSABI_NETBSD:
        return "NetBSD";
    case ELFOSABI_OPENBSD:
        return "OpenBSD";
    case ELFOSABI_SOLARIS:
        return "Solaris";
    case ELFOSABI_ARM:
        return "ARM";
    case ELFOSABI_STANDALONE:
        return "standalone";
    default:
        return "unknown(" + std::to_string(osabi) + ")";
    }
}

std::string type_name(std::uint16_t type) {
    switch (type) {
    case ET_REL:
        return "REL";
    case ET_EXEC:
        return "EXEC";
    case ET_DYN:
        return "DYN";
    case ET_CORE:
        return "CORE";
    default:
        return "unknown(" + std::to_string(type) + ")";
    }
}

struct FlagName {
    std::uint64_t bit;
    const char* name;
};

std::vector<std::string> flag_names(std::uint64_t value, std::initializer_list<FlagName> table) {
    std::vector<std::string> out;
    for (const auto& f : table)
        if (value & f.bit) out.emplace_back(f.name);
    return out;
}

// What .dynsym says about stack protection: the canary and FORTIFY functions the file imports,
// and where it defines __stack_chk_fail itself (a libc).
struct ProtectionSymbols {
    bool imports_canary = false;
    bool imports_fortify = false;
    std::size_t dynsym = 0;                  // section index of .dynsym
    std::vector<std::uint64_t> fail_symbols; // .dynsym indexes defining __stack_chk_fail
    std::vector<std::uint64_t> fail_addresses;
};

struct DynamicSymbols {
    ByteReader syms, strings;
    std::uint64_t entsize, shndx_at, value_at;

    std::uint64_t count() const { return syms.data.size() / entsize; }
    bool defined(std::uint64_t i) const { return syms.u16(i * entsize + shndx_at) != SHN_UNDEF; }
    std::string_view name(std::uint64_t i) const {
        std::uint32_t off = syms.u32(i * entsize);
        return off < strings.data.size() ? strings.cstring(off) : std::string_view{};
    }
    std::uint64_t value(std::uint64_t i) const {
        return syms.uint(i * entsize + value_at, entsize == 24 ? 8 : 4);
    }
};

// The defined .dynsym entry named `name`, found through the dynamic linker's own hash table
// (SHT_GNU_HASH, else SHT_HASH) so that a big table's names are not all read; without either,
// by reading them all.
std::optional<std::uint64_t> lookup(const ElfImage& img, std::size_t dynsym,
                                    const DynamicSymbols& d, std::string_view name) {
    auto matches = [&](std::uint64_t i) {
        return i < d.count() && d.defined(i) && d.name(i) == name;
    };
    for (const auto& s : img.sections) {
        if (s.link != dynsym || (s.type != SHT_GNU_HASH && s.type != SHT_HASH)) continue;
        ByteReader h = img.reader(img.contents(s));
        if (s.type == SHT_GNU_HASH) {
            std::uint32_t hash = 5381;
            for (char c : name) hash = hash * 33 + static_cast<unsigned char>(c);
            const std::uint64_t nbuckets = h.u32(0), symoffset = h.u32(4);
            const std::uint64_t buckets = 16 + std::uint64_t{h.u32(8)} * img.pointer_size();
            if (nbuckets == 0) return std::nullopt;
            const std::uint64_t chains = buckets + 4 * nbuckets;
            std::uint64_t i = h.u32(buckets + 4 * (hash % nbuckets));
            if (i < symoffset) return std::nullopt;
            for (; i < d.count(); ++i) {
                std::uint32_t chain = h.u32(chains + 4 * (i - symoffset));
                if ((chain | 1) == (hash | 1) && matches(i)) return i;
                if (chain & 1) break;
            }
            return std::nullopt;
        }
        std::uint32_t hash = 0;
        for (char c : name) {
            hash = (hash << 4) + static_cast<unsigned char>(c);
            hash ^= (hash >> 24) & 0xf0;
        }
        hash &= 0x0fffffff;
        const std::uint64_t nbucket = h.u32(0), nchain = h.u32(4);
        if (nbucket == 0) return std::nullopt;
        std::uint64_t i = h.u32(8 + 4 * (hash % nbucket));
        for (std::uint64_t steps = 0; i != 0 && i < nchain && steps < nchain; ++steps) {
            if (matches(i)) return i;
            i = h.u32(8 + 4 * nbucket + 4 * i);
        }
        return std::nullopt;
    }
    for (std::uint64_t i = 1; i < d.count(); ++i)
        if (matches(i)) return i;
    return std::nullopt;
}

ProtectionSymbols protection_symbols(const ElfImage& img) {
    ProtectionSymbols out;
    for (std::size_t i = 0; i < img.sections.size(); ++i) {
        const Section& s = img.sections[i];
        if (s.type != SHT_DYNSYM || s.link >= img.sections.size()) continue;
        out.dynsym = i;
        DynamicSymbols d{img.reader(img.contents(s)),
                         img.reader(img.contents(img.sections[s.link])), img.is64 ? 24u : 16u,
                         img.is64 ? 6u : 14u, img.is64 ? 8u : 4u};
        // Imports: only the undefined entries' names are read.
        for (std::uint64_t k = 1; k < d.count(); ++k) {
            if (d.defined(k)) continue;
            std::string_view name = d.name(k);
            if (!name.starts_with("__")) continue;
            out.imports_canary =
                out.imports_canary || name == "__stack_chk_fail" || name == "__stack_chk_guard";
            out.imports_fortify =
                out.imports_fortify || (name.ends_with("_chk") && name != "__stack_chk_fail");
        }
        if (!out.imports_canary) {
            try {
                if (auto k = lookup(img, i, d, "__stack_chk_fail")) {
                    out.fail_symbols.push_back(*k);
                    out.fail_addresses.push_back(d.value(*k));
                }
            } catch (const InputError&) {
                // A damaged hash table: judged by the imports alone, as before libc's case.
            }
        }
        break;
    }
    return out;
}

// True when a dynamic relocation names one of `symbols` (.dynsym indexes): a call through the
// PLT (or the GOT) to the file's own, preemptible definition.
bool relocation_names(const ElfImage& img, std::size_t dynsym,
                      const std::vector<std::uint64_t>& symbols) {
    for (const auto& s : img.sections) {
        if ((s.type != SHT_RELA && s.type != SHT_REL) || s.link != dynsym) continue;
        const unsigned w = img.pointer_size();
        const std::uint64_t entsize = (s.type == SHT_RELA ? 3 : 2) * std::uint64_t{w};
        ByteReader r = img.reader(img.contents(s));
        for (std::uint64_t off = 0; off + entsize <= r.data.size(); off += entsize) {
            std::uint64_t info = r.uint(off + w, w);
            std::uint64_t sym = img.is64 ? info >> 32 : info >> 8;
            if (std::find(symbols.begin(), symbols.end(), sym) != symbols.end()) return true;
        }
    }
    return false;
}

// True when the code calls one of `targets` directly: x86 `call rel32` (E8), AArch64 `bl`.
// A byte pattern, not a disassembly: a stray E8 whose four following bytes happen to point
// exactly at the target is possible, and improbable (one in 2^32 per E8 byte).
// nullopt for machines whose calls are not read.
std::optional<bool> calls_directly(const ElfImage& img, const std::vector<std::uint64_t>& targets) {
    const bool x86 = img.machine == EM_X86_64 || img.machine == EM_386;
    const bool arm64 = img.machine == EM_AARCH64 && img.endian == Endian::little;
    if (!x86 && !arm64) return std::nullopt;
    auto is_target = [&](std::uint64_t a) {
        if (!img.is64) a &= 0xffffffffu;
        return std::find(targets.begin(), targets.end(), a) != targets.end();
    };
    for (const auto& s : img.sections) {
        if (s.type != SHT_PROGBITS || !(s.flags & SHF_EXECINSTR)) continue;
        auto code = img.contents(s);
        ByteReader r{code, Endian::little};
        if (x86) {
            const auto* base = reinterpret_cast<const unsigned char*>(code.data());
            for (std::size_t i = 0; i + 5 <= code.size(); ++i) {
                const void* e8 = std::memchr(base + i, 0xE8, code.size() - 4 - i);
                if (!e8) break;
                i = static_cast<std::size_t>(static_cast<const unsigned char*>(e8) - base);
                auto rel = static_cast<std::int32_t>(r.u32(i + 1));
                if (is_target(s.addr + i + 5 + static_cast<std::uint64_t>(std::int64_t{rel})))
                    return true;
            }
        } else {
            for (std::size_t i = 0; i + 4 <= code.size(); i += 4) {
                std::uint32_t insn = r.u32(i);
                if ((insn & 0xFC000000u) != 0x94000000u) continue; // BL imm26
                std::int64_t imm = insn & 0x03FFFFFFu;
                if (imm & 0x02000000) imm -= 0x04000000; // sign-extend 26 bits
                if (is_target(s.addr + i + static_cast<std::uint64_t>(imm * 4))) return true;
            }
        }
    }
    return false;
}

// Static binaries carry no interpreter that names their libc: look for marks each libc leaves.
std::string static_libc(const ElfImage& img, bool is_go_without_cgo) {
    if (is_go_without_cgo) return "none";
    for (const auto& n : read_notes(img))
        if (n.name == "GNU" && n.type == NT_GNU_ABI_TAG) return "glibc";
    // glibc's static startup code reads the GLIBC_TUNABLES environment variable. Only .rodata is
    // searched: scanning the whole file would page all of it in.
    if (const Section* rodata = img.find_section(".rodata")) {
        std::string_view text = as_text(img.contents(*rodata));
        if (text.find("GLIBC_TUNABLES") != std::string_view::npos) return "glibc";
        // musl's strerror(0); glibc says "Success".
        if (text.find("No error information") != std::string_view::npos) return "musl";
    }
    return img.find_section(".text") || !img.segments.empty() ? "unknown" : "none";
}

std::string libc_of(const ElfImage& img, bool is_go_without_cgo) {
    auto mentions = [](const std::string& s, std::string_view what) {
        return s.find(what) != std::string::npos;
    };
    if (img.interpreter) {
        if (mentions(*img.interpreter, "ld-musl")) return "musl";
        if (mentions(*img.interpreter, "ld-linux") || mentions(*img.interpreter, "ld64.so") ||
            mentions(*img.interpreter, "ld.so"))
            return "glibc";
    }
    for (const auto& n : img.needed) {
        if (n.starts_with("libc.musl") || n == "libc.so") return "musl";
        if (n == "libc.so.6" || n == "libc.so.6.1") return "glibc";
    }
    if (img.interpreter || !img.needed.empty()) return "unknown";
    return static_libc(img, is_go_without_cgo);
}

} // namespace

std::string machine_name(std::uint16_t machine, bool is64, Endian endian) {
    switch (machine) {
    case EM_X86_64:
        return "x86_64";
    case EM_386:
        return "i386";
    case EM_AARCH64:
        return endian == Endian::little ? "aarch64" : "aarch64_be";
    case EM_ARM:
        return "arm";
    case EM_RISCV:
        return is64 ? "riscv64" : "riscv32";
    case EM_PPC64:
        return endian == Endian::little ? "ppc64le" : "ppc64";
    case EM_PPC:
        return "ppc";
    case EM_S390:
        return is64 ? "s390x" : "s390";
    case kEmLoongArch:
        return is64 ? "loongarch64" : "loongarch32";
    case EM_MIPS:
        return std::string(is64 ? "mips64" : "mips") + (endian == Endian::little ? "el" : "");
    case EM_SPARCV9:
        return "sparc64";
    default:
        return "unknown(" + std::to_string(machine) + ")";
    }
}

std::string goarch_name(std::uint16_t machine, bool is64, Endian endian) {
    switch (machine) {
    case EM_X86_64:
        return "amd64";
    case EM_386:
        return "386";
    case EM_AARCH64:
        return endian == Endian::little ? "arm64" : "";
    case EM_ARM:
        return "arm";
    case EM_RISCV:
        return is64 ? "riscv64" : "";
    case EM_PPC64:
        return endian == Endian::little ? "ppc64le" : "ppc64";
    case EM_S390:
        return is64 ? "s390x" : "";
    case kEmLoongArch:
        return is64 ? "loong64" : "";
    case EM_MIPS:
        return std::string(is64 ? "mips64" : "mips") + (endian == Endian::little ? "le" : "");
    default:
        return "";
    }
}

int compare_versions(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        unsigned long x = 0, y = 0;
        auto rx = std::from_chars(a.data() + i, a.data() + a.size(), x);
        auto ry = std::from_chars(b.data() + j, b.data() + b.size(), y);
        if (x != y) return x < y ? -1 : 1;
        i = static_cast<std::size_t>(rx.ptr - a.data());
        j = static_cast<std::size_t>(ry.ptr - b.data());
        // Skip the separator (or anything that is not a digit).
        while (i < a.size() && (a[i] < '0' || a[i] > '9')) ++i;
        while (j < b.size() && (b[j] < '0' || b[j] > '9')) ++j;
        if (rx.ec != std::errc() && ry.ec != std::errc()) break;
    }
    return 0;
}

std::optional<std::string> highest_version(const std::vector<std::string>& names,
                                           const std::string& prefix) {
    std::optional<std::string> best;
    for (const auto& n : names) {
        if (!n.starts_with(prefix)) continue;
        std::string v = n.substr(prefix.size());
        if (v.empty() || v[0] < '0' || v[0] > '9') continue; // GLIBC_PRIVATE
        if (!best || compare_versions(v, *best) > 0) best = v;
    }
    return best;
}

std::vector<Note> read_notes(const ElfImage& img) {
    std::vector<std::span<const std::byte>> areas;
    for (const auto& s : img.segments)
        if (s.type == PT_NOTE && ByteReader{img.bytes, img.endian}.has(s.offset, s.filesz))
            areas.push_back(img.bytes.subspan(s.offset, s.filesz));
    if (areas.empty())
        for (const auto& s : img.sections)
            if (s.type == SHT_NOTE && ByteReader{img.bytes, img.endian}.has(s.offset, s.size))
                areas.push_back(img.bytes.subspan(s.offset, s.size));
    std::vector<Note> notes;
    auto align4 = [](std::uint64_t v) { return (v + 3) & ~std::uint64_t{3}; };
    for (auto area : areas) {
        ByteReader r = img.reader(area);
        std::uint64_t off = 0;
        while (r.has(off, 12) && notes.size() < 4096) {
            std::uint32_t namesz = r.u32(off), descsz = r.u32(off + 4), type = r.u32(off + 8);
            std::uint64_t name_at = off + 12, desc_at = name_at + align4(namesz);
            if (!r.has(name_at, namesz) || !r.has(desc_at, descsz)) break;
            std::string_view name = r.text(name_at, namesz);
            name = name.substr(0, name.find('\0'));
            notes.push_back({std::string(name), type, r.slice(desc_at, descsz)});
            off = desc_at + align4(descsz);
        }
    }
    return notes;
}

namespace {

std::string hex_range(std::uint64_t from, std::uint64_t to) {
    return fmt::format("file bytes {:#x}-{:#x}", from, to);
}

// Everything the headers place in the file, compared with its size.
Truncation find_truncation(const ElfImage& img) {
    Truncation t;
    t.file_size = img.file_size;
    t.expected_size = img.file_size;
    auto past_end = [&](std::uint64_t offset, std::uint64_t size) {
        std::uint64_t end = offset + size;
        if (end < offset) end = UINT64_MAX; // wraps: certainly past the end
        if (end <= img.file_size) return false;
        t.expected_size = std::max(t.expected_size, end);
        return true;
    };
    for (std::size_t i = 0; i < img.segments.size(); ++i) {
        const Segment& s = img.segments[i];
        if (s.type == PT_LOAD && s.filesz > 0 && past_end(s.offset, s.filesz))
            t.cut_loaded.push_back(fmt::format("PT_LOAD segment {} ({})", i,
                                               hex_range(s.offset, s.offset + s.filesz)));
    }
    for (const Section& s : img.sections) {
        if (s.type == SHT_NOBITS || s.type == SHT_NULL || s.size == 0) continue;
        if (!past_end(s.offset, s.size)) continue;
        // A section inside a loadable segment is reported with its segment.
        if (s.flags & SHF_ALLOC) continue;
        t.cut_other.push_back(fmt::format("section {} ({})", s.name.empty() ? "?" : s.name,
                                          hex_range(s.offset, s.offset + s.size)));
    }
    if (img.shnum > 0 && img.shentsize > 0 && past_end(img.shoff, img.shnum * img.shentsize))
        t.cut_other.push_back(
            fmt::format("section header table ({})",
                        hex_range(img.shoff, img.shoff + img.shnum * img.shentsize)));
    return t;
}

} // namespace

ElfFacts derive_elf_facts(const ElfImage& img, bool is_go_without_cgo) {
    ElfFacts f;
    f.warnings = img.warnings;
    f.truncation = find_truncation(img);

    // Identity.
    Identity& id = f.identity;
    id.elf_class = img.is64 ? "ELF64" : "ELF32";
    id.endianness = img.endian == Endian::little ? "little" : "big";
    id.machine = machine_name(img.machine, img.is64, img.endian);
    id.goarch = goarch_name(img.machine, img.is64, img.endian);
    id.machine_code = img.machine;
    id.osabi = osabi_name(img.osabi);
    id.type = type_name(img.type);
    id.entry = img.entry;
    if (img.machine == EM_ARM) id.float_abi = (img.flags & EF_ARM_ABI_FLOAT_HARD) ? "hard" : "soft";

    const std::uint64_t flags = img.dynamic_value(DT_FLAGS);
    const std::uint64_t flags_1 = img.dynamic_value(DT_FLAGS_1);
    const bool pie_flag = flags_1 & DF_1_PIE;
    // An ET_DYN file is an executable when it says DF_1_PIE. Without that flag (older linkers)
    // one with an interpreter and no soname is an executable too; the rest are shared libraries,
    // even runnable ones like libc.so.6, which has an interpreter and a soname.
    id.pie = img.type == ET_DYN &&
             (pie_flag || (img.interpreter.has_value() && !img.soname.has_value()));
    id.shared_library = img.type == ET_DYN && !id.pie;

    // Linkage.
    Linkage& ln = f.linkage;
    ln.interpreter = img.interpreter;
    ln.needed = img.needed;
    ln.soname = img.soname;
    ln.rpath = img.rpath;
    ln.runpath = img.runpath;
    if (img.interpreter || !img.needed.empty() || id.shared_library)
        ln.kind = "dynamic";
    else if (img.type == ET_DYN)
        ln.kind = "static-pie";
    else
        ln.kind = "static";
    ln.libc = libc_of(img, is_go_without_cgo);
    ln.flags = flag_names(flags, {{DF_ORIGIN, "ORIGIN"},
                                  {DF_SYMBOLIC, "SYMBOLIC"},
                                  {DF_TEXTREL, "TEXTREL"},
                                  {DF_BIND_NOW, "BIND_NOW"},
                                  {DF_STATIC_TLS, "STATIC_TLS"}});
    ln.flags_1 = flag_names(flags_1, {{DF_1_NOW, "NOW"},
                                      {DF_1_GLOBAL, "GLOBAL"},
                                      {DF_1_NODELETE, "NODELETE"},
                                      {DF_1_INITFIRST, "INITFIRST"},
                                      {DF_1_NOOPEN, "NOOPEN"},
                                      {DF_1_ORIGIN, "ORIGIN"},
                                      {DF_1_INTERPOSE, "INTERPOSE"},
                                      {DF_1_NODEFLIB, "NODEFLIB"},
                                      {DF_1_PIE, "PIE"}});

    // Symbol versions.
    f.versions.needs = img.version_needs;
    std::vector<std::string> all_versions;
    for (const auto& need : img.version_needs)
        all_versions.insert(all_versions.end(), need.versions.begin(), need.versions.end());
    f.versions.max_glibc = highest_version(all_versions, "GLIBC_");
    f.versions.max_glibcxx = highest_version(all_versions, "GLIBCXX_");

    // Debug info and identity.
    DebugInfo& dbg = f.debug;
    dbg.file_size = img.bytes.size();
    dbg.stripped = img.find_section(".symtab") == nullptr;
    for (const auto& s : img.sections) {
        bool debug = s.name.starts_with(".debug_") || s.name.starts_with(".zdebug_");
        if (debug) dbg.dwarf_sections.push_back(s.name);
        if (debug || s.name == ".symtab" || s.name == ".strtab") dbg.strippable_bytes += s.size;
    }
    dbg.dwarf = !dbg.dwarf_sections.empty();
    for (const auto& n : read_notes(img))
        if (n.name == "GNU" && n.type == NT_GNU_BUILD_ID) dbg.gnu_build_id = hex_bytes(n.desc);

    // Hardening, from structure only.
    Hardening& h = f.hardening;
    const bool dynamic = ln.kind == "dynamic";
    if (id.shared_library) {
        h.pie = "n/a";
        h.notes.push_back("pie: a shared library is position-independent by construction");
    } else {
        h.pie = (id.pie || ln.kind == "static-pie") ? "yes" : "no";
    }
    const bool has_relro = img.find_segment(PT_GNU_RELRO) != nullptr;
    const bool bind_now = (flags & DF_BIND_NOW) || (flags_1 & DF_1_NOW) ||
                          std::any_of(img.dynamic.begin(), img.dynamic.end(),
                                      [](const DynamicEntry& d) { return d.tag == DT_BIND_NOW; });
    if (!dynamic && ln.kind == "static" && !has_relro) {
        h.relro = "n/a";
        h.notes.push_back("relro: static, not position-independent: no loader writes a GOT");
    } else if (!has_relro) {
        h.relro = "none";
    } else {
        h.relro = bind_now ? "full" : "partial";
    }
    if (const Segment* stack = img.find_segment(PT_GNU_STACK)) {
        h.nx = (stack->flags & PF_X) ? "no" : "yes";
    } else {
        h.nx = "unknown";
        h.notes.push_back("nx: no PT_GNU_STACK header; the kernel's default decides");
    }
    if (is_go_without_cgo) {
        h.canary = "n/a";
        h.fortify = "n/a";
        h.notes.push_back("canary, fortify: pure Go code checks stack bounds and slice bounds "
                          "itself; there is no C code to protect");
    } else if (dynamic && !img.sections.empty()) {
        auto symbols = protection_symbols(img);
        h.canary = symbols.imports_canary ? "yes" : "no";
        h.fortify = symbols.imports_fortify ? "yes" : "no";
        // A libc defines __stack_chk_fail instead of importing it: its protected functions call
        // its own definition, directly or through its PLT.
        if (!symbols.imports_canary && !symbols.fail_symbols.empty()) {
            if (relocation_names(img, symbols.dynsym, symbols.fail_symbols)) {
                h.canary = "yes";
            } else if (auto direct = calls_directly(img, symbols.fail_addresses)) {
                h.canary = *direct ? "yes" : "no";
            } else {
                h.canary = "unknown";
                h.notes.push_back("canary: defines __stack_chk_fail itself, and calls to it are "
                                  "not read on " +
                                  id.machine);
            }
        }
    } else {
        h.canary = "unknown";
        h.fortify = "unknown";
        h.notes.push_back(dynamic ? "canary, fortify: no section headers to read imports from"
                                  : "canary, fortify: a static binary contains libc's own "
                                    "protected code, so its symbols prove nothing about the "
                                    "program");
    }
    return f;
}

void to_json(nlohmann::json& j, const ElfFacts& f) {
    const auto& id = f.identity;
    auto opt = [](const std::optional<std::string>& v) -> nlohmann::json {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    nlohmann::json needs = nlohmann::json::array();
    for (const auto& n : f.versions.needs)
        needs.push_back({{"file", n.file}, {"versions", n.versions}});
    j = {
        {"identity",
         {{"class", id.elf_class},
          {"endianness", id.endianness},
          {"machine", id.machine},
          {"goarch", id.goarch},
          {"machine_code", id.machine_code},
          {"osabi", id.osabi},
          {"type", id.type},
          {"pie", id.pie},
          {"shared_library", id.shared_library},
          {"entry", id.entry}}},
        {"linkage",
         {{"kind", f.linkage.kind},
          {"interpreter", opt(f.linkage.interpreter)},
          {"libc", f.linkage.libc},
          {"needed", f.linkage.needed},
          {"soname", opt(f.linkage.soname)},
          {"rpath", opt(f.linkage.rpath)},
          {"runpath", opt(f.linkage.runpath)},
          {"flags", f.linkage.flags},
          {"flags_1", f.linkage.flags_1}}},
        {"versions",
         {{"needs", needs},
          {"max_glibc", opt(f.versions.max_glibc)},
          {"max_glibcxx", opt(f.versions.max_glibcxx)}}},
        {"debug",
         {{"stripped", f.debug.stripped},
          {"dwarf", f.debug.dwarf},
          {"dwarf_sections", f.debug.dwarf_sections},
          {"strippable_bytes", f.debug.strippable_bytes},
          {"gnu_build_id", opt(f.debug.gnu_build_id)},
          {"file_size", f.debug.file_size},
          {"sha256", opt(f.debug.sha256)}}},
        {"hardening",
         {{"pie", f.hardening.pie},
          {"relro", f.hardening.relro},
          {"nx", f.hardening.nx},
          {"canary", f.hardening.canary},
          {"fortify", f.hardening.fortify},
          {"notes", f.hardening.notes}}},
        {"truncation",
         {{"file_size", f.truncation.file_size},
          {"expected_size", f.truncation.expected_size},
          {"cut_loaded", f.truncation.cut_loaded},
          {"cut_other", f.truncation.cut_other}}},
        {"warnings", f.warnings},
    };
    if (!id.float_abi.empty()) j["identity"]["float_abi"] = id.float_abi;
}

} // namespace berth::elf
