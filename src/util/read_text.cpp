#include "util/read_text.hpp"

#include "util/error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace berth {

namespace {

// Reads up to `max_bytes`; false on a read error. Stops one byte past the bound so that the
// caller can tell "exactly the bound" from "more".
bool read_some(int fd, std::size_t max_bytes, std::string& out) {
    char buf[65536];
    while (out.size() <= max_bytes) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return true;
}

std::string size_text(std::size_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace

std::optional<std::string> read_regular_fd(int fd, std::size_t max_bytes) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    std::string out;
    if (!read_some(fd, max_bytes, out)) return std::nullopt;
    if (out.size() > max_bytes) out.resize(max_bytes);
    return out;
}

std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    auto text = read_regular_fd(fd, max_bytes);
    ::close(fd);
    return text;
}

std::string read_input_file(const std::string& path, std::size_t max_bytes, const char* what,
                            Dash dash) {
    const bool stdin_ = path == "-" && dash == Dash::stdin_;
    int fd = stdin_ ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
    struct Closer {
        int fd;
        bool owned;
        ~Closer() {
            if (owned) ::close(fd);
        }
    } closer{fd, !stdin_};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw InputError(path + ": cannot stat: " + std::strerror(errno));
    if (!stdin_ && !S_ISREG(st.st_mode))
        throw InputError(
            path + (S_ISDIR(st.st_mode) ? ": is a directory, not a file" : ": not a regular file"));
    const std::string too_big =
        path + ": larger than " + size_text(max_bytes) + ", the limit for " + what;
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes)
        throw InputError(too_big);
    std::string out;
    if (!read_some(fd, max_bytes, out))
        throw InputError(path + ": cannot read: " + std::strerror(errno));
    if (out.size() > max_bytes) throw InputError(too_big);
    return out;
}

} // namespace berth
