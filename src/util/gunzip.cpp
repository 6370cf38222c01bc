#include "util/gunzip.hpp"

#include <zlib.h>

namespace berth {

std::optional<std::string> gunzip(std::string_view data, std::size_t max_bytes) {
    z_stream z{};
    // 16 + MAX_WBITS: a gzip header and trailer, not a zlib one.
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
    std::string out;
    char buf[65536];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    if (z.avail_in != data.size()) { // over 4 GiB of input: not a config file
        inflateEnd(&z);
        return std::nullopt;
    }
    int rc = Z_OK;
    while (true) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(buf, sizeof buf - z.avail_out);
        if (out.size() > max_bytes) {
            rc = Z_MEM_ERROR;
            break;
        }
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0) break;
            // Another gzip member follows (concatenated files, as gzip -d reads them).
            if (inflateReset(&z) != Z_OK) break;
            rc = Z_OK;
        }
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) return std::nullopt;
    return out;
}

} // namespace berth
