#include "sysroot/sysroot.hpp"

#include "util/error.hpp"
#include "util/read_text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace berth::sysroot {

struct Root::Image {
    std::string dir;
    int fd = -1; // O_PATH descriptor of `dir`
    Walk walk = Walk::kernel;
    ~Image() {
        if (fd >= 0) ::close(fd);
    }
};

namespace {

const std::string kSlash = "/";

// More symlinks than this in one walk is a loop (the kernel's limit is 40 too).
constexpr int kMaxLinks = 40;

std::deque<std::string> components(std::string_view path) {
    std::deque<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        if (j > i) out.emplace_back(path.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        out += '/';
        out += p;
    }
    return out.empty() ? "/" : out;
}

// The path relative to the image's directory descriptor ("." for the root itself).
std::string relative(std::string_view path) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    return path.empty() ? "." : std::string(path);
}

int openat2_in_root(int dirfd, std::string_view path, int flags) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    const std::string rel = relative(path);
    long fd;
    do {
        fd = ::syscall(SYS_openat2, dirfd, rel.c_str(), &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN); // a concurrent rename in the image: the kernel asks
                                         // to retry
    return static_cast<int>(fd);
}

// The walk the kernel does inside a chroot, by hand: each component looked up with lstat under
// the image's directory, symlinks read and restarted from the image's root when absolute, ".."
// never above the root. Returns the resolved path as on the examined system; `follow_last`
// false leaves a final symlink unfollowed (lstat, readlink). nullopt for a loop (ELOOP).
std::optional<std::string> walk_by_hand(const std::string& dir, std::string_view path,
                                        bool follow_last) {
    std::deque<std::string> todo = components(path);
    std::vector<std::string> done;
    int links = 0;
    while (!todo.empty()) {
        std::string part = std::move(todo.front());
        todo.pop_front();
        if (part == ".") continue;
        if (part == "..") {
            if (!done.empty()) done.pop_back(); // ".." at the root stays at the root
            continue;
        }
        done.push_back(std::move(part));
        if (todo.empty() && !follow_last) break;
        std::string here = dir + joined(done);
        struct stat st {};
        if (::lstat(here.c_str(), &st) != 0) {
            // Missing: what follows cannot be a symlink that exists either.
            for (auto& rest : todo) done.push_back(std::move(rest));
            break;
        }
        if (!S_ISLNK(st.st_mode)) continue;
        if (++links > kMaxLinks) return std::nullopt;
        char buf[4096];
        ssize_t n = ::readlink(here.c_str(), buf, sizeof buf);
        done.pop_back();
        if (n <= 0) continue;
        std::string_view target(buf, static_cast<std::size_t>(n));
        if (target.front() == '/') done.clear();
        auto more = components(target);
        todo.insert(todo.begin(), more.begin(), more.end());
    }
    return joined(done);
}

} // namespace

