#include "host/libc.hpp"

#include "elf/elf_facts.hpp"
#include "elf/elf_image.hpp"
#include "resolve/ld_cache.hpp"
#include "util/byte_reader.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

#include <algorithm>
#include <sys/stat.h>

namespace berth::host {

namespace {

std::vector<std::string> default_dirs(const std::string& arch) {
    std::string t = multiarch_triplet(arch);
    std::vector<std::string> dirs;
    if (!t.empty()) {
        dirs.push_back("/lib/" + t);
        dirs.push_back("/usr/lib/" + t);
    }
    bool lib64 = arch == "x86_64" || arch == "aarch64" || arch == "ppc64le" || arch == "s390x" ||
                 arch == "riscv64";
    if (lib64) {
        dirs.push_back("/lib64");
        dirs.push_back("/usr/lib64");
    }
    dirs.push_back("/lib");
    dirs.push_back("/usr/lib");
    return dirs;
}

} // namespace

std::vector<std::string> glibc_loader_names(const std::string& arch) {
    if (arch == "x86_64") return {"/lib64/ld-linux-x86-64.so.2"};
    if (arch == "aarch64") return {"/lib/ld-linux-aarch64.so.1"};
    if (arch == "i686" || arch == "i386") return {"/lib/ld-linux.so.2"};
    if (arch == "ppc64le") return {"/lib64/ld64.so.2"};
    if (arch == "s390x") return {"/lib/ld64.so.1"};
    if (arch == "riscv64") return {"/lib/ld-linux-riscv64-lp64d.so.1"};
    if (arch.starts_with("arm")) return {"/lib/ld-linux-armhf.so.3", "/lib/ld-linux.so.3"};
    return {};
}

namespace {

// Expands an ld.so.conf include pattern (relative ones are relative to /etc) inside the root.
std::vector<std::string> expand_include(const Root& root, std::string pattern) {
    if (pattern.empty() || pattern[0] != '/') pattern = "/etc/" + pattern;
    return root.glob(pattern);
}

void read_ld_so_conf(const Root& root, const std::string& path, int depth,
                     std::vector<std::string>& dirs) {
    if (depth > 8) return; // include loops
    auto text = root.read_text(path);
    if (!text) return;
    for (const auto& line : parse_ld_so_conf(*text)) {
        if (!line.include) {
            if (std::find(dirs.begin(), dirs.end(), line.value) == dirs.end())
                dirs.push_back(line.value);
            continue;
        }
        for (const auto& file : expand_include(root, line.value))
            read_ld_so_conf(root, file, depth + 1, dirs);
    }
}

void read_glibc(const Root& root, const std::string& path, LibcFacts& libc) {
    try {
        MappedFile file = root.map(path);
        elf::ElfImage image = elf::parse_image(file.bytes());
        GlibcFacts g;
        g.path = path;
        g.version_defs = image.version_defs;
        g.defines_up_to = highest_glibc_version(g.version_defs);
        g.release = glibc_release_from_banner(as_text(file.bytes()));
        if (!g.release.empty()) {
            g.release_source = "banner";
        } else {
            std::string real = root.resolve(path);
            g.release = glibc_release_from_file_name(real.substr(real.rfind('/') + 1));
            if (!g.release.empty()) g.release_source = "file name";
        }
        if (g.defines_up_to.empty()) {
            libc.glibc_error = path + " defines no GLIBC_x.y version";
            return;
        }
        libc.glibc = std::move(g);
    } catch (const InputError& e) {
        libc.glibc_error = path + ": " + e.what();
    }
}

} // namespace

std::string highest_glibc_version(const std::vector<std::string>& version_defs) {
    return elf::highest_version(version_defs, "GLIBC_").value_or("");
}

namespace {

// "2.31" or "2.31.9000" at the start of `s`, "" when it is not a version.
std::string leading_version(std::string_view s) {
    std::size_t i = 0, dots = 0;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && i > 0))) {
        if (s[i] == '.') ++dots;
        ++i;
    }
    while (i > 0 && s[i - 1] == '.') {
        --i;
        --dots;
    }
    return dots >= 1 ? std::string(s.substr(0, i)) : "";
}

} // namespace

