#include "gobuild/buildinfo.hpp"

#include "gobuild/go_quote.hpp"
#include "util/byte_reader.hpp"
#include "util/error.hpp"

#include <elf.h>
#include <fmt/format.h>

namespace berth::gobuild {

namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr std::size_t kHeaderSize = 32;
constexpr std::uint64_t kAlign = 16;
constexpr std::uint8_t kFlagInline = 0x2;
constexpr std::size_t kSentinelSize = 16;

[[noreturn]] void corrupt(const std::string& what) {
    throw InputError("corrupt Go build info: " + what);
}

// binary.Uvarint: little-endian base-128, at most 10 bytes, the 10th at most 1.
std::uint64_t read_uvarint(std::span<const std::byte> data, std::size_t& off) {
    std::uint64_t value = 0;
    for (unsigned i = 0; i < 10; ++i) {
        if (off + i >= data.size()) corrupt("string length runs past the end of the data");
        auto b = static_cast<std::uint8_t>(data[off + i]);
        if (i == 9 && b > 1) corrupt("string length overflows 64 bits");
        value |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
        if (b < 0x80) {
            off += i + 1;
            return value;
        }
    }
    corrupt("string length overflows 64 bits");
}

std::string read_inline_string(std::span<const std::byte> data, std::size_t& off,
                               const char* what) {
    std::uint64_t len = read_uvarint(data, off);
    if (len > data.size() - off)
        corrupt(fmt::format("{} length {} runs past the end of the data ({} bytes left)", what, len,
                            data.size() - off));
    std::string s(as_text(data.subspan(off, len)));
    off += len;
    return s;
}

// A Go string header {data pointer, length} at `addr`, and the bytes it points to.
std::string read_go_string(const elf::ElfImage& image, const ByteReader& header, unsigned ptr_size,
                           std::uint64_t addr, const char* what) {
    try {
        ByteReader hdr{image.at_vaddr(addr, 2 * ptr_size), header.endian};
        std::uint64_t data = hdr.uint(0, ptr_size);
        std::uint64_t len = hdr.uint(ptr_size, ptr_size);
        return std::string(as_text(image.at_vaddr(data, len)));
    } catch (const InputError& e) {
        corrupt(fmt::format("{} string at 0x{:x} is not in the file's loaded data ({})", what, addr,
                            e.what()));
    }
}

// Removes the 16-byte sentinels cmd/go puts around the module info (modload.infoStart/infoEnd).
std::string_view strip_sentinels(std::string_view mod) {
    if (mod.empty()) return mod; // built without module support (GOPATH mode)
    if (mod.size() < 2 * kSentinelSize + 1 || mod[mod.size() - kSentinelSize - 1] != '\n')
        corrupt(fmt::format("module info of {} bytes lacks its 16-byte sentinels", mod.size()));
    return mod.substr(kSentinelSize, mod.size() - 2 * kSentinelSize);
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

// Finds the header magic at a 16-byte aligned virtual address in `data` (mapped at `vaddr`).
std::optional<std::size_t> find_magic(std::span<const std::byte> data, std::uint64_t vaddr) {
    std::string_view text = as_text(data);
    for (std::size_t pos = 0;; ++pos) {
        pos = text.find(kMagic, pos);
        if (pos == std::string_view::npos) return std::nullopt;
        if ((vaddr + pos) % kAlign == 0) return pos;
    }
}

// Where the blob is: section .go.buildinfo (its bytes up to the end of the segment holding it,
// since the old encoding's strings may follow it), else any writable, non-executable segment.
std::optional<std::span<const std::byte>> find_blob(const elf::ElfImage& image) {
    const elf::Section* sec = image.find_section(".go.buildinfo");
    if (sec && sec->type != SHT_NOBITS && sec->size > 0) {
        std::span<const std::byte> data = image.contents(*sec);
        for (const auto& seg : image.segments) {
            if (seg.type == PT_LOAD && seg.offset <= sec->offset &&
                sec->offset - seg.offset < seg.filesz) {
                auto whole = image.file_data(seg);
                if (sec->offset - seg.offset < whole.size())
                    data = whole.subspan(sec->offset - seg.offset);
                break;
            }
        }
        if (auto pos = find_magic(data, sec->addr)) return data.subspan(*pos);
    }
    for (const auto& seg : image.segments) {
        if (seg.type != PT_LOAD || (seg.flags & (PF_W | PF_X)) != PF_W) continue;
        auto data = image.file_data(seg);
        if (auto pos = find_magic(data, seg.vaddr)) return data.subspan(*pos);
    }
    return std::nullopt;
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

BuildInfo decode_blob(std::span<const std::byte> blob, const elf::ElfImage* image) {
    if (blob.size() < kHeaderSize)
        corrupt(fmt::format("header truncated to {} bytes (needs {})", blob.size(), kHeaderSize));
    if (as_text(blob.first(kMagic.size())) != kMagic) corrupt("header magic missing");
    auto ptr_size = static_cast<std::uint8_t>(blob[14]);
    auto flags = static_cast<std::uint8_t>(blob[15]);
    std::string version, mod;
    if (flags & kFlagInline) {
        std::size_t off = kHeaderSize;
        version = read_inline_string(blob, off, "Go version");
        mod = read_inline_string(blob, off, "module info");
    } else {
        if (ptr_size != 4 && ptr_size != 8)
            corrupt(fmt::format("pointer size {} is neither 4 nor 8", ptr_size));
        if (!image) corrupt("pointer-based build info needs the ELF segments");
        // Flag bit 0 means big-endian; Go reads the pointers big-endian for any non-zero flags.
        ByteReader header{blob, flags != 0 ? Endian::big : Endian::little};
        std::uint64_t vers_addr = header.uint(16, ptr_size);
        std::uint64_t mod_addr = header.uint(16 + ptr_size, ptr_size);
        version = read_go_string(*image, header, ptr_size, vers_addr, "Go version");
        mod = read_go_string(*image, header, ptr_size, mod_addr, "module info");
    }
    if (version.empty()) corrupt("empty Go version");
    BuildInfo info;
    info.go_version = std::move(version);
    parse_modinfo(strip_sentinels(mod), info);
    return info;
}

std::optional<BuildInfo> read_buildinfo(const elf::ElfImage& image) {
    auto blob = find_blob(image);
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
