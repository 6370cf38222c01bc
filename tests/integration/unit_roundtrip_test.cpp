// Every unit file shipped on this machine parses and writes back byte for byte.
#include "unit/unit_file.hpp"

#include "test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>

namespace fs = std::filesystem;

TEST(UnitRoundTrip, EveryShippedUnitFileByteForByte) {
    int checked = 0;
    for (const char* dir : {"/lib/systemd/system", "/usr/lib/systemd/system"}) {
        ASSERT_TRUE(fs::is_directory(dir)) << dir;
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            std::error_code ec;
            if (!fs::is_regular_file(entry.path(), ec)) continue; // dirs, /dev/null masks
            std::string path = entry.path().string();
            std::string bytes = berth::test::read_file(path);
            berth::unit::UnitFile f = berth::unit::parse_unit(path, bytes);
            EXPECT_EQ(berth::unit::write_unit(f), bytes) << path;
            ++checked;
        }
    }
    EXPECT_GT(checked, 100);
}
