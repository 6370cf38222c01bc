#include "host/paths.hpp"

#include <climits>
#include <cstdlib>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>

namespace berth::host {

namespace {

std::string parent_of(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos || slash == 0) return "/";
    return path.substr(0, slash);
}

std::string strip_trailing_slashes(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

std::optional<std::string> selinux_label(const std::string& real_path) {
    char buf[4096];
    ssize_t n = ::getxattr(real_path.c_str(), "security.selinux", buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    std::string label(buf, static_cast<std::size_t>(n));
    while (!label.empty() && label.back() == '\0') label.pop_back();
    return label;
}

} // namespace

std::string nearest_existing(const Root& root, const std::string& path) {
    std::string p = strip_trailing_slashes(path.empty() ? "/" : path);
    for (;;) {
        if (root.exists(p) || p == "/") return p;
        p = parent_of(p);
    }
}

PathFacts collect_path(const Root& root, const std::string& role, const std::string& path,
                       const std::vector<MountEntry>* mounts) {
    PathFacts f;
    f.role = role;
    f.path = path;
    f.examined = nearest_existing(root, path);
    f.exists = f.examined == strip_trailing_slashes(path);
    // A name on this machine for the calls that take one (statvfs, getxattr), resolved inside
    // the root first.
    const std::string real = root.shown(root.resolve(f.examined));
    struct stat st {};
    if (root.stat(f.examined, st)) {
        f.type = S_ISDIR(st.st_mode) ? "directory" : S_ISREG(st.st_mode) ? "file" : "other";
        f.mode = st.st_mode & 07777;
        f.uid = st.st_uid;
        f.gid = st.st_gid;
    }
    if (mounts) {
        // mountinfo lists canonical paths (/var/run is /run there): `real` is one.
        if (const MountEntry* m = find_mount(*mounts, real)) f.mount = mount_facts(*m);
        struct statvfs vfs {};
        if (::statvfs(real.c_str(), &vfs) == 0) {
            SpaceFacts s;
            s.block_size = vfs.f_frsize;
            s.bytes_total = static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
            s.bytes_free = static_cast<std::uint64_t>(vfs.f_bfree) * vfs.f_frsize;
            s.bytes_available = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
            s.inodes_total = vfs.f_files;
            s.inodes_free = vfs.f_ffree;
            s.inodes_available = vfs.f_favail;
            f.space = s;
        }
    }
    f.selinux_context = selinux_label(real);
    return f;
}

} // namespace berth::host
