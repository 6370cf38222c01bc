#include "gobuild/buildinfo.hpp"

#include "gobuild/go_quote.hpp"
#include "util/byte_reader.hpp"
#include "util/error.hpp"

#include <cstring>
#include <elf.h>
#include <fmt/format.h>

namespace berth::gobuild {

namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr std::size_t kHeaderSize = 32;
constexpr std::size_t kAlign = 16;
constexpr std::uint8_t kFlagInline = 0x2;
constexpr std::size_t kSentinelSize = 16;
// debug/buildinfo reads this much from the start of the data (DataStart) and looks only there.
constexpr std::uint64_t kWindow = 64 * 1024;

[[noreturn]] void corrupt(const std::string& what) {
    throw InputError("corrupt Go build info: " + what);
}

// encoding/binary.Uvarint: little-endian base-128, at most 10 bytes, the 10th at most 1.
// nullopt where Uvarint returns n <= 0 (data ends inside the number, or it overflows).
std::optional<std::uint64_t> uvarint(std::span<const std::byte> data, std::size_t& off) {
    std::uint64_t value = 0;
    for (unsigned i = 0; i < 10 && off + i < data.size(); ++i) {
        auto b = static_cast<std::uint8_t>(data[off + i]);
        if (i == 9 && b > 1) return std::nullopt;
        value |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
        if (b < 0x80) {
            off += i + 1;
            return value;
        }
    }
    return std::nullopt;
}

// debug/buildinfo.decodeString: a uvarint length and that many bytes. Like Go, a string that
// ends exactly at the end of the data read is refused (`u >= len(data)-n`); then this and every
// later string are empty.
std::string decode_string(std::span<const std::byte>& data) {
    std::size_t off = 0;
    auto len = uvarint(data, off);
    if (!len || *len >= data.size() - off) {
        data = {};
        return {};
    }
    std::string s(as_text(data.subspan(off, *len)));
    data = data.subspan(off + *len);
    return s;
}

// debug/buildinfo's elfExe.ReadData: up to `size` bytes at `addr` from the first program header
// (of any type, in file order) whose [vaddr, vaddr+filesz-1] holds it, computed in wrapping
// 64-bit arithmetic as Go does. nullopt where Go returns an error: no header holds the address,
// or the bytes run past the end of the file or of the header's file size.
std::optional<std::span<const std::byte>> read_data(const elf::ElfImage& image, std::uint64_t addr,
                                                    std::uint64_t size) {
    for (const auto& prog : image.segments) {
        if (!(prog.vaddr <= addr && addr <= prog.vaddr + prog.filesz - 1)) continue;
        // io.SectionReader over the header's file bytes: an offset at or past its size is EOF
        // (a zero-sized header at address 0 holds every address by the rule above, and fails
        // here), and so is a read the file cannot fill.
        std::uint64_t rel = addr - prog.vaddr;
        if (rel >= prog.filesz) return std::nullopt;
        std::uint64_t n = std::min(prog.filesz - rel, size);
        if (n == 0) return std::span<const std::byte>{};
        if (prog.offset > image.bytes.size() || rel > image.bytes.size() - prog.offset ||
            n > image.bytes.size() - prog.offset - rel)
            return std::nullopt;
        return image.bytes.subspan(prog.offset + rel, n);
    }
    return std::nullopt;
}

// debug/buildinfo.readString: the Go string header {data, len} at `addr` and its bytes; "" when
// any of it can't be read.
std::string read_string(const elf::ElfImage& image, Endian endian, unsigned ptr_size,
                        std::uint64_t addr) {
    auto read_ptr = [&](std::span<const std::byte> b, std::uint64_t at) {
        return ByteReader{b, endian}.uint(at, ptr_size == 4 ? 4 : 8);
    };
    auto hdr = read_data(image, addr, 2 * std::uint64_t{ptr_size});
    if (!hdr || hdr->size() < 2 * std::uint64_t{ptr_size}) return {};
    // Go reads 8-byte words for any size but 4, past the end of a header of 2-7 or 10-14 bytes
    // (it panics): berth refuses such a size once it gets that far.
    if (ptr_size != 4 && ptr_size < 8)
        corrupt(fmt::format("pointer size {} is neither 4 nor 8", ptr_size));
    std::uint64_t data_addr = read_ptr(*hdr, 0);
    std::uint64_t data_len = read_ptr(*hdr, ptr_size);
    auto data = read_data(image, data_addr, data_len);
    if (!data || data->size() < data_len) return {};
    return std::string(as_text(*data));
}

// Removes the 16-byte sentinels cmd/go puts around the module info (modload.infoStart/infoEnd),
// by debug/buildinfo's rule: at least 33 bytes whose 17th from the end is '\n', else no module
// info at all (a GOPATH build, or a test binary, whose info is the two sentinels alone).
std::string_view strip_sentinels(std::string_view mod) {
    if (mod.size() >= 2 * kSentinelSize + 1 && mod[mod.size() - kSentinelSize - 1] == '\n')
        return mod.substr(kSentinelSize, mod.size() - 2 * kSentinelSize);
    return {};
}

std::vector<std::string_view> split_tabs(std::string_view s) {
    std::vector<std::string_view> parts;
    for (;;) {
        auto tab = s.find('\t');
        parts.push_back(s.substr(0, tab));
        if (tab == std::string_view::npos) return parts;
        s.remove_prefix(tab + 1);
    }
}

BuildSetting parse_build_line(std::string_view kv) {
    if (kv.empty()) throw std::runtime_error("build line missing '='");
    BuildSetting s;
    std::string_view raw_value;
    if (kv[0] == '=') throw std::runtime_error("build line with missing key");
    if (kv[0] == '"' || kv[0] == '`') {
        auto len = go_quoted_prefix(kv);
        if (!len) throw std::runtime_error("invalid quoted key in build line");
        if (*len == kv.size()) throw std::runtime_error("build line missing '=' after quoted key");
        if (kv[*len] != '=')
            throw std::runtime_error(fmt::format("unexpected character after quoted key: {}",
                                                 go_quote(std::string_view(&kv[*len], 1))));
        s.key = go_unquote(kv.substr(0, *len)).value_or("");
        raw_value = kv.substr(*len + 1);
    } else {
        auto eq = kv.find('=');
        if (eq == std::string_view::npos)
            throw std::runtime_error("build line missing '=' after key");
        s.key = std::string(kv.substr(0, eq));
        if (build_key_needs_quotes(s.key))
            throw std::runtime_error(
                fmt::format("unquoted key {} must be quoted", go_quote(s.key)));
        raw_value = kv.substr(eq + 1);
    }
    if (!raw_value.empty() && (raw_value[0] == '"' || raw_value[0] == '`')) {
        auto v = go_unquote(raw_value);
        if (!v) throw std::runtime_error("invalid quoted value in build line");
        s.value = std::move(*v);
    } else {
        if (build_value_needs_quotes(raw_value))
            throw std::runtime_error(
                fmt::format("unquoted value {} must be quoted", go_quote(raw_value)));
        s.value = std::string(raw_value);
    }
    return s;
}

Module parse_module_line(std::string_view rest) {
    auto elem = split_tabs(rest);
    if (elem.size() != 2 && elem.size() != 3)
        throw std::runtime_error(fmt::format("expected 2 or 3 columns; got {}", elem.size()));
    Module m;
    m.path = elem[0];
    m.version = elem[1];
    if (elem.size() == 3) m.sum = elem[2];
    return m;
}

// debug/buildinfo's DataStart: the address of section .go.buildinfo, else of the first PT_LOAD
// that is writable and not executable, else 0.
std::uint64_t data_start(const elf::ElfImage& image) {
    if (const elf::Section* sec = image.find_section(".go.buildinfo")) return sec->addr;
    for (const auto& seg : image.segments)
        if (seg.type == PT_LOAD && (seg.flags & (PF_W | PF_X)) == PF_W) return seg.vaddr;
    return 0;
}

// Go's search for the header in the data read from DataStart: the first magic whose offset is
// a multiple of 16 from the start of what is left, else skip to (i+15) &^ 16 and look again.
// That skip can land before the magic it skips (i = 5 skips 4 bytes, leaving it at 1, where the
// skip is 0): Go then loops forever; berth stops and reports no header.
std::optional<std::span<const std::byte>> find_header(std::span<const std::byte> data) {
    for (;;) {
        auto i = as_text(data).find(kMagic);
        if (i == std::string_view::npos || data.size() - i < kHeaderSize) return std::nullopt;
        if (i % kAlign == 0) return data.subspan(i);
        std::size_t skip = (i + kAlign - 1) & ~kAlign; // Go's &^ buildInfoAlign, not &^ 15
        if (skip == 0) return std::nullopt;
        data = data.subspan(skip);
    }
}

std::uint64_t align4(std::uint64_t n) {
    return (n + 3) & ~std::uint64_t{3};
}

// The Go build ID note (name "Go", type 4) among the notes in `data`.
std::optional<std::string> find_build_id_note(const elf::ElfImage& image,
                                              std::span<const std::byte> data) {
    ByteReader r = image.reader(data);
    std::uint64_t off = 0;
    while (r.has(off, 12)) {
        std::uint64_t namesz = r.u32(off), descsz = r.u32(off + 4), type = r.u32(off + 8);
        std::uint64_t name_off = off + 12, desc_off = name_off + align4(namesz);
        if (!r.has(name_off, align4(namesz)) || !r.has(desc_off, descsz)) return std::nullopt;
        std::string_view name = r.text(name_off, namesz);
        while (!name.empty() && name.back() == '\0') name.remove_suffix(1); // Go writes "Go\0\0"
        if (type == 4 && name == "Go") return std::string(r.text(desc_off, descsz));
        off = desc_off + align4(descsz);
    }
    return std::nullopt;
}

} // namespace

