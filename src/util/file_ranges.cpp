#include "util/file_ranges.hpp"

#include "util/byte_reader.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <unistd.h>

namespace berth {

FileRanges FileRanges::mapped(std::span<const std::byte> bytes) {
    FileRanges r;
    r.mapped_ = bytes;
    r.size_ = bytes.size();
    return r;
}

FileRanges FileRanges::descriptor(int fd, std::uint64_t size) {
    FileRanges r;
    r.fd_ = fd;
    r.size_ = size;
    return r;
}

namespace {

constexpr std::uint64_t kHeadSize = 4096;

void read_fully(int fd, std::byte* into, std::uint64_t len, std::uint64_t offset) {
    std::uint64_t done = 0;
    while (done < len) {
        ssize_t n = ::pread(fd, into + done, len - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError(std::string("cannot read: ") + std::strerror(errno));
        if (n == 0) throw InputError("file shrank while being read");
        done += static_cast<std::uint64_t>(n);
    }
}

} // namespace

std::span<const std::byte> FileRanges::get(std::uint64_t offset, std::uint64_t len) {
    if (!has(offset, len))
        throw InputError("read of " + std::to_string(len) + " bytes at offset " +
                         std::to_string(offset) + " lies outside the file");
    if (fd_ < 0) return mapped_.subspan(offset, len);
    if (offset + len <= std::min(size_, kHeadSize)) {
        if (!head_) {
            head_size_ = std::min(size_, kHeadSize);
            head_ = std::make_unique_for_overwrite<std::byte[]>(head_size_);
            read_fully(fd_, head_.get(), head_size_, 0);
        }
        return {head_.get() + offset, len};
    }
    auto& buf = buffers_.emplace_back(std::make_unique_for_overwrite<std::byte[]>(len));
    read_fully(fd_, buf.get(), len, offset);
    return {buf.get(), len};
}

std::string FileRanges::cstring(std::uint64_t offset, std::uint64_t max_len) {
    if (offset > size_) throw InputError("string offset past the end of the file");
    max_len = std::min(max_len, size_ - offset);
    if (fd_ < 0) {
        auto bytes = as_text(mapped_.subspan(offset, max_len));
        auto nul = bytes.find('\0');
        if (nul == std::string_view::npos) throw InputError("unterminated string");
        return std::string(bytes.substr(0, nul));
    }
    constexpr std::uint64_t kStep = 4096;
    std::string s;
    char chunk[kStep];
    for (std::uint64_t done = 0; done < max_len;) {
        std::uint64_t n = std::min(kStep, max_len - done);
        read_fully(fd_, reinterpret_cast<std::byte*>(chunk), n, offset + done);
        std::string_view part(chunk, n);
        auto nul = part.find('\0');
        s.append(part.substr(0, nul));
        if (nul != std::string_view::npos) return s;
        done += n;
    }
    throw InputError("unterminated string");
}

} // namespace berth
