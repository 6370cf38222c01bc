#include "host/systemd.hpp"

#include "host/libc.hpp"
#include "util/byte_reader.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

#include <sys/stat.h>

namespace berth::host {

int systemd_version_from_name(std::string_view name) {
    constexpr std::string_view prefix = "libsystemd-shared-";
    if (!name.starts_with(prefix) || !name.ends_with(".so")) return 0;
    std::string_view digits = name.substr(prefix.size(), name.size() - prefix.size() - 3);
    // Some distributions suffix the release: libsystemd-shared-255.4-1.so.
    digits = digits.substr(0, digits.find_first_not_of("0123456789"));
    auto v = parse_int(digits);
    return v && *v > 0 && *v < 100000 ? static_cast<int>(*v) : 0;
}

std::string systemd_full_version(std::string_view bytes, int version) {
    std::string needle = "systemd " + std::to_string(version) + " (";
    auto at = bytes.find(needle);
    if (at == std::string_view::npos) return "";
    auto start = at + needle.size();
    auto end = bytes.find(')', start);
    if (end == std::string_view::npos || end - start > 100) return "";
    std::string_view v = bytes.substr(start, end - start);
    for (char c : v)
        if (c < 0x21 || c > 0x7e) return "";
    return std::string(v);
}

SystemdFacts collect_systemd(const Root& root, const std::string& arch) {
    SystemdFacts s;
    // PID 1 and /run are the running system's, also under --root.
    if (auto comm = read_line("/proc/1/comm")) s.pid1_comm = *comm;
    auto exe = read_link("/proc/1/exe");
    s.pid1_is_systemd = exe ? (exe->ends_with("/systemd") || exe->ends_with("/systemd (deleted)"))
                            : s.pid1_comm == "systemd";
    struct stat st {};
    s.booted = ::lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);

    std::vector<std::string> dirs = {"/usr/lib/systemd", "/lib/systemd"};
    std::string triplet = multiarch_triplet(arch);
    if (!triplet.empty()) {
        dirs.push_back("/usr/lib/" + triplet + "/systemd");
        dirs.push_back("/lib/" + triplet + "/systemd");
    }
    dirs.push_back("/usr/lib64/systemd");
    for (const auto& dir : dirs) {
        for (const auto& name : root.list_dir(dir)) {
            int v = systemd_version_from_name(name);
            if (v == 0) continue;
            s.version = v;
            s.version_source = dir + "/" + name;
            try {
                MappedFile lib = root.map(s.version_source);
                s.version_full = systemd_full_version(as_text(lib.bytes()), v);
            } catch (const InputError&) {
            }
            return s;
        }
    }
    return s;
}

} // namespace berth::host
