#include "util/output_file.hpp"

#include "util/error.hpp"
#include "util/write_all.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace berth {

void write_output_file(const std::string& path, std::string_view content) {
    // O_NONBLOCK: opening a FIFO for writing fails with ENXIO at once when no one reads it,
    // instead of waiting for a reader.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == ENXIO) throw InputError(path + ": a FIFO that no process reads");
        if (errno == EISDIR) throw InputError(path + ": is a directory, not a file");
        throw InputError(path + ": cannot open: " + std::strerror(errno));
    }
    // Writes wait as usual once a reader is there (a pipe that is full).
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!write_all(fd, content)) {
        int e = errno;
        ::close(fd);
        throw InputError(path + ": cannot write: " + std::strerror(e));
    }
    if (::close(fd) != 0) throw InputError(path + ": cannot write: " + std::strerror(errno));
}

} // namespace berth
