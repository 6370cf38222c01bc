#pragma once
// Shared by the pclntab integration tests: the go-features fixtures and reading their tables.
#include "elf/elf_image.hpp"
#include "gobuild/pclntab.hpp"
#include "test_support.hpp"
#include "util/mapped_file.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace berth::test {

// Names of the binaries in OUT/go-features (built by tests/fixtures/build-go-features.sh).
inline std::vector<std::string> go_feature_fixtures() {
    std::vector<std::string> out;
    std::filesystem::path dir = fixture_dir() + "/go-features";
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (!e.is_regular_file() || name.ends_with(".tmp")) continue;
        out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline gobuild::FuncTable read_table(const std::string& path) {
    MappedFile file(path);
    return gobuild::read_functions(elf::parse_image(file.bytes()));
}

} // namespace berth::test
