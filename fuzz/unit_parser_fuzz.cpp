// libFuzzer target for the unit file parser, the drop-in merge model and the exposure score:
// any bytes either parse (and write back unchanged) or give an InputError, never a crash.
#include "unit/exposure.hpp"
#include "unit/lint.hpp"
#include "unit/unit_file.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        berth::unit::UnitFile f = berth::unit::parse_unit("fuzz.service", text);
        if (berth::unit::write_unit(f) != text) std::abort();
        berth::unit::Unit u = berth::unit::make_unit("fuzz.service", {f});
        berth::unit::lint_unit(u, {});
    } catch (const berth::InputError&) {
    }
    return 0;
}
