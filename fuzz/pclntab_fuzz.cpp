// libFuzzer target for the Go function table reader: a raw table (parse_pclntab), or an ELF file
// whose table is found by section or by scanning its segments (read_functions), then the facts.
// Any outcome but a result or InputError (a crash, a sanitizer report, a huge allocation) is a bug.
#include "elf/elf_image.hpp"
#include "gobuild/pclntab.hpp"
#include "gobuild/program_facts.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    try {
        berth::gobuild::FuncTable table;
        if (berth::elf::is_elf(bytes)) {
            table = berth::gobuild::read_functions(berth::elf::parse_image(bytes));
        } else {
            table = berth::gobuild::parse_pclntab(bytes);
        }
        auto facts = berth::gobuild::derive_program_facts(table);
        (void)berth::json_text(berth::gobuild::to_json(facts));
        (void)berth::json_text(berth::gobuild::to_json(table, true));
        // The path `berth inspect` takes: the facts from a walk that keeps no names.
        if (berth::elf::is_elf(bytes)) {
            berth::gobuild::ProgramFactsScan scan;
            auto image = berth::elf::parse_image(bytes);
            (void)berth::gobuild::walk_functions(image, [&](std::string_view name) {
                berth::gobuild::add_function_name(scan, name);
            });
            if (berth::gobuild::to_json(berth::gobuild::finish_program_facts(scan)) !=
                berth::gobuild::to_json(facts))
                __builtin_trap();
        }
    } catch (const berth::InputError&) {
    }
    return 0;
}
