#pragma once
// The examined system's root: this machine's "/", or a system image (`--root DIR`) read the way
// the kernel reads paths inside a chroot at DIR. Every path is given as on the examined system
// ("/etc/passwd"); absolute symlinks and ".." stay inside the image, so a link like
// /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-2.31.so finds the image's file, and a
// link to a file that exists only on this machine finds nothing.
//
// The kernel does the walk where it can (openat2 with RESOLVE_IN_ROOT, Linux 5.6); elsewhere the
// same walk is done by hand, component by component. `--root` is normalised once, here: host/,
// resolve/ and the check all read the image through one Root.
#include "util/mapped_file.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace berth::sysroot {

// How an image's paths are resolved: by the kernel (openat2), or by hand (the fallback, which
// tests run on the same trees to keep the two equal).
enum class Walk { kernel, by_hand };

class Root {
  public:
    // This machine's own root.
    Root() = default;
    // The system at `dir`: "" or "/" is this machine. Throws InputError ("--root DIR: ...") when
    // `dir` is not a directory that can be opened.
    static Root at(const std::string& dir, Walk walk = Walk::kernel);

    bool is_host() const { return image_ == nullptr; }
    // "/" or the image's absolute directory, without a trailing slash.
    const std::string& dir() const;
    // How paths are resolved (by_hand also when the kernel lacks openat2).
    Walk walk() const;

    // open(2) of a path of the examined system; -1 with errno set on failure. O_CLOEXEC is added.
    int open(std::string_view path, int flags) const;
    // stat(2) and lstat(2) of a path of the examined system.
    bool stat(std::string_view path, struct stat& st) const;
    bool lstat(std::string_view path, struct stat& st) const;
    bool exists(std::string_view path) const;
    bool is_dir(std::string_view path) const;
    // readlink(2) of the path itself (its last component is not followed); nullopt when it is
    // not a symlink.
    std::optional<std::string> readlink(std::string_view path) const;
    // A regular file's contents, at most `max_bytes` of it; nullopt when it cannot be opened, is
    // not a regular file (a FIFO never blocks the read) or cannot be read.
    std::optional<std::string> read_text(std::string_view path,
                                         std::size_t max_bytes = 64u << 20) const;
    // Names in a directory (without . and ..), sorted; empty when it cannot be read.
    std::vector<std::string> list_dir(std::string_view path) const;
    // The paths matching a glob(7) pattern ("/etc/ld.so.conf.d/*.conf"), sorted, each component
    // matched inside the root.
    std::vector<std::string> glob(std::string_view pattern) const;
    // A regular file mapped whole. Throws InputError naming shown(path).
    MappedFile map(std::string_view path) const;

    // The path with every symlink followed inside the root, as on the examined system
    // ("/lib64/ld-linux-x86-64.so.2" -> "/lib/x86_64-linux-gnu/ld-2.31.so"). A missing part
    // and what follows it are kept as written.
    std::string resolve(std::string_view path) const;
    // The path as a file name of this machine (the image's directory + path), for messages and
    // output; the path itself on this machine.
    std::string shown(std::string_view path) const;
    // Where a file of this machine lies on the examined system: its path inside the image
    // ("/img/usr/bin/app" -> "/usr/bin/app"), or nullopt when it lies outside. On this machine
    // the absolute path itself.
    std::optional<std::string> inside(const std::string& host_path) const;

    struct Image;

  private:
    std::shared_ptr<const Image> image_;
};

} // namespace berth::sysroot
