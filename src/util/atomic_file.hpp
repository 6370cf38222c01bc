#pragma once
// Changing files so that a crash at any moment leaves the old or the new content, never a torn
// one: write a temporary file beside the target, fsync it, rename(2) it over the target, fsync
// the directory. And the other small file-system steps deploy's host side takes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace berth {

struct FileOwner {
    uid_t uid = 0;
    gid_t gid = 0;
};

// Replaces `path` with `content` (mode and owner set before the rename). Throws InputError.
void write_file_atomically(const std::string& path, std::string_view content, mode_t mode,
                           FileOwner owner = {});
// Points the symlink `link` at `target` atomically (a new link renamed over it).
void replace_symlink(const std::string& target, const std::string& link);
// fsync of a directory: makes renames and new entries in it durable.
void sync_directory(const std::string& dir);
// mkdir -p with `mode` for the directories it creates. Throws InputError.
void make_directories(const std::string& dir, mode_t mode);
// rm -rf, without following symlinks out of `path`. Throws InputError.
void remove_tree(const std::string& path);
// The file's sha256 (hex), nullopt when it does not exist. Throws InputError when it exists
// but cannot be read.
std::optional<std::string> file_sha256(const std::string& path);

} // namespace berth
