#include "host/libc.hpp"

#include "elf/elf_facts.hpp"
#include "elf/elf_image.hpp"
#include "resolve/ld_cache.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

#include <algorithm>
#include <glob.h>
#include <sys/stat.h>

namespace berth::host {

namespace {

bool exists(const SystemRoot& root, const std::string& path) {
    struct stat st {};
    return ::stat(root.real(path).c_str(), &st) == 0;
}

bool is_dir(const SystemRoot& root, const std::string& path) {
    struct stat st {};
    return ::stat(root.real(path).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

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

// Expands an ld.so.conf include pattern (relative ones are relative to /etc) inside the root.
std::vector<std::string> expand_include(const SystemRoot& root, std::string pattern) {
    if (pattern.empty() || pattern[0] != '/') pattern = "/etc/" + pattern;
    std::vector<std::string> out;
    std::string prefix = root.is_host() ? "" : root.dir;
    glob_t g{};
    if (::glob((prefix + pattern).c_str(), 0, nullptr, &g) == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i)
            out.emplace_back(std::string(g.gl_pathv[i]).substr(prefix.size()));
    }
    ::globfree(&g);
    return out;
}

void read_ld_so_conf(const SystemRoot& root, const std::string& path, int depth,
                     std::vector<std::string>& dirs) {
    if (depth > 8) return; // include loops
    auto text = read_text(root.real(path));
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

void read_glibc(const SystemRoot& root, const std::string& path, LibcFacts& libc) {
    try {
        MappedFile file(root.real(path));
        elf::ElfImage image = elf::parse_image(file.bytes());
        GlibcFacts g;
        g.path = path;
        g.version_defs = image.version_defs;
        g.version = highest_glibc_version(g.version_defs);
        if (g.version.empty()) {
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

LibcFacts collect_libc(const SystemRoot& root, const std::string& arch,
                       std::vector<std::string>& notes) {
    LibcFacts libc;
    for (const auto& dir : default_dirs(arch))
        if (is_dir(root, dir)) libc.default_lib_dirs.push_back(dir);
    for (const auto& dir : libc.default_lib_dirs) {
        std::string candidate = dir + "/libc.so.6";
        if (!exists(root, candidate)) continue;
        read_glibc(root, candidate, libc);
        break; // the first one found is the one the loader would use
    }
    if (!libc.glibc_error.empty()) notes.push_back("glibc: " + libc.glibc_error);
    for (const auto& loader : glibc_loader_names(arch))
        if (exists(root, loader)) libc.glibc_loaders.push_back(loader);
    for (const auto& name : list_dir(root.real("/lib"))) {
        if (name.starts_with("ld-musl-") && name.ends_with(".so.1") && exists(root, "/lib/" + name))
            libc.musl_loaders.push_back("/lib/" + name);
    }
    if (exists(root, "/etc/ld.so.cache")) {
        libc.ld_so_cache_present = true;
        try {
            // The resolver's reader (inspect/ldd use it too), so both agree on what is valid.
            MappedFile file(root.real("/etc/ld.so.cache"));
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