void parse_modinfo(std::string_view data, BuildInfo& info) {
    Module* last = nullptr; // the module a `=>` line replaces
    int line_num = 1;
    try {
        while (!data.empty()) {
            auto nl = data.find('\n');
            if (nl == std::string_view::npos) break; // an unterminated last line is ignored
            std::string_view line = data.substr(0, nl);
            data.remove_prefix(nl + 1);
            if (line.starts_with("path\t")) {
                info.path = std::string(line.substr(5));
            } else if (line.starts_with("mod\t")) {
                info.main = parse_module_line(line.substr(4));
                last = &info.main;
            } else if (line.starts_with("dep\t")) {
                info.deps.push_back(parse_module_line(line.substr(4)));
                last = &info.deps.back();
            } else if (line.starts_with("=>\t")) {
                auto elem = split_tabs(line.substr(3));
                if (elem.size() != 3)
                    throw std::runtime_error(
                        fmt::format("expected 3 columns for replacement; got {}", elem.size()));
                if (!last) throw std::runtime_error("replacement with no module on previous line");
                last->replace =
                    ModuleRef{std::string(elem[0]), std::string(elem[1]), std::string(elem[2])};
                last = nullptr;
            } else if (line.starts_with("build\t")) {
                info.settings.push_back(parse_build_line(line.substr(6)));
            }
            ++line_num;
        }
    } catch (const std::runtime_error& e) {
        throw InputError(
            fmt::format("could not parse Go build info: line {}: {}", line_num, e.what()));
    }
}

