// libFuzzer target for inventories and host patterns: any bytes, read as an INI and as a YAML
// inventory, either give an inventory whose every host has a valid destination and is selected by
// "all", or an InputError; patterns (fixed ones, and the input's first line unless it is a ~regex)
// select hosts of the inventory or give an InputError; never a crash, a hang or another exception.
#include "inventory/inventory.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void check(const berth::inventory::Inventory& inv, const std::string& first_line) {
    for (const auto& h : inv.hosts) {
        // The destination reads back the same from its text.
        if (berth::remote::parse_destination(h.destination.text()).text() != h.destination.text())
            std::abort();
        if (std::find(h.groups.begin(), h.groups.end(), "all") == h.groups.end()) std::abort();
    }
    std::string patterns[] = {"all", "*", "web*:!db", "&g:x", "g[0]", "g[1:]", "~a.*", first_line};
    for (const auto& p : patterns) {
        if (p.size() > 200 || (!p.empty() && p[0] == '~' && &p == &patterns[7])) continue;
        try {
            auto hosts = berth::inventory::select_hosts(inv, p);
            if (hosts.empty() || hosts.size() > inv.hosts.size()) std::abort();
        } catch (const berth::InputError&) {
        }
    }
    if (!inv.hosts.empty() && berth::inventory::select_hosts(inv, "all").size() != inv.hosts.size())
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string first_line = text.substr(0, text.find('\n'));
    try {
        check(berth::inventory::parse_ini_inventory(text, "fuzz.ini"), first_line);
    } catch (const berth::InputError&) {
    }
    try {
        check(berth::inventory::parse_yaml_inventory(text, "fuzz.yml"), first_line);
    } catch (const berth::InputError&) {
    }
    return 0;
}
