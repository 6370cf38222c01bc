#include "util/atomic_file.hpp"

#include "util/error.hpp"
#include "util/sha256.hpp"
#include "util/write_all.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

namespace berth {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw InputError(path + ": " + what + ": " + std::strerror(errno));
}

std::string dir_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

std::string temp_beside(const std::string& path) {
    return dir_of(path) + "/." + path.substr(path.rfind('/') + 1) + ".berth-" +
           std::to_string(::getpid());
}

} // namespace

void sync_directory(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("cannot open directory", dir);
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) fail("cannot sync", dir);
}

void write_file_atomically(const std::string& path, std::string_view content, mode_t mode,
                           FileOwner owner) {
    const std::string tmp = temp_beside(path);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) fail("cannot create", tmp);
    auto cleanup = [&] {
        ::close(fd);
        ::unlink(tmp.c_str());
    };
    if (!write_all(fd, content)) {
        int e = errno;
        cleanup();
        errno = e;
        fail("cannot write", tmp);
    }
    if (::fchown(fd, owner.uid, owner.gid) != 0 || ::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
        int e = errno;
        cleanup();
        errno = e;
        fail("cannot finish", tmp);
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        errno = e;
        fail("cannot rename into place", path);
    }
    sync_directory(dir_of(path));
}

void replace_symlink(const std::string& target, const std::string& link) {
    const std::string tmp = temp_beside(link);
    ::unlink(tmp.c_str());
    if (::symlink(target.c_str(), tmp.c_str()) != 0) fail("cannot create symlink", tmp);
    if (::rename(tmp.c_str(), link.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        errno = e;
        fail("cannot rename into place", link);
    }
    sync_directory(dir_of(link));
}

void make_directories(const std::string& dir, mode_t mode) {
    std::string sofar;
    std::size_t i = 0;
    while (i <= dir.size()) {
        std::size_t j = dir.find('/', i);
        if (j == std::string::npos) j = dir.size();
        sofar = dir.substr(0, j);
        i = j + 1;
        if (sofar.empty()) continue;
        if (::mkdir(sofar.c_str(), mode) == 0) {
            ::chmod(sofar.c_str(), mode); // the umask may have taken bits away
            continue;
        }
        struct stat st {};
        if (errno != EEXIST || ::stat(sofar.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            fail("cannot create directory", sofar);
    }
}

void remove_tree(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return;
        fail("cannot stat", path);
    }
    auto remove_one = [](const char* p, const struct stat*, int, struct FTW*) {
        return ::remove(p) == 0 ? 0 : -1;
    };
    if (::nftw(path.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fail("cannot remove", path);
}

std::optional<std::string> file_sha256(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("cannot stat", path);
    }
    return sha256_file(path);
}

} // namespace berth
