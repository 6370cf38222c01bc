#pragma once
// write(2) until every byte is written (a pipe or socket takes a part at a time), again after
// EINTR.
#include <string_view>

namespace berth {

// False on an error, with errno set (a full disk, a reader gone).
bool write_all(int fd, std::string_view bytes);

} // namespace berth
