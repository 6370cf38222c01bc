#include "util/mapped_file.hpp"

#include "util/error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace berth {

MappedFile::MappedFile(const std::string& path) : path_(path) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
    try {
        map(fd);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

MappedFile::MappedFile(int fd, const std::string& name) : path_(name) {
    map(fd);
}

void MappedFile::map(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw InputError(path_ + ": cannot stat: " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw InputError(path_ + ": is a directory, not a file");
    if (!S_ISREG(st.st_mode)) throw InputError(path_ + ": not a regular file");
    if (st.st_size == 0) throw InputError(path_ + ": empty file (0 bytes)");
    size_ = static_cast<std::size_t>(st.st_size);
    // Writable and private: libelf may convert data in place (copy-on-write, the file is
    // untouched).
    void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) throw InputError(path_ + ": cannot map: " + std::strerror(errno));
    data_ = static_cast<const std::byte*>(p);
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)), data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
        path_ = std::move(other.path_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

} // namespace berth
