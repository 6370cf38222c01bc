#pragma once
// Writing a file the user named with -o: a regular file is created or truncated, a device or a
// FIFO with a reader (/dev/stdout, a pipe) is written to; nothing waits for a reader that never
// comes. (Files berth manages, such as a berth.yaml it writes, go through write_file_atomically.)
#include <string>
#include <string_view>

namespace berth {

// Throws InputError with one line naming the file: cannot be opened (and why), a FIFO that no
// process reads, a directory, a write error.
void write_output_file(const std::string& path, std::string_view content);

} // namespace berth
