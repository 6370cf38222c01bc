#pragma once
// `berth hosts` as a table: name, address, user, port, groups.
#include "inventory/inventory.hpp"

#include <string>
#include <vector>

namespace berth::report {

// One row a host ("-": ssh's default user or port; the groups without "all", which every host is
// in), then "N of M hosts".
std::string hosts_text(const std::vector<inventory::Host>& hosts, std::size_t total);

} // namespace berth::report
