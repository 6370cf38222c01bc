#pragma once
// Bytes of a file by range, from a mapping or from an open descriptor. The ELF header and
// dynamic-segment readers ask for ranges: a mapped file answers without copying, a descriptor
// reads just the bytes asked for with pread. The resolver opens thousands of libraries and needs
// a few hundred bytes of each; mapping and unmapping every one of them costs more than that.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace berth {

class FileRanges {
  public:
    // A whole file already in memory (a MappedFile's bytes).
    static FileRanges mapped(std::span<const std::byte> bytes);
    // An open regular file of `size` bytes; the descriptor stays the caller's.
    static FileRanges descriptor(int fd, std::uint64_t size);

    std::uint64_t size() const { return size_; }
    bool has(std::uint64_t offset, std::uint64_t len) const {
        return offset <= size_ && len <= size_ - offset;
    }
    // `len` bytes at `offset`, valid as long as this object lives. Throws InputError when the
    // range lies outside the file or cannot be read.
    std::span<const std::byte> get(std::uint64_t offset, std::uint64_t len);
    // The NUL-terminated string at `offset`, whose terminator must lie within `max_len` bytes
    // (and the file). Read in small steps and not kept: memory stays proportional to the
    // string. Throws InputError when it is unterminated.
    std::string cstring(std::uint64_t offset, std::uint64_t max_len);

  private:
    std::span<const std::byte> mapped_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
    // The first bytes of the file, read once on the first request that lies in them: the ELF
    // header, the program headers and PT_INTERP are there in every file seen.
    std::unique_ptr<std::byte[]> head_;
    std::uint64_t head_size_ = 0;
    std::vector<std::unique_ptr<std::byte[]>> buffers_; // what pread filled, kept for the spans
};

} // namespace berth
