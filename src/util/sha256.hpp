#pragma once
// SHA-256 (and SHA-1 where a format needs it) with OpenSSL's libcrypto, as lowercase hex.
#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace berth {

std::string sha256_hex(std::span<const std::byte> bytes);
// SHA-1, only where a format asks for it (name-based UUIDs, RFC 4122 version 5): raw 20 bytes.
std::string sha1_raw(std::span<const std::byte> bytes);
// Hashes a file by reading it in chunks: unlike hashing a mapping, this keeps resident memory
// small even for a 100 MB binary. Throws InputError naming the file.
std::string sha256_file(const std::string& path);

// A hash fed piece by piece (a file as it arrives over the network).
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::span<const std::byte> bytes);
    std::string hex(); // ends the hash

  private:
    struct Context;
    std::unique_ptr<Context> ctx_;
};

} // namespace berth
