// Feeds arbitrary bytes to the ELF layout reader and the facts derived from it (identity,
// linkage, version needs and definitions, notes, hardening). Anything but an InputError is a bug.
#include "elf/elf_facts.hpp"
#include "elf/elf_image.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace berth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A writable copy: libelf may convert data in place, and the fuzzer's input is read-only.
    std::vector<std::byte> bytes(size);
    if (size) std::memcpy(bytes.data(), data, size);
    for (bool only_dynamic : {false, true}) {
        try {
            auto image = elf::parse_image(bytes, only_dynamic);
            auto facts = elf::derive_elf_facts(image, false, false);
            (void)elf::derive_elf_facts(image, true, true);
            nlohmann::json j = facts;
            (void)json_text(j);
            for (const auto& s : image.sections) (void)image.contents(s);
        } catch (const InputError&) {
        }
    }
    return 0;
}
