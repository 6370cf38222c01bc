// A host as `berth hosts --json` shows it.
#include "inventory/inventory.hpp"

namespace berth::inventory {

void to_json(nlohmann::json& j, const Host& h) {
    const remote::Destination& d = h.destination;
    j = {{"name", h.name},
         {"address", d.host},
         {"user", d.user.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.user)},
         {"port", d.port == 0 ? nlohmann::json(nullptr) : nlohmann::json(d.port)},
         {"groups", h.groups},
         {"ssh_options", h.ssh_options},
         {"become", h.become},
         {"vars", h.vars}};
}

} // namespace berth::inventory