std::optional<BuildInfo> decode_blob(std::span<const std::byte> blob, const elf::ElfImage* image) {
    if (blob.size() < kHeaderSize || as_text(blob.first(kMagic.size())) != kMagic)
        return std::nullopt;
    auto ptr_size = static_cast<std::uint8_t>(blob[14]);
    auto flags = static_cast<std::uint8_t>(blob[15]);
    std::string version, mod;
    if (flags & kFlagInline) {
        auto rest = blob.subspan(kHeaderSize);
        version = decode_string(rest);
        mod = decode_string(rest);
    } else {
        if (!image) corrupt("pointer-based build info needs the ELF segments");
        // Any non-zero flags mean big-endian; a pointer size other than 4 reads 8-byte words.
        ByteReader header{blob, flags != 0 ? Endian::big : Endian::little};
        unsigned word = ptr_size == 4 ? 4 : 8;
        std::uint64_t vers_addr = header.uint(16, word);
        std::uint64_t mod_addr = header.uint(16 + ptr_size, word);
        version = read_string(*image, header.endian, ptr_size, vers_addr);
        mod = read_string(*image, header.endian, ptr_size, mod_addr);
    }
    if (version.empty()) return std::nullopt;
    BuildInfo info;
    info.go_version = std::move(version);
    parse_modinfo(strip_sentinels(mod), info);
    return info;
}

