#pragma once
// Reading whole text files with a bound, never blocking: a FIFO, a device or a directory is
// refused at once instead of hanging or spinning (`berth unit lint /dev/zero`).
#include <cstddef>
#include <optional>
#include <string>

namespace berth {

// The contents of a regular file (also /proc and /sys files, whose size is not known in
// advance); nullopt when it cannot be opened, is not a regular file, or cannot be read. Reads at
// most `max_bytes`.
std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes = 64u << 20);

// The same for a descriptor already open (with O_NONBLOCK, so that opening a FIFO did not
// block); the descriptor stays the caller's.
std::optional<std::string> read_regular_fd(int fd, std::size_t max_bytes);

// Whether "-" names standard input (a berth.yaml, a facts file) or a file called "-" (a unit,
// whose name says its type).
enum class Dash { stdin_, file };

// A file the user named (a berth.yaml, a unit, a facts file): the whole of it, or "-" for
// standard input. Throws InputError with one line naming the file and what is wrong: cannot be
// opened (and why), is a directory, not a regular file, larger than `max_bytes` (`what` names
// the kind of file in that message, e.g. "a unit file"). The words are MappedFile's.
std::string read_input_file(const std::string& path, std::size_t max_bytes, const char* what,
                            Dash dash = Dash::stdin_);

} // namespace berth