std::string glibc_release_from_banner(std::string_view bytes) {
    constexpr std::string_view kMarker = "release version ";
    for (std::size_t at = bytes.find(kMarker); at != std::string_view::npos;
         at = bytes.find(kMarker, at + 1)) {
        // The banner starts with "GNU C Library" a little before the marker.
        std::size_t from = at > 200 ? at - 200 : 0;
        if (bytes.substr(from, at - from).find("GNU C Library") == std::string_view::npos) continue;
        std::string v = leading_version(bytes.substr(at + kMarker.size(), 16));
        if (!v.empty()) return v;
    }
    return "";
}

std::string glibc_release_from_file_name(std::string_view name) {
    if (!name.starts_with("libc-") || !name.ends_with(".so")) return "";
    std::string_view middle = name.substr(5, name.size() - 8);
    std::string v = leading_version(middle);
    return v.size() == middle.size() ? v : "";
}

std::vector<LdConfLine> parse_ld_so_conf(std::string_view text) {
    std::vector<LdConfLine> out;
    for (const auto& raw : split_lines(text)) {
        std::string_view line = raw;
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) continue;
        if (line.starts_with("include") && line.size() > 7 && (line[7] == ' ' || line[7] == '\t')) {
            for (auto& w : split_words(line.substr(8))) out.push_back({true, w});
        } else if (line.starts_with("hwcap")) {
            continue; // obsolete hwcap lines name no directory
        } else {
            // Old syntax "dir=TYPE": the directory is before '='; several may share a line.
            for (auto& w : split_words(line)) {
                std::string dir = w.substr(0, w.find('='));
                if (!dir.empty() && dir.back() == ',') dir.pop_back();
                if (!dir.empty()) out.push_back({false, dir});
            }
        }
    }
    return out;
}

std::string multiarch_triplet(const std::string& arch) {
    if (arch == "x86_64") return "x86_64-linux-gnu";
    if (arch == "aarch64") return "aarch64-linux-gnu";
    if (arch == "i686" || arch == "i386") return "i386-linux-gnu";
    if (arch == "ppc64le") return "powerpc64le-linux-gnu";
    if (arch == "s390x") return "s390x-linux-gnu";
    if (arch == "riscv64") return "riscv64-linux-gnu";
    if (arch.starts_with("arm")) return "arm-linux-gnueabihf";
    return "";
}

LibcFacts collect_libc(const Root& root, const std::string& arch, std::vector<std::string>& notes) {
    LibcFacts libc;
    for (const auto& dir : default_dirs(arch))
        if (root.is_dir(dir)) libc.default_lib_dirs.push_back(dir);
    for (const auto& dir : libc.default_lib_dirs) {
        std::string candidate = dir + "/libc.so.6";
        if (!root.exists(candidate)) continue;
        read_glibc(root, candidate, libc);
        break; // the first one found is the one the loader would use
    }
    if (!libc.glibc_error.empty()) notes.push_back("glibc: " + libc.glibc_error);
    for (const auto& loader : glibc_loader_names(arch))
        if (root.exists(loader)) libc.glibc_loaders.push_back(loader);
    for (const auto& name : root.list_dir("/lib")) {
        if (name.starts_with("ld-musl-") && name.ends_with(".so.1") && root.exists("/lib/" + name))
            libc.musl_loaders.push_back("/lib/" + name);
    }
    if (root.exists("/etc/ld.so.cache")) {
        libc.ld_so_cache_present = true;
        try {
            // The resolver's reader (inspect/ldd use it too), so both agree on what is valid.
            MappedFile file = root.map("/etc/ld.so.cache");
            resolve::LdCache cache = resolve::parse_ld_cache(file.bytes());
            libc.ld_so_cache_format = cache.format == resolve::LdCacheFormat::new_format ? "new"
                                      : cache.format == resolve::LdCacheFormat::old_format
                                          ? "old"
                                          : "combined";
            libc.ld_so_cache_entries = static_cast<std::uint32_t>(cache.entries.size());
        } catch (const InputError& e) {
            libc.ld_so_cache_format = "invalid";
            notes.push_back(std::string("ld.so.cache: ") + e.what());
        }
    }
    read_ld_so_conf(root, "/etc/ld.so.conf", 0, libc.ld_so_conf_dirs);
    return libc;
}

} // namespace berth::host
