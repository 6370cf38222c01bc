// libFuzzer target for berth.yaml: any bytes either give a config (that completes and writes
// JSON) or an InputError naming the spot, never a crash, a hang or another exception.
#include "config/app_config.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        berth::config::AppConfig c = berth::config::parse_app_config(text, "fuzz.yaml");
        berth::config::complete_app_config(c, "/bin/app");
        nlohmann::json j = c;
        (void)j.dump();
    } catch (const berth::InputError&) {
    }
    return 0;
}
