// Feeds arbitrary bytes to the ELF layout reader and the facts derived from it (identity,
// linkage, version needs and definitions, notes, hardening). Anything but an InputError is a bug.
// The layout is also read with pread from an in-memory file, as the resolver reads libraries:
// it must come out the same as from the mapped bytes, or fail with the same error.
#include "elf/elf_facts.hpp"
#include "elf/elf_image.hpp"
#include "util/error.hpp"
#include "util/file_ranges.hpp"
#include "util/json_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace berth;

namespace {

std::string summary(FileRanges file) {
    try {
        auto img = elf::read_layout(file);
        std::string s = std::to_string(img.machine) + " " + std::to_string(img.segments.size()) +
                        " " + std::to_string(img.dynamic.size()) + " " +
                        img.interpreter.value_or("-") + " " + img.soname.value_or("-") + " " +
                        img.rpath.value_or("-") + " " + img.runpath.value_or("-");
        for (const auto& n : img.needed) s += " " + n;
        return s;
    } catch (const InputError& e) {
        return std::string("error: ") + e.what();
    }
}

void same_layout_through_pread(const std::vector<std::byte>& bytes) {
    static int fd = ::memfd_create("elf_fuzz", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, 0) != 0) return;
    if (!bytes.empty() &&
        ::pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()))
        return;
    if (summary(FileRanges::descriptor(fd, bytes.size())) != summary(FileRanges::mapped(bytes)))
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A writable copy: libelf may convert data in place, and the fuzzer's input is read-only.
    std::vector<std::byte> bytes(size);
    if (size) std::memcpy(bytes.data(), data, size);
    same_layout_through_pread(bytes);
    try {
        auto image = elf::parse_image(bytes);
        auto facts = elf::derive_elf_facts(image, false);
        (void)elf::derive_elf_facts(image, true);
        nlohmann::json j = facts;
        (void)json_text(j);
        for (const auto& s : image.sections) (void)image.contents(s);
    } catch (const InputError&) {
    }
    return 0;
}
