#pragma once
// SHA-256 with OpenSSL's libcrypto, as lowercase hex.
#include <cstddef>
#include <span>
#include <string>

namespace berth {

std::string sha256_hex(std::span<const std::byte> bytes);
// Hashes a file by reading it in chunks: unlike hashing a mapping, this keeps resident memory
// small even for a 100 MB binary. Throws InputError naming the file.
std::string sha256_file(const std::string& path);

} // namespace berth
