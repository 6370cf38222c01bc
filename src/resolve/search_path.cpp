#include "resolve/search_path.hpp"

#include <algorithm>
#include <cctype>
#include <elf.h>

namespace berth::resolve {

namespace {

// Length of the token name at `s` (after the '$') when it is `name` or `{name}` and, for the
// bare form, not followed by an identifier character (ld.so's is_dst rule).
std::size_t match_token(std::string_view s, std::string_view name) {
    if (s.size() >= name.size() + 2 && s[0] == '{' && s.substr(1, name.size()) == name &&
        s[name.size() + 1] == '}')
        return name.size() + 2;
    if (s.substr(0, name.size()) != name) return 0;
    if (s.size() > name.size()) {
        char c = s[name.size()];
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') return 0;
    }
    return name.size();
}

std::string with_trailing_slash(std::string dir) {
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (!dir.empty() && dir.back() != '/') dir += '/';
    return dir;
}

} // namespace

std::optional<std::string> expand_dst(std::string_view s, const DstValues& v) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '$') {
            out += s[i];
            continue;
        }
        std::string_view rest = s.substr(i + 1);
        const std::string* value = nullptr;
        std::size_t len = 0;
        if ((len = match_token(rest, "ORIGIN")))
            value = &v.origin;
        else if ((len = match_token(rest, "PLATFORM")))
            value = &v.platform;
        else if ((len = match_token(rest, "LIB")))
            value = &v.lib;
        if (!value) {
            out += '$';
            continue;
        }
        if (value->empty()) return std::nullopt;
        out += *value;
        i += len;
    }
    return out;
}

std::vector<std::string> split_search_path(std::string_view list, std::string_view separators,
                                           const DstValues& v) {
    std::vector<std::string> dirs;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find_first_of(separators, start);
        if (end == std::string_view::npos) end = list.size();
        std::string_view element = list.substr(start, end - start);
        start = end + 1;
        std::string dir;
        if (!element.empty()) {
            auto expanded = expand_dst(element, v);
            if (!expanded || expanded->empty()) continue;
            dir = with_trailing_slash(*expanded);
        }
        if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
    }
    return dirs;
}

std::string multiarch_triplet(std::uint16_t machine, bool is64, std::uint32_t e_flags) {
    switch (machine) {
    case EM_X86_64:
        return is64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
    case EM_386:
        return "i386-linux-gnu";
    case EM_AARCH64:
        return "aarch64-linux-gnu";
    case EM_ARM:
        return (e_flags & EF_ARM_ABI_FLOAT_HARD) ? "arm-linux-gnueabihf" : "arm-linux-gnueabi";
    case EM_RISCV:
        return "riscv64-linux-gnu";
    case EM_PPC64:
        return "powerpc64le-linux-gnu";
    case EM_S390:
        return "s390x-linux-gnu";
    case EM_MIPS:
        return is64 ? "mips64el-linux-gnuabi64" : "mipsel-linux-gnu";
    default:
        return "";
    }
}

std::vector<std::string> glibc_default_dirs(const std::string& triplet) {
    std::vector<std::string> dirs;
    if (!triplet.empty()) {
        dirs.push_back("/lib/" + triplet + "/");
        dirs.push_back("/usr/lib/" + triplet + "/");
    }
    dirs.push_back("/lib/");
    dirs.push_back("/usr/lib/");
    return dirs;
}

std::string glibc_interpreter(std::uint16_t machine, bool is64) {
    switch (machine) {
    case EM_X86_64:
        return is64 ? "/lib64/ld-linux-x86-64.so.2" : "/libx32/ld-linux-x32.so.2";
    case EM_386:
        return "/lib/ld-linux.so.2";
    case EM_AARCH64:
        return "/lib/ld-linux-aarch64.so.1";
    case EM_ARM:
        return "/lib/ld-linux-armhf.so.3";
    case EM_RISCV:
        return "/lib/ld-linux-riscv64-lp64d.so.1";
    case EM_PPC64:
        return "/lib64/ld64.so.2";
    case EM_S390:
        return "/lib/ld64.so.1";
    default:
        return "";
    }
}

std::vector<std::int32_t> cache_flags_for(std::uint16_t machine, bool is64, std::uint32_t e_flags) {
    // glibc's _dl_cache_check_flags per port (sysdeps/*/dl-cache.h). An entry's flags are the
    // type in the low byte (1 ELF, 3 ELF libc6) and the ABI in the high byte (ldconfig.h).
    switch (machine) {
    case EM_X86_64:
        return {is64 ? 0x0303 : 0x0803};
    case EM_AARCH64:
        return {0x0a03};
    case EM_ARM:
        return {(e_flags & EF_ARM_ABI_FLOAT_HARD) ? 0x0903 : 0x0003};
    case EM_RISCV:
        return {0x1003, 0x0003};
    case EM_PPC64:
        return {0x0503};
    case EM_S390:
        return {0x0403};
    default:
        return {0x0001, 0x0003};
    }
}

std::optional<std::string> musl_arch(std::string_view interpreter) {
    auto slash = interpreter.rfind('/');
    std::string_view base =
        slash == std::string_view::npos ? interpreter : interpreter.substr(slash + 1);
    constexpr std::string_view prefix = "ld-musl-", suffix = ".so.1";
    if (base.size() <= prefix.size() + suffix.size() || base.substr(0, prefix.size()) != prefix ||
        base.substr(base.size() - suffix.size()) != suffix)
        return std::nullopt;
    return std::string(base.substr(prefix.size(), base.size() - prefix.size() - suffix.size()));
}

std::vector<std::string> musl_default_dirs(const std::optional<std::string>& path_file) {
    std::string list = path_file ? *path_file : "/lib:/usr/local/lib:/usr/lib";
    // musl reads the file up to its first NUL (getdelim with a 0 delimiter) and ignores the rest.
    list.resize(std::min(list.size(), list.find('\0')));
    std::vector<std::string> dirs;
    std::size_t start = 0;
    while (start < list.size()) {
        std::size_t end = list.find_first_of(":\n", start);
        if (end == std::string::npos) end = list.size();
        std::string element = list.substr(start, end - start);
        start = end + 1;
        if (element.empty()) continue;
        dirs.push_back(with_trailing_slash(element));
    }
    return dirs;
}

} // namespace berth::resolve