Root Root::at(const std::string& dir, Walk walk) {
    if (dir.empty() || dir == "/") return Root{};
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path canonical = fs::canonical(dir, ec);
    if (ec) throw InputError("--root " + dir + ": " + ec.message());
    if (canonical == "/") return Root{};
    auto image = std::make_shared<Image>();
    image->dir = canonical.string();
    image->fd = ::open(image->dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (image->fd < 0)
        throw InputError("--root " + dir + ": " +
                         (errno == ENOTDIR
                              ? std::string("not a directory")
                              : std::error_code(errno, std::generic_category()).message()));
    image->walk = walk;
    if (walk == Walk::kernel) {
        int probe = openat2_in_root(image->fd, "/", O_PATH);
        if (probe >= 0)
            ::close(probe);
        else if (errno == ENOSYS || errno == EPERM) // no openat2, or a seccomp filter denies it
            image->walk = Walk::by_hand;
    }
    Root root;
    root.image_ = std::move(image);
    return root;
}

const std::string& Root::dir() const {
    return image_ ? image_->dir : kSlash;
}

Walk Root::walk() const {
    return image_ ? image_->walk : Walk::kernel;
}

int Root::open(std::string_view path, int flags) const {
    if (!image_) return ::open(std::string(path).c_str(), flags | O_CLOEXEC);
    if (image_->walk == Walk::kernel) return openat2_in_root(image_->fd, path, flags);
    const bool follow = !(flags & O_NOFOLLOW);
    auto resolved = walk_by_hand(image_->dir, path, follow);
    if (!resolved) {
        errno = ELOOP;
        return -1;
    }
    std::string host = image_->dir + *resolved;
    // The walk followed every link; one appearing since would lead out of the image.
    return ::open(host.c_str(), flags | O_CLOEXEC | (follow ? O_NOFOLLOW : 0));
}

namespace {

bool stat_fd(int fd, struct stat& st) {
    if (fd < 0) return false;
    bool ok = ::fstat(fd, &st) == 0;
    ::close(fd);
    return ok;
}

} // namespace

bool Root::stat(std::string_view path, struct stat& st) const {
    if (!image_) return ::stat(std::string(path).c_str(), &st) == 0;
    return stat_fd(open(path, O_PATH), st);
}

bool Root::lstat(std::string_view path, struct stat& st) const {
    if (!image_) return ::lstat(std::string(path).c_str(), &st) == 0;
    return stat_fd(open(path, O_PATH | O_NOFOLLOW), st);
}

bool Root::exists(std::string_view path) const {
    struct stat st {};
    return stat(path, st);
}

bool Root::is_dir(std::string_view path) const {
    struct stat st {};
    return stat(path, st) && S_ISDIR(st.st_mode);
}

std::optional<std::string> Root::readlink(std::string_view path) const {
    int fd = open(path, O_PATH | O_NOFOLLOW);
    if (fd < 0) return std::nullopt;
    std::string buf(4096, '\0');
    ssize_t n = ::readlinkat(fd, "", buf.data(), buf.size());
    ::close(fd);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
}

std::optional<std::string> Root::read_text(std::string_view path, std::size_t max_bytes) const {
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    auto text = read_regular_fd(fd, max_bytes);
    ::close(fd);
    return text;
}

std::vector<std::string> Root::list_dir(std::string_view path) const {
    std::vector<std::string> names;
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return names;
    DIR* d = ::fdopendir(fd);
    if (!d) {
        ::close(fd);
        return names;
    }
    while (const dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> Root::glob(std::string_view pattern) const {
    std::vector<std::string> matches{""};
    for (const auto& part : components(pattern)) {
        const bool wild = part.find_first_of("*?[") != std::string::npos;
        std::vector<std::string> next;
        for (const auto& base : matches) {
            if (!wild) {
                next.push_back(base + "/" + part);
                continue;
            }
            for (const auto& name : list_dir(base.empty() ? "/" : base))
                if ((name[0] != '.' || part[0] == '.') &&
                    ::fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) == 0)
                    next.push_back(base + "/" + name);
        }
        matches = std::move(next);
    }
    std::vector<std::string> out;
    for (auto& m : matches)
        if (!m.empty() && exists(m)) out.push_back(std::move(m));
    std::sort(out.begin(), out.end());
    return out;
}

MappedFile Root::map(std::string_view path) const {
    const std::string name = shown(path);
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) throw InputError(name + ": cannot open: " + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    return MappedFile(fd, name);
}

std::string Root::resolve(std::string_view path) const {
    if (!image_) {
        std::error_code ec;
        auto p = std::filesystem::weakly_canonical(std::string(path), ec);
        return ec ? std::string(path) : p.string();
    }
    return walk_by_hand(image_->dir, path, true).value_or(std::string(path));
}

std::string Root::shown(std::string_view path) const {
    if (!image_) return std::string(path);
    std::string out = image_->dir;
    if (path.empty() || path.front() != '/') out += '/';
    out += path;
    return out;
}

std::optional<std::string> Root::inside(const std::string& host_path) const {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(host_path, ec), ec);
    if (ec) p = fs::absolute(host_path).lexically_normal();
    std::string s = p.string();
    if (!image_) return s;
    const std::string& d = image_->dir;
    if (s == d) return "/";
    if (s.size() > d.size() && s.starts_with(d) && s[d.size()] == '/') return s.substr(d.size());
    return std::nullopt;
}

} // namespace berth::sysroot
