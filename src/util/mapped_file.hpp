#pragma once
// A read-only view of a whole file. Mapped, not copied: inspecting a 100 MB binary touches
// only the pages the parsers read, which keeps resident memory small.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace berth {

class MappedFile {
  public:
    // Throws InputError naming the path when it cannot be opened, is not a regular file or is
    // empty.
    explicit MappedFile(const std::string& path);
    // The file open at `fd` (the descriptor stays the caller's), named `name` in messages.
    MappedFile(int fd, const std::string& name);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;

    std::span<const std::byte> bytes() const { return {data_, size_}; }
    std::size_t size() const { return size_; }
    const std::string& path() const { return path_; }

  private:
    void map(int fd);

    std::string path_;
    const std::byte* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace berth
