// Feeds arbitrary bytes to the Go build info reader three ways: as a whole ELF file, as a raw
// build info blob, and as module info text. Anything but an InputError is a bug, and so is module
// info that does not read back the same after berth writes it out.
#include "elf/elf_image.hpp"
#include "gobuild/buildinfo.hpp"
#include "gobuild/version_m.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace berth;

namespace {

void check_round_trip(gobuild::BuildInfo info) {
    gobuild::BuildInfo again;
    gobuild::parse_modinfo(gobuild::format_modinfo(info), again);
    again.go_version = info.go_version;
    // Go's writer does not show the sum of a module that was replaced: neither does berth.
    if (info.main.replace) info.main.sum.clear();
    for (auto& dep : info.deps)
        if (dep.replace) dep.sum.clear();
    if (gobuild::to_json(again) != gobuild::to_json(info)) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A writable copy: libelf may convert data in place, and the fuzzer's input is read-only.
    std::vector<std::byte> bytes(size);
    if (size) std::memcpy(bytes.data(), data, size);

    try {
        if (auto info = gobuild::decode_blob(bytes, nullptr)) {
            (void)gobuild::format_version_m("blob", *info);
            check_round_trip(*info);
        }
    } catch (const InputError&) {
    }
    try {
        gobuild::BuildInfo info;
        gobuild::parse_modinfo(as_text(bytes), info);
        check_round_trip(info);
    } catch (const InputError&) {
    }
    try {
        auto image = elf::parse_image(bytes);
        if (auto info = gobuild::read_buildinfo(image)) {
            (void)gobuild::format_version_m("file", *info);
            (void)gobuild::to_json(*info).dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
        }
        (void)gobuild::read_go_build_id(image);
    } catch (const InputError&) {
    }
    return 0;
}