std::optional<BuildInfo> read_buildinfo(const elf::ElfImage& image) {
    auto window = read_data(image, data_start(image), kWindow);
    if (!window) return std::nullopt;
    auto blob = find_header(*window);
    if (!blob) return std::nullopt;
    return decode_blob(*blob, &image);
}

std::optional<std::string> read_go_build_id(const elf::ElfImage& image) {
    if (const elf::Section* sec = image.find_section(".note.go.buildid");
        sec && sec->type != SHT_NOBITS) {
        if (auto id = find_build_id_note(image, image.contents(*sec))) return id;
    }
    for (const auto& seg : image.segments) {
        if (seg.type != PT_NOTE) continue;
        if (auto id = find_build_id_note(image, image.file_data(seg))) return id;
    }
    // Without the note (non-ELF-note builds, stripped notes): the linker also writes the ID as
    // a quoted string at the very start of the text.
    constexpr std::string_view start = "\xff Go build ID: \"";
    constexpr std::uint64_t kScan = 64 * 1024;
    for (const auto& seg : image.segments) {
        if (seg.type != PT_LOAD || !(seg.flags & PF_X)) continue;
        auto data = image.file_data(seg);
        std::string_view text = as_text(data.first(std::min<std::uint64_t>(data.size(), kScan)));
        auto pos = text.find(start);
        if (pos == std::string_view::npos) return std::nullopt;
        auto quoted = text.substr(pos + start.size() - 1);
        auto end = quoted.find("\"\n \xff");
        if (end == std::string_view::npos) return std::nullopt;
        return go_unquote(quoted.substr(0, end + 1));
    }
    return std::nullopt;
}

bool has_runtime_symbols(const elf::ElfImage& image) {
    for (const auto& s : image.sections) {
        if ((s.type != SHT_SYMTAB && s.type != SHT_DYNSYM) || s.link >= image.sections.size())
            continue;
        const elf::Section& strtab = image.sections[s.link];
        if (strtab.type != SHT_STRTAB) continue;
        // Whole names: each follows the table's NUL separator and ends in one.
        std::span<const std::byte> names;
        try {
            names = image.contents(strtab);
        } catch (const InputError&) {
            continue; // outside the file: the ELF warnings say so
        }
        for (std::string_view name :
             {std::string_view("\0runtime.main\0", 14), std::string_view("\0runtime.goexit\0", 16),
              std::string_view("\0runtime.goexit.abi0\0", 21)})
            if (memmem(names.data(), names.size(), name.data(), name.size())) return true;
    }
    return false;
}

nlohmann::json to_json(const BuildInfo& info) {
    auto module_json = [](const auto& m) {
        return nlohmann::json{{"path", m.path}, {"version", m.version}, {"sum", m.sum}};
    };
    auto with_replace = [&](const Module& m) {
        auto j = module_json(m);
        if (m.replace) j["replace"] = module_json(*m.replace);
        return j;
    };
    nlohmann::json deps = nlohmann::json::array();
    for (const auto& d : info.deps) deps.push_back(with_replace(d));
    nlohmann::json settings = nlohmann::json::array();
    for (const auto& s : info.settings) settings.push_back({{"key", s.key}, {"value", s.value}});
    return {{"go_version", info.go_version},
            {"path", info.path},
            {"main", with_replace(info.main)},
            {"deps", deps},
            {"settings", settings}};
}

} // namespace berth::gobuild
