#include "util/read_text.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace berth {

std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string out;
    char buf[65536];
    bool ok = true;
    while (out.size() < max_bytes) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) ok = false;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (!ok) return std::nullopt;
    if (out.size() > max_bytes) out.resize(max_bytes);
    return out;
}

} // namespace berth
