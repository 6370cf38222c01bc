#pragma once
// One exception type for bad input and I/O failures: the message already says what and where,
// so a command prints it as one line and moves on to the next file.
#include <stdexcept>
#include <string>

namespace berth {

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Exit statuses shared by every command (docs/cli.md).
enum ExitStatus : int {
    kExitOk = 0,     // success, nothing at error level
    kExitNo = 1,     // the answer is "no": error findings, a library not found
    kExitInput = 2,  // usage, input or I/O error
    kExitUnsafe = 3, // a deploy that could not roll back cleanly
};

} // namespace berth
