#pragma once
// The directory lists the loaders search, built the way glibc's ld.so builds them: dynamic
// string tokens ($ORIGIN, $LIB, $PLATFORM, also in ${...} form) expanded, trailing slashes
// normalised, duplicates dropped, and every directory tried through its hwcaps subdirectories
// first. Also the per-architecture default directories of Debian's glibc and musl.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::resolve {

// The values the tokens expand to for one object.
struct DstValues {
    std::string origin;   // directory of the object; empty when unknown
    std::string lib;      // $LIB, e.g. "lib/x86_64-linux-gnu"
    std::string platform; // $PLATFORM, e.g. "x86_64"
};

// Expands the tokens in `s`. nullopt when a token is used whose value is unknown (ld.so then
// drops the whole path element). A '$' not starting a known token is kept as is.
std::optional<std::string> expand_dst(std::string_view s, const DstValues& v);

// Splits a path list on any of `separators` (":" for DT_RPATH/DT_RUNPATH, ":;" for
// LD_LIBRARY_PATH) into directories ending in '/', after token expansion. An empty element is
// the current directory (""); elements that expand to nothing are dropped; repeats are dropped.
// Paths are as on the examined system (its image's root is applied when files are opened).
std::vector<std::string> split_search_path(std::string_view list, std::string_view separators,
                                           const DstValues& v);

// The Debian multiarch triplet of an ELF machine, e.g. "x86_64-linux-gnu"; empty when unknown.
std::string multiarch_triplet(std::uint16_t machine, bool is64, std::uint32_t e_flags);

// glibc's built-in directories for the triplet (Debian 12: /lib/TRIPLET, /usr/lib/TRIPLET, /lib,
// /usr/lib; checked with LD_DEBUG=libs: no /lib64), each ending in '/'.
std::vector<std::string> glibc_default_dirs(const std::string& triplet);

// The standard glibc interpreter path for a machine (used for shared libraries given directly,
// which have no PT_INTERP: ld.so still maps itself); empty when unknown.
std::string glibc_interpreter(std::uint16_t machine, bool is64);

// The flags ld.so accepts in /etc/ld.so.cache entries for objects of this machine.
std::vector<std::int32_t> cache_flags_for(std::uint16_t machine, bool is64, std::uint32_t e_flags);

// musl: "x86_64" from "/lib/ld-musl-x86_64.so.1"; nullopt when the interpreter is not musl's.
std::optional<std::string> musl_arch(std::string_view interpreter);

// musl's system path from the contents of /etc/ld-musl-ARCH.path (':' or newline separated),
// or its default /lib:/usr/local/lib:/usr/lib when the file is absent (nullopt).
std::vector<std::string> musl_default_dirs(const std::optional<std::string>& path_file);

} // namespace berth::resolve
