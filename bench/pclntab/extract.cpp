// Benchmark driver: map a file, parse its ELF layout, read the Go function table, derive the
// program facts, and print the function count (what `berth inspect` does for this part).
#include "elf/elf_image.hpp"
#include "gobuild/pclntab.hpp"
#include "gobuild/program_facts.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: extract FILE\n");
        return 2;
    }
    try {
        berth::MappedFile file(argv[1]);
        auto table = berth::gobuild::read_functions(berth::elf::parse_image(file.bytes()));
        auto facts = berth::gobuild::derive_program_facts(table);
        std::printf("%zu functions (%s), graceful_shutdown=%d\n", table.names.size(),
                    table.located_by.c_str(), facts.graceful_shutdown.present ? 1 : 0);
    } catch (const berth::InputError& e) {
        std::fprintf(stderr, "%s: %s\n", argv[1], e.what());
        return 2;
    }
    return 0;
}
